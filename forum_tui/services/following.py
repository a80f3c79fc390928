"""Following: replies and mentions that notify, following threads and ideas, and each member's
choice per kind of notification (in the app, or off).

Who is told about a new post, in the posting transaction (``notify_post``):

* **mention** — each ``@handle`` in the post, if that member can read the thread (a private
  group's members and admins only), is not the author and is not erased. Unknown handles, and
  members who cannot see the thread, stay plain text: nobody learns that a private thread exists.
* **reply** — everyone who started or replied in the thread, unless they unfollowed it.
* **followed** — everyone who follows the thread without having posted in it. An idea's
  followers are told of its status changes the same way (``notify_idea_followers``).

A member is told once per post (a mention wins over a reply), never about their own post, and
only while they can still read the group: someone who left a private group hears nothing more.
The text names the thread, never who wrote the post nor what it says: a member's data export
then holds nothing of other members (the post itself shows its author when opened).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_tui.domain.boards import NotificationKind
from forum_tui.domain.enums import MemberState, Role, Visibility
from forum_tui.domain.errors import NotFound, ValidationError
from forum_tui.domain.search import mentioned_handles
from forum_tui.domain.text import handle_key
from forum_tui.services._boards_common import quoted
from forum_tui.services._common import Service, load_member
from forum_tui.services.changes import announce
from forum_tui.store.board_tables import IdeaRow, NotificationRow
from forum_tui.store.follow_tables import IdeaFollowRow, NotificationSettingRow, ThreadFollowRow
from forum_tui.store.queries import upsert
from forum_tui.store.tables import GroupRow, MemberRow, MembershipRow, PostRow, ThreadRow

APP, OFF = "app", "off"
# The kinds a member may turn off. Moderation and crisis notices to leaders stay on: they are
# how a leader learns that someone may be at risk.
CHOOSABLE = (
    NotificationKind.REPLY,
    NotificationKind.MENTION,
    NotificationKind.FOLLOWED,
    NotificationKind.IDEA_STATUS,
    NotificationKind.OUTCOME_CREDIT,
    NotificationKind.REPORT_RESOLVED,
)


def member_topic(member_id: int) -> str:
    """Live-update topic: this member has a new notification."""
    return f"member:{member_id}"


async def turned_off(session: AsyncSession, member_ids: Iterable[int], kind: str) -> set[int]:
    ids = list(set(member_ids))
    if not ids:
        return set()
    return set(
        await session.scalars(
            select(NotificationSettingRow.member_id).where(
                NotificationSettingRow.member_id.in_(ids),
                NotificationSettingRow.kind == kind,
                NotificationSettingRow.delivery == OFF,
            )
        )
    )


async def deliver(
    session: AsyncSession,
    member_ids: Iterable[int],
    kind: NotificationKind,
    text: str,
    now: datetime,
    **target: int | None,
) -> list[int]:
    """Adds the notification for each member who has not turned ``kind`` off, in the caller's
    transaction, and tells their open sessions. Returns who was notified."""
    ids = set(member_ids)
    ids -= await turned_off(session, ids, str(kind))
    for member_id in sorted(ids):
        session.add(
            NotificationRow(
                member_id=member_id, kind=str(kind), text=text, created_at=now, **target
            )
        )
    if ids:
        await announce(session, *(member_topic(m) for m in sorted(ids)))
    return sorted(ids)


async def _readers(session: AsyncSession, group: GroupRow, member_ids: Iterable[int]) -> set[int]:
    """Those of ``member_ids`` who can read the group (and are not erased)."""
    ids = list(set(member_ids))
    if not ids:
        return set()
    rows = await session.execute(
        select(MemberRow.id, MemberRow.role, MembershipRow.group_id)
        .outerjoin(
            MembershipRow,
            (MembershipRow.member_id == MemberRow.id) & (MembershipRow.group_id == group.id),
        )
        .where(MemberRow.id.in_(ids), MemberRow.state != MemberState.ERASED)
    )
    return {
        member_id
        for member_id, role, in_group in rows
        if group.visibility == Visibility.OPEN or in_group is not None or role == Role.ADMIN
    }


async def _mentioned(session: AsyncSession, body: str) -> dict[int, str]:
    keys = {handle_key(h): h for h in mentioned_handles(body)}
    if not keys:
        return {}
    rows = await session.execute(
        select(MemberRow.id, MemberRow.handle).where(MemberRow.handle_key.in_(list(keys)))
    )
    return dict(rows.all())


async def notify_post(
    session: AsyncSession,
    *,
    thread: ThreadRow,
    group: GroupRow,
    post: PostRow,
    author: MemberRow,
    now: datetime,
) -> None:
    """Mentions, replies and followed-thread notices for a new post (module docstring)."""
    place = f"{quoted(thread.title)} in {group.name}"
    target = {"thread_id": thread.id, "post_id": post.id}
    mentioned = set(await _mentioned(session, post.body)) - {author.id}
    mentioned &= await _readers(session, group, mentioned)
    told = set(
        await deliver(
            session,
            mentioned,
            NotificationKind.MENTION,
            f"You were mentioned in {place}.",
            now,
            **target,
        )
    )
    choices = dict(
        (
            await session.execute(
                select(ThreadFollowRow.member_id, ThreadFollowRow.following).where(
                    ThreadFollowRow.thread_id == thread.id
                )
            )
        ).all()
    )
    posters = set(
        await session.scalars(
            select(PostRow.author_id)
            .distinct()
            .where(PostRow.thread_id == thread.id, PostRow.id != post.id)
        )
    )
    posters.add(thread.author_id)
    followers = {m for m, following in choices.items() if following} - posters
    posters = {m for m in posters if choices.get(m, True)}
    skip = mentioned | {author.id}
    readers = await _readers(session, group, (posters | followers) - skip)
    await deliver(
        session,
        (posters - skip) & readers,
        NotificationKind.REPLY,
        f"New reply in {place}.",
        now,
        **target,
    )
    await deliver(
        session,
        (followers - skip - told) & readers,
        NotificationKind.FOLLOWED,
        f"New reply in {place}, which you follow.",
        now,
        **target,
    )


async def notify_idea_followers(
    session: AsyncSession, idea: IdeaRow, text: str, now: datetime, *, skip: Iterable[int]
) -> None:
    """An idea's followers (other than ``skip``: the staff member, author and supporters, who
    are told already) hear of its status change."""
    followers = set(
        await session.scalars(
            select(IdeaFollowRow.member_id).where(
                IdeaFollowRow.idea_id == idea.id, IdeaFollowRow.following.is_(True)
            )
        )
    )
    await deliver(
        session, followers - set(skip), NotificationKind.FOLLOWED, text, now, idea_id=idea.id
    )


class FollowService(Service):
    async def follow_thread(self, member_id: int, thread_id: int, following: bool) -> bool:
        """Follows (or stops following) a thread the member can read. Returns ``following``.

        Unfollowing a thread one posted in stops its reply notifications too.
        """
        from forum_tui.services.threads import ThreadService

        async with self.db.write() as session:
            member = await load_member(session, member_id)
            thread, _, _ = await ThreadService._visible_thread(session, member, thread_id)
            await upsert(
                session,
                ThreadFollowRow.__table__,
                {
                    "member_id": member.id,
                    "thread_id": thread.id,
                    "following": following,
                    "changed_at": self.now(),
                },
                keys=["member_id", "thread_id"],
            )
        return following

    async def follows_thread(self, member_id: int, thread_id: int) -> bool:
        """Whether the member hears of new posts in the thread: their choice if they made one,
        otherwise whether they posted in it."""
        async with self.db.read() as session:
            choice = await session.scalar(
                select(ThreadFollowRow.following).where(
                    ThreadFollowRow.member_id == member_id, ThreadFollowRow.thread_id == thread_id
                )
            )
            if choice is not None:
                return choice
            posted = await session.scalar(
                select(PostRow.id)
                .where(PostRow.thread_id == thread_id, PostRow.author_id == member_id)
                .limit(1)
            )
            return posted is not None

    async def follow_idea(self, member_id: int, idea_id: int, following: bool) -> bool:
        """Follows (or stops following) an idea's status changes. Any member, any idea."""
        async with self.db.write() as session:
            member = await load_member(session, member_id)
            if await session.get(IdeaRow, idea_id) is None:
                raise NotFound("There is no such idea.")
            await upsert(
                session,
                IdeaFollowRow.__table__,
                {
                    "member_id": member.id,
                    "idea_id": idea_id,
                    "following": following,
                    "changed_at": self.now(),
                },
                keys=["member_id", "idea_id"],
            )
        return following

    async def follows_idea(self, member_id: int, idea_id: int) -> bool:
        async with self.db.read() as session:
            return bool(
                await session.scalar(
                    select(IdeaFollowRow.following).where(
                        IdeaFollowRow.member_id == member_id, IdeaFollowRow.idea_id == idea_id
                    )
                )
            )

    async def notification_choices(self, member_id: int) -> dict[NotificationKind, str]:
        """The member's delivery (``app`` or ``off``) for each kind they may choose."""
        async with self.db.read() as session:
            member = await load_member(session, member_id)
            chosen = dict(
                (
                    await session.execute(
                        select(NotificationSettingRow.kind, NotificationSettingRow.delivery).where(
                            NotificationSettingRow.member_id == member.id
                        )
                    )
                ).all()
            )
        return {kind: chosen.get(str(kind), APP) for kind in CHOOSABLE}

    async def set_notification_choice(
        self, member_id: int, kind: NotificationKind, delivery: str
    ) -> None:
        """Sets how the member gets one kind of notification: ``app`` or ``off``. Refuses the
        kinds that always stay on (see CHOOSABLE) and any other delivery."""
        if kind not in CHOOSABLE:
            raise ValidationError("That kind of notification cannot be turned off.")
        if delivery not in (APP, OFF):
            raise ValidationError("Choose 'app' or 'off'.")
        async with self.db.write() as session:
            member = await load_member(session, member_id)
            await upsert(
                session,
                NotificationSettingRow.__table__,
                {"member_id": member.id, "kind": str(kind), "delivery": delivery},
                keys=["member_id", "kind"],
            )


__all__ = [
    "APP",
    "CHOOSABLE",
    "OFF",
    "FollowService",
    "deliver",
    "member_topic",
    "notify_idea_followers",
    "notify_post",
    "turned_off",
]
