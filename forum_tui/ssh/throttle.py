"""Throttles for the SSH server: failed sign-ins (per address and per handle) and key floods.

Both take a clock so tests can move time by hand.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from forum_tui.domain.throttle import ThrottleSettings

Clock = Callable[[], float]
__all__ = ["Attempt", "FailureThrottle", "ThrottleSettings", "TokenBucket"]


@dataclass
class _Record:
    failures: int
    last_failure: float
    blocked_until: float


@dataclass
class Attempt:
    """One sign-in attempt, already counted as a failure on its keys (see ``begin``).

    ``wait`` > 0 means it was refused without being counted: try again after that long.
    """

    keys: tuple[str, ...]
    wait: float = 0.0
    before: dict[str, _Record | None] = field(default_factory=dict)
    counted: dict[str, int] = field(default_factory=dict)


class FailureThrottle:
    """Counts failed sign-ins per key (an address, a handle) and says how long to wait.

    The server calls ``begin`` *before* it verifies a password. While a key is blocked the
    attempt fails without the hash being computed, so a guesser cannot spend our CPU either.
    Otherwise the attempt is counted as a failure at once, and taken back if the password turns
    out right: so twenty wrong passwords sent in parallel are throttled exactly as twenty sent
    one after another (a check-then-count would let them all through before the first counted).
    Blocked attempts do not extend the block, so a member whose handle is being guessed gets
    a window at least every ``max_delay`` seconds (and public-key sign-in is never blocked).
    """

    def __init__(self, settings: ThrottleSettings | None = None, clock: Clock = time.monotonic):
        self.settings = settings or ThrottleSettings()
        self.clock = clock
        self._records: OrderedDict[str, _Record] = OrderedDict()

    def _current(self, key: str, now: float) -> _Record | None:
        record = self._records.get(key)
        if record is not None and now - record.last_failure > self.settings.forget_after:
            del self._records[key]
            return None
        return record

    def wait_time(self, *keys: str) -> float:
        """Seconds until any of ``keys`` may try again (0: go ahead)."""
        now = self.clock()
        waits = [0.0]
        for key in keys:
            record = self._current(key, now)
            if record is not None:
                waits.append(record.blocked_until - now)
        return max(waits)

    def begin(self, *keys: str) -> Attempt:
        """Starts an attempt: refused (``wait`` > 0) or counted as failed until ``succeeded``
        or ``not_tried`` says otherwise. Check and count happen with no await in between."""
        wait = self.wait_time(*keys)
        if wait > 0:
            return Attempt(keys, wait=wait)
        now = self.clock()
        before = {}
        for key in keys:
            record = self._current(key, now)
            before[key] = _Record(**vars(record)) if record is not None else None
        self.failed(*keys)
        counted = {key: self._records[key].failures for key in keys if key in self._records}
        return Attempt(keys, before=before, counted=counted)

    def succeeded(self, attempt: Attempt, clear: str) -> None:
        """The password was right: ``clear`` (the handle's key) starts afresh, and the
        attempt's count is taken back from its other keys (never cleared: one good account
        must not reset an address that is guessing others)."""
        self._records.pop(clear, None)
        self.not_tried(attempt)

    def not_tried(self, attempt: Attempt) -> None:
        """The password could not be checked (the database failed): take the count back."""
        for key in attempt.keys:
            record = self._records.get(key)
            if record is None or key not in attempt.counted:
                continue
            before = attempt.before.get(key)
            if record.failures == attempt.counted[key]:  # nothing counted since: as it was
                if before is None:
                    del self._records[key]
                else:
                    self._records[key] = before
            else:  # others failed meanwhile: keep theirs, drop ours
                record.failures = max(0, record.failures - 1)

    def failed(self, *keys: str) -> None:
        now = self.clock()
        s = self.settings
        for key in keys:
            record = self._current(key, now) or _Record(0, now, now)
            record.failures += 1
            record.last_failure = now
            if record.failures >= s.start_after:
                record.blocked_until = now + s.delay_after(record.failures)
            self._records[key] = record
            self._records.move_to_end(key)
        while len(self._records) > s.max_entries:
            self._records.popitem(last=False)


class TokenBucket:
    """Input allowance for one SSH channel: ``burst`` bytes at once, ``rate`` bytes a second.

    ``take`` never refuses bytes already received (dropping part of an escape sequence or a
    paste would corrupt what the app sees); it returns how long the caller should stop
    reading, which pushes back on the client through SSH flow control.
    """

    def __init__(self, rate: float, burst: float, clock: Clock = time.monotonic) -> None:
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self.tokens = burst
        self.updated = clock()

    def take(self, amount: int) -> float:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        self.tokens -= amount
        return 0.0 if self.tokens >= 0 else -self.tokens / self.rate
