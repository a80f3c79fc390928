"""The Textual app. It receives services and the signed-in member; it never touches SQL."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from textual import events
from textual.app import App
from textual.binding import Binding

from forum_tui.config import Settings
from forum_tui.domain.errors import ForumError
from forum_tui.domain.models import Member
from forum_tui.services import Clock, Services, build_services, utcnow
from forum_tui.store.database import Database
from forum_tui.ui import live
from forum_tui.ui.keys import OrderedInput
from forum_tui.ui.kiosk import KIOSK_BINDINGS, Kiosk, KioskSettings
from forum_tui.ui.no_color import take_colour_away
from forum_tui.ui.paint_once import hold_until_loaded


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
        Binding("slash", "search", "Search", show=False, id="search"),
        *KIOSK_BINDINGS,  # only in kiosk mode (check_action)
    ]

    def __init__(
        self,
        services: Services,
        *,
        member_id: int | None = None,
        clock: Clock = utcnow,
        sign_up: bool = False,
        ssh_address: tuple[str, int] | None = None,
        kiosk: KioskSettings | None = None,
        sign_in_source: str | None = None,
    ) -> None:
        super().__init__()
        # Told of each sign-in on the app's own screen, (handle, "ok" | "fail" | "throttled" |
        # "error"): over SSH, the server's operations log (ssh/session.py); else nobody.
        self.report_sign_in: Callable[[str, str], None] | None = None
        # Where sign-ins on this app come from, for the shared throttle (``ip:ADDRESS`` in an
        # SSH kiosk session); None where nobody knows (a browser tab, the local terminal).
        self.sign_in_source = sign_in_source
        # Set when this app is an SSH session: where members reach the server (host, port).
        self.ssh_address = ssh_address
        take_colour_away(self)  # NO_COLOR: no colour codes at all (ui/no_color.py)
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
        # Unsent text the database refused (disk full, read-only), by draft place: kept for
        # as long as this session lasts, until a save or a send succeeds (screens/drafting.py).
        self.unsent: dict[str, tuple[str, str]] = {}
        # A shared computer (forum-tui kiosk): End session, Hide now, idle sign-out.
        self.kiosk = Kiosk(self, kiosk) if kiosk is not None else None

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
        if self.kiosk is not None:
            from forum_tui.ui.kiosk import KioskSignInScreen

            self.set_interval(1, self.kiosk.check_idle, name="kiosk-idle")
            await self.push_screen(HomeScreen() if self.member else KioskSignInScreen())
        else:
            await self.push_screen(HomeScreen() if self.member else SignInScreen())
        self.follow_changes()

    async def on_unmount(self) -> None:
        if self._live is not None:
            self._live.cancel()
            await asyncio.wait({self._live}, timeout=5)
        await self.services.close()
        if self._undo_hang_up is not None:  # only now: a hang-up mid-close must not kill it
            self._undo_hang_up()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Text cursors stay still: a blinking one repaints its box twice a second, which is
        bytes on a metered link and a screen that depends on the time it is looked at."""
        if getattr(event.widget, "cursor_blink", False):
            event.widget.cursor_blink = False  # type: ignore[attr-defined]

    def follow_changes(self) -> None:
        """Live updates for the signed-in member (see forum_tui/ui/live.py)."""
        if self._live is None and self.member is not None:
            self._live = asyncio.create_task(live.follow_changes(self))

    def stop_following(self) -> None:
        if self._live is not None:
            self._live.cancel()
            self._live = None

    async def on_event(self, event: events.Event) -> None:
        if self.kiosk is not None and isinstance(event, events.MouseDown):
            self.kiosk.touched()
        await super().on_event(event)

    async def _apply_input(self, item: object) -> None:
        """Every key and paste, however it came (a terminal's input thread feeds the inbox
        directly, never through ``on_event``): the person at a kiosk is still there."""
        if self.kiosk is not None:
            if self.kiosk.warned and self.kiosk.answers_warning(item):
                return  # "Press any key to stay signed in": that key does only that
            self.kiosk.touched()
        await super()._apply_input(item)  # type: ignore[arg-type]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("end_session", "hide_now"):
            return self.kiosk is not None and self.member is not None
        if action == "quit":  # a kiosk's next person must never get the shell
            return self.kiosk is None
        return True

    async def action_end_session(self) -> None:
        if self.kiosk is not None and self.member is not None:
            await self.kiosk.end_session(notice="Your session has ended. Thank you.")

    async def action_hide_now(self) -> None:
        if self.kiosk is not None and self.member is not None:
            await self.kiosk.end_session(panic=True)

    def push_screen(self, screen, *args, **kwargs):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN002, ANN003, ANN201
        hold_until_loaded(self, screen)
        return super().push_screen(screen, *args, **kwargs)

    def switch_screen(self, screen):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN201
        hold_until_loaded(self, screen)
        return super().switch_screen(screen)

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

    def action_search(self) -> None:
        """Search from anywhere once signed in; from a group or board, it can stay there."""
        from forum_tui.ui.screens.search import SearchScreen

        if self.member is None or isinstance(self.screen, SearchScreen):
            return
        self.push_screen(
            SearchScreen(
                group_id=getattr(self.screen, "group_id", None),
                board_id=getattr(self.screen, "board_id", None),
            )
        )

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
    ssh_address: tuple[str, int] | None = None,
    kiosk: KioskSettings | None = None,
    sign_in_source: str | None = None,
) -> ForumApp:
    """The one factory: the CLI, the SSH server and the tests all build the app here.

    ``sign_up`` opens the sign-up screen instead of signing in (``ssh new@host``).
    ``ssh_address`` (host, port) marks an SSH session: My data then shows the command that
    downloads the member's export instead of saving a file. ``kiosk`` makes it a shared
    computer's app (forum_tui/ui/kiosk.py). ``sign_in_source`` is where sign-ins on it come
    from, for the shared sign-in throttle (services/sign_in_throttle.py).
    """
    services = build_services(Database(settings.database_url), clock)
    return ForumApp(
        services,
        member_id=member_id,
        clock=clock,
        sign_up=sign_up,
        ssh_address=ssh_address,
        kiosk=kiosk,
        sign_in_source=sign_in_source,
    )
