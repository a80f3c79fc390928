"""Consent before reuse in the app (issue 13): "i" on someone else's post asks its author; the
author opens the notification and says yes (an idea, linked back to the thread) or no (none)."""

from __future__ import annotations

from sqlalchemy import select

from forum_tui.domain.reuse import ReuseStatus
from forum_tui.services import build_services
from forum_tui.store.board_tables import IdeaRow
from forum_tui.store.database import Database
from forum_tui.store.reuse_tables import PostReuseRow
from forum_tui.ui.screens.home import HomeScreen
from forum_tui.ui.screens.idea import IdeaScreen
from forum_tui.ui.screens.notifications import NotificationsScreen
from forum_tui.ui.screens.reuse import ReuseAnswerModal, SuggestIdeaModal
from forum_tui.ui.screens.thread import ThreadScreen
from forum_tui.ui.widgets.post import PostView
from tests.ui.conftest import Forum
from tests.ui.test_journeys import SIZE, settle, texts

ANNS_REPLY = "We had a week at my sister's. It helped."
TITLE = "Respite at a relative's"


async def setup(forum: Forum) -> int:
    """A board to suggest on; returns the id of Ann's reply in the respite thread."""
    db = Database(forum.url)
    s = build_services(db, forum.clock)
    await s.boards.add_board("cmht", "Community mental health team")
    view = await s.threads.open_thread(forum.ann, forum.respite_thread)
    await db.dispose()
    return next(p.id for p in view.posts.items if p.body == ANNS_REPLY)


async def stored(forum: Forum) -> tuple[list[PostReuseRow], list[IdeaRow]]:
    db = Database(forum.url)
    async with db.read() as session:
        found = (
            list((await session.scalars(select(PostReuseRow))).all()),
            list((await session.scalars(select(IdeaRow))).all()),
        )
    await db.dispose()
    return found


async def bob_asks(forum: Forum, post_id: int, title: str) -> str:
    """Bob opens the thread at Ann's reply, presses i, chooses the board and types a title.
    Returns what the screen shows afterwards, with the messages shown as toasts."""
    app = forum.app(forum.bob)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.push_screen(ThreadScreen(forum.respite_thread, at_post=post_id))
        await settle(pilot, app)
        focused = app.screen.focused
        assert isinstance(focused, PostView) and focused.post.id == post_id
        assert "Suggest as idea" in texts(app)  # in the footer
        await pilot.press("i")
        await settle(pilot, app)
        assert isinstance(app.screen, SuggestIdeaModal)
        assert "We will ask them first" in texts(app)
        await pilot.press("enter")  # the first board
        await pilot.press(*title, "enter")
        await settle(pilot, app)
        return texts(app) + " ".join(toast.message for toast in app._notifications)


async def ann_answers(forum: Forum, yes: bool) -> None:
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("o")
        await settle(pilot, app)
        assert isinstance(app.screen, NotificationsScreen)
        assert "bob_leads asks to make your post" in texts(app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ReuseAnswerModal)
        assert "May your post become an idea?" in texts(app)
        if yes:
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot, app)
        assert not isinstance(app.screen, ReuseAnswerModal)


async def test_asked_accepted_and_the_idea_opens_the_thread_at_the_post(forum: Forum) -> None:
    post_id = await setup(forum)
    shown = await bob_asks(forum, post_id, TITLE)
    assert "Asked carer_ann" in shown
    (request,), ideas = await stored(forum)
    assert (request.status, ideas) == (ReuseStatus.PENDING, [])

    await ann_answers(forum, yes=True)
    (request,), (idea,) = await stored(forum)
    assert request.status == ReuseStatus.ACCEPTED and request.idea_id == idea.id
    assert (idea.title, idea.body, idea.author_id) == (TITLE, ANNS_REPLY, forum.ann)

    app = forum.app(forum.bob)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.push_screen(IdeaScreen(idea.id))
        await settle(pilot, app)
        assert "Started from a post in “Respite - does it exist?”" in texts(app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ThreadScreen)
        focused = app.screen.focused
        assert isinstance(focused, PostView) and focused.post.id == post_id


async def test_declined_is_the_default_and_makes_no_idea(forum: Forum) -> None:
    post_id = await setup(forum)
    await bob_asks(forum, post_id, TITLE)
    await ann_answers(forum, yes=False)
    (request,), ideas = await stored(forum)
    assert (request.status, ideas) == (ReuseStatus.DECLINED, [])


async def test_a_refused_suggestion_is_explained_and_keeps_the_dialog(forum: Forum) -> None:
    post_id = await setup(forum)
    shown = await bob_asks(forum, post_id, "x")  # too short for a title
    assert "A title needs 3 to 120 characters" in shown
    assert await stored(forum) == ([], [])


async def test_at_60x20_the_key_is_in_help_and_works(forum: Forum) -> None:
    post_id = await setup(forum)
    app = forum.app(forum.bob)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot, app)
        app.push_screen(ThreadScreen(forum.respite_thread, at_post=post_id))
        await settle(pilot, app)
        shown = texts(app)
        assert "Suggest as idea" not in shown  # the footer keeps its room for the rest
        await pilot.press("f1")
        await settle(pilot, app)
        assert "Suggest as idea" in texts(app)
        await pilot.press("escape")
        await settle(pilot, app)
        await pilot.press("i")
        await settle(pilot, app)
        assert isinstance(app.screen, SuggestIdeaModal)
