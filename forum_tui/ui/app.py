"""The Textual app. It receives services and the signed-in member; it never touches SQL."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding

from forum_tui.config import Settings
from forum_tui.domain.errors import ForumError
from forum_tui.domain.models import Member
from forum_tui.services import Clock, Services, build_services, utcnow
from forum_tui.store.database import Database


class ForumApp(App[None]):
    """forum-tui in one terminal: sign in, groups, threads, replies."""

    CSS_PATH = Path(__file__).parent / "styles" / "forum.tcss"
    TITLE = "forum-tui"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
        Binding("f1", "help", "Help", id="help"),
        Binding("question_mark", "help", "Help", show=False, id="help-alt"),
    ]

    def __init__(
        self, services: Services, *, member_id: int | None = None, clock: Clock = utcnow
    ) -> None:
        super().__init__()
        self.services = services
        self.clock = clock
        self.member: Member | None = None
        self._start_member_id = member_id
        # Carers connect over slow links: nothing moves unless it has to.
        self.animation_level = "none"

    async def on_mount(self) -> None:
        from forum_tui.ui.screens.home import HomeScreen
        from forum_tui.ui.screens.sign_in import SignInScreen

        if self._start_member_id is not None:
            try:
                self.member = await self.services.accounts.get_member(self._start_member_id)
            except ForumError as error:
                self.tell(str(error), error=True)
        await self.push_screen(HomeScreen() if self.member else SignInScreen())

    async def on_unmount(self) -> None:
        await self.services.close()

    def signed_in(self, member: Member) -> None:
        from forum_tui.ui.screens.home import HomeScreen

        self.member = member
        self.switch_screen(HomeScreen())

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
    settings: Settings, *, member_id: int | None = None, clock: Clock = utcnow
) -> ForumApp:
    """The one factory: the CLI, the SSH server and the tests all build the app here."""
    services = build_services(Database(settings.database_url), clock)
    return ForumApp(services, member_id=member_id, clock=clock)
