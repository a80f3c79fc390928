"""The sign-in throttle every way in shares: the SSH door, and the sign-in screen of the app in
a kiosk, a browser tab, the local terminal and an SSH kiosk account (``ssh kiosk@HOST``).

Failures are counted in the database, so every app process (one per SSH session or browser
tab) and every server restart sees the same counts: a guesser cannot start a fresh process to
start a fresh count. The keys are the handle as sign-in looks it up (``handle:…``) and, where
the way in knows one, the place the attempt comes from (``ip:ADDRESS`` for SSH; a browser tab
and the local app know none, so only the handle counts there).

The policy is the SSH door's (:class:`~forum_tui.domain.throttle.ThrottleSettings`): after 3
failures in a row each try waits 1 s, doubling to at most 120 s, and an hour of quiet forgets.
As in the door's in-memory throttle (``ssh/throttle.py``), an attempt is counted as failed
*before* the password is checked, in the same transaction as the check of the block, and taken
back if it proves right: twenty wrong passwords sent at once are counted as twenty. A refused
attempt is not counted, so a blocked handle gets a window at least every two minutes and
nobody is ever locked out for good.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from forum_tui.domain.errors import SignInThrottled
from forum_tui.domain.text import sign_in_key
from forum_tui.domain.throttle import ThrottleSettings
from forum_tui.services._common import Clock, Service, utcnow
from forum_tui.store.database import Database
from forum_tui.store.throttle_tables import SignInFailureRow

HANDLE_WAIT = "Too many wrong tries for this handle. Please wait {wait} and try again."
SOURCE_WAIT = "Too many wrong tries from this connection. Please wait {wait} and try again."


def handle_key(handle: str) -> str:
    """The throttle's key for a handle: the same for every spelling that signs in as it."""
    return f"handle:{sign_in_key(handle)}"


def in_seconds(wait: int) -> str:
    return "1 second" if wait == 1 else f"{wait} seconds"


@dataclass(frozen=True)
class _Count:
    failures: int
    last_failure: datetime
    blocked_until: datetime


@dataclass
class CountedAttempt:
    """An attempt already counted as failed on ``keys``; see :meth:`SignInThrottle.begin`."""

    keys: tuple[str, ...]
    before: dict[str, _Count | None] = field(default_factory=dict)
    counted: dict[str, int] = field(default_factory=dict)


class SignInThrottle(Service):
    def __init__(
        self, db: Database, clock: Clock = utcnow, settings: ThrottleSettings | None = None
    ) -> None:
        super().__init__(db, clock)
        self.settings = settings or ThrottleSettings()

    def _fresh(self, row: SignInFailureRow | None, now: datetime) -> SignInFailureRow | None:
        """The row, unless it has been quiet long enough to be forgotten (or counts nothing)."""
        forget = timedelta(seconds=self.settings.forget_after)
        if row is None or row.failures <= 0 or now - row.last_failure > forget:
            return None
        return row

    async def _locked(
        self, session: AsyncSession, keys: tuple[str, ...], now: datetime
    ) -> dict[str, SignInFailureRow]:
        """Each key's row, made if missing and locked until the transaction ends, so two
        attempts on one key count one after the other (SQLite's writes are serial anyway)."""
        insert = postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert
        for key in keys:  # sorted by the caller: two attempts lock in the same order
            await session.execute(
                insert(SignInFailureRow)
                .values(key=key, failures=0, last_failure=now, blocked_until=now)
                .on_conflict_do_nothing(index_elements=["key"])
            )
        rows = await session.scalars(
            select(SignInFailureRow)
            .where(SignInFailureRow.key.in_(keys))
            .order_by(SignInFailureRow.key)
            .with_for_update()
        )
        return {row.key: row for row in rows}

    async def begin(self, handle: str, source: str | None = None) -> CountedAttempt:
        """Starts a sign-in attempt for ``handle`` from ``source`` (``ip:ADDRESS``, or None).

        Refuses (:class:`SignInThrottled`, with the wait in whole seconds) while the handle or
        the source is blocked; the refusal is not counted. Otherwise counts the attempt as a
        failure before any password is checked: the caller then calls :meth:`succeeded` for a
        right password or :meth:`not_tried` when it could not check it.
        """
        keys = tuple(sorted({handle_key(handle), *([source] if source else [])}))
        async with self.db.write() as session:
            now = self.now()
            rows = await self._locked(session, keys, now)
            waits = {}
            for key in keys:
                row = self._fresh(rows.get(key), now)
                if row is not None and row.blocked_until > now:
                    waits[key] = (row.blocked_until - now).total_seconds()
            if waits:
                wait = math.ceil(max(waits.values()))
                words = HANDLE_WAIT if handle_key(handle) in waits else SOURCE_WAIT
                raise SignInThrottled(words.format(wait=in_seconds(wait)), wait)
            attempt = CountedAttempt(keys)
            for key in keys:
                row = rows[key]
                fresh = self._fresh(row, now)
                attempt.before[key] = (
                    _Count(row.failures, row.last_failure, row.blocked_until) if fresh else None
                )
                row.failures = (row.failures if fresh else 0) + 1
                row.last_failure = now
                row.blocked_until = now + timedelta(seconds=self.settings.delay_after(row.failures))
                attempt.counted[key] = row.failures
            return attempt

    async def succeeded(self, attempt: CountedAttempt, handle: str) -> None:
        """The password was right: the handle starts afresh, and the attempt's count is taken
        back from its source (never cleared: one good account must not reset an address that
        is guessing others). Rows quiet for longer than the policy remembers are pruned."""
        await self._take_back(attempt, clear=handle_key(handle))

    async def not_tried(self, attempt: CountedAttempt) -> None:
        """The password could not be checked (the database failed, the client left): the
        attempt's count is taken back."""
        await self._take_back(attempt, clear=None)

    async def _take_back(self, attempt: CountedAttempt, clear: str | None) -> None:
        async with self.db.write() as session:
            rows = {
                row.key: row
                for row in await session.scalars(
                    select(SignInFailureRow)
                    .where(SignInFailureRow.key.in_(attempt.keys))
                    .order_by(SignInFailureRow.key)
                    .with_for_update()
                )
            }
            for key in attempt.keys:
                row = rows.get(key)
                if row is None:
                    continue
                before = attempt.before.get(key)
                if key == clear or (row.failures == attempt.counted.get(key) and before is None):
                    await session.delete(row)
                elif row.failures == attempt.counted.get(key) and before is not None:
                    # Nothing counted since: as it was.
                    row.failures = before.failures
                    row.last_failure = before.last_failure
                    row.blocked_until = before.blocked_until
                elif key in attempt.counted:  # others failed meanwhile: keep theirs, drop ours
                    row.failures = max(0, row.failures - 1)
            if clear is not None:
                cutoff = self.now() - timedelta(seconds=self.settings.forget_after)
                await session.execute(
                    delete(SignInFailureRow).where(SignInFailureRow.last_failure < cutoff)
                )

    async def wait_time(self, handle: str, source: str | None = None) -> float:
        """Seconds until ``handle`` (from ``source``) may try again; 0: go ahead."""
        keys = [handle_key(handle), *([source] if source else [])]
        async with self.db.read() as session:
            now = self.now()
            rows = await session.scalars(
                select(SignInFailureRow).where(SignInFailureRow.key.in_(keys))
            )
            waits = [0.0]
            for row in rows:
                fresh = self._fresh(row, now)
                if fresh is not None:
                    waits.append((fresh.blocked_until - now).total_seconds())
            return max(0.0, *waits)
