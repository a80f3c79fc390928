"""Sign in with a handle and a password."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Input

from forum_tui.domain.errors import AuthenticationFailed, ForumError, SignInThrottled
from forum_tui.ui.screens.base import ForumScreen
from forum_tui.ui.widgets import Plain
from forum_tui.ui.widgets.button import MarkedButton
from forum_tui.ui.widgets.fields import Field


class SignInScreen(ForumScreen):
    AUTO_FOCUS = "#handle"

    def __init__(self, notice: str = "") -> None:
        super().__init__()
        self.notice = notice  # e.g. "Your session has ended.": on the screen, not a toast
        self.failed_tries = 0

    def compose(self) -> ComposeResult:
        yield from self.compose_title("forum-tui · peer support for carers")
        with Vertical(id="sign-in"):
            yield Plain("Sign in with your handle (your name here) and password.", classes="lead")
            yield Plain("Handle", classes="field-label")
            yield Field(placeholder="your handle", id="handle", max_length=64, compact=True)
            yield Plain("Password", classes="field-label")
            yield Field(
                placeholder="password", password=True, id="password", max_length=1024, compact=True
            )
            # Right under the password, where the eye is after Enter: on a short screen a
            # line below the button would be off its bottom, and a wrong try would look ignored.
            yield Plain(self.notice, id="sign-in-error")
            yield MarkedButton("Sign in", id="sign-in-button", variant="primary")
        yield from self.compose_footer()

    def report(self, handle: str, result: str) -> None:
        if self.forum.report_sign_in is not None:
            self.forum.report_sign_in(handle, result)

    def say(self, message: str) -> None:
        self.query_one("#sign-in-error", Plain).show(message)

    @on(Input.Submitted, "#handle")
    def next_field(self) -> None:
        self.query_one("#password", Input).focus()

    @on(Input.Submitted, "#password")
    @on(Button.Pressed, "#sign-in-button")
    def submit(self) -> None:
        handle = self.query_one("#handle", Input).value
        password = self.query_one("#password", Input).value
        if not handle.strip() or not password:
            self.say("Please type your handle and password.")
            return
        self.say("Checking…")
        self.sign_in(handle, password)

    @work(exclusive=True, group="sign-in", exit_on_error=False)
    async def sign_in(self, handle: str, password: str) -> None:
        try:
            member = await self.forum.services.accounts.sign_in(
                handle, password, source=self.forum.sign_in_source
            )
        except ForumError as error:  # a wrong password, or a wait: the handle stays typed
            self.report(handle, _result(error))
            self.failed_tries += 1
            # Numbered from the second: the same sentence twice would look like nothing happened.
            tries = f"Try {self.failed_tries}: " if self.failed_tries > 1 else ""
            self.say(f"{tries}{error}")
            password_box = self.query_one("#password", Input)
            password_box.value = ""
            password_box.focus()
            return
        self.report(handle, "ok")
        self.forum.signed_in(member)


def _result(error: ForumError) -> str:
    if isinstance(error, SignInThrottled):
        return "throttled"
    return "fail" if isinstance(error, AuthenticationFailed) else "error"
