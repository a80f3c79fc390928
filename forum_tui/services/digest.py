"""A digest for members who rarely connect: what is new for them, as short plain text.

``forum-tui digest HANDLE [--since DATE]`` prints it; an operator pipes it into whatever mail or
SMS gateway they already have (forum-tui sends nothing itself). It is made from the member's
notifications since the date (kinds they turned off are left out): replies and mentions in
threads, followed threads and ideas, status changes of their ideas, outcomes crediting them.
Each section shows its newest few lines and how many more there are, so the whole stays short
whatever happened; it quotes no post text, only who, where and what changed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from forum_tui.domain.boards import NotificationKind
from forum_tui.services._common import Service, member_by_handle
from forum_tui.services.notifications import not_turned_off
from forum_tui.store.board_tables import NotificationRow

DIGEST_DAYS = 7
LINES_PER_SECTION = 3
LINE_MAX = 100

SECTIONS = (
    ("Mentions", (NotificationKind.MENTION,)),
    ("Replies", (NotificationKind.REPLY, NotificationKind.FOLLOWED)),
    ("Your ideas", (NotificationKind.IDEA_STATUS,)),
    ("Changes that credit you", (NotificationKind.OUTCOME_CREDIT,)),
)


def _line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= LINE_MAX else flat[: LINE_MAX - 1] + "…"


class DigestService(Service):
    async def digest(self, handle: str, since: datetime | None = None) -> str:
        """The member's digest since ``since`` (default: the last 7 days). For the operator at
        the command line; an unknown or erased handle is refused with NotFound."""
        now = self.now()
        since = since or now - timedelta(days=DIGEST_DAYS)
        kinds = [str(kind) for _, group in SECTIONS for kind in group]
        async with self.db.read() as session:
            member = await member_by_handle(session, handle)
            rows = list(
                await session.scalars(
                    select(NotificationRow)
                    .where(
                        NotificationRow.member_id == member.id,
                        NotificationRow.created_at >= since,
                        NotificationRow.kind.in_(kinds),
                        not_turned_off(member.id),
                    )
                    .order_by(NotificationRow.id.desc())
                    .limit(500)
                )
            )
        head = f"forum-tui: news for {member.handle} since {since:%d %b %Y}"
        if not rows:
            return f"{head}\nNothing new.\n"
        lines = [head]
        for title, group in SECTIONS:
            found = [row for row in rows if row.kind in group]
            if not found:
                continue
            lines.append(f"{title} ({len(found)}):")
            lines += [f"- {_line(row.text)}" for row in found[:LINES_PER_SECTION]]
            if len(found) > LINES_PER_SECTION:
                lines.append(f"- and {len(found) - LINES_PER_SECTION} more")
        lines.append("Sign in to forum-tui to read and reply.")
        return "\n".join(lines) + "\n"


__all__ = ["DigestService"]
