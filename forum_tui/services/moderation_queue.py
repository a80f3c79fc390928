"""The review queue: reported items awaiting a moderator's decision, oldest report first.

Four statements whatever the size of the forum or the queue: who the member is and what they
moderate; the reports of the oldest ``QUEUE_PAGE`` items in their scope; those items with their
place, author and context; the authors' recent history. Each statement has one shape, built
once here with bound lists, so SQLAlchemy compiles it once and reuses it.

Measured at 1 M posts with 3,000 reports: loading every open report and then 6–8 queries per
item took 624–1,016 statements and 0.3–1.3 s a call; a statement per kind of detail (8–9 of
them, one a UNION ALL rebuilt and recompiled on every call, rows loaded as ORM entities) took
18–31 ms on SQLite, four fifths of it Python, and 17–37 ms on PostgreSQL. These four took
4–8 ms and 8–15 ms on the same (loaded) machine. The statements are in
``moderation_queue_sql``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from forum_tui.domain.enums import MemberState, Role
from forum_tui.domain.errors import NotFound, PermissionDenied
from forum_tui.domain.moderation import QueueItem, ReportReason, ReportState, TargetKind
from forum_tui.services._boards_common import FORMER_MEMBER
from forum_tui.services.moderation_queue_sql import (
    BOARD,
    GROUP,
    IDEA,
    POST,
    RECENT_HISTORY,
    THREAD,
    recent_statement,
    reports_statement,
    scope_statement,
    targets_statement,
)
from forum_tui.store.database import Database

QUEUE_PAGE = 20  # the oldest items; the next ones appear as these are resolved
SNIPPET = 160

OPEN = str(ReportState.OPEN)
ESCALATED = str(ReportState.ESCALATED)
STAFF_ROLES = (str(Role.STAFF), str(Role.ADMIN))


def snippet(text: str, limit: int = SNIPPET) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _handle(handle: str | None, state: str | None) -> str:
    return FORMER_MEMBER if handle is None or state == MemberState.ERASED else handle


async def review_queue(
    db: Database, member_id: int, *, limit: int | None = None
) -> list[QueueItem]:
    """Reported items awaiting a decision, oldest report first, at most ``limit`` of them.

    Leaders see open reports on posts and threads of the groups they lead; board staff see
    open reports on their boards' ideas; admins see every open and escalated report.
    Anyone who moderates nothing is refused (PermissionDenied).
    """
    limit = QUEUE_PAGE if limit is None else limit
    async with db.read() as session:
        scope = (await session.execute(scope_statement(), {"member": member_id})).all()
        if not scope or scope[0].state == MemberState.ERASED:
            raise NotFound("That member account does not exist.")
        admin = scope[0].role == Role.ADMIN
        led = [row.id for row in scope if row.kind == GROUP]
        staffed = [row.id for row in scope if row.kind == BOARD and row.role in STAFF_ROLES]
        if not (admin or led or staffed):
            raise PermissionDenied("Only group leaders, board staff and admins review reports.")
        if admin:
            statement = reports_statement(None, None, (OPEN, ESCALATED))
        else:
            statement = reports_statement(bool(led), bool(staffed), (OPEN,))
        parameters = {"groups": led, "boards": staffed, "limit": limit}
        found = await session.execute(statement, parameters)
        reports: dict[tuple[str, int], list[Any]] = defaultdict(list)
        for row in found:  # oldest first, so the items come in the order of their first report
            reports[(row.target_kind, row.target_id)].append(row)
        if not reports:
            return []
        ids = {kind: [i for k, i in reports if k == kind] for kind in (POST, THREAD, IDEA)}
        targets = {
            (row.kind, row.id): row for row in await session.execute(targets_statement(), ids)
        }
        recent: dict[tuple[str, int, int], list[tuple[datetime, int, str]]] = defaultdict(list)
        for kind, author, place, row_id, text, at in await session.execute(
            recent_statement(db.is_sqlite), ids
        ):
            recent[(kind, author, place)].append((at, row_id, text))
    return [
        _item(kind, target_id, rows, targets[(kind, target_id)], recent)
        for (kind, target_id), rows in reports.items()
        if (kind, target_id) in targets
    ]


def _item(
    kind: str,
    target_id: int,
    reports: list[Any],
    target: Any,
    recent: dict[tuple[str, int, int], list[tuple[datetime, int, str]]],
) -> QueueItem:
    if kind == IDEA:
        place = target.place_name
        text = f"{target.title}\n\n{target.body}"
        context = [f"Idea on {target.place_name}: {target.title}"]
        history = recent[(IDEA, target.author_id, target.place_id)]
    else:
        place = f"{target.place_name} › {target.title}"
        text = target.body if kind == POST else f"{target.title}\n\n{target.body or ''}"
        context = [f"Thread: {target.title}"]
        if target.before_body is not None:
            before = _handle(target.before_handle, None)
            context.append(f"Before it, {before}: {snippet(target.before_body)}")
        history = recent[(POST, target.author_id, target.place_id)]
    exclude = target_id if kind != THREAD else None  # a thread is not among its author's posts
    return QueueItem(
        target_kind=TargetKind(kind),
        target_id=target_id,
        group_id=None if kind == IDEA else target.place_id,
        board_id=target.place_id if kind == IDEA else None,
        place=place,
        author_handle=_handle(target.handle, target.author_state),
        text=text,
        context=tuple(context),
        reports=tuple(
            (_handle(row.reporter, row.reporter_state), ReportReason(row.reason), row.text)
            for row in reports
        ),
        first_reported_at=min(row.created_at for row in reports),
        hidden=bool(target.hidden),
        author_recent=tuple(
            snippet(text) for _, row_id, text in sorted(history, reverse=True) if row_id != exclude
        )[:RECENT_HISTORY],
        escalated=any(row.state == ESCALATED for row in reports),
    )


__all__ = ["QUEUE_PAGE", "review_queue", "snippet"]
