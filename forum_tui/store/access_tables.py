"""Tables of SSH access: members' public keys and invite codes. Registered on the shared
metadata (``forum_tui.store.tables`` imports this module)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum_tui.store.tables import Base, UTCDateTime


class SshKeyRow(Base):
    """A public key a member signs in with over SSH (``ssh HANDLE@host`` with that key)."""

    __tablename__ = "ssh_keys"
    __table_args__ = (
        # Sign-in looks a key up by (member, fingerprint); the same key twice is one key.
        UniqueConstraint("member_id", "fingerprint", name="uq_ssh_keys_member_fingerprint"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    # "ssh-ed25519 AAAA…": algorithm and key data only, no options and no comment.
    public_key: Mapped[str] = mapped_column(Text)
    algorithm: Mapped[str] = mapped_column(String(64))
    # "SHA256:" + unpadded base64 of the key blob, as `ssh-keygen -l` prints it.
    fingerprint: Mapped[str] = mapped_column(String(64))
    comment: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class InviteRow(Base):
    """A single-use invite code. Only a hash of the code is stored, never the code itself."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # SHA-256 of the normalised code: codes are long random strings, so a plain hash suffices
    # and the lookup at sign-up stays one indexed query.
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The group the new member is put in (None: no group).
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), index=True
    )
    # Who made it (None: the operator at the command line).
    created_by: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
