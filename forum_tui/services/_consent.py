"""The part of assisted posting that runs inside another use case's transaction: checking and
using up a consent as the post is written, and writing the audit entry. No service imports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_tui.domain.consent import ConsentScope
from forum_tui.domain.enums import Role
from forum_tui.domain.errors import PermissionDenied
from forum_tui.domain.moderation import Action, TargetKind
from forum_tui.store.consent_tables import ConsentRow
from forum_tui.store.moderation_tables import ModerationActionRow
from forum_tui.store.tables import MemberRow

NO_CONSENT = "There is no consent from this carer to post for them: ask them to confirm again."


@dataclass(frozen=True)
class Assist:
    """A volunteer writing for a carer under one of the carer's consents."""

    volunteer_id: int
    consent_id: int


async def use_consent(
    session: AsyncSession, assisted: Assist, carer_id: int, now: datetime
) -> ConsentRow:
    """Refuses unless the consent is the carer's, given to this volunteer (still a volunteer),
    not taken back, not past its time and, for one post, not used; then uses a one-post one."""
    consent = (
        await session.execute(
            select(ConsentRow).where(ConsentRow.id == assisted.consent_id).with_for_update()
        )
    ).scalar_one_or_none()
    volunteer = await session.get(MemberRow, assisted.volunteer_id)
    if (
        consent is None
        or volunteer is None
        or volunteer.role != Role.VOLUNTEER
        or consent.volunteer_id != assisted.volunteer_id
        or consent.carer_id != carer_id
        or consent.revoked_at is not None
        or consent.used_at is not None
        or consent.expires_at <= now
    ):
        raise PermissionDenied(NO_CONSENT)
    if consent.scope == ConsentScope.ONE_POST:
        consent.used_at = now
    return consent


def audit_assisted_post(
    session: AsyncSession, assisted: Assist, post_id: int, group_id: int, now: datetime
) -> None:
    """Volunteers' assisted posts are in the audit log, seen by the group's leaders."""
    session.add(
        ModerationActionRow(
            actor_id=assisted.volunteer_id,
            action=str(Action.ASSISTED_POST),
            target_kind=str(TargetKind.POST),
            target_id=post_id,
            group_id=group_id,
            reason=f"posted for a carer with their consent #{assisted.consent_id}",
            created_at=now,
        )
    )
