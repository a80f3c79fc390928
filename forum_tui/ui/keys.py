"""Keys and pastes are applied one at a time, in the order they arrived, from a bounded inbox.

Why not Textual's own path: Textual inserts printable characters in a text box's ``_on_key``
but runs bound keys (Backspace, arrows, Tab, Enter) only after the key has bubbled up to the
app, so keys that arrive together — typed ahead over a slow SSH link, or a paste from a
terminal without bracketed paste — are applied out of order (Textual issue #6605): "hello"
then Backspace Backspace "AB" stays "hello"; handle, Tab, password fills the handle box with
both. And every key is a message in an unbounded queue, so a key flood grows the process
without limit (issue 9 §3).

So every key and paste goes into one :class:`KeyInbox`, and the app takes them out in order:

- a key meant for the focused text box (our :class:`~forum_tui.ui.widgets.fields.TypingField`:
  every ``Field`` and ``Composer``) is applied by the box at once, inline — printable characters
  and the box's own editing bindings alike;
- any other key (Tab, Enter that submits, a screen's binding) is handed to Textual as before,
  and the next keys wait until what it set off has settled: the key has travelled up the DOM,
  the handlers it reached have run, focus has moved (:meth:`OrderedInput._settle`);
- runs of printable characters are merged into one insert (a 30 KB paste is a few inserts, not
  30,000 key events), the same non-printable key repeated more than ``REPEAT_MAX`` times in a
  row while the app is behind is dropped, and the driver's input thread waits while the inbox
  is full — the pseudo-terminal then fills and the SSH server stops reading the client — so
  memory stays bounded whatever is typed.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from textual import events
from textual.driver import Driver
from textual.keys import _character_to_key
from textual.message_pump import MessagePump

from forum_tui.domain.text import BODY_MAX

if TYPE_CHECKING:
    from forum_tui.ui.widgets.fields import TypingField

TYPING_HELP = (
    "Type ahead freely: keys are applied in the order you press them. A paste goes in once, "
    f"as plain text (a post holds up to {BODY_MAX:,} characters)."
)

INBOX_MAX = 512  # items waiting before the input thread waits for the app
RUN_MAX = 4096  # printable characters merged into one insert
REPEAT_MAX = 64  # the same non-printable key waiting in a row; more are dropped
DRAIN_BATCH = 64  # items applied before the app's other messages get a turn
SETTLE_ROUNDS = 4  # focus may move more than once after a key (submit, then a new screen)
SETTLE_WAIT = 2.0  # seconds: a safety net for a widget that closes before it answers


@dataclass
class TypedRun:
    """Printable characters typed in a row, applied as one insert when a text box has focus."""

    chars: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.chars)


Item = events.Key | events.Paste | TypedRun


def typed_character(event: events.Event) -> str | None:
    """The character a key types, if it is a plain printable key (not Alt+x and the like)."""
    if not isinstance(event, events.Key) or not event.is_printable:
        return None
    char = event.character
    if char is None or len(char) != 1:
        return None
    return char if event.key in (char, _character_to_key(char)) else None


class KeyInbox:
    """Keys and pastes waiting for the app, in arrival order, coalesced and bounded.

    ``put`` is called by the driver's input thread (which may wait) and by the app's own
    loop (which never waits); ``take`` only by the app.
    """

    def __init__(
        self, limit: int = INBOX_MAX, run_max: int = RUN_MAX, repeat_max: int = REPEAT_MAX
    ) -> None:
        self.limit = limit
        self.run_max = run_max
        self.repeat_max = repeat_max
        self.dropped = 0  # repeated keys dropped while the app was behind
        self.events_in = 0  # key and paste events received
        self._items: deque[Item] = deque()
        self._repeats = 0  # how many of the waiting items repeat the last one's key
        self._ready = threading.Condition()

    def __len__(self) -> int:
        return len(self._items)

    def put(self, event: events.Key | events.Paste, stop: Callable[[], bool] | None = None) -> bool:
        """Adds ``event``; True when the inbox was empty (so the app must be told).

        With ``stop`` (the input thread), waits while the inbox is full, until there is room
        or ``stop()`` is true.
        """
        with self._ready:
            if stop is not None:
                while len(self._items) >= self.limit and not stop():
                    self._ready.wait(0.1)
            was_empty = not self._items
            self.events_in += 1
            self._add(event)
            return was_empty

    def _add(self, event: events.Key | events.Paste) -> None:
        items = self._items
        last = items[-1] if items else None
        char = typed_character(event)
        if char is not None:
            self._repeats = 0
            if isinstance(last, TypedRun) and len(last.chars) < self.run_max:
                last.chars.append(char)
            else:
                items.append(TypedRun([char]))
            return
        if isinstance(event, events.Key) and isinstance(last, events.Key) and last.key == event.key:
            if self._repeats >= self.repeat_max:
                self.dropped += 1
                return
            self._repeats += 1
        else:
            self._repeats = 0
        items.append(event)

    def take(self) -> Item | None:
        with self._ready:
            if not self._items:
                return None
            item = self._items.popleft()
            self._repeats = min(self._repeats, max(0, len(self._items) - 1))
            self._ready.notify_all()
            return item

    def put_back(self, item: Item) -> None:
        """Returns the unapplied rest of an item to the front (a run split into keys)."""
        with self._ready:
            self._items.appendleft(item)


class OrderedInput:
    """The app half, mixed into the App: takes keys and pastes from the inbox, in order.

    Whatever driver the app is given (Textual's, or the SSH session's) is wrapped by
    :func:`ordered_driver` when it is set, so its input thread feeds the inbox.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_inbox = KeyInbox()
        self._settling = False
        self._draining = False
        self._drain_asked = False  # a drain is waiting in the app's queue
        self._settle_task: asyncio.Task[None] | None = None

    @property
    def driver_class(self) -> type[Driver]:
        return self._ordered_driver_class

    @driver_class.setter
    def driver_class(self, base: type[Driver]) -> None:
        self._ordered_driver_class = ordered_driver(base)

    def receive_input(self, event: events.Key | events.Paste, stop: Callable[[], bool]) -> None:
        """From the driver's input thread: queue ``event``, waiting while the inbox is full."""
        if self.key_inbox.put(event, stop):
            self._ask_drain()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            self.key_inbox.put(event)
            await self._drain_input()  # now, before the app's next message
            return
        await super().on_event(event)

    def _ask_drain(self) -> None:
        """Queues one drain; one already waiting serves every key that arrives before it runs.

        Without this the input thread queued a drain each time it found the inbox empty, and a
        flood the app kept pace with left hundreds of them waiting in the app's queue.
        """
        if not self._drain_asked:
            self._drain_asked = True
            self.call_later(self._asked_drain)

    async def _asked_drain(self) -> None:
        self._drain_asked = False  # before taking: a key put after this asks again
        await self._drain_input()

    async def _drain_input(self) -> None:
        if self._draining or self._settling:
            return
        self._draining = True
        try:
            for _ in range(DRAIN_BATCH):
                if self._settling:
                    return
                item = self.key_inbox.take()
                if item is None:
                    return
                await self._apply_input(item)
            self._ask_drain()  # more waiting: let other messages in first
        finally:
            self._draining = False

    def _typing_target(self) -> TypingField | None:
        from forum_tui.ui.widgets.fields import TypingField

        focused = self.focused
        return focused if isinstance(focused, TypingField) else None

    def _has_priority_binding(self, chars: set[str]) -> bool:
        keys = {_character_to_key(char) for char in chars} | chars
        for _node, bindings in self.screen._binding_chain:
            for key in keys:
                if any(b.priority for b in bindings.key_to_bindings.get(key, ())):
                    return True
        return False

    async def _apply_input(self, item: Item) -> None:
        if isinstance(item, TypedRun):
            box = self._typing_target()
            if box is not None and not self._has_priority_binding(set(item.chars)):
                box.type_text(item.text)
                return
            # Not a text box: each character is a key, which may be a binding.
            first, rest = item.chars[0], item.chars[1:]
            if rest:
                self.key_inbox.put_back(TypedRun(rest))
            item = events.Key(_character_to_key(first), first)
        if isinstance(item, events.Paste):
            box = self._typing_target()
            if box is not None:
                box.paste_text(item.text)
                return
            target = self.focused or self.screen
            target._forward_event(item)
            self._settle(target)
            return
        await self._apply_key(item)

    async def _apply_key(self, event: events.Key) -> None:
        """Textual's own key path (``App.on_event``), with text boxes served inline."""
        from forum_tui.ui.widgets.fields import KeyOutcome

        self.app_focus = True
        if self.screen.maximized is not None and event.key == "escape" and self.escape_to_minimize:
            self.screen.minimize()
            return
        if self.focused is not None:
            with contextlib.suppress(Exception):
                self.screen._clear_tooltip()
        if await self._check_bindings(event.key, priority=True):
            self._settle(self.focused or self.screen)
            return
        box = self._typing_target()
        if box is not None:
            outcome = await box.apply_key(event)
            if outcome is KeyOutcome.EDITED:
                return
            if outcome is KeyOutcome.SUBMITTED:
                self._settle(box)
                return
        target = self.focused or self.screen
        target._forward_event(event)
        self._settle(target)

    def _settle(self, start: MessagePump) -> None:
        """Holds the next keys until what the last one set off has settled."""
        self._settling = True
        self._settle_task = asyncio.create_task(self._settled(start))

    async def _settled(self, start: MessagePump) -> None:
        try:
            pumps = _path_up(start)
            for _round in range(SETTLE_ROUNDS):
                where = (self.screen, self.focused)
                for pump in pumps:
                    await _through(pump)
                if (self.screen, self.focused) == where:
                    break
                pumps = _path_up(self.focused or self.screen)
        finally:
            self._settling = False
            self._ask_drain()


