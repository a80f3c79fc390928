"""Consent before reuse (issue 13): a post becomes the start of an idea only by its author, or
with the author's recorded consent; the idea links back to the thread. Role by role, on SQLite
and PostgreSQL (the ``services`` fixture)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from forum_tui.domain.boards import NotificationKind
from forum_tui.domain.enums import Visibility
from forum_tui.domain.errors import NotFound, PermissionDenied, ValidationError
from forum_tui.domain.models import Member
from forum_tui.domain.moderation import TargetKind
from forum_tui.domain.reuse import ReuseStatus
from forum_tui.services import Services
from forum_tui.services.privacy import REMOVED_TITLE
from forum_tui.store.reuse_tables import PostReuseRow
from tests.conftest import FakeClock, add_member
from tests.services.board_world import World, make_world

POST = "Could the clinic phone the evening before an appointment? We forget with everything."
TITLE = "A reminder call the evening before"


@dataclass
class Reuse:
    w: World
    lee: Member  # leader of Carers' Corner (the post's group)
    lou: Member  # leader of Night owls, not in Carers' Corner
    group_id: int
    thread_id: int
    post_id: int  # ann's opening post, in a private group

    def by_role(self, role: str) -> Member:
        return {
            "author": self.w.ann,
            "carer in the group": self.w.bev,
            "carer outside the group": self.w.cal,
            "leader of this group": self.lee,
            "leader of another group": self.lou,
        }.get(role) or self.w.by_role(role)


@pytest.fixture
async def r(services: Services, clock: FakeClock) -> Reuse:
    w = await make_world(services, clock)
    corner = await services.groups.add_group(
        "corner", "Carers' Corner", visibility=Visibility.PRIVATE
    )
    await services.groups.add_group("owls", "Night owls")
    for handle in ("ann", "bev", "dev"):
        await services.groups.add_to_group("corner", handle)
    lee = await add_member(services, "lee")
    lou = await add_member(services, "lou")
    await services.groups.set_leader("corner", "lee")
    await services.groups.set_leader("owls", "lou")
    thread = await services.threads.start_thread(w.ann.id, corner.id, "Appointments", POST)
    view = await services.threads.open_thread(w.ann.id, thread.id)
    return Reuse(w, lee, lou, corner.id, thread.id, view.posts.items[0].id)


async def ideas_on_board(r: Reuse) -> list[str]:
    page = await r.w.s.ideas.list_ideas(r.w.ann.id, r.w.cmht.id)
    return [i.title for i in page.items]


async def notifications(s: Services, member: Member, kind: NotificationKind) -> list:  # noqa: ANN401
    return [n for n in await s.notifications.list_notifications(member.id) if n.kind is kind]


async def test_the_author_suggests_their_own_post_and_the_idea_links_back(r: Reuse) -> None:
    s = r.w.s
    done = await s.reuse.suggest_idea(r.w.ann.id, r.post_id, r.w.cmht.id, TITLE)
    assert done.status is ReuseStatus.ACCEPTED and done.idea_id is not None
    view = await s.ideas.open_idea(r.w.ann.id, done.idea_id)
    assert (view.idea.title, view.idea.body, view.idea.author_handle) == (TITLE, POST, "ann")
    source = await s.reuse.idea_source(r.w.ann.id, done.idea_id)
    assert source is not None
    assert (source.thread_id, source.post_id) == (r.thread_id, r.post_id)
    assert (source.thread_title, source.group_name) == ("Appointments", "Carers' Corner")
    # Someone who cannot read the private group sees the idea but not where it came from.
    assert await s.reuse.idea_source(r.w.sam.id, done.idea_id) is None
    with pytest.raises(ValidationError, match="already the start of an idea"):
        await s.reuse.suggest_idea(r.w.bev.id, r.post_id, r.w.cmht.id, "Again")


async def test_someone_else_asks_the_author_accepts_and_is_credited(r: Reuse) -> None:
    s = r.w.s
    asked = await s.reuse.suggest_idea(r.w.bev.id, r.post_id, r.w.cmht.id, TITLE)
    assert asked.status is ReuseStatus.PENDING and asked.idea_id is None
    assert await ideas_on_board(r) == []  # pending: no idea
    (note,) = await notifications(s, r.w.ann, NotificationKind.REUSE_REQUEST)
    assert "bev asks to make your post" in note.text and note.post_id == r.post_id
    request = await s.reuse.request_for_post(r.w.ann.id, r.post_id)
    assert (request.id, request.asked_by_handle, request.post_body) == (asked.id, "bev", POST)

    answered = await s.reuse.answer(r.w.ann.id, asked.id, accept=True)
    assert answered.status is ReuseStatus.ACCEPTED and answered.idea_id is not None
    idea = (await s.ideas.open_idea(r.w.bev.id, answered.idea_id)).idea
    assert (idea.title, idea.body, idea.author_handle, idea.board_id) == (
        TITLE,
        POST,
        "ann",
        r.w.cmht.id,
    )
    mine = await s.contributions.my_contributions(r.w.ann.id)
    assert [i.id for i in mine.my_ideas] == [idea.id]
    (told,) = await notifications(s, r.w.bev, NotificationKind.REUSE_ANSWER)
    assert "agreed" in told.text and told.idea_id == idea.id
    assert (await notifications(s, r.w.ann, NotificationKind.REUSE_REQUEST))[0].read
    source = await s.reuse.idea_source(r.w.bev.id, idea.id)
    assert source is not None and source.post_id == r.post_id
    with pytest.raises(ValidationError, match="already answered"):
        await s.reuse.answer(r.w.ann.id, asked.id, accept=False)


async def test_declined_means_no_idea_and_the_asker_is_told(r: Reuse) -> None:
    s = r.w.s
    asked = await s.reuse.suggest_idea(r.w.bev.id, r.post_id, r.w.cmht.id, TITLE)
    with pytest.raises(ValidationError, match="waits for their answer"):
        await s.reuse.suggest_idea(r.lee.id, r.post_id, r.w.cmht.id, "Another title")
    answered = await s.reuse.answer(r.w.ann.id, asked.id, accept=False)
    assert answered.status is ReuseStatus.DECLINED and answered.idea_id is None
    assert await ideas_on_board(r) == []
    (told,) = await notifications(s, r.w.bev, NotificationKind.REUSE_ANSWER)
    assert "rather their post did not become an idea" in told.text and told.idea_id is None
    # Once declined, someone may ask again; the author is asked again.
    again = await s.reuse.suggest_idea(r.lee.id, r.post_id, r.w.ward.id, "Another title")
    assert again.status is ReuseStatus.PENDING


ASKERS = (
    "author",
    "carer in the group",
    "carer outside the group",
    "leader of this group",
    "leader of another group",
    "volunteer",
    "staff of this board",
    "staff of another board",
    "admin",
)
# Who can read the post (a private group: its members, and admins) may ask.
MAY_ASK = {"carer in the group", "leader of this group", "volunteer", "admin"}


@pytest.mark.parametrize("role", ASKERS)
async def test_who_may_suggest_a_post_as_an_idea(r: Reuse, role: str) -> None:
    actor = r.by_role(role)
    if role == "author":
        done = await r.w.s.reuse.suggest_idea(actor.id, r.post_id, r.w.cmht.id, TITLE)
        assert done.status is ReuseStatus.ACCEPTED
        assert await ideas_on_board(r) == [TITLE]
    elif role in MAY_ASK:
        done = await r.w.s.reuse.suggest_idea(actor.id, r.post_id, r.w.cmht.id, TITLE)
        assert done.status is ReuseStatus.PENDING
        assert await ideas_on_board(r) == []
    else:
        with pytest.raises(NotFound, match="cannot read it"):
            await r.w.s.reuse.suggest_idea(actor.id, r.post_id, r.w.cmht.id, TITLE)
        async with r.w.s.db.read() as session:
            assert (await session.scalars(select(PostReuseRow))).all() == []


@pytest.mark.parametrize("role", ASKERS)
async def test_only_the_author_may_answer(r: Reuse, role: str) -> None:
    asked = await r.w.s.reuse.suggest_idea(r.w.admin.id, r.post_id, r.w.cmht.id, TITLE)
    actor = r.by_role(role)
    if role == "author":
        assert (await r.w.s.reuse.answer(actor.id, asked.id, True)).idea_id is not None
    else:
        with pytest.raises(PermissionDenied, match="Only the post's author"):
            await r.w.s.reuse.answer(actor.id, asked.id, True)
        with pytest.raises(NotFound):
            await r.w.s.reuse.request_for_post(actor.id, r.post_id)
        assert await ideas_on_board(r) == []


async def test_staff_may_ask_about_a_post_in_an_open_group(r: Reuse) -> None:
    s = r.w.s
    group = await s.groups.add_group("open", "Open door")
    await s.groups.add_to_group("open", "cal")
    thread = await s.threads.start_thread(r.w.cal.id, group.id, "Parking", "More parking please")
    post = (await s.threads.open_thread(r.w.cal.id, thread.id)).posts.items[0]
    asked = await s.reuse.suggest_idea(r.w.sam.id, post.id, r.w.cmht.id, "More parking")
    assert asked.status is ReuseStatus.PENDING


async def test_hidden_posts_bad_titles_and_missing_posts_are_refused(r: Reuse) -> None:
    s = r.w.s
    with pytest.raises(ValidationError, match="title"):
        await s.reuse.suggest_idea(r.w.bev.id, r.post_id, r.w.cmht.id, "x")
    await s.moderation.hide(r.lee.id, TargetKind.POST, r.post_id, "resting it")
    with pytest.raises(ValidationError, match="hidden post"):
        await s.reuse.suggest_idea(r.w.ann.id, r.post_id, r.w.cmht.id, TITLE)
    with pytest.raises(NotFound):
        await s.reuse.suggest_idea(r.w.bev.id, 10**9, r.w.cmht.id, TITLE)


async def test_a_post_hidden_while_the_request_waits_does_not_become_an_idea(r: Reuse) -> None:
    s = r.w.s
    asked = await s.reuse.suggest_idea(r.w.bev.id, r.post_id, r.w.cmht.id, TITLE)
    await s.moderation.hide(r.lee.id, TargetKind.POST, r.post_id, "resting it")
    with pytest.raises(ValidationError, match="hidden since"):
        await s.reuse.answer(r.w.ann.id, asked.id, accept=True)
    assert await ideas_on_board(r) == []
    assert (await s.reuse.answer(r.w.ann.id, asked.id, accept=False)).idea_id is None


async def test_erasure_drops_pending_requests_and_keeps_the_ideas_link(r: Reuse) -> None:
    s = r.w.s
    mine = await s.reuse.suggest_idea(r.w.ann.id, r.post_id, r.w.cmht.id, TITLE)
    reply = await s.threads.reply(r.w.bev.id, r.thread_id, "Bev's own reply about parking")
    await s.reuse.suggest_idea(r.w.ann.id, reply.id, r.w.cmht.id, "Parking for carers")
    data = await s.privacy.export_member(None, "ann")
    assert {row["title"] for row in data["tables"]["post_reuses"]} == {TITLE, "Parking for carers"}
    await s.privacy.erase_member(None, "ann")
    async with s.db.read() as session:
        rows = (await session.scalars(select(PostReuseRow))).all()
    assert [(row.idea_id, row.title, row.status) for row in rows] == [
        (mine.idea_id, REMOVED_TITLE, "accepted")
    ]
