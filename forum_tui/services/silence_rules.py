"""Who may lift a silence (issue 9 §8): nobody their own, and never one set with more authority.

A silence pauses a member's posting in one group. Leaders of the group and admins may set one
(only an admin may silence a leader). Lifting follows the same ladder, so a silence cannot be
undone by someone with less authority than whoever set it:

- nobody lifts a silence on themselves, not even an admin (ask another leader or admin);
- only an admin lifts a silence on a leader of the group;
- a silence set by an admin — or by anyone who is not a leader of the group now, or by the
  operator — is lifted by an admin only; one set by a leader of the group, by any leader of
  it or an admin.

Who set it is read from the audit log: the latest ``silence`` row for that member and group.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_tui.domain.enums import GroupRole, Role
from forum_tui.domain.errors import PermissionDenied
from forum_tui.domain.moderation import Action, TargetKind
from forum_tui.store.moderation_tables import ModerationActionRow
from forum_tui.store.tables import GroupRow, MemberRow, MembershipRow

OWN = "You cannot lift a silence on yourself: ask another leader of the group or an admin."
LEADER = "Only an admin can lift a silence on a leader of the group."
ADMINS = "An admin paused this member's posting, so only an admin can lift it."


async def require_may_lift_silence(
    session: AsyncSession,
    actor: MemberRow,
    group: GroupRow,
    target: MemberRow,
    membership: MembershipRow,
) -> None:
    """Raises PermissionDenied unless ``actor`` (already known to moderate ``group``) may lift
    ``target``'s silence there (module doc)."""
    if actor.id == target.id:
        raise PermissionDenied(OWN)
    if actor.role == Role.ADMIN:
        return
    if membership.role == GroupRole.LEADER:
        raise PermissionDenied(LEADER)
    setter = await session.scalar(
        select(ModerationActionRow)
        .where(
            ModerationActionRow.action == str(Action.SILENCE),
            ModerationActionRow.target_kind == str(TargetKind.MEMBER),
            ModerationActionRow.target_id == target.id,
            ModerationActionRow.group_id == group.id,
        )
        .order_by(ModerationActionRow.id.desc())
        .limit(1)
    )
    if setter is None:
        return  # no record of who set it (older data): the group's leaders decide
    if setter.actor_id is None:
        raise PermissionDenied(ADMINS)
    their = await session.get(MembershipRow, (setter.actor_id, group.id))
    if their is None or their.role != GroupRole.LEADER:
        raise PermissionDenied(ADMINS)
