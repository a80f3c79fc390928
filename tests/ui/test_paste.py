"""A normal bracketed paste lands exactly once, in every text box (issue 8 §1).

Each test pastes, sends the way a member would, and reads back what was STORED.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual import events

from forum_tui.ui.screens.account import AccountScreen, AddKeyModal
from forum_tui.ui.screens.edit_post import EditPostScreen
from forum_tui.ui.screens.group import GroupScreen
from forum_tui.ui.screens.home import HomeScreen
from forum_tui.ui.screens.idea import IdeaScreen
from forum_tui.ui.screens.modals import ChangeStatusModal, RecordOutcomeModal, SupportModal
from forum_tui.ui.screens.new_idea import NewIdeaScreen
from forum_tui.ui.screens.new_thread import NewThreadScreen
from forum_tui.ui.screens.sign_up import SignUpScreen
from forum_tui.ui.screens.thread import ThreadScreen
from forum_tui.ui.widgets.composer import Composer
from forum_tui.ui.widgets.fields import Field
from tests.conftest import FakeClock
from tests.ui.conftest import PASSWORD, Forum
from tests.ui.keys_helpers import burst, until
from tests.ui.test_account import public_key
from tests.ui.test_boards import BoardForum, seed_boards
from tests.ui.test_keys import stored_posts

SIZE = (80, 24)
PASTED = "Simple pasted sentence."


def paste(app, text: str = PASTED) -> None:  # noqa: ANN001
    app.post_message(events.Paste(text))


async def focus(pilot, app, selector: str) -> None:  # noqa: ANN001
    box = app.screen.query_one(selector)
    box.focus()
    await until(pilot, lambda: app.focused is box)


@pytest.fixture
def boards(tmp_path: Path) -> BoardForum:
    return asyncio.run(seed_boards(f"sqlite+aiosqlite:///{tmp_path / 'forum.db'}", FakeClock()))


async def test_a_paste_into_a_reply_is_stored_once(forum: Forum) -> None:
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(ThreadScreen(forum.respite_thread))
        await until(pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen.view)
        burst(app, "r")
        paste(app)
        composer = app.screen.query_one("#composer", Composer)
        await until(pilot, lambda: composer.text)
        assert composer.text == PASTED
        burst(app, "ctrl+s")
        await until(pilot, lambda: composer.text == "" and not app.screen._sending)
    assert (await stored_posts(forum, forum.respite_thread))[-1] == PASTED


async def test_a_paste_into_a_new_threads_title_and_body_is_stored_once(forum: Forum) -> None:
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(GroupScreen(forum.corner))
        await until(pilot, lambda: isinstance(app.screen, GroupScreen))
        app.push_screen(NewThreadScreen(forum.corner))
        await until(pilot, lambda: isinstance(app.focused, Field))
        paste(app, "Pasted title")
        burst(app, "tab")
        paste(app)
        burst(app, "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen.view)
        view = app.screen.view
        assert view.thread.title == "Pasted title"
        thread_id = view.thread.id
    assert await stored_posts(forum, thread_id) == [PASTED]


async def test_a_paste_into_an_edit_is_stored_once(forum: Forum) -> None:
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(GroupScreen(forum.corner))
        await until(pilot, lambda: isinstance(app.screen, GroupScreen) and app.focused)
        burst(app, "enter")  # "Sleep", ann's own thread
        await until(pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen.view)
        thread_id = app.screen.thread_id
        burst(app, "e")
        await until(pilot, lambda: isinstance(app.screen, EditPostScreen))
        await until(pilot, lambda: isinstance(app.focused, Composer))
        paste(app, " " + PASTED)
        burst(app, "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ThreadScreen))
    assert await stored_posts(forum, thread_id) == [f"Three nights of no sleep again. {PASTED}"]


async def test_a_pasted_ssh_key_is_stored_once(forum: Forum, tmp_path: Path) -> None:
    key = public_key(tmp_path) + "\n"
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(AccountScreen())
        await until(pilot, lambda: isinstance(app.screen, AccountScreen))
        burst(app, "a")
        await until(pilot, lambda: isinstance(app.focused, Composer))
        paste(app, key)
        assert isinstance(app.screen, AddKeyModal)
        burst(app, "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen) and app.screen.keys)
        [stored] = app.screen.keys
    assert stored.comment == "ann@laptop"


async def test_pastes_into_the_sign_in_boxes_sign_in(forum: Forum) -> None:
    app = forum.app()
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.focused, Field))
        paste(app, "carer_ann")
        burst(app, "tab")
        paste(app, PASSWORD + "\nsecond line is not pasted into a one-line box")
        burst(app, "enter")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_a_paste_into_every_sign_up_box_lands_once(forum: Forum) -> None:
    app = forum.app()
    app._start_sign_up = True
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, SignUpScreen) and app.focused)
        for selector in ("#code", "#handle", "#password", "#password-again", "#public-key"):
            await focus(pilot, app, selector)
            paste(app, "\x1b[31mab\x1b[0mc")  # controls are cleaned on the way in
            box = app.screen.query_one(selector)

            def text(box=box) -> str:  # noqa: ANN001
                return box.text if isinstance(box, Composer) else box.value

            await until(pilot, text)
            assert text() == "abc"


async def test_a_pasted_idea_is_stored_once(boards: BoardForum) -> None:
    app = boards.app(boards.ann)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(NewIdeaScreen(boards.cmht))
        await until(pilot, lambda: isinstance(app.focused, Field))
        paste(app, "Parking permits for carers")
        await focus(pilot, app, "#composer")
        paste(app)
        burst(app, "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, IdeaScreen) and app.screen.view)
        idea_id = app.screen.idea_id
    db, services = await boards.services()
    view = await services.ideas.open_idea(boards.ann, idea_id)
    await db.dispose()
    assert (view.idea.title, view.idea.body) == ("Parking permits for carers", PASTED)


async def test_a_pasted_support_comment_is_stored_once(boards: BoardForum) -> None:
    app = boards.app(boards.ann)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(IdeaScreen(boards.evening))
        await until(pilot, lambda: isinstance(app.screen, IdeaScreen) and app.screen.view)
        burst(app, "s")
        await until(pilot, lambda: isinstance(app.screen, SupportModal) and app.focused)
        paste(app)
        burst(app, "enter")
        await until(pilot, lambda: isinstance(app.screen, IdeaScreen))
    db, services = await boards.services()
    view = await services.ideas.open_idea(boards.ann, boards.evening)
    await db.dispose()
    assert [s.comment for s in view.supports] == [PASTED]


async def test_a_pasted_staff_note_and_outcome_are_stored_once(boards: BoardForum) -> None:
    app = boards.app(boards.sam)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(IdeaScreen(boards.evening))
        await until(pilot, lambda: isinstance(app.screen, IdeaScreen) and app.screen.view)
        burst(app, "t")
        await until(pilot, lambda: isinstance(app.screen, ChangeStatusModal) and app.focused)
        burst(app, "enter")  # the first status offered, and on to the note
        await until(pilot, lambda: isinstance(app.focused, Composer))
        paste(app)
        burst(app, "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, IdeaScreen))
        await until(pilot, lambda: app.screen.view and app.screen.view.updates)
        burst(app, "o")
        await until(pilot, lambda: isinstance(app.screen, RecordOutcomeModal) and app.focused)
        paste(app, "Tuesday evening group")
        burst(app, "tab")
        paste(app, "Outcome: " + PASTED)
        burst(app, "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, IdeaScreen))
    db, services = await boards.services()
    view = await services.ideas.open_idea(boards.sam, boards.evening)
    await db.dispose()
    assert [u.note for u in view.updates] == [PASTED]
    assert [(o.title, o.description) for o in view.outcomes] == [
        ("Tuesday evening group", "Outcome: " + PASTED)
    ]


async def test_a_paste_posted_straight_to_a_box_lands_once(forum: Forum) -> None:
    """The boxes' own paste handlers (used when Textual hands a paste to the widget itself)
    replace Input's and TextArea's instead of running as well."""
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(NewThreadScreen(forum.corner))
        await until(pilot, lambda: isinstance(app.focused, Field))
        title = app.screen.query_one("#title", Field)
        body = app.screen.query_one("#composer", Composer)
        title.post_message(events.Paste("Pasted title\nnot this"))
        body.post_message(events.Paste(PASTED))
        await until(pilot, lambda: title.value and body.text)
        assert (title.value, body.text) == ("Pasted title", PASTED)
