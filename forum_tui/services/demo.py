"""Seeds the demo forum from ``forum_tui.demo_content``, through the same services users use.

Running it again adds nothing: members, groups and threads, and boards with their ideas, that
already exist are skipped.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from forum_tui import demo_content
from forum_tui.domain.boards import IdeaStatus, InvolvementState, Recognition
from forum_tui.domain.enums import Role, Visibility
from forum_tui.domain.errors import NotFound, StoreError
from forum_tui.services import PostingLimits, Services, build_services
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
    """True when every demo group and board is there (seeding fills each as it makes it)."""
    try:
        for group in demo_content.GROUPS:
            await services.groups.find_group(group.slug)
        for board in demo_content.BOARDS:
            await services.boards.find_board(board.slug)
    except NotFound:
        return False
    return True


async def seed_demo(services: Services) -> int:
    """Creates the demo members, groups, threads and posts; returns the demo carer's id."""
    clock = _SeedClock(services)
    # Seeding writes weeks of posts in moments, as the operator: no flood limits apply.
    seeding = build_services(services.db, clock, limits=PostingLimits.off())
    ids: dict[str, int] = {}
    # Demo people have been members for months, so a visitor trying the demo is not held to a
    # brand-new member's first-day limits.
    clock.minutes_ago(120 * 24 * 60)
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
            found = await seeding.groups.find_group(group.slug)
        except NotFound:
            pass
        else:
            # An admin sees every group, private ones included.
            admin = next(p.handle for p in demo_content.MEMBERS if p.role == Role.ADMIN)
            made = await seeding.groups.get_group(ids[admin], found.id)
            _refuse_half_made(made.thread_count, len(group.threads), group.name, services)
            continue
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
    for board in demo_content.BOARDS:
        await _seed_board(seeding, clock, board, ids)
    return ids[demo_content.DEMO_CARER]


def _refuse_half_made(have: int, want: int, name: str, services: Services) -> None:
    """A first run stopped part way (Ctrl+C, a closed terminal) leaves a part-made group or
    board; seeding skips what exists, so it would stay part-made for ever. Say so instead."""
    if have < want:
        raise StoreError(
            f"The demo forum in {services.db.where} was only partly made ({name}: {have} of "
            f"{want}); its first run was interrupted. Delete it (or use an empty database) "
            "and run forum-tui demo again."
        )


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


async def _seed_board(
    seeding: Services, clock: _SeedClock, board: demo_content.DemoBoard, ids: dict[str, int]
) -> None:
    """A board, its staff, then every idea, support, update, outcome and involvement entry in
    the order they happened, so counts, notifications and credits come out as they would."""
    try:
        found = await seeding.boards.find_board(board.slug)
    except NotFound:
        pass
    else:
        made = await seeding.boards.get_board(ids[demo_content.DEMO_CARER], found.id)
        _refuse_half_made(made.idea_count, len(board.ideas), board.name, seeding)
        return
    clock.minutes_ago(max(idea.minutes_ago for idea in board.ideas) + 60)
    created = await seeding.boards.add_board(
        board.slug,
        board.name,
        description=board.description,
        response_window_days=board.response_window_days,
    )
    for handle in board.staff:
        await seeding.boards.add_staff(board.slug, handle)

    # (minutes ago, kind, order, what): oldest first; at one moment ideas before their supports,
    # supports before updates, updates before the outcomes and involvement that follow them.
    events: list[tuple[int, int, int, object]] = []
    for idea in board.ideas:
        events.append((idea.minutes_ago, 0, len(events), idea))
        events += [(s.minutes_ago, 1, len(events), (idea, s)) for s in idea.supports]
        events += [(u.minutes_ago, 2, len(events), (idea, u)) for u in idea.updates]
    for outcome in board.outcomes:
        events.append((outcome.days_ago * 24 * 60, 3, len(events), outcome))
    for entry in board.involvement:
        events.append((entry.days_ago * 24 * 60, 4, len(events), entry))

    idea_ids: dict[str, int] = {}
    for minutes_ago, kind, _order, what in sorted(events, key=lambda e: (-e[0], e[1], e[2])):
        clock.minutes_ago(minutes_ago)
        today = clock().date()
        match kind, what:
            case 0, demo_content.DemoIdea() as idea:
                added = await seeding.ideas.add_idea(
                    ids[idea.author], created.id, idea.title, idea.body
                )
                idea_ids[idea.title] = added.id
            case 1, (demo_content.DemoIdea() as idea, demo_content.DemoSupport() as support):
                await seeding.ideas.support_idea(
                    ids[support.member], idea_ids[idea.title], support.comment
                )
            case 2, (demo_content.DemoIdea() as idea, demo_content.DemoUpdate() as update):
                await seeding.ideas.change_status(
                    ids[update.staff],
                    idea_ids[idea.title],
                    IdeaStatus(update.status),
                    update.note,
                    duplicate_of=idea_ids[update.duplicate_of] if update.duplicate_of else None,
                )
            case 3, demo_content.DemoOutcome() as outcome:
                await seeding.outcomes.record_outcome(
                    ids[outcome.recorded_by],
                    created.id,
                    outcome.title,
                    outcome.description,
                    today,
                    [idea_ids[title] for title in outcome.ideas],
                    outcome.credit,
                )
            case 4, demo_content.DemoInvolvement() as entry:
                await seeding.involvement.log_involvement(
                    ids[entry.logged_by],
                    entry.member,
                    created.id,
                    today,
                    entry.activity,
                    entry.hours,
                    Recognition(entry.recognition),
                    InvolvementState(entry.state),
                )
