"""Accounts: creating members and signing in."""

from __future__ import annotations

import asyncio
import contextlib
from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from forum_tui.domain.enums import MemberState, Role
from forum_tui.domain.errors import AuthenticationFailed, ForumError, ValidationError
from forum_tui.domain.models import Member
from forum_tui.domain.text import (
    check_handle_available_shape,
    clean_display_name,
    clean_handle,
    handle_key,
    sign_in_key,
)
from forum_tui.services._common import (
    Clock,
    Service,
    load_member,
    member_by_handle,
    member_from_row,
    utcnow,
)
from forum_tui.services.sign_in_throttle import SignInThrottle
from forum_tui.store.database import Database
from forum_tui.store.tables import MemberRow

PASSWORD_MIN = 8
PASSWORD_MAX = 1024
SIGN_IN_FAILED = "That handle and password do not match an account. Please check and try again."

# argon2id, RFC 9106's low-memory profile (the library's defaults: 3 passes over 64 MiB, about
# 0.13 s a hash here). The test suite hashes with a cheaper profile of its own
# (tests/conftest.py); a hash records its own parameters, so either verifies anywhere.
HASH_PARAMETERS = profiles.RFC_9106_LOW_MEMORY
_hasher = PasswordHasher.from_parameters(HASH_PARAMETERS)


@cache
def _dummy_hash() -> str:
    """Verified when the handle is unknown, so both failures take the same time.

    Made on first use, not at import: every CLI command imports this module.
    """
    return _hasher.hash("not a real password; equalises sign-in timing")


def _check_password_shape(password: str) -> None:
    if len(password) < PASSWORD_MIN:
        raise ValidationError(f"A password needs at least {PASSWORD_MIN} characters.")
    if len(password) > PASSWORD_MAX:
        raise ValidationError(f"A password can have at most {PASSWORD_MAX} characters.")


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


class AccountService(Service):
    def __init__(
        self, db: Database, clock: Clock = utcnow, throttle: SignInThrottle | None = None
    ) -> None:
        super().__init__(db, clock)
        self.throttle = throttle or SignInThrottle(db, clock)

    async def add_member(
        self,
        handle: str,
        *,
        password: str | None = None,
        role: Role = Role.CARER,
        display_name: str | None = None,
        allow_reserved: bool = False,
    ) -> Member:
        """Creates an account. Operators call this (CLI); sign-up by invite comes later.

        Refuses handles that are malformed or look like an existing one, and reserved handles
        ("admin", "moderator", look-alikes of them) unless ``allow_reserved`` is set: only the
        operator at the command line sets it, to name real staff and admin accounts.
        """
        handle = clean_handle(handle) if allow_reserved else check_handle_available_shape(handle)
        name = clean_display_name(display_name) if display_name else None
        password_hash = None
        if password is not None:
            _check_password_shape(password)
            password_hash = await asyncio.to_thread(_hasher.hash, password)
        key = handle_key(handle)
        async with self.db.write() as session:
            taken = await session.scalar(select(MemberRow.id).where(MemberRow.handle_key == key))
            if taken is not None:
                raise ValidationError(
                    f"The handle {handle} is taken (or looks too like one that is)."
                )
            row = MemberRow(
                handle=handle,
                handle_key=key,
                display_name=name,
                role=str(role),
                state=str(MemberState.ACTIVE),
                password_hash=password_hash,
                created_at=self.now(),
            )
            session.add(row)
            await session.flush()
            return member_from_row(row)

    async def set_password(self, handle: str, password: str) -> None:
        """Operators set or reset a member's password."""
        _check_password_shape(password)
        password_hash = await asyncio.to_thread(_hasher.hash, password)
        async with self.db.write() as session:
            row = await member_by_handle(session, handle)
            row.password_hash = password_hash

    async def sign_in(self, handle: str, password: str, *, source: str | None = None) -> Member:
        """Checks a handle and password. Unknown handle and wrong password look the same.

        Anyone may call this; every way in does (the SSH door, the sign-in screen of the app,
        a kiosk, a browser tab). It goes through the shared sign-in throttle first: refuses
        with :class:`SignInThrottled` (the wait in seconds, nothing checked) while the handle,
        or ``source`` (``ip:ADDRESS`` when the caller knows where the attempt comes from), has
        had too many wrong tries lately. A suspended member may still sign in and read; every
        write refuses them. The hash is verified off the event loop so other sessions stay
        responsive.
        """
        attempt = await self.throttle.begin(handle, source)
        try:
            member = await self._check_password(handle, password)
        except AuthenticationFailed:
            raise  # counted by ``begin``
        except BaseException:  # the database failed or the caller left: never judged
            with contextlib.suppress(ForumError):
                await asyncio.shield(self.throttle.not_tried(attempt))
            raise
        with contextlib.suppress(ForumError):  # the password was right: never refuse it now
            await self.throttle.succeeded(attempt, handle)
        return member

    async def _check_password(self, handle: str, password: str) -> Member:
        key = sign_in_key(handle)
        async with self.db.read() as session:
            row = (
                await session.execute(select(MemberRow).where(MemberRow.handle_key == key))
            ).scalar_one_or_none()
            member = member_from_row(row) if row is not None else None
            stored = row.password_hash if row is not None else None
        password = password[:PASSWORD_MAX]
        ok = await asyncio.to_thread(_verify, stored or _dummy_hash(), password)
        if not ok or member is None or stored is None or member.state is MemberState.ERASED:
            raise AuthenticationFailed(SIGN_IN_FAILED)
        return member

    async def get_member(self, member_id: int) -> Member:
        async with self.db.read() as session:
            return member_from_row(await load_member(session, member_id))

    async def find_member(self, handle: str) -> Member:
        async with self.db.read() as session:
            return member_from_row(await member_by_handle(session, handle))
