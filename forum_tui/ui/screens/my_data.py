"""My data (design.md §7): a member writes everything forum-tui holds about them to a file, and
reads how erasure works (an admin does it, on request)."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, Input

from forum_tui.domain.errors import ForumError
from forum_tui.services.privacy import default_export_path
from forum_tui.ui.screens.base import ForumScreen
from forum_tui.ui.widgets import Plain
from forum_tui.ui.widgets.fields import Field

ABOUT = (
    "Your export holds everything forum-tui keeps about you: your account (not your "
    "password), your groups, threads, posts, drafts, ideas, supports, involvement, "
    "notifications and invites, as a JSON file only you can read.\n\n"
    "The file is written on the computer running forum-tui. If you reached the forum over "
    "SSH, that is the forum's server, not your own computer: ask an admin for a copy."
)
ERASURE = (
    "To have your account erased, ask an admin. Your posts, threads and ideas then keep "
    "their place but their text is removed, your account shows as 'former member', and your "
    "password and keys are deleted. It cannot be undone, so export first if you want a copy."
)


class MyDataScreen(ForumScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
    ]
    DEFAULT_CSS = """
    MyDataScreen #my-data { padding: 0 1; }
    MyDataScreen #export-path { margin: 1 0 0 0; }
    MyDataScreen #export-result { margin: 1 0; }
    """

    def compose(self) -> ComposeResult:
        yield from self.compose_title("My data")
        member = self.forum.member
        assert member is not None
        default = default_export_path(member.handle, self.forum.clock().date())
        with VerticalScroll(id="my-data"):
            yield Plain(ABOUT, id="export-about")
            yield Field(value=default, id="export-path", compact=True, max_length=1024)
            yield Button("Write my export", id="export-button", compact=True)
            yield Plain("", id="export-result")
            yield Plain(ERASURE, id="erasure-about")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    def action_back(self) -> None:
        self.app.pop_screen()

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-button")
    def submit(self) -> None:
        self.write_export(self.query_one("#export-path", Input).value)

    @work(exclusive=True, group="my-data", exit_on_error=False)
    async def write_export(self, path: str) -> None:
        result = self.query_one("#export-result", Plain)
        result.show("Writing your export…")
        try:
            written = await self.forum.services.privacy.write_own_export(self.forum.member_id, path)
        except ForumError as error:
            result.show(f"Not written: {error}")
            self.forum.tell(str(error), error=True)
            return
        result.show(f"Written to {written}")
        self.forum.tell(f"Your export is in {written}.")
