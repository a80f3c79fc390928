"""The Textual app. It receives services and the signed-in member; it never touches SQL."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from textual.app import App
from textual.binding import Binding

from forum_tui.config import Settings
from forum_tui.domain.errors import ForumError
from forum_tui.domain.models import Member
from forum_tui.services import Clock, Services, build_services, utcnow
from forum_tui.store.database import Database
from forum_tui.ui import live
from forum_tui.ui.keys import OrderedInput


class ForumApp(OrderedInput, App[None]):
    """forum-tui in one terminal: sign in, groups, threads, replies.

    Keys and pastes are applied in the order they arrive, from a bounded inbox
    (forum_tui/ui/keys.py).
    """

    CSS_PATH = Path(__file__).parent / "styles" / "forum.tcss"
    TITLE = "forum-tui"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
        Binding("f1", "help", "Help", id="help"),
        Binding("question_mark", "help", "Help", show=False, id="help-alt"),
    ]

    def __init__(
        self,
        services: Services,
        *,
        member_id: int | None = None,
        clock: Clock = utcnow,
        sign_up: bool = False,
    ) -> None:
        super().__init__()
        self.services = services
        self.clock = clock
        self.member: Member | None = None
        self._start_member_id = member_id
        # `ssh new@host`: start at the sign-up screen (invite code, handle, password).
        self._start_sign_up = sign_up
        # Carers connect over slow links: nothing moves unless it has to.
        self.animation_level = "none"
        self._live: asyncio.Task[None] | None = None  # live updates, once signed in
        self._undo_hang_up: Callable[[], None] | None = None

    async def on_mount(self) -> None:
        from forum_tui.ui.screens.home import HomeScreen
        from forum_tui.ui.screens.sign_in import SignInScreen

        if not self.is_headless:  # a real terminal (or SSH session) that can hang up
            self._undo_hang_up = live.catch_hang_up(self)
        if self._start_member_id is not None:
            try:
                self.member = await self.services.accounts.get_member(self._start_member_id)
            except ForumError as error:
                self.tell(str(error), error=True)
        if self._start_sign_up and self.member is None:
            from forum_tui.ui.screens.sign_up import SignUpScreen

            await self.push_screen(SignUpScreen())
            return
        await self.push_screen(HomeScreen() if self.member else SignInScreen())
        self.follow_changes()

    async def on_unmount(self) -> None:
        if self._live is not None:
            self._live.cancel()
            await asyncio.wait({self._live}, timeout=5)
        await self.services.close()
        if self._undo_hang_up is not None:  # only now: a hang-up mid-close must not kill it
            self._undo_hang_up()

    def follow_changes(self) -> None:
        """Live updates for the signed-in member (see forum_tui/ui/live.py)."""
        if self._live is None and self.member is not None:
            self._live = asyncio.create_task(live.follow_changes(self))

    def signed_in(self, member: Member) -> None:
        from forum_tui.ui.screens.home import HomeScreen

        self.member = member
        self.switch_screen(HomeScreen())
        self.follow_changes()

    @property
    def member_id(self) -> int:
        assert self.member is not None, "no member signed in"
        return self.member.id

    def tell(self, message: str, *, error: bool = False) -> None:
        """A toast. Never markup: messages often quote what a member typed."""
        self.notify(message, severity="error" if error else "information", markup=False)

    def action_help(self) -> None:
        from forum_tui.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))


def make_app(
    settings: Settings,
    *,
    member_id: int | None = None,
    clock: Clock = utcnow,
    sign_up: bool = False,
) -> ForumApp:
    """The one factory: the CLI, the SSH server and the tests all build the app here.

    ``sign_up`` opens the sign-up screen instead of signing in (``ssh new@host``).
    """
    services = build_services(Database(settings.database_url), clock)
    return ForumApp(services, member_id=member_id, clock=clock, sign_up=sign_up)