def _path_up(start: MessagePump) -> list[MessagePump]:
    """``start`` and every node a message from it bubbles through, up to the app."""
    path: list[MessagePump] = []
    node: MessagePump | None = start
    while node is not None:
        path.append(node)
        node = node._parent
    return path


async def _through(pump: MessagePump) -> None:
    """Waits until ``pump`` has handled every message queued on it before now."""
    done = asyncio.Event()
    if not pump.call_later(done.set):
        return  # closed: nothing more will happen there
    waiter = asyncio.ensure_future(done.wait())
    watch: set[asyncio.Future[Any]] = {waiter}
    task = pump._task
    if task is not None and not task.done():
        watch.add(task)
    try:
        await asyncio.wait(watch, timeout=SETTLE_WAIT, return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiter.cancel()


def ordered_driver(base: type[Driver]) -> type[Driver]:
    """``base`` (Textual's terminal driver) sending keys and pastes to the app's inbox.

    The input thread waits while the inbox is full instead of queueing without end: the
    terminal (or the SSH server's pseudo-terminal) then stops being read, which is the
    back-pressure that keeps a key flood from growing the process.
    """
    if getattr(base, "ordered", False):
        return base

    class OrderedDriver(base):  # type: ignore[valid-type,misc]
        ordered = True

        def send_message(self, message: Any) -> None:
            app = self._app
            if isinstance(message, (events.Key, events.Paste)) and isinstance(app, OrderedInput):
                exit_event = getattr(self, "exit_event", None)
                stop = exit_event.is_set if exit_event is not None else (lambda: False)
                app.receive_input(message, stop)
                return
            super().send_message(message)

    OrderedDriver.__name__ = OrderedDriver.__qualname__ = f"Ordered{base.__name__}"
    return OrderedDriver
