"""Outcomes ("we did"): changes a service made, linked to the ideas that led to them, crediting
the carers behind those ideas.

Credits are taken when the outcome is recorded: the authors and supporters of the linked ideas
at that moment, plus anyone staff name, each member once. Supporting an idea later, or
withdrawing support, does not change who an outcome already credits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_tui.domain.boards import NotificationKind, Outcome
from forum_tui.domain.errors import ValidationError
from forum_tui.domain.ids import is_storable_id
from forum_tui.domain.text import clean_body, clean_title, is_blank
from forum_tui.services._boards_common import (
    load_board,
    load_outcome,
    notify,
    outcomes_where,
    quoted,
    require_board_staff,
)
from forum_tui.services._common import Service, load_member, member_by_handle, require_active
from forum_tui.store.board_tables import (
    BoardRow,
    IdeaRow,
    OutcomeCreditRow,
    OutcomeIdeaRow,
    OutcomeRow,
    SupportRow,
)

LINKED_IDEAS_MAX = 50


def _credit_text(outcome: OutcomeRow, board: BoardRow) -> str:
    return f"You are credited in {quoted(outcome.title)}, a change made by {board.name}."


async def _credit(
    session: AsyncSession, outcome: OutcomeRow, credits: Iterable[tuple[int, str]]
) -> list[int]:
    """Adds each (member, reason) not yet credited by the outcome; the first reason wins.
    Returns the members newly credited."""
    already = set(
        await session.scalars(
            select(OutcomeCreditRow.member_id).where(OutcomeCreditRow.outcome_id == outcome.id)
        )
    )
    added: list[int] = []
    for member_id, reason in credits:
        if member_id in already:
            continue
        already.add(member_id)
        session.add(OutcomeCreditRow(outcome_id=outcome.id, member_id=member_id, reason=reason))
        added.append(member_id)
    await session.flush()
    return added


class OutcomeService(Service):
    async def record_outcome(
        self,
        member_id: int,
        board_id: int,
        title: str,
        description: str,
        happened_on: date,
        idea_ids: Sequence[int],
        credit_handles: Sequence[str] = (),
    ) -> Outcome:
        """Records a change the service made, linked to one or more of the board's ideas.

        The board's staff and admins only. Refused: no linked idea, an idea on another board
        (or none), a date in the future, an unknown handle to credit. The authors and supporters
        of the linked ideas are credited, then each named member, every member once; each
        credited member except the one recording is notified in the same transaction.
        """
        title = clean_title(title)
        if is_blank(description):
            raise ValidationError("Say what changed: the description is what carers will read.")
        description = clean_body(description)
        ids = list(dict.fromkeys(idea_ids))
        if not ids:
            raise ValidationError("Link the outcome to at least one idea that led to it.")
        if len(ids) > LINKED_IDEAS_MAX:
            raise ValidationError(f"An outcome can link at most {LINKED_IDEAS_MAX} ideas.")
        now = self.now()
        if happened_on > now.date():
            raise ValidationError(
                "An outcome records a change that has happened: not a future date."
            )
        async with self.db.write() as session:
            member = await load_member(session, member_id)
            require_active(member, now)
            board = await load_board(session, board_id)
            await require_board_staff(session, member, board, "record its outcomes")
            storable = [i for i in ids if is_storable_id(i)]  # a typed huge number: missing
            ideas = list(await session.scalars(select(IdeaRow).where(IdeaRow.id.in_(storable))))
            found = {idea.id for idea in ideas if idea.board_id == board.id}
            missing = [i for i in ids if i not in found]
            if missing:
                raise ValidationError(
                    f"Idea {', '.join(f'#{i}' for i in missing)} is not on {board.name}: an "
                    "outcome links only ideas on its own board."
                )
            named = [await member_by_handle(session, handle) for handle in credit_handles]
            outcome = OutcomeRow(
                board_id=board.id,
                title=title,
                description=description,
                happened_on=happened_on,
                recorded_by_id=member.id,
                created_at=now,
            )
            session.add(outcome)
            await session.flush()
            for idea_id in ids:
                session.add(OutcomeIdeaRow(outcome_id=outcome.id, idea_id=idea_id))
            # Recording an outcome answers every idea it links (the outcome shows in each
            # idea's timeline): it restarts their awaiting-response clock.
            for idea in ideas:
                idea.updated_at = now
            supporters = await session.scalars(
                select(SupportRow.member_id)
                .where(SupportRow.idea_id.in_(ids))
                .order_by(SupportRow.created_at, SupportRow.member_id)
            )
            credits = [
                *((idea.author_id, "author") for idea in sorted(ideas, key=lambda i: i.id)),
                *((supporter, "supporter") for supporter in supporters),
                *((person.id, "named") for person in named),
            ]
            added = await _credit(session, outcome, credits)
            notify(
                session,
                [m for m in added if m != member.id],
                NotificationKind.OUTCOME_CREDIT,
                _credit_text(outcome, board),
                now,
                outcome_id=outcome.id,
            )
            await session.flush()
            return await load_outcome(session, outcome.id, member.id)

    async def list_outcomes(self, member_id: int, board_id: int) -> list[Outcome]:
        """A board's outcomes, newest first, each with its linked ideas, how many carers it
        credits, and whether it credits the member. Any member may read them."""
        async with self.db.read() as session:
            member = await load_member(session, member_id)
            board = await load_board(session, board_id)
            return await outcomes_where(session, member.id, OutcomeRow.board_id == board.id)

    async def get_outcome(self, member_id: int, outcome_id: int) -> Outcome:
        """One outcome, as ``list_outcomes`` shows it (to open it from a notification). Any
        member may read outcomes; an unknown one is NotFound."""
        async with self.db.read() as session:
            member = await load_member(session, member_id)
            return await load_outcome(session, outcome_id, member.id)

    async def credit_member(self, member_id: int, outcome_id: int, handle: str) -> Outcome:
        """Credits one more member by handle (someone who spoke at a workshop, say).

        The staff of the outcome's board and admins only. Crediting someone already credited
        changes nothing and notifies no one again.
        """
        now = self.now()
        async with self.db.write() as session:
            member = await load_member(session, member_id)
            require_active(member, now)
            outcome_view = await load_outcome(session, outcome_id, member.id)
            outcome = await session.get(OutcomeRow, outcome_view.id)
            assert outcome is not None
            board = await load_board(session, outcome.board_id)
            await require_board_staff(session, member, board, "credit members in its outcomes")
            person = await member_by_handle(session, handle)
            added = await _credit(session, outcome, [(person.id, "named")])
            notify(
                session,
                [m for m in added if m != member.id],
                NotificationKind.OUTCOME_CREDIT,
                _credit_text(outcome, board),
                now,
                outcome_id=outcome.id,
            )
            await session.flush()
            return await load_outcome(session, outcome.id, member.id)


__all__ = ["OutcomeService"]
