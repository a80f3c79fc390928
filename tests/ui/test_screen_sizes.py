"""Every main screen at 80x24 and at 60x20, with NO_COLOR=1, against stored snapshots
(update: pytest tests/ui/test_screen_sizes.py --snapshot-update); at 80x24 every key the footer
shows is whole on screen, and at 60x20 the footer's F1 Help key is.

Two seeded forums with fixed clocks: ``tests.ui.conftest`` (groups, threads) and
``tests.ui.test_board_snapshots`` (boards, ideas, an outcome). The snapshots are the record;
the Help check fails by itself whatever the snapshots say.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.screen import Screen
from textual.worker import WorkerCancelled

from forum_tui.config import Settings
from forum_tui.domain.consent import Consent, ConsentScope
from forum_tui.domain.enums import Role
from forum_tui.services import build_services
from forum_tui.store.database import Database
from forum_tui.ui.app import ForumApp, make_app
from forum_tui.ui.kiosk import KioskSettings
from forum_tui.ui.screens.account import AccountScreen
from forum_tui.ui.screens.assist import AssistScreen, ConsentsScreen
from forum_tui.ui.screens.board import BoardScreen
from forum_tui.ui.screens.boards import BoardsScreen
from forum_tui.ui.screens.contributions import ContributionsScreen
from forum_tui.ui.screens.group import GroupScreen
from forum_tui.ui.screens.help import describe_keys
from forum_tui.ui.screens.idea import IdeaScreen
from forum_tui.ui.screens.moderation import ModerationScreen
from forum_tui.ui.screens.my_data import MyDataScreen
from forum_tui.ui.screens.new_idea import NewIdeaScreen
from forum_tui.ui.screens.new_thread import NewThreadScreen
from forum_tui.ui.screens.notifications import NotificationsScreen
from forum_tui.ui.screens.outcomes import OutcomesScreen
from forum_tui.ui.screens.staff_desk import StaffDeskScreen
from forum_tui.ui.screens.thread import ThreadScreen
from forum_tui.ui.widgets.footer import shown_keys
from tests.ui.conftest import PASSWORD, Forum
from tests.ui.test_board_snapshots import _seed as seed_board_forum
from tests.ui.test_boards import BoardForum

SIZES = {"80x24": (80, 24), "60x20": (60, 20)}


@dataclass
class World:
    forum: Forum
    boards: BoardForum
    volunteer: int
    consent: Consent


async def _add_helping(forum: Forum) -> tuple[int, Consent]:
    db = Database(forum.url)
    services = build_services(db, forum.clock)
    volunteer = await services.accounts.add_member(
        "dev_helps", role=Role.VOLUNTEER, password=PASSWORD
    )
    consent = await services.consents.give_consent(
        volunteer.id, "carer_ann", scope=ConsentScope.SESSION, password=PASSWORD
    )
    await db.dispose()
    return volunteer.id, consent


@pytest.fixture
def world(forum: Forum, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setenv("NO_COLOR", "1")
    boards = asyncio.run(seed_board_forum(f"sqlite+aiosqlite:///{tmp_path / 'boards.db'}"))
    volunteer, consent = asyncio.run(_add_helping(forum))
    return World(forum, boards, volunteer, consent)


# name -> (the app to open it in, the screen to push over its first screen, or None)
Opening = Callable[[World], tuple[ForumApp, Screen[object] | None]]
SCREENS: dict[str, Opening] = {
    "sign-in": lambda w: (w.forum.app(), None),
    "kiosk-sign-in": lambda w: (
        make_app(Settings(w.forum.url), clock=w.forum.clock, kiosk=KioskSettings()),
        None,
    ),
    "home": lambda w: (w.forum.app(w.forum.ann), None),
    "home-volunteer": lambda w: (w.forum.app(w.volunteer), None),
    "group": lambda w: (w.forum.app(w.forum.ann), GroupScreen(w.forum.corner)),
    "thread": lambda w: (w.forum.app(w.forum.ann), ThreadScreen(w.forum.respite_thread)),
    "new-thread": lambda w: (w.forum.app(w.forum.ann), NewThreadScreen(w.forum.corner)),
    "account": lambda w: (w.forum.app(w.forum.ann), AccountScreen()),
    "my-data": lambda w: (w.forum.app(w.forum.ann), MyDataScreen()),
    "consents": lambda w: (w.forum.app(w.forum.ann), ConsentsScreen()),
    "assist": lambda w: (w.forum.app(w.volunteer), AssistScreen(w.consent)),
    "moderation": lambda w: (w.forum.app(w.forum.bob), ModerationScreen()),
    "boards": lambda w: (w.boards.app(w.boards.ann), BoardsScreen()),
    "board": lambda w: (w.boards.app(w.boards.ann), BoardScreen(w.boards.cmht)),
    "idea": lambda w: (w.boards.app(w.boards.ann), IdeaScreen(w.boards.ward)),
    "new-idea": lambda w: (w.boards.app(w.boards.ann), NewIdeaScreen(w.boards.cmht)),
    "outcomes": lambda w: (w.boards.app(w.boards.ann), OutcomesScreen(w.boards.cmht)),
    "contributions": lambda w: (w.boards.app(w.boards.ann), ContributionsScreen()),
    "notifications": lambda w: (w.boards.app(w.boards.ann), NotificationsScreen()),
    "staff-desk": lambda w: (w.boards.app(w.boards.sam), StaffDeskScreen()),
}


async def _settle(pilot) -> None:  # noqa: ANN001
    await pilot.pause()
    with contextlib.suppress(WorkerCancelled):  # a left screen's worker
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _opening(screen: Screen[object] | None):  # noqa: ANN202
    async def run_before(pilot) -> None:  # noqa: ANN001
        await _settle(pilot)
        if screen is not None:
            pilot.app.push_screen(screen)
            await _settle(pilot)
        pilot.app.clear_notifications()  # toasts would hide the screen under them
        await _settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", SCREENS)
def test_main_screen(snap_compare, world: World, name: str, size: str) -> None:  # noqa: ANN001
    app, screen = SCREENS[name](world)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=_opening(screen))


@pytest.mark.parametrize("name", SCREENS)
async def test_help_key_is_on_screen_at_60x20(world: World, name: str) -> None:
    app, screen = SCREENS[name](world)
    async with app.run_test(size=SIZES["60x20"]) as pilot:
        await _opening(screen)(pilot)
        assert app.no_color
        if screen is not None:
            assert app.screen is screen
        footer = _bottom_row(app)
        assert "f1 Help" in footer, f"{name}: the footer row is {footer!r}"


@pytest.mark.parametrize("name", SCREENS)
async def test_every_footer_key_is_whole_at_80x24(world: World, name: str) -> None:
    """A key cut off the footer's right edge is a key the member never learns of."""
    app, screen = SCREENS[name](world)
    async with app.run_test(size=SIZES["80x24"]) as pilot:
        await _opening(screen)(pilot)
        footer = _bottom_row(app)
        descriptions = {description for _key, description, _action, _on in shown_keys(app.screen)}
        assert "Quit" in descriptions or name.startswith("kiosk")  # the check sees the keys
        for description in descriptions:
            assert f" {description} " in f"{footer} ", f"{name}: {description!r} cut: {footer!r}"
        # A label kept short for the footer says all of what it does in Help.
        helped = [what for _key, what in describe_keys(app.screen)]
        for _node, binding, _enabled, _tip in app.screen.active_bindings.values():
            if binding.tooltip and binding.id:
                assert binding.tooltip in helped and binding.description not in helped


def _bottom_row(app: ForumApp) -> str:
    """The last row of the screen as text (the footer)."""
    strips = app.screen._compositor.render_strips()  # noqa: SLF001
    return "".join(segment.text for segment in strips[-1])


@pytest.mark.parametrize("size", SIZES)
def test_kiosk_sign_in_after_a_wrong_password(snap_compare, world: World, size: str) -> None:  # noqa: ANN001
    """The message of a wrong try is on screen, under the password, with the button whole."""

    async def wrong_password(pilot) -> None:  # noqa: ANN001
        await _settle(pilot)
        await pilot.click("#handle")
        await pilot.press(*"carer_ann", "enter", *"not my password", "enter")
        await _settle(pilot)
        await pilot.press(*"still not it", "enter")
        await _settle(pilot)

    app = make_app(Settings(world.forum.url), clock=world.forum.clock, kiosk=KioskSettings())
    assert snap_compare(app, terminal_size=SIZES[size], run_before=wrong_password)
