"""Kiosk mode, for a shared computer at a drop-in centre (design.md §5).

``forum-tui kiosk`` starts at a sign-in screen with plain instructions. Then:

* **End session** (Ctrl+E) saves any unsent text as the carer's draft on the server, signs
  out, clears the screen and the terminal's scrollback, and shows the sign-in screen again.
* **Hide now** (Ctrl+G, the panic key) covers the screen with a neutral page at once, then
  signs out the same way behind it.
* **Idle sign-out**: after ``idle_after`` (5 minutes) without a key or a click, the same as
  End session; a warning shows ``warn_before`` (30 seconds) before it.
* Quit (Ctrl+Q) ends the session rather than the program, so the next person never gets a
  shell (nor, in an SSH kiosk, a closed connection). The centre closes the kiosk by closing
  its terminal window.

Nothing of one carer is left for the next: every screen they opened is closed (its text
with it), toasts are cleared, live updates stop, and a fresh sign-in screen is made.
Time comes from the app's clock, so tests move it by hand.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen

from forum_tui.ui import live
from forum_tui.ui.keys import TypedRun
from forum_tui.ui.screens.sign_in import SignInScreen
from forum_tui.ui.widgets import Plain

if TYPE_CHECKING:
    from forum_tui.ui.app import ForumApp

# Home, clear the screen, clear the scrollback (xterm's E3, honoured by tmux, VTE, xterm.js).
CLEAR_SCREEN_AND_SCROLLBACK = "\x1b[H\x1b[2J\x1b[3J"

KIOSK_BINDINGS = [
    Binding("ctrl+e", "end_session", "End session", id="end-session", priority=True),
    Binding("ctrl+g", "hide_now", "Hide now", id="hide-now", priority=True),
    # Quit's key, for someone used to it: in a kiosk it ends the session, never the program
    # (or, over SSH, the connection). Not shown: the footer and Help name Ctrl+E for that.
    Binding("ctrl+q", "end_session", "", show=False, id="kiosk-quit", priority=True),
]

KIOSK_KEYS = frozenset(binding.key for binding in KIOSK_BINDINGS)

INSTRUCTIONS = (
    "This computer is shared. Type your handle and password below.\n"
    "When you finish, press Ctrl+E to end your session.\n"
    "Press Ctrl+G to hide the screen at once.\n"
    "After {minutes} with no typing you are signed out: unsent text is kept for you."
)
# The same steps in three short lines, for a screen under 24 rows (a small window, a centre's
# old monitor): with the long ones the Sign in button and any message fell off the bottom.
SHORT_INSTRUCTIONS = (
    "This computer is shared. Type your handle and password.\n"
    "Ctrl+E ends your session. Ctrl+G hides the screen.\n"
    "After {minutes} with no typing you are signed out."
)
TALL_ENOUGH = 24  # rows that the long instructions, the form and a message need


@dataclass(frozen=True)
class KioskSettings:
    idle_after: timedelta = timedelta(minutes=5)
    warn_before: timedelta = timedelta(seconds=30)

    def __post_init__(self) -> None:
        if self.idle_after <= self.warn_before:
            raise ValueError("the idle sign-out must come after its warning")


def minutes(span: timedelta) -> str:
    whole = max(1, round(span.total_seconds() / 60))
    return "1 minute" if whole == 1 else f"{whole} minutes"


class KioskSignInScreen(SignInScreen):
    """The sign-in screen with the steps spelled out, for someone new to computers."""

    DEFAULT_CSS = """
    .kiosk-instructions { height: auto; padding: 1 2 0 2; text-style: bold; }
    KioskSignInScreen #sign-in { padding: 0 2; }
    KioskSignInScreen #kiosk-short { display: none; }
    KioskSignInScreen.-short #kiosk-short { display: block; padding: 0 2; }
    KioskSignInScreen.-short #kiosk-instructions { display: none; }
    KioskSignInScreen.-short .lead { display: none; }
    """
    VERTICAL_BREAKPOINTS = [(0, "-short"), (TALL_ENOUGH, "-tall")]

    def compose(self) -> ComposeResult:
        kiosk = self.forum.kiosk
        idle = minutes(kiosk.settings.idle_after if kiosk else KioskSettings().idle_after)
        parts = iter(super().compose())
        yield next(parts)  # the title bar
        yield Plain(
            INSTRUCTIONS.format(minutes=idle), id="kiosk-instructions", classes="kiosk-instructions"
        )
        yield Plain(
            SHORT_INSTRUCTIONS.format(minutes=idle), id="kiosk-short", classes="kiosk-instructions"
        )
        yield from parts


class NeutralScreen(Screen[None]):
    """What the panic key shows: nothing about the forum, carers or anyone's health."""

    DEFAULT_CSS = """
    NeutralScreen { align: center middle; }
    #neutral { width: 32; max-width: 100%; height: auto; padding: 1 4; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="neutral"):
            yield Plain("Welcome.\n\nPress any key to start.")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        self.dismiss()


class Kiosk:
    """The kiosk's state for one app: when someone last touched a key, and the warning."""

    def __init__(self, app: ForumApp, settings: KioskSettings) -> None:
        self.app = app
        self.settings = settings
        self.last_activity: datetime = app.clock()
        self.warned = False
        self._ending = False

    def touched(self) -> None:
        """A key, click or paste: the person is still there."""
        self.last_activity = self.app.clock()
        if self.warned:
            self.warned = False
            self.app.clear_notifications()

    def answers_warning(self, item: object) -> bool:
        """While "Still there?" shows, the next key only answers it: True when ``item`` was
        that key (used up here), so it never reaches the reply being written. Kiosk keys (End
        session, Hide now) still act at once, and a paste goes in as usual."""
        if isinstance(item, TypedRun):  # printable keys typed in a row: the first answers
            if len(item.chars) > 1:
                self.app.key_inbox.put_back(TypedRun(item.chars[1:]))
        elif not isinstance(item, events.Key) or item.key in KIOSK_KEYS:
            return False
        self.touched()
        return True

    async def check_idle(self) -> None:
        """Runs every second (and from tests, after moving the fake clock)."""
        if self.app.member is None or self._ending:
            return
        idle = self.app.clock() - self.last_activity
        if idle >= self.settings.idle_after:
            await self.end_session(
                notice="You were signed out because nobody used the screen for a while."
            )
        elif idle >= self.settings.idle_after - self.settings.warn_before and not self.warned:
            self.warned = True
            left = int((self.settings.idle_after - idle).total_seconds())
            self.app.notify(
                f"Still there? You will be signed out in {left} seconds. "
                "Press any key to stay signed in.",
                title="Signing out soon",
                severity="warning",
                timeout=left + 5,
                markup=False,
            )

    async def end_session(self, *, panic: bool = False, notice: str = "") -> None:
        """Signs the carer out and leaves nothing of theirs on the screen or in scrollback.

        ``notice`` is said on the new sign-in screen itself, under the password box: a toast
        there would cover the form on a small screen."""
        app = self.app
        if self._ending:
            return
        self._ending = True
        try:
            if panic:
                await app.push_screen(NeutralScreen())  # first, before anything slow
            await live.save_drafts(app)  # the text is kept on the server, for them only
            app.stop_following()
            with app.batch_update():
                while len(app.screen_stack) > 1:
                    await app.pop_screen()
                app.member = None
                app.unsent.clear()  # text the database refused stays with its writer, unseen
                app.clear_notifications()
                await app.push_screen(KioskSignInScreen(notice))
                if panic:
                    await app.push_screen(NeutralScreen())
            self.warned = False
            self.last_activity = app.clock()
            clear_terminal(app)
        finally:
            self._ending = False


def clear_terminal(app: ForumApp) -> None:
    """Wipes the terminal (screen and scrollback), then has Textual draw the screen afresh."""
    driver = app._driver
    if driver is not None and not app.is_headless:
        driver.write(CLEAR_SCREEN_AND_SCROLLBACK)
        with contextlib.suppress(Exception):
            driver.flush()
    app.screen.refresh(layout=True)
    app.refresh(repaint=True, layout=True)
