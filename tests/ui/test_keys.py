"""Keys that arrive together are applied in arrival order (issue 8 §2), in every text box."""

from __future__ import annotations

import ast
from pathlib import Path

from forum_tui.services import build_services
from forum_tui.store.database import Database
from forum_tui.ui.screens.group import GroupScreen
from forum_tui.ui.screens.home import HomeScreen
from forum_tui.ui.screens.sign_in import SignInScreen
from forum_tui.ui.screens.thread import ThreadScreen
from forum_tui.ui.widgets.composer import Composer
from forum_tui.ui.widgets.fields import Field
from tests.ui.conftest import PASSWORD, Forum
from tests.ui.keys_helpers import burst, until

SIZE = (80, 24)


async def stored_posts(forum: Forum, thread_id: int) -> list[str]:
    db = Database(forum.url)
    try:
        view = await build_services(db, forum.clock).threads.open_thread(forum.ann, thread_id)
    finally:
        await db.dispose()
    return [post.body for post in view.posts.items]


async def test_a_backspace_sent_with_other_keys_deletes_where_it_was_typed(forum: Forum) -> None:
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(ThreadScreen(forum.respite_thread))
        await until(pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen.view)
        burst(app, "r", "b", "a", "backspace", "c")  # r: into the reply box
        composer = app.screen.query_one("#composer", Composer)
        await until(pilot, lambda: composer.text == "bc")
        burst(app, *"hello", "backspace", "backspace", *"AB", "left", "left", "delete", "ctrl+s")
        await until(pilot, lambda: composer.text == "" and not app.screen._sending)
    assert (await stored_posts(forum, forum.respite_thread))[-1] == "bchelB"


async def test_handle_tab_password_enter_in_one_burst_signs_in(forum: Forum) -> None:
    app = forum.app()
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.focused, Field))
        burst(app, *"carer_anx", "backspace", "n", "tab", *PASSWORD, "enter")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert app.member is not None and app.member.handle == "carer_ann"


async def test_handle_enter_wrong_password_enter_in_one_burst_keeps_the_handle(
    forum: Forum,
) -> None:
    """Enter in the handle box moves to the password box before the next keys are applied."""
    app = forum.app()
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.focused, Field))
        burst(app, *"carer_ann", "enter", *"wrong", "enter")
        screen = app.screen
        assert isinstance(screen, SignInScreen)
        await until(pilot, lambda: "not match" in str(screen.query_one("#sign-in-error").render()))
        assert screen.query_one("#handle", Field).value == "carer_ann"


async def test_a_binding_then_typing_in_one_burst_types_into_the_box_it_opened(
    forum: Forum,
) -> None:
    """n opens the new-thread form; the title, Tab, the body and Ctrl+S follow in the same read."""
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(GroupScreen(forum.corner))
        await until(pilot, lambda: isinstance(app.screen, GroupScreen) and app.focused is not None)
        burst(app, "n", *"Night shifts", "tab", *"Who else is up at 3am?", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen.view)
        thread_id = app.screen.thread_id
    assert await stored_posts(forum, thread_id) == ["Who else is up at 3am?"]


def test_every_text_box_in_the_app_is_ours() -> None:
    """Textual's Input and TextArea apply bound keys late; only Field and Composer are used."""
    ui = Path(__file__).parents[2] / "forum_tui" / "ui"
    offenders = []
    for path in ui.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            called = node.func if isinstance(node, ast.Call) else None
            if isinstance(called, ast.Name) and called.id in {"Input", "TextArea", "MaskedInput"}:
                offenders.append(f"{path.relative_to(ui)}:{node.lineno}")
    assert offenders == []
