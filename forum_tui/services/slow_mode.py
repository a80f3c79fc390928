"""Slow mode from the command line: the operator's ``forum-tui group slow-mode``.

Leaders set it in the app through ``ModerationService.set_slow_mode`` (its leaders and admins
only); this is the same act for whoever runs the forum, recorded in the audit log as the
operator."""

from __future__ import annotations

from sqlalchemy import select

from forum_tui.domain.errors import NotFound, ValidationError
from forum_tui.domain.moderation import Action, TargetKind
from forum_tui.services._common import Service
from forum_tui.services.changes import announce, group_topic
from forum_tui.store.moderation_tables import ModerationActionRow
from forum_tui.store.tables import GroupRow

SLOW_MODE_MAX = 24 * 60 * 60  # as services.moderation: a day between posts at most


def slow_mode_words(seconds: int) -> str:
    """'off', '45 seconds', '5 minutes', '1 hour 30 minutes' between posts."""
    if seconds <= 0:
        return "off"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{n} {unit}{'s' if n != 1 else ''}"
        for n, unit in ((hours, "hour"), (minutes, "minute"), (secs, "second"))
        if n
    ]
    return " ".join(parts) + " between posts"


class SlowModeService(Service):
    async def set_slow_mode_by_slug(self, slug: str, seconds: int) -> str:
        """Sets a group's slow mode (0 switches it off); returns the group's name."""
        if not 0 <= seconds <= SLOW_MODE_MAX:
            raise ValidationError("Slow mode is between 0 (off) and 86,400 seconds (a day).")
        now = self.now()
        async with self.db.write() as session:
            group = await session.scalar(
                select(GroupRow).where(GroupRow.slug == slug.strip().lower())
            )
            if group is None:
                raise NotFound(f"There is no group with the slug {slug!r}.")
            group.slow_mode_seconds = seconds
            session.add(
                ModerationActionRow(
                    actor_id=None,
                    action=str(Action.SLOW_MODE),
                    target_kind=str(TargetKind.GROUP),
                    target_id=group.id,
                    group_id=group.id,
                    board_id=None,
                    reason=f"{seconds} seconds between posts" if seconds else "off",
                    created_at=now,
                )
            )
            await announce(session, group_topic(group.id))
            return group.name


__all__ = ["SlowModeService", "slow_mode_words"]
