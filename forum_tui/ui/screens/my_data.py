"""My data (design.md §7): how a member gets everything forum-tui holds about them, and how
erasure works (an admin does it, on request).

A member never names a path. Over SSH the screen shows the one command that downloads the
export to their own computer (``ssh HANDLE@HOST export > my-data.json``, with the server's real
host and port); run locally, ``s`` saves it into ``exports/`` in the data folder under a fixed
name (``PrivacyService.save_own_export``).
"""

from __future__ import annotations

import shlex

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button

from forum_tui.domain.errors import ForumError
from forum_tui.ui.screens.base import ForumScreen
from forum_tui.ui.widgets import Plain
from forum_tui.ui.widgets.button import MarkedButton

ABOUT = (
    "Your export has all that forum-tui keeps about you: your account (but not your "
    "password), your groups, threads, posts, drafts, ideas, support, time you gave, news "
    "and invites. It is all in one file."
)
OVER_SSH = "To download it to your own computer, open a terminal there (not this one) and type:"
AFTER_COMMAND = (
    "It signs you in as usual and saves my-data.json in the folder you typed it in. "
    "Nothing is written on the forum's server."
)
LOCAL = (
    "Press s to save it in the exports folder, in forum-tui's data folder on this computer. "
    "Only you can open it. Saving again replaces the last one."
)
ERASURE = (
    "To have your account erased, ask an admin. Your posts, threads and ideas then keep "
    "their place but their text is removed, your account shows as 'former member', and your "
    "password and keys are deleted. It cannot be undone, so export first if you want a copy."
)


def export_command(handle: str, host: str, port: int) -> str:
    """The command a member types on their own computer to download their export."""
    where = shlex.quote(f"{handle}@{host}")
    port_part = f"-p {port} " if port != 22 else ""
    return f"ssh {port_part}{where} export > my-data.json"


class MyDataScreen(ForumScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("s", "save", "Save my export", id="save-export"),
    ]
    DEFAULT_CSS = """
    MyDataScreen #my-data { padding: 0 1; }
    MyDataScreen #export-command { margin: 1 0; text-style: bold; }
    MyDataScreen #export-button { margin: 1 0 0 0; }
    MyDataScreen #export-result { margin: 1 0; }
    MyDataScreen #erasure-about { margin: 1 0 0 0; }
    """

    def compose(self) -> ComposeResult:
        yield from self.compose_title("My data")
        member = self.forum.member
        assert member is not None
        address = self.forum.ssh_address
        with VerticalScroll(id="my-data"):
            yield Plain(ABOUT, id="export-about")
            if address is not None:
                yield Plain(OVER_SSH)
                yield Plain(export_command(member.handle, *address), id="export-command")
                yield Plain(AFTER_COMMAND)
            else:
                yield Plain(LOCAL)
                yield MarkedButton("Save my export", id="export-button", compact=True)
                yield Plain("", id="export-result")
            yield Plain(ERASURE, id="erasure-about")
        yield from self.compose_footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            return self.forum.ssh_address is None  # over SSH: the command, never a file
        return True

    def action_back(self) -> None:
        self.app.pop_screen()

    @on(Button.Pressed, "#export-button")
    def action_save(self) -> None:
        if self.forum.ssh_address is None:
            self.save_export()

    @work(exclusive=True, group="my-data", exit_on_error=False)
    async def save_export(self) -> None:
        result = self.query_one("#export-result", Plain)
        result.show("Saving your export…")
        try:
            saved = await self.forum.services.privacy.save_own_export(self.forum.member_id)
        except ForumError as error:
            result.show(str(error))
            self.forum.tell(str(error), error=True)
            return
        result.show(f"Saved: {saved}")
        self.forum.tell("Your export is saved.")
