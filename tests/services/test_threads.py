"""Threads and posts: who may write where, what is stored, paging, editing and drafts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from forum_tui.domain.enums import GroupRole, MemberState, Role, Visibility
from forum_tui.domain.errors import Conflict, NotFound, PermissionDenied, ValidationError
from forum_tui.domain.models import Group, Thread
from forum_tui.domain.text import BODY_MAX
from forum_tui.services import Services
from forum_tui.store.tables import MemberRow, MembershipRow, PostRow, ThreadRow
from tests.conftest import FakeClock, add_member


async def one_group(
    services: Services, *handles: str, leader: str | None = None, private: bool = False
) -> Group:
    """A group named "Sleep" with ``handles`` as members and ``leader`` as its leader."""
    visibility = Visibility.PRIVATE if private else Visibility.OPEN
    group = await services.groups.add_group("sleep", "Sleep", visibility=visibility)
    for handle in handles:
        await services.groups.add_to_group("sleep", handle)
    if leader:
        await services.groups.set_leader("sleep", leader)
    return group


async def thread_now(services: Services, member_id: int, thread_id: int) -> Thread:
    return (await services.threads.open_thread(member_id, thread_id)).thread


async def stored_bodies(services: Services, thread_id: int) -> list[str]:
    async with services.db.read() as session:
        return list(
            await session.scalars(
                select(PostRow.body).where(PostRow.thread_id == thread_id).order_by(PostRow.id)
            )
        )


# --- who may write where -------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize("group_role", [None, GroupRole.MEMBER, GroupRole.LEADER], ids=str)
async def test_who_may_start_a_thread_and_reply(
    services: Services, role: Role, group_role: GroupRole | None
) -> None:
    owner = await add_member(services, "owner")
    actor = await add_member(services, "actor-1", role=role)
    for slug, name, visibility in (
        ("sleep", "Sleep", Visibility.OPEN),
        ("dads", "Dads who care", Visibility.PRIVATE),
    ):
        group = await services.groups.add_group(slug, name, visibility=visibility)
        await services.groups.add_to_group(slug, "owner")
        if group_role is GroupRole.MEMBER:
            await services.groups.add_to_group(slug, "actor-1")
        elif group_role is GroupRole.LEADER:
            await services.groups.set_leader(slug, "actor-1")
        thread = await services.threads.start_thread(owner.id, group.id, "Night shifts", "Up?")

        if group_role is not None:
            started = await services.threads.start_thread(actor.id, group.id, "Mine", "Hello")
            assert started.author_handle == "actor-1"
            post = await services.threads.reply(actor.id, thread.id, "I am up too")
            assert post.author_handle == "actor-1"
            assert (await thread_now(services, owner.id, thread.id)).reply_count == 1
            continue

        if visibility is Visibility.PRIVATE and role is not Role.ADMIN:
            # An outsider cannot tell a private group from no group at all.
            with pytest.raises(NotFound):
                await services.threads.start_thread(actor.id, group.id, "Mine", "Hello")
            with pytest.raises(NotFound):
                await services.threads.reply(actor.id, thread.id, "I am up too")
        else:
            # An open group (or any group, to an admin) can be read, but writing needs joining.
            with pytest.raises(PermissionDenied, match=f"Join {name}"):
                await services.threads.start_thread(actor.id, group.id, "Mine", "Hello")
            with pytest.raises(PermissionDenied, match=f"Join {name}"):
                await services.threads.reply(actor.id, thread.id, "I am up too")
            view = await services.threads.open_thread(actor.id, thread.id)
            assert not view.can_reply
            assert f"Join {name}" in view.why_not
        page = await services.threads.list_threads(owner.id, group.id)
        assert [t.title for t in page.items] == ["Night shifts"]
        assert page.items[0].reply_count == 0


async def test_a_silenced_member_can_write_again_when_the_pause_ends(
    services: Services, clock: FakeClock
) -> None:
    ann = await add_member(services, "ann")
    group = await one_group(services, "ann")
    thread = await services.threads.start_thread(ann.id, group.id, "Night shifts", "Anyone up?")
    async with services.db.write() as session:
        await session.execute(
            update(MembershipRow)
            .where(MembershipRow.member_id == ann.id)
            .values(silenced_until=clock() + timedelta(hours=24))
        )

    with pytest.raises(PermissionDenied, match="paused"):
        await services.threads.reply(ann.id, thread.id, "Let me speak")
    with pytest.raises(PermissionDenied, match="paused"):
        await services.threads.start_thread(ann.id, group.id, "Another", "Let me speak")
    view = await services.threads.open_thread(ann.id, thread.id)
    assert not view.can_reply
    assert "paused" in view.why_not
    assert view.posts.items[0].body == "Anyone up?"  # still readable

    clock.advance(hours=24, minutes=1)
    await services.threads.reply(ann.id, thread.id, "Back again")
    await services.threads.start_thread(ann.id, group.id, "Another", "Back again")
    view = await services.threads.open_thread(ann.id, thread.id)
    assert view.can_reply
    assert view.why_not == ""
    assert view.thread.reply_count == 1


async def test_a_suspended_member_cannot_write_until_the_suspension_ends(
    services: Services, clock: FakeClock
) -> None:
    ann = await add_member(services, "ann")
    group = await one_group(services, "ann")
    thread = await services.threads.start_thread(ann.id, group.id, "Night shifts", "Anyone up?")
    async with services.db.write() as session:
        await session.execute(
            update(MemberRow)
            .where(MemberRow.id == ann.id)
            .values(state=str(MemberState.SUSPENDED), suspended_until=clock() + timedelta(days=2))
        )
    with pytest.raises(PermissionDenied, match="suspended"):
        await services.threads.reply(ann.id, thread.id, "Hello?")
    with pytest.raises(PermissionDenied, match="suspended"):
        await services.threads.start_thread(ann.id, group.id, "Another", "Hello?")
    clock.advance(days=2, minutes=1)
    await services.threads.reply(ann.id, thread.id, "Hello again")
    assert (await thread_now(services, ann.id, thread.id)).reply_count == 1


async def test_a_locked_thread_takes_no_replies_from_anyone(services: Services) -> None:
    ann = await add_member(services, "ann")
    bob = await add_member(services, "bob")
    lead = await add_member(services, "lead")
    group = await one_group(services, "ann", "bob", leader="lead")
    thread = await services.threads.start_thread(ann.id, group.id, "Night shifts", "Anyone up?")
    async with services.db.write() as session:
        await session.execute(
            update(ThreadRow).where(ThreadRow.id == thread.id).values(locked=True)
        )

    for member in (ann, bob, lead):
        with pytest.raises(PermissionDenied, match="locked"):
            await services.threads.reply(member.id, thread.id, "One more thing")
        view = await services.threads.open_thread(member.id, thread.id)
        assert view.thread.locked
        assert not view.can_reply
        assert "locked" in view.why_not
    assert (await thread_now(services, ann.id, thread.id)).reply_count == 0
    assert await stored_bodies(services, thread.id) == ["Anyone up?"]


# --- editing -------------------------------------------------------------------------------


async def test_editing_my_own_post(services: Services, clock: FakeClock) -> None:
    ann = await add_member(services, "ann")
    group = await one_group(services, "ann")
    thread = await services.threads.start_thread(ann.id, group.id, "Night shifts", "Anyone up?")
    post = (await services.threads.open_thread(ann.id, thread.id)).posts.items[0]
    assert post.edited_at is None
    assert post.version == 1

    edited_at = clock.advance(minutes=5)
    edited = await services.threads.edit_post(ann.id, post.id, "Anyone awake?", version=1)
    assert edited.body == "Anyone awake?"
    assert edited.edited_at == edited_at
    assert edited.version == 2
    reread = (await services.threads.open_thread(ann.id, thread.id)).posts.items[0]
    assert (reread.body, reread.edited_at, reread.version) == ("Anyone awake?", edited_at, 2)


async def test_nobody_edits_someone_elses_post(services: Services) -> None:
    ann = await add_member(services, "ann")
    bob = await add_member(services, "bob")
    group = await one_group(services, "ann", "bob")
    thread = await services.threads.start_thread(ann.id, group.id, "Night shifts", "Anyone up?")
    post = (await services.threads.open_thread(ann.id, thread.id)).posts.items[0]
    with pytest.raises(PermissionDenied, match="your own"):
        await services.threads.edit_post(bob.id, post.id, "Bob was here", version=1)
    reread = (await services.threads.open_thread(ann.id, thread.id)).posts.items[0]
    assert (reread.body, reread.edited_at, reread.version) == ("Anyone up?", None, 1)


async def test_an_edit_from_an_old_version_is_refused_not_lost(services: Services) -> None:
    ann = await add_member(services, "ann")
    group = await one_group(services, "ann")
    thread = await services.threads.start_thread(ann.id, group.id, "Night shifts", "Anyone up?")
    post = (await services.threads.open_thread(ann.id, thread.id)).posts.items[0]
    await services.threads.edit_post(ann.id, post.id, "Edited on the laptop", version=1)
    with pytest.raises(Conflict):
        await services.threads.edit_post(ann.id, post.id, "Edited on the phone", version=1)
    reread = (await services.threads.open_thread(ann.id, thread.id)).posts.items[0]
    assert (reread.body, reread.version) == ("Edited on the laptop", 2)


# --- what is stored ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "ok"),
    [("ab", False), ("abc", True), ("t" * 120, True), ("t" * 121, False), ("  ab  ", False)],
    ids=["2", "3", "120", "121", "2-padded"],
)
async def test_title_length(services: Services, title: str, ok: bool) -> None:
    ann = await add_member(services, "ann")
    group = await one_group(services, "ann")
    if ok:
        thread = await services.threads.start_thread(ann.id, group.id, title, "Body")
        assert (await thread_now(services, ann.id, thread.id)).title == title
    else:
        with pytest.raises(ValidationError, match="title"):
            await services.threads.start_thread(ann.id, group.id, title, "Body")
        assert (await services.threads.list_threads(ann.id, group.id)).items == ()


@pytest.mark.parametrize(
    ("body", "ok"),
    [("", False), (" \n\t ", False), ("\x00", False), ("b" * BODY_MAX, True)]
    + [("b" * (BODY_MAX + 1), False)],
    ids=["empty", "blank", "only-nul", "20000", "20001"],
)
async def test_body_length(services: Services, body: str, ok: bool) -> None:
    ann = await add_member(services, "ann")
    group = await one_group(services, "ann")
    thread = await services.threads.start_thread(ann.id, group.id, "Night shifts", "Anyone up?")
    if ok:
        await services.threads.reply(ann.id, thread.id, body)
        assert (await stored_bodies(services, thread.id))[-1] == body
        with pytest.raises(ValidationError):
            await services.threads.start_thread(ann.id, group.id, "Too long", body + "b")
    else:
        with pytest.raises(ValidationError, match="empty|characters"):
            await services.threads.reply(ann.id, thread.id, body)
        with pytest.raises(ValidationError, match="empty|characters"):
            await services.threads.start_thread(ann.id, group.id, "Another", body)
        assert await stored_bodies(services, thread.id) == ["Anyone up?"]
    assert len((await services.threads.list_threads(ann.id, group.id)).items) == 1


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("a\x1b[2Jb", "ab"),  # clear-screen escape
        ("before\x00after", "beforeafter"),  # NUL: PostgreSQL would refuse it outright
        ("line one\r\nline two\rline three", "line one\nline two\nline three"),
        ("[b]bold?[/b] \x07bell", "[b]bold?[/b] bell"),  # brackets kept, BEL dropped
    ],
    ids=["escape", "nul", "carriage-return", "bell"],
)
async def test_control_characters_are_stripped_before_storing(
    services: Services, typed: str, stored: str
) -> None:
    ann = await add_member(services, "ann")
    group = await one_group(services, "ann")
    thread = await services.threads.start_thread(ann.id, group.id, f"Title {typed}", typed)
    await services.threads.reply(ann.id, thread.id, typed)
    post = (await services.threads.open_thread(ann.id, thread.id)).posts.items[-1]
    assert post.body == stored
    assert await stored_bodies(services, thread.id) == [stored, stored]
    title = (await thread_now(services, ann.id, thread.id)).title
    assert "\x1b" not in title and "\x00" not in title and "\x07" not in title
    assert title.startswith("Title ")


async def test_each_reply_moves_the_count_and_the_last_activity(
    services: Services, clock: FakeClock
) -> None:
    ann = await add_member(services, "ann")
    bob = await add_member(services, "bob")
    group = await one_group(services, "ann", "bob")
    started_at = clock()
    thread = await services.threads.start_thread(ann.id, group.id, "Night shifts", "Anyone up?")
    assert (thread.reply_count, thread.last_post_at) == (0, started_at)
    for count in range(1, 4):
        replied_at = clock.advance(minutes=7)
        await services.threads.reply(bob.id, thread.id, f"Reply {count}")
        listed = (await services.threads.list_threads(ann.id, group.id)).items[0]
        assert (listed.reply_count, listed.last_post_at) == (count, replied_at)
        assert listed.created_at == started_at


async def test_a_retried_send_adds_one_post(services: Services, clock: FakeClock) -> None:
    ann = await add_member(services, "ann")
    bob = await add_member(services, "bob")
    group = await one_group(services, "ann", "bob")
    thread = await services.threads.start_thread(
        ann.id, group.id, "Night shifts", "Anyone up?", idempotency_key="t-1"
    )
    again = await services.threads.start_thread(
        ann.id, group.id, "Night shifts", "Anyone up?", idempotency_key="t-1"
    )
    assert again.id == thread.id
    assert len((await services.threads.list_threads(ann.id, group.id)).items) == 1

    first = await services.threads.reply(bob.id, thread.id, "Me too", idempotency_key="r-1")
    clock.advance(minutes=1)
    second = await services.threads.reply(bob.id, thread.id, "Me too", idempotency_key="r-1")
    assert second.id == first.id
    assert (await thread_now(services, ann.id, thread.id)).reply_count == 1
    assert await stored_bodies(services, thread.id) == ["Anyone up?", "Me too"]
    # The same key from someone else is their own send, not a retry of Bob's.
    await services.threads.reply(ann.id, thread.id, "Me three", idempotency_key="r-1")
    assert (await thread_now(services, ann.id, thread.id)).reply_count == 2


# --- paging --------------------------------------------------------------------------------


async def all_thread_pages(services: Services, member_id: int, group_id: int) -> list[list[Thread]]:
    pages: list[list[Thread]] = []
    after = None
    while True:
        page = await services.threads.list_threads(member_id, group_id, after=after, limit=30)
        pages.append(list(page.items))
        if page.after is None:
            return pages
        after = page.after
        assert len(pages) < 10, "paging does not end"


async def test_thread_list_pages_cover_every_thread_once(
    services: Services, clock: FakeClock
) -> None:
    ann = await add_member(services, "ann")
    group = await one_group(services, "ann")
    made: list[Thread] = []
    for number in range(75):
        if number % 3 == 0:  # pairs and triples share a time, so ties need the id to break them
            clock.advance(minutes=1)
        made.append(
            await services.threads.start_thread(ann.id, group.id, f"Thread {number}", "Body")
        )
    pinned = made[10]
    async with services.db.write() as session:
        await session.execute(
            update(ThreadRow).where(ThreadRow.id == pinned.id).values(pinned=True)
        )

    pages = await all_thread_pages(services, ann.id, group.id)
    assert [len(page) for page in pages] == [30, 30, 15]
    listed = [thread for page in pages for thread in page]
    assert sorted(t.id for t in listed) == sorted(t.id for t in made)
    assert listed[0].id == pinned.id and listed[0].pinned
    rest = listed[1:]
    assert not any(t.pinned for t in rest)
    assert rest == sorted(rest, key=lambda t: (t.last_post_at, t.id), reverse=True)
    # A page that ends on the pinned thread must lead on to the unpinned ones.
    after = None
    for expected in listed[:3]:
        page = await services.threads.list_threads(ann.id, group.id, after=after, limit=1)
        assert [t.id for t in page.items] == [expected.id]
        after = page.after

    clock.advance(minutes=5)
    oldest = made[0]
    await services.threads.reply(ann.id, oldest.id, "Bumping this")
    listed = [t for page in await all_thread_pages(services, ann.id, group.id) for t in page]
    assert [t.id for t in listed[:2]] == [pinned.id, oldest.id]
    assert len(listed) == 75 and len({t.id for t in listed}) == 75


async def test_posts_come_oldest_first_a_page_at_a_time(
    services: Services, clock: FakeClock
) -> None:
    ann = await add_member(services, "ann")
    bob = await add_member(services, "bob")
    group = await one_group(services, "ann", "bob")
    thread = await services.threads.start_thread(ann.id, group.id, "Long one", "post 0")
    for number in range(1, 60):
        clock.advance(seconds=30)
        await services.threads.reply(ann.id, thread.id, f"post {number}")

    first = await services.threads.open_thread(bob.id, thread.id, limit=50)
    assert [p.body for p in first.posts.items] == [f"post {n}" for n in range(50)]
    assert first.posts.after == first.posts.items[-1].id
    listed = (await services.threads.list_threads(bob.id, group.id)).items[0]
    assert listed.unread == 10  # only what was shown counts as read

    second = await services.threads.open_thread(
        bob.id, thread.id, after=first.posts.after, limit=50
    )
    assert [p.body for p in second.posts.items] == [f"post {n}" for n in range(50, 60)]
    assert second.posts.after is None
    listed = (await services.threads.list_threads(bob.id, group.id)).items[0]
    assert listed.unread == 0

    # Opening the first page again does not make the rest unread.
    await services.threads.open_thread(bob.id, thread.id, limit=50)
    assert (await services.threads.list_threads(bob.id, group.id)).items[0].unread == 0


# --- drafts --------------------------------------------------------------------------------


async def test_drafts_are_saved_listed_and_labelled(services: Services, clock: FakeClock) -> None:
    ann = await add_member(services, "ann")
    group = await one_group(services, "ann")
    thread = await services.threads.start_thread(ann.id, group.id, "Night shifts", "Anyone up?")

    await services.drafts.save_draft(ann.id, f"reply:{thread.id}", "half a thought")
    clock.advance(minutes=1)
    await services.drafts.save_draft(ann.id, f"thread:{group.id}", "the body", title="A title")

    draft = await services.drafts.get_draft(ann.id, f"reply:{thread.id}")
    assert draft is not None and draft.body == "half a thought"
    drafts = await services.drafts.list_drafts(ann.id)
    assert [(d.place, d.title, d.body) for d in drafts] == [
        (f"thread:{group.id}", "A title", "the body"),
        (f"reply:{thread.id}", "", "half a thought"),
    ]
    assert "Sleep" in drafts[0].label
    assert "Night shifts" in drafts[1].label

    clock.advance(minutes=1)
    await services.drafts.save_draft(ann.id, f"reply:{thread.id}", "a whole thought")
    drafts = await services.drafts.list_drafts(ann.id)
    assert [d.body for d in drafts] == ["a whole thought", "the body"]  # newest first


async def test_saving_an_empty_draft_deletes_it(services: Services) -> None:
    ann = await add_member(services, "ann")
    group = await one_group(services, "ann")
    await services.drafts.save_draft(ann.id, f"thread:{group.id}", "the body", title="A title")
    await services.drafts.save_draft(ann.id, f"thread:{group.id}", "  \n", title="")
    assert await services.drafts.get_draft(ann.id, f"thread:{group.id}") is None
    assert await services.drafts.list_drafts(ann.id) == []


async def test_sending_discards_the_draft_and_a_refused_send_keeps_it(
    services: Services,
) -> None:
    ann = await add_member(services, "ann")
    group = await one_group(services, "ann")
    await services.drafts.save_draft(ann.id, f"thread:{group.id}", "Anyone up?", title="Nights")
    thread = await services.threads.start_thread(ann.id, group.id, "Nights", "Anyone up?")
    assert await services.drafts.get_draft(ann.id, f"thread:{group.id}") is None

    place = f"reply:{thread.id}"
    await services.drafts.save_draft(ann.id, place, "Still awake")
    await services.threads.reply(ann.id, thread.id, "Still awake")
    assert await services.drafts.get_draft(ann.id, place) is None

    # The draft goes in the same transaction as the post: a reply that fails keeps it.
    await services.drafts.save_draft(ann.id, place, "One more thing")
    async with services.db.write() as session:
        await session.execute(
            update(ThreadRow).where(ThreadRow.id == thread.id).values(locked=True)
        )
    with pytest.raises(PermissionDenied):
        await services.threads.reply(ann.id, thread.id, "One more thing")
    kept = await services.drafts.get_draft(ann.id, place)
    assert kept is not None and kept.body == "One more thing"


async def test_a_draft_for_a_group_i_can_no_longer_see_is_not_listed(
    services: Services,
) -> None:
    ann = await add_member(services, "ann")
    lead = await add_member(services, "lead")
    group = await one_group(services, "ann", leader="lead", private=True)
    thread = await services.threads.start_thread(lead.id, group.id, "Welcome", "Hello")
    await services.drafts.save_draft(ann.id, f"reply:{thread.id}", "Thanks for having me")
    await services.drafts.save_draft(ann.id, f"thread:{group.id}", "An idea", title="Idea")
    assert len(await services.drafts.list_drafts(ann.id)) == 2

    await services.groups.leave_group(ann.id, group.id)
    assert await services.drafts.list_drafts(ann.id) == []


async def test_nobody_sees_anyone_elses_drafts(services: Services) -> None:
    ann = await add_member(services, "ann")
    bob = await add_member(services, "bob")
    group = await one_group(services, "ann", "bob")
    thread = await services.threads.start_thread(ann.id, group.id, "Night shifts", "Anyone up?")
    place = f"reply:{thread.id}"
    await services.drafts.save_draft(ann.id, place, "Ann's private words")
    assert await services.drafts.get_draft(bob.id, place) is None
    assert await services.drafts.list_drafts(bob.id) == []

    await services.drafts.save_draft(bob.id, place, "Bob's words")
    await services.threads.reply(bob.id, thread.id, "Bob's words")  # discards Bob's, not Ann's
    mine = await services.drafts.get_draft(ann.id, place)
    assert mine is not None and mine.body == "Ann's private words"
    assert [d.body for d in await services.drafts.list_drafts(ann.id)] == ["Ann's private words"]
