"""Ideas raised at a group meeting (design.md §2, §5): entered afterwards by the board's staff
or a leader of the group, crediting the members who raised them, so offline co-production
counts like any other.

The idea goes on the board with its words and where it came from ("Raised at the 12 March
meeting of Carers' Corner, by ann and bob."). Each credited member supports it, so it is in
their My contributions, and an outcome linked to it credits them, as for an idea of their own.
"""

from __future__ import annotations

from sqlalchemy import update

from forum_tui.domain.boards import Idea, IdeaStatus
from forum_tui.domain.errors import PermissionDenied, ValidationError
from forum_tui.domain.text import clean_body, clean_title, strip_controls
from forum_tui.services._boards_common import load_board, load_idea, may_respond
from forum_tui.services._common import (
    Service,
    is_leader,
    load_member,
    member_by_handle,
    membership_of,
    require_active,
    visible_group,
)
from forum_tui.services.ideas import _insert_support
from forum_tui.store.board_tables import IdeaRow

MEETING_MAX = 60  # "12 March", "the spring carers' forum"
CREDITED_MAX = 30


def meeting_line(meeting: str, group: str, handles: list[str]) -> str:
    names = handles[0] if len(handles) == 1 else ", ".join(handles[:-1]) + " and " + handles[-1]
    return f"Raised at the {meeting} meeting of {group}, by {names}."


class MeetingIdeaService(Service):
    async def add_meeting_idea(
        self,
        actor_id: int,
        board_id: int,
        group_id: int,
        meeting: str,
        title: str,
        body: str,
        credited: list[str],
    ) -> Idea:
        """Adds an idea raised at a meeting of ``group_id``, crediting the members ``credited``
        (handles; each must be a member of that group). The board's staff, admins and the
        group's leaders may; anyone else is refused."""
        title = clean_title(title)
        body = clean_body(body)
        meeting = " ".join(strip_controls(meeting).split())
        if not 1 <= len(meeting) <= MEETING_MAX:
            raise ValidationError(f"Say which meeting, in 1 to {MEETING_MAX} characters.")
        wanted = list(dict.fromkeys(h.strip().lstrip("@") for h in credited if h.strip()))
        if not 1 <= len(wanted) <= CREDITED_MAX:
            raise ValidationError(f"Name 1 to {CREDITED_MAX} members who raised it.")
        now = self.now()
        async with self.db.write() as session:
            actor = await load_member(session, actor_id)
            require_active(actor, now)
            board = await load_board(session, board_id)
            group, membership = await visible_group(session, actor, group_id)
            if not (await may_respond(session, actor, board.id) or is_leader(membership)):
                raise PermissionDenied(
                    "Only the board's staff, or a leader of the group, can add a meeting's idea."
                )
            members = []
            for handle in wanted:
                member = await member_by_handle(session, handle)
                if await membership_of(session, member.id, group.id) is None:
                    raise ValidationError(f"{member.handle} is not in {group.name}.")
                members.append(member)
            line = meeting_line(meeting, group.name, [m.handle for m in members])
            row = IdeaRow(
                board_id=board.id,
                author_id=actor.id,
                title=title,
                body=clean_body(f"{line}\n\n{body}"),
                status=str(IdeaStatus.NEW),
                support_count=0,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            await session.flush()
            added = 0
            for member in members:
                if member.id == actor.id:
                    continue  # the author is never counted as their own supporter
                values = {
                    "idea_id": row.id,
                    "member_id": member.id,
                    "comment": f"Raised it at the {meeting} meeting.",
                    "carried_from_id": None,
                    "created_at": now,
                }
                added += await _insert_support(session, values)
            if added:
                await session.execute(
                    update(IdeaRow)
                    .where(IdeaRow.id == row.id)
                    .values(support_count=IdeaRow.support_count + added)
                    .execution_options(synchronize_session=False)
                )
            return await load_idea(session, actor.id, row.id, now)
