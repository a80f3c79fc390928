"""The sign-in throttle's policy, shared by the SSH door's in-memory throttle
(``forum_tui/ssh/throttle.py``) and the database-backed one every way in goes through
(``forum_tui/services/sign_in_throttle.py``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ThrottleSettings:
    """After ``start_after`` failures in a row, each further attempt waits ``base_delay`` seconds,
    doubling with every failure up to ``max_delay``. A key that has been quiet for
    ``forget_after`` seconds starts afresh, so nobody is ever locked out for good."""

    start_after: int = 3
    base_delay: float = 1.0
    max_delay: float = 120.0
    forget_after: float = 3600.0
    max_entries: int = 100_000  # the in-memory throttle's bound (the database has none)

    def delay_after(self, failures: int) -> float:
        """Seconds to wait after ``failures`` failures in a row (0: none yet)."""
        if failures < self.start_after:
            return 0.0
        return min(self.base_delay * 2 ** (failures - self.start_after), self.max_delay)
