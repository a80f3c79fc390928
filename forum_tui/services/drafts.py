"""Drafts: unsent text saved as the member types, offered back when they return."""

from __future__ import annotations

import re

from sqlalchemy import select

from forum_tui.domain.errors import NotFound, ValidationError
from forum_tui.domain.models import Draft
from forum_tui.domain.text import BODY_MAX, strip_controls
from forum_tui.services._common import Service, load_member, visible_group
from forum_tui.store.board_tables import BoardRow
from forum_tui.store.checkin_tables import CheckInRow
from forum_tui.store.queries import upsert
from forum_tui.store.tables import DraftRow, ThreadRow

PLACE = re.compile(r"^(reply|thread|idea|checkin):([1-9][0-9]{0,17})$")
# A draft may run past the post limit (the member trims it before sending) but not without end.
DRAFT_MAX = BODY_MAX * 5


def _check_place(place: str) -> re.Match[str]:
    match = PLACE.match(place)
    if match is None:
        raise ValueError(f"not a draft place: {place!r}")
    return match


class DraftService(Service):
    async def save_draft(self, member_id: int, place: str, body: str, title: str = "") -> None:
        """Saves (or, when both are empty, removes) the member's draft for ``place``.

        ``place`` is ``reply:<thread id>``, ``thread:<group id>`` or ``idea:<board id>``. Only
        the member's own drafts are ever read or written.
        """
        _check_place(place)
        body = strip_controls(body)
        title = strip_controls(title)
        if len(body) > DRAFT_MAX or len(title) > DRAFT_MAX:
            raise ValidationError(
                f"This text is too long to keep as a draft ({len(body):,} characters)."
            )
        async with self.db.write() as session:
            await load_member(session, member_id)
            if not body.strip() and not title.strip():
                existing = await session.get(DraftRow, (member_id, place))
                if existing is not None:
                    await session.delete(existing)
                return
            await upsert(
                session,
                DraftRow.__table__,
                {
                    "member_id": member_id,
                    "place": place,
                    "title": title,
                    "body": body,
                    "updated_at": self.now(),
                },
                keys=["member_id", "place"],
            )

    async def get_draft(self, member_id: int, place: str) -> Draft | None:
        _check_place(place)
        async with self.db.read() as session:
            row = await session.get(DraftRow, (member_id, place))
            return Draft(row.place, row.title, row.body, row.updated_at) if row else None

    async def discard_draft(self, member_id: int, place: str) -> None:
        await self.save_draft(member_id, place, "", "")

    async def list_drafts(self, member_id: int) -> list[Draft]:
        """The member's unsent drafts, newest first, each labelled with where it belongs.

        A draft whose thread or group has gone, or is no longer visible to them, is left out.
        """
        async with self.db.read() as session:
            member = await load_member(session, member_id)
            rows = (
                await session.scalars(
                    select(DraftRow)
                    .where(DraftRow.member_id == member_id)
                    .order_by(DraftRow.updated_at.desc())
                )
            ).all()
            drafts = []
            for row in rows:
                kind, raw_id = _check_place(row.place).groups()
                try:
                    if kind == "reply":
                        thread = await session.get(ThreadRow, int(raw_id))
                        if thread is None:
                            continue
                        await visible_group(session, member, thread.group_id)
                        label = f"Reply in “{thread.title}”"
                    elif kind == "checkin":
                        if await session.get(CheckInRow, int(raw_id)) is None:
                            continue
                        label = "Answer in a private check-in"
                    elif kind == "idea":
                        board = await session.get(BoardRow, int(raw_id))
                        if board is None:
                            continue
                        label = f"New idea on {board.name}"
                    else:
                        group, _ = await visible_group(session, member, int(raw_id))
                        label = f"New thread in {group.name}"
                except NotFound:
                    continue
                drafts.append(Draft(row.place, row.title, row.body, row.updated_at, label))
            return drafts


__all__ = ["DraftService"]
