"""The app's side of live updates and of hanging up.

* :func:`follow_changes` runs for as long as a member is signed in: it reads the services'
  change feed and posts a :class:`ForumChanged` to every screen on the stack; each screen
  decides whether the topic concerns it. It is a plain asyncio task, not a Textual worker,
  because it never ends: ``app.workers.wait_for_complete()`` (how tests, and anything else,
  wait for the app's work to be done) would never return with it among the workers.
* :func:`catch_hang_up`: an SSH session that drops sends its app process SIGHUP (then
  SIGTERM). Python's default for both is to die on the spot, losing up to the last 0.6 s of
  typing (the draft debounce). Instead every open draft is saved and any post being committed
  is let finish; then the app exits. The terminal is usually gone by then, and Textual's
  shutdown writes to it first (restoring modes) through a bounded queue whose writer thread
  died on the closed pty, which blocks for ever (seen with tmux kill-session). Nothing is left
  to lose at that point, so if the exit has not finished within ``STUCK_AFTER`` seconds the
  process ends itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from forum_tui.services._writes import finish_writes
from forum_tui.services.changes import Change

if TYPE_CHECKING:
    from forum_tui.ui.app import ForumApp

log = logging.getLogger(__name__)

HANG_UP_SIGNALS = (signal.SIGHUP, signal.SIGTERM)
SAVE_GRACE = 5.0  # seconds the drafts may take to save after a hang-up before the app exits
STUCK_AFTER = 3.0  # seconds a clean exit may take once everything is saved
RESTART_AFTER = 2.0  # seconds before following changes again should the follower itself fail


@dataclass
class ForumChanged(Message, bubble=False):
    """Something changed in the forum: ``thread:<id>``, ``group:<id>``, ``post:<id>`` or ``*``."""

    topic: str

    @property
    def change(self) -> Change:
        return Change(self.topic)

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ForumChanged) and message.topic == self.topic


async def follow_changes(app: ForumApp) -> None:
    """Tells the open screens about every change, until the feed closes. Never raises."""
    while True:
        try:
            async for change in app.services.changes.watch():
                for screen in list(app.screen_stack):
                    screen.post_message(ForumChanged(change.topic))
            return
        except Exception:  # a bug here must not take a carer's session down with it
            log.exception("following forum changes failed; trying again")
            await asyncio.sleep(RESTART_AFTER)


async def save_drafts(app: ForumApp) -> None:
    """Saves what is typed in every screen that keeps a draft, now (no debounce)."""
    from forum_tui.ui.screens.drafting import DraftingScreen

    for screen in list(app.screen_stack):
        if isinstance(screen, DraftingScreen):
            await screen.flush_draft()


def catch_hang_up(app: ForumApp) -> Callable[[], None]:
    """Saves drafts, then exits, on SIGHUP or SIGTERM. Returns how to undo it."""
    loop = asyncio.get_running_loop()
    leaving: list[asyncio.Task[None]] = []

    def hung_up() -> None:
        if not leaving:  # SIGTERM usually follows SIGHUP: one save is enough
            leaving.append(loop.create_task(_save_and_exit(app)))

    for number in HANG_UP_SIGNALS:
        loop.add_signal_handler(number, hung_up)

    def undo() -> None:
        for number in HANG_UP_SIGNALS:
            loop.remove_signal_handler(number)

    return undo


async def _save_and_exit(app: ForumApp) -> None:
    try:
        await asyncio.wait_for(save_drafts(app), SAVE_GRACE)
    except Exception:
        log.exception("drafts could not all be saved on hang-up")
    try:
        await finish_writes()  # a reply being sent as the line dropped still lands
    finally:
        _end_process_if_stuck(STUCK_AFTER)
        app.exit()


def _end_process_if_stuck(after: float) -> None:
    """A last resort once nothing is left to save: see the module docstring."""

    def end() -> None:
        with contextlib.suppress(Exception):
            logging.shutdown()
        os._exit(0)

    timer = threading.Timer(after, end)
    timer.daemon = True  # a clean exit ends the process before it fires
    timer.start()
