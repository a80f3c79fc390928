"""What a carer does, driven through the real app with Pilot."""

from __future__ import annotations

import contextlib

from textual.widgets import Input, OptionList
from textual.worker import WorkerCancelled

from forum_tui.services import build_services
from forum_tui.store.database import Database
from forum_tui.ui.screens.group import GroupScreen
from forum_tui.ui.screens.home import HomeScreen
from forum_tui.ui.screens.sign_in import SignInScreen
from forum_tui.ui.screens.thread import ThreadScreen
from forum_tui.ui.widgets import Plain
from forum_tui.ui.widgets.composer import Composer
from forum_tui.ui.widgets.post import PostView
from tests.ui.conftest import HOSTILE, PASSWORD, Forum

SIZE = (80, 24)


async def settle(pilot, app) -> None:  # noqa: ANN001
    """Waits for the app's workers to finish and the screen to catch up (never sleeps)."""
    await pilot.pause()
    with contextlib.suppress(WorkerCancelled):  # a left screen's worker
        await app.workers.wait_for_complete()
    await pilot.pause()


def texts(app) -> str:  # noqa: ANN001
    svg = app.export_screenshot()
    return svg.replace("&#160;", " ")


async def test_sign_in_then_reply_in_a_thread(forum: Forum) -> None:
    app = forum.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, SignInScreen)
        await pilot.click("#handle")
        await pilot.press(*"carer_ann", "enter")
        await pilot.press(*PASSWORD, "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, HomeScreen)
        mine = app.screen.query_one("#my-groups", OptionList)
        assert "Carers' Corner" in str(mine.get_option_at_index(0).prompt)

        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, GroupScreen)
        threads = app.screen.query_one("#threads", OptionList)
        assert "Sleep" in str(threads.get_option_at_index(0).prompt)  # newest activity first

        await pilot.press("down", "down", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ThreadScreen)
        assert "Respite" in texts(app)

        await pilot.press("r", *"Thank you, that helps", "ctrl+s")
        await settle(pilot, app)
        bodies = [view.post.body for view in app.screen.query(PostView)]
        assert bodies[-1] == "Thank you, that helps"
        assert app.screen.query_one("#composer", Composer).text == ""

    async def stored() -> list[str]:
        db = Database(forum.url)
        services = build_services(db, forum.clock)
        view = await services.threads.open_thread(forum.ann, forum.respite_thread)
        await db.dispose()
        return [p.body for p in view.posts.items]

    assert (await stored())[-1] == "Thank you, that helps"


async def test_wrong_password_says_so_and_keeps_the_handle(forum: Forum) -> None:
    app = forum.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.click("#handle")
        await pilot.press(*"carer_ann", "enter", *"wrong password", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, SignInScreen)
        assert "do not match" in texts(app)
        assert app.screen.query_one("#handle", Input).value == "carer_ann"
        assert app.screen.query_one("#password", Input).value == ""


async def test_hostile_post_is_shown_as_text_and_triggers_nothing(forum: Forum) -> None:
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.push_screen(ThreadScreen(forum.hostile_thread))
        await settle(pilot, app)
        post = app.screen.query_one(PostView)
        shown = post.render().plain if hasattr(post.render(), "plain") else str(post.render())
        assert "[@click=app.quit]x[/] [bold]loud [/" in shown
        assert "\x1b" not in shown and "52;c;" not in shown
        screen = texts(app)
        assert "Odd characters [/" in screen
        assert "\x1b" not in screen
        await pilot.click(PostView, offset=(3, 1))  # on the would-be link
        await settle(pilot, app)
        assert app.is_running  # [@click=app.quit] did not quit
        assert isinstance(app.screen, ThreadScreen)
    assert HOSTILE.startswith("[@click")


async def test_unsent_reply_survives_a_closed_app(forum: Forum) -> None:
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.push_screen(ThreadScreen(forum.hostile_thread))
        await settle(pilot, app)
        await pilot.press("r", *"half-written thought")
        for _ in range(1000):  # the save runs after the debounce: wait for it, not a time
            if app.screen.draft_is_saved and "half-written" in app.screen.typed()[1]:
                break
            await pilot.pause(0.01)
        assert app.screen.draft_is_saved and "half-written" in app.screen.typed()[1]
        await settle(pilot, app)

    again = forum.app(forum.ann)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot, again)
        home = again.screen
        drafts = home.query_one("#drafts", OptionList)
        assert drafts.display and "Odd characters" in str(drafts.get_option_at_index(0).prompt)
        again.push_screen(ThreadScreen(forum.hostile_thread))
        await settle(pilot, again)
        assert again.screen.query_one("#composer", Composer).text == "half-written thought"


