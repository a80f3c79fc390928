"""Access: members' SSH public keys, invite codes, and signing up with one.

Public keys let a carer connect with ``ssh HANDLE@host`` and no password. Invites are how a
new carer joins: an admin, or a group's leader for their group, makes a code; the carer opens
``ssh new@host``, types it with a handle and a password, and lands in the invite's group.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import re
import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_tui.domain.access import SIGN_UP_USER, SshKey
from forum_tui.domain.enums import GroupRole, MemberState, Role
from forum_tui.domain.errors import NotFound, PermissionDenied, ValidationError
from forum_tui.domain.models import Member
from forum_tui.domain.text import (
    check_handle_available_shape,
    handle_key,
    strip_controls,
)
from forum_tui.services._common import (
    NO_SUCH_GROUP,
    Service,
    is_leader,
    load_member,
    member_by_handle,
    member_from_row,
    membership_of,
    require_active,
)

# One argon2id policy for the whole forum: sign-up hashes exactly as accounts do.
from forum_tui.services.accounts import _check_password_shape, _hasher
from forum_tui.store.access_tables import InviteRow, SshKeyRow
from forum_tui.store.tables import GroupRow, MemberRow, MembershipRow

INVITE_DAYS = 14
KEYS_PER_MEMBER = 10
KEY_TEXT_MAX = 16_384  # an 8192-bit RSA key is about 1.4 KB; anything far longer is not a key
KEY_COMMENT_MAX = 100
RSA_MIN_BITS = 2048

# Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives.
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_LENGTH = 12  # 60 random bits: guessing one online is hopeless
_CODE_READS_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_NOT_CODE_CHAR = re.compile(r"[\s\-_.]+")

KEY_ALGORITHMS = frozenset(
    {
        "ssh-ed25519",
        "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp384",
        "ecdsa-sha2-nistp521",
        "ssh-rsa",
        "sk-ssh-ed25519@openssh.com",
        "sk-ecdsa-sha2-nistp256@openssh.com",
    }
)
_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")

NOT_A_KEY = (
    "That does not look like an SSH public key. Paste the one line from your .pub file, "
    "for example: ssh-ed25519 AAAAC3Nza… name@laptop"
)
INVITE_UNKNOWN = (
    "That invite code is not one we know. Check it (it looks like ABCD-EFGH-JKMN) "
    "or ask whoever invited you for a new one."
)
INVITE_USED = "That invite code has been used already. Ask whoever invited you for a new one."


def _fingerprint(blob: bytes) -> str:
    digest = base64.b64encode(hashlib.sha256(blob).digest()).decode("ascii").rstrip("=")
    return f"SHA256:{digest}"


def _decode_blob(algorithm: str, data: str) -> bytes | None:
    """The key blob if ``data`` is base64 of a blob that names ``algorithm`` first."""
    if not _BASE64.fullmatch(data):
        return None
    try:
        blob = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return None
    name = algorithm.encode("ascii")
    if blob[:4] != len(name).to_bytes(4, "big") or blob[4 : 4 + len(name)] != name:
        return None
    return blob


def _split_key_text(text: str) -> tuple[str, bytes, str]:
    """Algorithm, blob and comment of a pasted OpenSSH public key line.

    A key pasted from a narrow terminal or a phone may come wrapped over several lines; the
    shortest run of pieces that decodes to a blob for the named algorithm is the key, and what
    follows is its comment.
    """
    if "PRIVATE KEY" in text:
        raise ValidationError(
            "That is a private key: never paste or share it. Paste the public key instead "
            "(the file ending in .pub)."
        )
    if len(text) > KEY_TEXT_MAX:
        raise ValidationError(NOT_A_KEY)
    parts = text.split()
    if len(parts) < 2:
        raise ValidationError(NOT_A_KEY)
    algorithm = parts[0]
    if algorithm not in KEY_ALGORITHMS:
        if algorithm in ("ssh-dss", "ssh-dsa"):
            raise ValidationError("DSA keys are no longer safe: please make an ed25519 key.")
        if "-cert-" in algorithm:
            raise ValidationError("Certificates are not accepted: paste the plain public key.")
        raise ValidationError(NOT_A_KEY)
    for end in range(2, min(len(parts), 40) + 1):
        blob = _decode_blob(algorithm, "".join(parts[1:end]))
        if blob is not None:
            return algorithm, blob, " ".join(parts[end:])
    raise ValidationError(NOT_A_KEY)


def parse_public_key(text: str) -> tuple[str, str, str, str]:
    """Checks a pasted public key; returns (algorithm, "algorithm base64", fingerprint, comment).

    The key is decoded in full (asyncssh), so a truncated or corrupted paste is refused here
    rather than failing silently at sign-in. RSA keys need at least 2048 bits.
    """
    import asyncssh  # only when a key is added: the rest of the services never need it

    algorithm, blob, comment = _split_key_text(strip_controls(text))
    canonical = f"{algorithm} {base64.b64encode(blob).decode('ascii')}"
    try:
        key = asyncssh.import_public_key(canonical)
    except (asyncssh.KeyImportError, ValueError, TypeError):
        raise ValidationError(NOT_A_KEY) from None
    pyca = getattr(key, "pyca_key", None)
    if algorithm == "ssh-rsa" and getattr(pyca, "key_size", RSA_MIN_BITS) < RSA_MIN_BITS:
        raise ValidationError(
            f"That RSA key is too short to be safe: use one of at least {RSA_MIN_BITS} bits, "
            "or better, an ed25519 key (ssh-keygen -t ed25519)."
        )
    comment = " ".join(comment.split())[:KEY_COMMENT_MAX]
    return algorithm, canonical, _fingerprint(blob), comment


def key_fingerprint(text: str) -> str | None:
    """The fingerprint of an OpenSSH public key line, or None if it is not one. Cheap: no
    cryptography, for looking a key up at sign-in."""
    try:
        _algorithm, blob, _comment = _split_key_text(text)
    except ValidationError:
        return None
    return _fingerprint(blob)


def normalise_invite_code(code: str) -> str:
    """Upper case, without spaces or dashes, with O read as 0 and I or L as 1."""
    return _NOT_CODE_CHAR.sub("", code).upper().translate(_CODE_READS_AS)


def _code_hash(code: str) -> str:
    return hashlib.sha256(normalise_invite_code(code).encode("utf-8")).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, _CODE_LENGTH, 4))


def _key_from_row(row: SshKeyRow) -> SshKey:
    return SshKey(
        id=row.id,
        algorithm=row.algorithm,
        fingerprint=row.fingerprint,
        comment=row.comment,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
    )


class AccessService(Service):
    # --- public keys -------------------------------------------------------------------------

    async def add_key(self, handle: str, openssh_text: str) -> SshKey:
        """The operator adds a public key to a member's account (``forum-tui member key add``)."""
        parsed = parse_public_key(openssh_text)
        async with self.db.write() as session:
            member = await member_by_handle(session, handle)
            return await self._store_key(session, member.id, parsed)

    async def add_my_key(self, member_id: int, openssh_text: str) -> SshKey:
        """A member adds a public key to their own account. Suspended members may (they can
        still sign in and read); erased accounts cannot."""
        parsed = parse_public_key(openssh_text)
        async with self.db.write() as session:
            member = await load_member(session, member_id)
            return await self._store_key(session, member.id, parsed)

    async def _store_key(
        self, session: AsyncSession, member_id: int, parsed: tuple[str, str, str, str]
    ) -> SshKey:
        algorithm, canonical, fingerprint, comment = parsed
        existing = (
            await session.scalars(select(SshKeyRow).where(SshKeyRow.member_id == member_id))
        ).all()
        if any(row.fingerprint == fingerprint for row in existing):
            raise ValidationError(f"That key ({fingerprint}) is already on this account.")
        if len(existing) >= KEYS_PER_MEMBER:
            raise ValidationError(
                f"An account can have at most {KEYS_PER_MEMBER} keys: remove one you no longer "
                "use first."
            )
        row = SshKeyRow(
            member_id=member_id,
            public_key=canonical,
            algorithm=algorithm,
            fingerprint=fingerprint,
            comment=comment,
            created_at=self.now(),
        )
        session.add(row)
        await session.flush()
        return _key_from_row(row)

    async def list_my_keys(self, member_id: int) -> list[SshKey]:
        """The member's own keys, oldest first. Nobody else's keys are ever listed."""
        async with self.db.read() as session:
            await load_member(session, member_id)
            rows = await session.scalars(
                select(SshKeyRow)
                .where(SshKeyRow.member_id == member_id)
                .order_by(SshKeyRow.created_at, SshKeyRow.id)
            )
            return [_key_from_row(row) for row in rows]

    async def remove_my_key(self, member_id: int, key_id: int) -> None:
        """Removes one of the member's own keys; another member's key is "not found"."""
        async with self.db.write() as session:
            await load_member(session, member_id)
            row = await session.get(SshKeyRow, key_id)
            if row is None or row.member_id != member_id:
                raise NotFound("You have no such key.")
            await session.delete(row)

    async def member_for_key(self, handle: str, public_key: str) -> Member | None:
        """The member whose handle is ``handle`` if ``public_key`` (an OpenSSH line) is one of
        their keys; otherwise None, the same for an unknown handle as for an unknown key.

        Only looks: the SSH server calls this before the client has proved it holds the
        private key, so nothing is recorded here (see ``record_key_use``).
        """
        fingerprint = key_fingerprint(public_key)
        key = handle_key(handle[:64].strip())
        if fingerprint is None or not key:
            return None
        async with self.db.read() as session:
            row = (
                await session.execute(
                    select(MemberRow)
                    .join(SshKeyRow, SshKeyRow.member_id == MemberRow.id)
                    .where(MemberRow.handle_key == key, SshKeyRow.fingerprint == fingerprint)
                )
            ).scalar_one_or_none()
            if row is None or row.state == MemberState.ERASED:
                return None
            return member_from_row(row)

    async def record_key_use(self, member_id: int, public_key: str) -> None:
        """Notes when a key last signed in, after the server has checked its signature."""
        fingerprint = key_fingerprint(public_key)
        if fingerprint is None:
            return
        async with self.db.write() as session:
            await session.execute(
                update(SshKeyRow)
                .where(SshKeyRow.member_id == member_id, SshKeyRow.fingerprint == fingerprint)
                .values(last_used_at=self.now())
            )

    # --- invites -----------------------------------------------------------------------------

    async def create_invite(self, actor_id: int | None, group_slug: str | None = None) -> str:
        """Makes a single-use invite code, valid for INVITE_DAYS days; returns the code.

        The operator (``actor_id`` None) and admins may invite to any group or none; a group's
        leaders may invite to their own group only. Everyone else, and suspended members, are
        refused. Only a hash of the code is kept, so it is shown once, here.
        """
        code = _new_code()
        async with self.db.write() as session:
            group: GroupRow | None = None
            if group_slug is not None:
                group = await session.scalar(
                    select(GroupRow).where(GroupRow.slug == group_slug.strip().lower())
                )
            if actor_id is not None:
                actor = await load_member(session, actor_id)
                require_active(actor, self.now())
                if actor.role != Role.ADMIN:
                    membership = await membership_of(session, actor.id, group.id) if group else None
                    if not is_leader(membership):
                        if group is None and group_slug is None:
                            raise PermissionDenied(
                                "Only an admin can invite someone without a group: "
                                "choose one of the groups you lead."
                            )
                        raise PermissionDenied(
                            "Only a group's leaders (for their own group) or an admin can "
                            "invite people."
                        )
            if group_slug is not None and group is None:
                raise NotFound(NO_SUCH_GROUP)
            now = self.now()
            session.add(
                InviteRow(
                    code_hash=_code_hash(code),
                    group_id=group.id if group else None,
                    created_by=actor_id,
                    created_at=now,
                    expires_at=now + timedelta(days=INVITE_DAYS),
                )
            )
        return code

    async def sign_up(
        self, code: str, handle: str, password: str, public_key: str | None = None
    ) -> Member:
        """Creates a carer's account from an invite code, and puts them in its group.

        Anyone may call this: the code is the permission. Refuses an unknown, used or expired
        code; a reserved handle ("admin", look-alikes, and ``new``, the SSH sign-up name); a
        handle that looks like one taken; a short password; a malformed key. The code is used
        up in the same transaction that creates the account, so it works exactly once, and
        nothing is used up when anything is refused.
        """
        handle = check_handle_available_shape(handle)
        key = handle_key(handle)
        if key == handle_key(SIGN_UP_USER):
            raise ValidationError("That handle is reserved; please choose another.")
        _check_password_shape(password)
        parsed = parse_public_key(public_key) if public_key and public_key.strip() else None
        code_hash = _code_hash(code)
        if len(normalise_invite_code(code)) != _CODE_LENGTH:
            raise ValidationError(INVITE_UNKNOWN)
        # Checked before hashing so a wrong code does not cost a hash, and again below, in the
        # transaction that uses it up.
        await self._usable_invite(code_hash)
        password_hash = await asyncio.to_thread(_hasher.hash, password)
        async with self.db.write() as session:
            invite = await self._usable_invite(code_hash, session)
            taken = await session.scalar(select(MemberRow.id).where(MemberRow.handle_key == key))
            if taken is not None:
                raise ValidationError(
                    f"The handle {handle} is taken (or looks too like one that is)."
                )
            now = self.now()
            row = MemberRow(
                handle=handle,
                handle_key=key,
                display_name=None,
                role=str(Role.CARER),
                state=str(MemberState.ACTIVE),
                password_hash=password_hash,
                created_at=now,
            )
            session.add(row)
            await session.flush()
            used = await session.execute(
                update(InviteRow)
                .where(InviteRow.id == invite.id, InviteRow.used_at.is_(None))
                .values(used_at=now, used_by=row.id)
            )
            if used.rowcount != 1:  # another sign-up took it a moment ago
                raise ValidationError(INVITE_USED)
            if invite.group_id is not None:
                session.add(
                    MembershipRow(
                        member_id=row.id,
                        group_id=invite.group_id,
                        role=str(GroupRole.MEMBER),
                        joined_at=now,
                    )
                )
            if parsed is not None:
                await self._store_key(session, row.id, parsed)
            return member_from_row(row)

    async def _usable_invite(
        self, code_hash: str, session: AsyncSession | None = None
    ) -> InviteRow:
        if session is None:
            async with self.db.read() as reading:
                return await self._usable_invite(code_hash, reading)
        invite = await session.scalar(select(InviteRow).where(InviteRow.code_hash == code_hash))
        if invite is None:
            raise ValidationError(INVITE_UNKNOWN)
        if invite.used_at is not None:
            raise ValidationError(INVITE_USED)
        if invite.expires_at <= self.now():
            raise ValidationError(
                f"That invite code expired on {invite.expires_at:%d %b %Y}. "
                "Ask whoever invited you for a new one."
            )
        return invite


__all__ = ["AccessService", "INVITE_DAYS", "parse_public_key", "normalise_invite_code"]
