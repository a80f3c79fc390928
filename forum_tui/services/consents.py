"""Assisted posting with consent (design.md §5).

A drop-in volunteer, signed in as themselves, asks the carer beside them to confirm — with the
carer's own password, or a one-time code from the carer's My account screen. That records a
consent (volunteer, carer, time, scope: one post or this visit). Under it the volunteer posts
as the carer, and readers see the post was written with help. The carer sees every consent
and every assisted post, and can take a consent back at any time. No consent, no post.
A consent ends in one of three ways, each shown to the carer as what it was: used (one
post), taken back by the carer (``revoked_at``), or its visit over — the volunteer left the
help screen (``end_help`` moves ``expires_at`` to that moment) or its time ran out.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
from datetime import datetime

from sqlalchemy import func, select

from forum_tui.domain.consent import (
    HELP_CODE_LASTS,
    HELP_CODE_TRIES,
    ONE_POST_CONSENT_LASTS,
    SESSION_CONSENT_LASTS,
    AssistedPost,
    Consent,
    ConsentScope,
    ConsentState,
)
from forum_tui.domain.enums import MemberState, Role
from forum_tui.domain.errors import Conflict, NotFound, PermissionDenied, ValidationError
from forum_tui.domain.models import Group, Page, Post, Thread
from forum_tui.services._common import Clock, Service, load_member, member_by_handle, require_active
from forum_tui.services._consent import NO_CONSENT, Assist
from forum_tui.services.accounts import _dummy_hash, _verify
from forum_tui.services.groups import GroupService
from forum_tui.services.sign_in_throttle import SignInThrottle
from forum_tui.services.threads import ThreadService
from forum_tui.store.consent_tables import ConsentRow, HelpCodeRow
from forum_tui.store.database import Database
from forum_tui.store.tables import MemberRow, PostRow, ThreadRow

ONLY_VOLUNTEERS = "Only drop-in volunteers can help a carer post."
NOT_CONFIRMED = (
    "That did not confirm it: check the carer's handle, and their password or code, and try again."
)

ALREADY_ENDED = "That consent has already ended: nobody can post for you with it."


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


def _state(row: ConsentRow, now: datetime) -> ConsentState:
    if row.revoked_at is not None:
        return ConsentState.REVOKED
    if row.used_at is not None:
        return ConsentState.USED
    if row.expires_at <= now:
        return ConsentState.EXPIRED
    return ConsentState.ACTIVE


class ConsentService(Service):
    def __init__(
        self,
        db: Database,
        clock: Clock,
        groups: GroupService,
        threads: ThreadService,
        throttle: SignInThrottle | None = None,
    ) -> None:
        super().__init__(db, clock)
        self.groups = groups
        self.threads = threads
        self.throttle = throttle or SignInThrottle(db, clock)

    # --- the carer ----------------------------------------------------------------------------

    async def new_help_code(self, carer_id: int) -> str:
        """A six-digit code the carer reads out to a volunteer, good for one consent within
        ten minutes. A new code replaces the last. Any signed-in member may make one."""
        code = f"{secrets.randbelow(10**6):06d}"
        now = self.now()
        async with self.db.write() as session:
            carer = await load_member(session, carer_id)
            require_active(carer, now)
            row = await session.get(HelpCodeRow, carer.id)
            if row is None:
                row = HelpCodeRow(carer_id=carer.id, wrong_tries=0)
                session.add(row)
            row.code_hash = _code_hash(code)
            row.expires_at = now + HELP_CODE_LASTS
            row.wrong_tries = 0
        return code

    async def my_consents(self, carer_id: int) -> list[Consent]:
        """Every consent the carer gave, newest first, with how many posts each carried."""
        async with self.db.read() as session:
            await load_member(session, carer_id)
            return await self._consents(session, ConsentRow.carer_id == carer_id)

    async def my_assisted_posts(self, carer_id: int) -> list[AssistedPost]:
        """Every post written for the carer by a volunteer, newest first."""
        async with self.db.read() as session:
            await load_member(session, carer_id)
            rows = (
                await session.execute(
                    select(PostRow, ThreadRow.title, MemberRow.handle)
                    .join(ConsentRow, ConsentRow.id == PostRow.consent_id)
                    .join(ThreadRow, ThreadRow.id == PostRow.thread_id)
                    .join(MemberRow, MemberRow.id == ConsentRow.volunteer_id)
                    .where(PostRow.author_id == carer_id)
                    .order_by(PostRow.id.desc())
                )
            ).all()
        return [
            AssistedPost(post.id, post.thread_id, title, handle, post.created_at, post.body)
            for post, title, handle in rows
        ]

    async def take_back_consent(self, carer_id: int, consent_id: int) -> Consent:
        """The carer takes back a consent they gave. Posts already made stay, marked as
        assisted. A consent that has already ended (used, taken back, or its visit over) is
        refused with what happened to it, and nothing is stored; anyone but the carer gets
        NotFound."""
        now = self.now()
        async with self.db.write() as session:
            row = await session.get(ConsentRow, consent_id)
            if row is None or row.carer_id != carer_id:
                raise NotFound("There is no such consent.")
            if _state(row, now) is not ConsentState.ACTIVE:
                raise Conflict(ALREADY_ENDED)
            row.revoked_at = now
            await session.flush()
            return (await self._consents(session, ConsentRow.id == row.id))[0]

    # --- the volunteer --------------------------------------------------------------------------

    async def end_help(self, volunteer_id: int, consent_id: int) -> Consent:
        """The volunteer's visit with the carer is over (they left the help screen, or the
        kiosk signed them out): the consent ends now, as if its time were up, so the carer's
        list says the visit ended rather than that they took it back. Already ended: no change.
        Anyone but the consent's volunteer gets NotFound."""
        now = self.now()
        async with self.db.write() as session:
            row = await session.get(ConsentRow, consent_id)
            if row is None or row.volunteer_id != volunteer_id:
                raise NotFound("There is no such consent.")
            if _state(row, now) is ConsentState.ACTIVE:
                row.expires_at = now
            await session.flush()
            return (await self._consents(session, ConsentRow.id == row.id))[0]

    async def give_consent(
        self,
        volunteer_id: int,
        carer_handle: str,
        *,
        scope: ConsentScope,
        password: str | None = None,
        code: str | None = None,
    ) -> Consent:
        """Records the carer's consent, confirmed by the carer's password or their one-time
        code. Volunteers only; never for oneself; the carer must be an active member. A wrong
        handle, password or code gives one message, so it says nothing about which was wrong."""
        now = self.now()
        if not (password or code):
            raise ValidationError("The carer needs to type their password or their code.")
        async with self.db.read() as session:
            volunteer = await load_member(session, volunteer_id)
            if volunteer.role != Role.VOLUNTEER:
                raise PermissionDenied(ONLY_VOLUNTEERS)
            require_active(volunteer, now)
            try:
                carer = await member_by_handle(session, carer_handle.strip())
            except NotFound:
                carer = None
            stored = carer.password_hash if carer is not None else None
        if carer is not None and carer.id == volunteer_id:
            raise PermissionDenied("A volunteer cannot give consent to themselves.")
        if password:
            # A password typed here is a guess like one at sign-in: the same throttle, counted
            # before checking (sign_in_throttle.py). A code has its own five tries.
            attempt = await self.throttle.begin(carer_handle.strip())
            ok = await asyncio.to_thread(_verify, stored or _dummy_hash(), password[:1024])
            if not ok or carer is None or carer.state == MemberState.ERASED:
                raise PermissionDenied(NOT_CONFIRMED)
            await self.throttle.succeeded(attempt, carer_handle.strip())
            how = "password"
        if carer is None:
            raise PermissionDenied(NOT_CONFIRMED)
        if not password:
            assert code is not None
            if not await self._use_code(carer.id, code, now):
                raise PermissionDenied(NOT_CONFIRMED)
            how = "code"
        async with self.db.write() as session:
            carer_row = await load_member(session, carer.id)
            require_active(carer_row, now)
            lasts = (
                SESSION_CONSENT_LASTS if scope is ConsentScope.SESSION else ONE_POST_CONSENT_LASTS
            )
            row = ConsentRow(
                volunteer_id=volunteer_id,
                carer_id=carer_row.id,
                scope=str(scope),
                confirmed_with=how,
                created_at=now,
                expires_at=now + lasts,
            )
            session.add(row)
            await session.flush()
            return (await self._consents(session, ConsentRow.id == row.id))[0]

    async def carer_groups(self, volunteer_id: int, consent_id: int) -> list[Group]:
        """The carer's groups, for the volunteer choosing where to post (consent needed)."""
        carer_id = await self._carer_of(volunteer_id, consent_id)
        mine, _ = await self.groups.list_groups(carer_id)
        return mine

    async def carer_threads(
        self, volunteer_id: int, consent_id: int, group_id: int
    ) -> Page[Thread]:
        """The first page of threads of one of the carer's groups (consent needed)."""
        carer_id = await self._carer_of(volunteer_id, consent_id)
        return await self.threads.list_threads(carer_id, group_id)

    async def assisted_reply(
        self,
        volunteer_id: int,
        consent_id: int,
        thread_id: int,
        body: str,
        *,
        idempotency_key: str | None = None,
    ) -> Post:
        """Posts a reply as the carer, under their consent, marked as written with help. The
        consent is checked (and a one-post consent used) in the reply's own transaction."""
        carer_id = await self._carer_of(volunteer_id, consent_id)
        return await self.threads.reply(
            carer_id,
            thread_id,
            body,
            idempotency_key=idempotency_key,
            assisted=Assist(volunteer_id, consent_id),
        )

    # --- inside -----------------------------------------------------------------------------

    async def _carer_of(self, volunteer_id: int, consent_id: int) -> int:
        now = self.now()
        async with self.db.read() as session:
            volunteer = await load_member(session, volunteer_id)
            row = await session.get(ConsentRow, consent_id)
            if (
                volunteer.role != Role.VOLUNTEER
                or row is None
                or row.volunteer_id != volunteer_id
                or _state(row, now) is not ConsentState.ACTIVE
            ):
                raise PermissionDenied(NO_CONSENT)
            return row.carer_id

    async def _use_code(self, carer_id: int, code: str, now: datetime) -> bool:
        """True, and the code is gone (one time only), if it is the carer's current code. A
        wrong try is counted (and kept: this transaction commits); five and the code is gone."""
        async with self.db.write() as session:
            row = await session.get(HelpCodeRow, carer_id)
            if row is None or row.expires_at <= now:
                return False
            if hmac.compare_digest(row.code_hash, _code_hash(code)):
                await session.delete(row)
                return True
            row.wrong_tries += 1
            if row.wrong_tries >= HELP_CODE_TRIES:
                await session.delete(row)  # the carer makes a new one
            return False

    async def _consents(self, session, where) -> list[Consent]:  # type: ignore[no-untyped-def]
        volunteer = MemberRow.__table__.alias("volunteer")
        carer = MemberRow.__table__.alias("carer")
        posts = (
            select(func.count(PostRow.id))
            .where(PostRow.consent_id == ConsentRow.id)
            .scalar_subquery()
        )
        rows = (
            await session.execute(
                select(ConsentRow, volunteer.c.handle, carer.c.handle, posts)
                .join(volunteer, volunteer.c.id == ConsentRow.volunteer_id)
                .join(carer, carer.c.id == ConsentRow.carer_id)
                .where(where)
                .order_by(ConsentRow.id.desc())
            )
        ).all()
        now = self.now()
        return [
            Consent(
                id=row.id,
                volunteer_id=row.volunteer_id,
                volunteer_handle=v_handle,
                carer_id=row.carer_id,
                carer_handle=c_handle,
                scope=ConsentScope(row.scope),
                confirmed_with=row.confirmed_with,
                created_at=row.created_at,
                expires_at=row.expires_at,
                state=_state(row, now),
                posts=count or 0,
            )
            for row, v_handle, c_handle, count in rows
        ]
