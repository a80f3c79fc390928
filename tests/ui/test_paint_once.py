"""Paint once (issue 10 part 2): a screen is shown with its data, the footer is rebuilt only
when its keys change."""

from __future__ import annotations

from textual.widgets import OptionList

from forum_tui.ui.screens.group import GroupScreen
from forum_tui.ui.screens.home import HomeScreen
from forum_tui.ui.widgets.footer import ForumFooter
from tests.ui.conftest import Forum
from tests.ui.test_journeys import settle

SIZE = (80, 24)


def texts(app) -> str:  # noqa: ANN001
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip).rstrip() for strip in strips)


async def test_a_pushed_screen_is_held_until_its_list_is_loaded(forum: Forum) -> None:
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert app._batch_count == 0
        screen = GroupScreen(forum.corner)
        app.push_screen(screen)
        assert app._batch_count == 1  # nothing is painted: home stays up
        await settle(pilot, app)
        for _ in range(50):  # the hold ends once the load's changes are laid out
            if app._batch_count == 0:
                break
            await pilot.pause()
        assert app._batch_count == 0
        assert screen.query_one("#threads", OptionList).option_count == 3
        assert "Respite - does it exist?" in texts(app)


async def test_a_screen_popped_before_it_loads_lets_go(forum: Forum) -> None:
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.push_screen(GroupScreen(forum.corner))
        app.pop_screen()
        await settle(pilot, app)
        for _ in range(50):
            if app._batch_count == 0:
                break
            await pilot.pause()
        assert app._batch_count == 0
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("down")  # the app still answers and paints
        await settle(pilot, app)
        assert "Carers' Corner" in texts(app)


async def test_the_footer_is_rebuilt_only_when_its_keys_change(forum: Forum, monkeypatch) -> None:  # noqa: ANN001
    app = forum.app(forum.ann)
    rebuilt: list[str] = []
    recompose = ForumFooter.recompose

    async def counting(self: ForumFooter) -> None:
        rebuilt.append(type(self.screen).__name__)
        await recompose(self)

    monkeypatch.setattr(ForumFooter, "recompose", counting)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, GroupScreen)
        before = len(rebuilt)
        await pilot.press("down", "down", "up")
        await settle(pilot, app)
        app.screen.load()  # a reload (as a live change does) refreshes the bindings
        await settle(pilot, app)
        assert len(rebuilt) == before  # the same keys: not rebuilt
        assert "n New thread" in texts(app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, HomeScreen)
        assert "j Join group" in texts(app)  # home's own keys are back
