"""A key flood cannot grow the app without bound (issue 9 §3): checked by counts, not time.

The flood comes from a thread calling ``receive_input`` exactly as the terminal driver's input
thread does, so the inbox's back-pressure (the thread waits while the inbox is full) is what
is tested. The SSH end of it is in tests/ssh/test_keys.py.
"""

from __future__ import annotations

import threading

from textual import events

from forum_tui.domain.text import BODY_MAX
from forum_tui.ui.keys import DRAIN_BATCH, INBOX_MAX, REPEAT_MAX, RUN_MAX, KeyInbox, TypedRun
from forum_tui.ui.screens.home import HomeScreen
from forum_tui.ui.screens.thread import ThreadScreen
from forum_tui.ui.widgets.composer import Composer
from tests.ui.conftest import Forum
from tests.ui.keys_helpers import burst, key_event, until

SIZE = (80, 24)
MEGABYTE = 1024 * 1024


class Flood(threading.Thread):
    """Sends ``count`` copies of ``key`` as the input thread would, noting the longest queues."""

    def __init__(self, app, key: str, count: int) -> None:  # noqa: ANN001
        super().__init__(daemon=True)
        self.app, self.key, self.count = app, key, count
        self.longest_inbox = 0
        self.longest_app_queue = 0
        self.stop = threading.Event()

    def run(self) -> None:
        inbox = self.app.key_inbox
        queue = self.app._message_queue
        for _ in range(self.count):
            if self.stop.is_set():
                return
            self.app.receive_input(key_event(self.key), self.stop.is_set)
            self.longest_inbox = max(self.longest_inbox, len(inbox))
            self.longest_app_queue = max(self.longest_app_queue, queue.qsize())


def test_typed_characters_are_merged_and_a_repeated_key_is_capped() -> None:
    inbox = KeyInbox()
    for char in "x" * (RUN_MAX + 10):
        inbox.put(key_event(char))
    for _ in range(REPEAT_MAX + 500):
        inbox.put(key_event("f5"))
    inbox.put(key_event("y"))
    runs = [inbox.take() for _ in range(2)]
    assert [len(run.chars) for run in runs if isinstance(run, TypedRun)] == [RUN_MAX, 10]
    keys = []
    while isinstance(item := inbox.take(), events.Key):
        keys.append(item.key)
    assert keys == ["f5"] * (REPEAT_MAX + 1)  # the first and REPEAT_MAX repeats
    assert inbox.dropped == 500 - 1
    assert isinstance(item, TypedRun) and item.text == "y"
    assert inbox.take() is None


async def test_a_megabyte_typed_into_a_reply_box_stays_bounded(forum: Forum) -> None:
    app = forum.app(forum.ann)
    told: list[str] = []  # every notice, kept (a toast may expire before the flood ends)
    notify = app.notify

    def noting(message: str, **options: object) -> None:
        told.append(message)
        notify(message, **options)  # type: ignore[arg-type]

    app.notify = noting  # type: ignore[method-assign,assignment]
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(ThreadScreen(forum.respite_thread))
        await until(pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen.view)
        burst(app, "r")
        await until(pilot, lambda: isinstance(app.focused, Composer))
        flood = Flood(app, "x", MEGABYTE)
        flood.start()
        try:
            await until(pilot, lambda: not flood.is_alive() and not len(app.key_inbox), 5000)
        finally:
            flood.stop.set()
        composer = app.screen.query_one("#composer", Composer)
        assert len(composer.text) == BODY_MAX  # the rest was refused, and the member told:
        assert sum("the most a post can hold" in message for message in told) == 1
        assert app.key_inbox.events_in == MEGABYTE + 1  # and the r
        assert flood.longest_inbox <= INBOX_MAX
        # The app's own queue holds what its work posts (a change per insert, a notice) and at
        # most one request to take more keys, never a message per key: 1,048,577 keys left 1–3
        # waiting there, under load too (553 when each empty inbox queued its own request).
        assert flood.longest_app_queue < DRAIN_BATCH


async def test_an_unbound_key_held_on_home_stays_bounded(forum: Forum) -> None:
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.focused)
        flood = Flood(app, "f5", 100_000)
        flood.start()
        try:
            await until(pilot, lambda: not flood.is_alive() and not len(app.key_inbox), 5000)
        finally:
            flood.stop.set()
        assert app.key_inbox.events_in == 100_000
        assert flood.longest_inbox <= REPEAT_MAX + 1
        assert flood.longest_app_queue < 100
        assert app.key_inbox.dropped > 0  # the app fell behind and repeats were dropped
        burst(app, "f1")  # and it still answers a key
        await until(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
