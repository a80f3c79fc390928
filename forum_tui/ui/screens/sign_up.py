"""Joining with an invite code: ``ssh new@host`` opens this screen.

An invite code (from a group leader or an admin), a handle, a password typed twice and,
optionally, an SSH public key to paste. Everything shown is plain text; every refusal says
what to change, and what was typed stays in the boxes (except a mistyped password pair).
"""

from __future__ import annotations

import asyncio

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, TextArea

from forum_tui.domain.errors import ForumError
from forum_tui.services.accounts import PASSWORD_MIN
from forum_tui.ui.screens.base import ForumScreen
from forum_tui.ui.widgets import Plain
from forum_tui.ui.widgets.button import MarkedButton
from forum_tui.ui.widgets.composer import Composer
from forum_tui.ui.widgets.fields import Field

# A refused code costs the person typing it a second: nothing to a carer, a lot to a script.
REFUSAL_PAUSE = 1.0

FIELDS = ("#code", "#handle", "#password", "#password-again", "#public-key")


class SignUpScreen(ForumScreen):
    AUTO_FOCUS = "#code"
    BINDINGS = [
        Binding("ctrl+s", "join", "Join", id="join", priority=True),
    ]
    DEFAULT_CSS = """
    SignUpScreen #sign-up { height: 1fr; padding: 0 1; }
    SignUpScreen .lead { margin-bottom: 1; }
    SignUpScreen .row { height: auto; margin-bottom: 1; }
    SignUpScreen .row Plain { width: 17; }
    SignUpScreen .row Input { width: 1fr; }
    SignUpScreen #public-key { height: 4; width: 1fr; }
    SignUpScreen #sign-up-error { height: auto; text-style: bold; margin-top: 1; }
    """

    def compose(self) -> ComposeResult:
        yield from self.compose_title("forum-tui · join with an invite code")
        with VerticalScroll(id="sign-up", can_focus=False):
            yield Plain(
                "Welcome. Type the invite code a group leader gave you. Then choose a handle "
                "and a password. Your handle is the name others see. It need not be your "
                "real name.",
                classes="lead",
            )
            with Horizontal(classes="row"):
                yield Plain("Invite code")
                yield Field(placeholder="ABCD-EFGH-JKMN", id="code", max_length=40, compact=True)
            with Horizontal(classes="row"):
                yield Plain("Handle")
                yield Field(placeholder="3 to 32: a-z 0-9 _ . -", id="handle", compact=True)
            with Horizontal(classes="row"):
                yield Plain("Password")
                yield Field(
                    placeholder=f"at least {PASSWORD_MIN} characters",
                    password=True,
                    id="password",
                    max_length=1024,
                    compact=True,
                )
            with Horizontal(classes="row"):
                yield Plain("Password again")
                yield Field(password=True, id="password-again", max_length=1024, compact=True)
            yield Plain(
                "You can skip this. To sign in next time with a key, not a password, paste "
                "your public key here: one line that starts with ssh-ed25519."
            )
            yield Composer(id="public-key", compact=True)
            yield MarkedButton("Join", id="join-button", variant="primary", compact=True)
            yield Plain("", id="sign-up-error")
        yield from self.compose_footer()

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        index = FIELDS.index(f"#{event.input.id}")
        self.query_one(FIELDS[index + 1]).focus()

    @on(Button.Pressed, "#join-button")
    def action_join(self) -> None:
        error = self.query_one("#sign-up-error", Plain)
        code, handle = self._value("#code").strip(), self._value("#handle").strip()
        password, again = self._value("#password"), self._value("#password-again")
        if not code or not handle or not password:
            error.show("Please fill in the invite code, a handle and a password.")
            return
        if password != again:
            error.show("The two passwords are not the same: please type them again.")
            for selector in ("#password", "#password-again"):
                self.query_one(selector, Input).value = ""
            self.query_one("#password", Input).focus()
            return
        key = self.query_one("#public-key", TextArea).text
        error.show("Checking…")
        self.join(code, handle, password, key)

    @work(exclusive=True, group="sign-up", exit_on_error=False)
    async def join(self, code: str, handle: str, password: str, key: str) -> None:
        try:
            member = await self.forum.services.access.sign_up(code, handle, password, key or None)
        except ForumError as problem:
            await asyncio.sleep(REFUSAL_PAUSE)
            self.query_one("#sign-up-error", Plain).show(str(problem))
            return
        self.forum.tell(
            f"Welcome, {member.handle}. Next time, connect as ssh {member.handle}@… "
            "(the same address as today) and sign in with your password."
        )
        self.forum.signed_in(member)
