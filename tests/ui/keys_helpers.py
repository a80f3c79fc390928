"""Sending keys the way a slow link delivers them: many at once, nobody waiting in between."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from forum_tui.ui.app import ForumApp

NAMED = {"enter": "\r", "tab": "\t", "backspace": "\x7f", "escape": "\x1b"}


def key_event(key: str) -> events.Key:
    """``"a"`` types a; longer names are keys (``"backspace"``, ``"ctrl+s"``, ``"shift+tab"``)."""
    if len(key) == 1:
        return events.Key(_character_to_key(key), key)
    return events.Key(key, NAMED.get(key))


def burst(app: ForumApp, *keys: str) -> None:
    """Posts every key to the app at once, as one read from a terminal would."""
    for key in keys:
        app.post_message(key_event(key))


def typed(text: str) -> list[str]:
    return list(text)


async def until(pilot: Pilot[None], condition: Callable[[], object], rounds: int = 200) -> None:
    """Waits for ``condition``, a bounded number of idle rounds (never a fixed sleep)."""
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause()
        # A worker of a screen that was just left is cancelled with it: that is not a failure.
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
    assert condition(), "the condition never became true"