async def test_joining_an_open_group_from_home(forum: Forum) -> None:
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        others = app.screen.query_one("#open-groups", OptionList)
        assert [str(o.prompt).split("\n")[0] for o in others.options] == ["Night owls"]
        others.focus()
        await pilot.press("j")
        await settle(pilot, app)
        mine = app.screen.query_one("#my-groups", OptionList)
        names = [str(o.prompt).split("\n")[0] for o in mine.options]
        assert names == ["Carers' Corner", "Night owls"]
        assert "Partners" not in texts(app)  # private, and ann is not in it


async def test_new_thread_is_posted_and_opened(forum: Forum) -> None:
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.push_screen(GroupScreen(forum.corner))
        await settle(pilot, app)
        await pilot.press("n")
        await settle(pilot, app)
        await pilot.press(*"Hospital discharge", "tab", *"They sent him home at 9pm.", "ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, ThreadScreen)
        assert "Hospital discharge" in texts(app)
        assert [v.post.body for v in app.screen.query(PostView)] == ["They sent him home at 9pm."]


async def test_title_too_short_is_refused_and_text_kept(forum: Forum) -> None:
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.push_screen(GroupScreen(forum.corner))
        await settle(pilot, app)
        await pilot.press("n")
        await settle(pilot, app)
        await pilot.press(*"Hi", "tab", *"my body text", "ctrl+s")
        await settle(pilot, app)
        error = app.screen.query_one("#form-error", Plain)
        assert "3 to 120 characters" in str(error.render())
        assert app.screen.query_one("#composer", Composer).text == "my body text"


async def test_edit_own_post_shows_edited(forum: Forum) -> None:
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.push_screen(GroupScreen(forum.corner))
        await settle(pilot, app)
        await pilot.press("enter")  # "Sleep", ann's own thread
        await settle(pilot, app)
        await pilot.press("e")
        await settle(pilot, app)
        await pilot.press(*" Slept tonight.", "ctrl+s")
        await settle(pilot, app)
        post = app.screen.query_one(PostView)
        assert post.post.body.endswith("Slept tonight.")
        assert "edited just now" in texts(app)


async def test_thread_list_loads_more_as_you_scroll(forum: Forum) -> None:
    db = Database(forum.url)
    services = build_services(db, forum.clock)
    for number in range(45):
        forum.clock.advance(minutes=1)
        await services.threads.start_thread(
            forum.bob, forum.night_owls, f"Night {number:02d}", "Awake again."
        )
    await db.dispose()

    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.push_screen(GroupScreen(forum.night_owls))
        await settle(pilot, app)
        threads = app.screen.query_one("#threads", OptionList)
        assert threads.option_count == 30
        await pilot.press("end")
        await settle(pilot, app)
        titles = [str(o.prompt).split("\n")[0] for o in threads.options]
        assert titles == [f"Night {n:02d}" for n in range(44, -1, -1)]


async def test_far_down_a_reload_rereads_only_the_rows_around_the_highlight(
    forum: Forum,
) -> None:
    db = Database(forum.url)
    services = build_services(db, forum.clock)
    threads_made = []
    for number in range(45):
        forum.clock.advance(minutes=1)
        threads_made.append(
            await services.threads.start_thread(
                forum.bob, forum.night_owls, f"Night {number:02d}", "Awake again."
            )
        )
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.push_screen(GroupScreen(forum.night_owls))
        await settle(pilot, app)
        threads = app.screen.query_one("#threads", OptionList)
        await pilot.press("end")
        await settle(pilot, app)
        await pilot.press("end")  # the second page has loaded meanwhile
        await settle(pilot, app)
        assert threads.option_count == 45 and threads.highlighted == 44
        forum.clock.advance(minutes=1)
        await services.threads.reply(forum.bob, threads_made[1].id, "Me too.")  # "Night 01"
        await pilot.press("ctrl+r")
        await settle(pilot, app)
        titles = [str(o.prompt).split("\n")[0] for o in threads.options]
        assert titles == [f"Night {n:02d}" for n in range(44, -1, -1)]  # rows stay in place
        assert "1 reply" in str(threads.get_option(f"thread:{threads_made[1].id}").prompt)

        await pilot.press("home", "ctrl+r")  # near the top: the first page, newest first
        await settle(pilot, app)
        titles = [str(o.prompt).split("\n")[0] for o in threads.options]
        assert titles[:2] == ["Night 01", "Night 44"] and threads.option_count == 30
    await db.dispose()
