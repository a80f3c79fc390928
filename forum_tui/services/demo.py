"""Seeds the demo forum from ``forum_tui.demo_content``, through the same services users use.

Running it again adds nothing: members, groups and threads that already exist are skipped.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from forum_tui import demo_content
from forum_tui.domain.enums import Role, Visibility
from forum_tui.domain.errors import NotFound
from forum_tui.services import Services, build_services
from forum_tui.services.threads import ThreadService
from forum_tui.store.tables import ThreadRow


class _SeedClock:
    """Lets each demo post carry its own age, relative to when the demo was made."""

    def __init__(self, services: Services) -> None:
        self.base = services.groups.now()
        self.current = self.base

    def __call__(self):  # noqa: ANN204 - a Clock
        return self.current

    def minutes_ago(self, minutes: int) -> None:
        self.current = self.base - timedelta(minutes=minutes)


async def demo_is_seeded(services: Services) -> bool:
    """True when every demo group is there (the last thing seeding creates is in them)."""
    for group in demo_content.GROUPS:
        try:
            await services.groups.find_group(group.slug)
        except NotFound:
            return False
    return True


async def seed_demo(services: Services) -> int:
    """Creates the demo members, groups, threads and posts; returns the demo carer's id."""
    clock = _SeedClock(services)
    seeding = build_services(services.db, clock)
    ids: dict[str, int] = {}
    for person in demo_content.MEMBERS:
        try:
            member = await seeding.accounts.find_member(person.handle)
        except NotFound:
            member = await seeding.accounts.add_member(
                person.handle,
                password=demo_content.DEMO_PASSWORD,
                role=Role(person.role),
                display_name=person.display_name,
                allow_reserved=True,
            )
        ids[person.handle] = member.id

    for group in demo_content.GROUPS:
        try:
            await seeding.groups.find_group(group.slug)
            continue
        except NotFound:
            pass
        clock.minutes_ago(max(t.posts[0].minutes_ago for t in group.threads) + 60)
        created = await seeding.groups.add_group(
            group.slug,
            group.name,
            description=group.description,
            visibility=Visibility(group.visibility),
        )
        await seeding.groups.set_leader(group.slug, group.leader)
        for handle in group.members:
            if handle != group.leader:
                await seeding.groups.add_to_group(group.slug, handle)
        threads = sorted(group.threads, key=lambda t: -t.posts[0].minutes_ago)
        for thread in threads:
            await _seed_thread(seeding.threads, clock, created.id, thread, ids)
    return ids[demo_content.DEMO_CARER]


async def _seed_thread(
    threads: ThreadService,
    clock: _SeedClock,
    group_id: int,
    thread: demo_content.DemoThread,
    ids: dict[str, int],
) -> None:
    opening, *replies = thread.posts
    clock.minutes_ago(opening.minutes_ago)
    started = await threads.start_thread(ids[opening.author], group_id, thread.title, opening.body)
    for post in replies:
        clock.minutes_ago(post.minutes_ago)
        await threads.reply(ids[post.author], started.id, post.body)
    if thread.pinned or thread.locked:
        # Leader tools arrive with moderation; the demo sets the flags directly meanwhile.
        async with threads.db.write() as session:
            row = (
                await session.execute(select(ThreadRow).where(ThreadRow.id == started.id))
            ).scalar_one()
            row.pinned = thread.pinned
            row.locked = thread.locked
