"""Data protection (design.md §7): a member's export, and erasure into a "former member".

Both are built from the schema itself: every column that references ``members.id`` is found by
walking ``Base.metadata``, so a table added later is exported without anyone remembering to, and
erasure refuses to run (and a test fails) until someone decides what erasing does to it.

Export: every row of every table that names the member, with secrets left out (password hash,
public key text, invite code hashes) and other members shown only as "another member". Context
is added by name (the group of a membership, the title of the thread a post is in), never other
people's writing.

Erasure (irreversible, one transaction): the account becomes a tombstone shown as "former
member" (handle "former member", a ``handle_key`` of ``#erased-<id>`` that no typed handle can
produce, so the old handle is free to be taken again); password hash, display name and SSH keys
go; posts, threads and ideas keep their place with their text replaced by a fixed notice; drafts,
reads, memberships, notifications and invites they made are deleted; supports, outcome credits
and involvement stay attached to the tombstone so counts and hours stay right. The audit log
gets one ``erase`` row (who, which member id, when) and nothing of what was erased.

A member gets their own export without naming any path: over SSH, ``ssh HANDLE@HOST export``
streams ``download_own_export`` to their own computer; run locally, ``save_own_export`` writes
it under a fixed name in the data folder (``export_files``). Only the operator's CLI names a
file. Members ask an admin for erasure; admins (in-app, later) and the operator (``forum-tui
member erase``) perform it.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Table, Text, and_, delete, false, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_tui.domain.enums import MemberState, Role
from forum_tui.domain.errors import PermissionDenied, ValidationError
from forum_tui.domain.moderation import Action, TargetKind
from forum_tui.services._common import Service, load_member, member_by_handle
from forum_tui.services.export_files import export_json, write_own_export_file
from forum_tui.store.tables import Base, MemberRow

FORMER_MEMBER = "former member"
REMOVED_TEXT = "This was removed at the author's request."
REMOVED_TITLE = "(removed)"
ANOTHER_MEMBER = "another member"
EXPORT_FORMAT = "forum-tui member export"
EXPORT_VERSION = 1

# Never exported: secrets, or values only the software needs.
_LEFT_OUT = {
    ("members", "password_hash"),
    ("members", "handle_key"),
    ("ssh_keys", "public_key"),  # the fingerprint identifies the key
    ("invites", "code_hash"),
    ("help_codes", "code_hash"),
    ("posts", "idempotency_key"),
    ("ideas", "idempotency_key"),
}

# Columns that record the member acting on someone else's row (resolving another member's
# report, recording another carer's involvement). Such rows are theirs only in that act: the
# export keeps the row's id, dates and that column, and leaves the other member's data out.
ACTING_COLUMNS = {
    ("reports", "resolved_by_id"),
    ("involvement", "recorded_by_id"),
    # A leader who started or closed a check-in with another member: the conversation is about
    # that member; the leader's own messages are exported from checkin_messages.
    ("checkins", "started_by_id"),
    ("checkins", "closed_by_id"),
    ("consents", "volunteer_id"),  # a volunteer helped this carer: the carer's consent
}

# Columns holding a member id without a foreign key, and why each is handled as it is. A test
# fails on a member-looking column (``*_by_id``, ``author_id``…) that is in neither place.
NON_KEY_MEMBER_COLUMNS = {
    # Who hid an item: moderation history, exported and kept through moderation_actions.
    ("posts", "hidden_by_id"): "audit",
    ("threads", "hidden_by_id"): "audit",
    ("ideas", "hidden_by_id"): "audit",
    # target_kind = 'member': exported (actions about the member); never edited.
    ("moderation_actions", "target_id"): "audit",
    ("reports", "target_id"): "not a member: reports target posts, threads and ideas",
    # Whose post raised a crisis notification (another member's notification): the rows of
    # the erased member's own notifications are deleted; this one points at the tombstone.
    ("notifications", "about_member_id"): "context",
}

# For a column referencing one of these tables, the export names the row it points to.
_CONTEXT_LABEL = {"groups": "name", "boards": "name", "threads": "title", "ideas": "title"}
_CONTEXT_LABEL["outcomes"] = "title"


def tombstone_key(member_id: int) -> str:
    """A ``handle_key`` no typed handle can produce ("#" is dropped from keys)."""
    return f"#erased-{member_id}"


def member_columns(table: Table) -> list[Column[Any]]:
    """The columns of ``table`` that reference ``members.id``."""
    return [
        column
        for column in table.columns
        if any(
            fk.column.table.name == "members" and fk.column.name == "id"
            for fk in column.foreign_keys
        )
    ]


def tables_naming_members() -> list[Table]:
    """Every table (other than members) with a column referencing a member, in FK order."""
    return [
        table
        for table in Base.metadata.sorted_tables
        if table.name != "members" and member_columns(table)
    ]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _references(column: Column[Any]) -> str | None:
    for fk in column.foreign_keys:
        return fk.column.table.name
    return None


# --- erasure rules, one per member column -------------------------------------------------------

Rule = Callable[[AsyncSession, Table, Column[Any], int], Awaitable[None]]


async def _delete_rows(session: AsyncSession, table: Table, column: Column[Any], mid: int) -> None:
    await session.execute(delete(table).where(column == mid))


async def _keep(session: AsyncSession, table: Table, column: Column[Any], mid: int) -> None:
    """The row stays, pointing at the tombstone (counts, hours and the audit log stay right)."""


def _replace(**values: Any) -> Rule:
    async def rule(session: AsyncSession, table: Table, column: Column[Any], mid: int) -> None:
        await session.execute(update(table).where(column == mid).values(**values))

    return rule


async def _blank_text(session: AsyncSession, table: Table, column: Column[Any], mid: int) -> None:
    """Keeps the row (it still counts) but empties the free text the member wrote in it."""
    texts = {
        c.name: ""
        for c in table.columns
        if isinstance(c.type, Text) and not c.foreign_keys and not c.primary_key
    }
    if texts:
        await session.execute(update(table).where(column == mid).values(texts))


async def _set_null(session: AsyncSession, table: Table, column: Column[Any], mid: int) -> None:
    await session.execute(update(table).where(column == mid).values({column.name: None}))


async def _delete_checkins(
    session: AsyncSession, table: Table, column: Column[Any], mid: int
) -> None:
    """Check-ins about the member go, with their messages (ON DELETE CASCADE) and the
    notifications that pointed at them (plain ids, no foreign key)."""
    notifications = Base.metadata.tables["notifications"]
    about = select(table.c.id).where(column == mid)
    await session.execute(delete(notifications).where(notifications.c.checkin_id.in_(about)))
    messages = Base.metadata.tables["checkin_messages"]
    await session.execute(delete(messages).where(messages.c.checkin_id.in_(about)))
    await session.execute(delete(table).where(column == mid))


async def _erase_reuse(session: AsyncSession, table: Table, column: Column[Any], mid: int) -> None:
    """A request to reuse a post that is still waiting goes (no one is left to answer it, or
    no one asking); an answered one stays, as the link from an idea to its thread, without
    the title the member wrote or accepted."""
    await session.execute(delete(table).where(column == mid, table.c.status == "pending"))
    await session.execute(update(table).where(column == mid).values(title=REMOVED_TITLE))


# (table, column) -> what erasing the member does to rows naming them there. A member column
# without a rule makes erasure refuse to run: deciding is part of adding the table.
ERASURE_RULES: dict[tuple[str, str], Rule] = {
    ("memberships", "member_id"): _delete_rows,
    ("threads", "author_id"): _replace(title=REMOVED_TITLE),
    ("posts", "author_id"): _replace(body=REMOVED_TEXT, idempotency_key=None),
    ("thread_reads", "member_id"): _delete_rows,
    ("drafts", "member_id"): _delete_rows,
    ("board_staff", "member_id"): _delete_rows,
    ("ideas", "author_id"): _replace(title=REMOVED_TITLE, body=REMOVED_TEXT, idempotency_key=None),
    ("supports", "member_id"): _replace(comment=""),  # the support still counts
    ("idea_updates", "staff_id"): _replace(note=REMOVED_TEXT),  # status history stays
    ("outcomes", "recorded_by_id"): _keep,  # the service's public record
    ("outcome_credits", "member_id"): _keep,  # credited as "former member": counts stay
    ("involvement", "member_id"): _replace(activity=REMOVED_TITLE),  # hours stay in totals
    ("involvement", "recorded_by_id"): _keep,
    ("notifications", "member_id"): _delete_rows,
    ("ssh_keys", "member_id"): _delete_rows,
    ("invites", "created_by"): _delete_rows,
    ("invites", "used_by"): _set_null,
    ("moderation_actions", "actor_id"): _keep,  # the audit log is never edited
    # A report still counts towards review (and the auto-hide threshold), without its text.
    ("reports", "reporter_id"): _blank_text,
    ("reports", "resolved_by_id"): _keep,  # moderation history, like the audit log
    ("thread_follows", "member_id"): _delete_rows,
    ("idea_follows", "member_id"): _delete_rows,
    ("notification_settings", "member_id"): _delete_rows,
    # A check-in about the member goes with them (its messages cascade); their messages in
    # check-ins about others lose their text, as posts do.
    ("checkins", "member_id"): _delete_checkins,
    ("checkins", "started_by_id"): _keep,
    ("checkins", "closed_by_id"): _keep,
    ("checkin_messages", "author_id"): _replace(body=REMOVED_TEXT),
    # Assisted posting: the consent stays the record of who helped whom (its posts still say
    # "written with help"); a one-time code is of no use to anyone after.
    ("consents", "carer_id"): _keep,
    ("consents", "volunteer_id"): _keep,
    ("help_codes", "carer_id"): _delete_rows,
    # Consent before reuse: pending requests go; answered ones keep the idea's link back.
    ("post_reuses", "asked_by_id"): _erase_reuse,
    ("post_reuses", "author_id"): _erase_reuse,
}


def unruled_member_columns() -> list[str]:
    """Member columns erasure has no rule for (must be empty)."""
    return [
        f"{table.name}.{column.name}"
        for table in tables_naming_members()
        for column in member_columns(table)
        if (table.name, column.name) not in ERASURE_RULES
    ]


@dataclass(frozen=True)
class Erasure:
    member_id: int
    posts: int
    threads: int
    ideas: int


class PrivacyService(Service):
    # --- export ---------------------------------------------------------------------------------

    async def export_member(self, actor_id: int | None, handle: str) -> dict[str, Any]:
        """Everything held about the member with ``handle``, as JSON-ready data.

        The operator (``actor_id`` None) and admins only; a member exports their own data with
        ``export_own``. Refuses unknown and erased handles.
        """
        async with self.db.read() as session:
            await self._require_admin(session, actor_id, "export another member's data")
            row = await member_by_handle(session, handle)
            return await self._export(session, row)

    async def export_own(self, member_id: int) -> dict[str, Any]:
        """The signed-in member's own export."""
        async with self.db.read() as session:
            return await self._export(session, await load_member(session, member_id))

    async def download_own_export(self, member_id: int) -> str:
        """The signed-in member's own export as JSON text, for ``ssh HANDLE@HOST export``.

        Takes no path: the text goes to the member's own terminal. The audit log records that
        it was downloaded (after the data was read, so the export does not include its own row).
        """
        data = await self.export_own(member_id)
        await self._audit_export(member_id, "downloaded over SSH")
        return export_json(data)

    async def save_own_export(self, member_id: int) -> Path:
        """Saves the signed-in member's own export in ``exports/`` in the data directory, under
        a fixed name made from their id (``export_files.write_own_export_file``).

        Takes no path: nothing a member types reaches a filesystem call. For forum-tui run in
        the member's own terminal; over SSH the app offers ``ssh HANDLE@HOST export`` instead.
        Refuses (ValidationError, without saying what it found) a link or anything else in the
        way. Recorded in the audit log.
        """
        data = await self.export_own(member_id)
        written = await asyncio.to_thread(write_own_export_file, data, member_id)
        await self._audit_export(member_id, "saved in the data folder")
        return written

    async def _audit_export(self, member_id: int, how: str) -> None:
        async with self.db.write() as session:
            await load_member(session, member_id)
            audit = Base.metadata.tables["moderation_actions"]
            await session.execute(
                audit.insert().values(
                    actor_id=member_id,
                    action=str(Action.EXPORT),
                    target_kind=str(TargetKind.MEMBER),
                    target_id=member_id,
                    group_id=None,
                    board_id=None,
                    reason=f"own data export {how}",
                    created_at=self.now(),
                )
            )

    async def _export(self, session: AsyncSession, member: MemberRow) -> dict[str, Any]:
        mid = member.id
        tables: dict[str, list[dict[str, Any]]] = {}
        authored = {
            name: list(
                await session.scalars(
                    select(Base.metadata.tables[name].c.id).where(
                        Base.metadata.tables[name].c.author_id == mid
                    )
                )
            )
            for name in ("threads", "posts", "ideas")
        }
        names: dict[tuple[str, Any], Any] = {}  # (table, id) -> context row, looked up once
        for table in tables_naming_members():
            condition = or_(*(column == mid for column in member_columns(table)))
            if table.name == "moderation_actions":
                condition = or_(condition, await _actions_about(session, table, mid, authored))
            primary = list(table.primary_key.columns)
            rows = (await session.execute(select(table).where(condition).order_by(*primary))).all()
            tables[table.name] = [
                await _export_row(session, table, row, mid, names)
                if _owns(table, row, mid)
                else _acting_row(table, row, mid)
                for row in rows
            ]
        keys = tables.get("ssh_keys", [])
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_at": self.now().isoformat(),
            "about": (
                "Everything forum-tui holds about this member: the account, and every row of "
                "every table that names them. Other members appear only as 'another member'."
            ),
            "account": {
                "id": mid,
                "handle": member.handle,
                "display_name": member.display_name,
                "role": member.role,
                "state": member.state,
                "suspended_until": _plain(member.suspended_until),
                "created_at": _plain(member.created_at),
                "password": "set" if member.password_hash else "not set",
                "ssh_key_fingerprints": [key["fingerprint"] for key in keys],
            },
            "tables": tables,
        }

    # --- erasure --------------------------------------------------------------------------------

    async def erase_member(self, actor_id: int | None, handle: str) -> Erasure:
        """Erases the member with ``handle``: irreversible, in one transaction (module doc).

        The operator at the command line (``actor_id`` None) or an admin; an admin cannot erase
        their own account this way. Members ask an admin. Refuses unknown or erased handles.
        """
        unruled = unruled_member_columns()
        if unruled:
            raise ValidationError(
                "Erasure is not defined for " + ", ".join(unruled) + "; nothing was changed."
            )
        now = self.now()
        async with self.db.write() as session:
            await self._require_admin(session, actor_id, "erase a member")
            member = await member_by_handle(session, handle)
            if actor_id == member.id:
                raise PermissionDenied("You cannot erase your own account; ask another admin.")
            mid = member.id
            titles = await _titles_written(session, mid)
            counts = {}
            for name in ("posts", "threads", "ideas"):
                table = Base.metadata.tables[name]
                counts[name] = len(
                    (
                        await session.execute(select(table.c.id).where(table.c.author_id == mid))
                    ).all()
                )
            for table in tables_naming_members():
                for column in member_columns(table):
                    await ERASURE_RULES[(table.name, column.name)](session, table, column, mid)
            await _scrub_notifications(session, member.handle, member.display_name, titles)
            await session.execute(
                update(MemberRow)
                .where(MemberRow.id == mid)
                .values(
                    handle=FORMER_MEMBER,
                    handle_key=tombstone_key(mid),
                    display_name=None,
                    password_hash=None,
                    state=str(MemberState.ERASED),
                    suspended_until=None,
                )
            )
            audit = Base.metadata.tables["moderation_actions"]
            await session.execute(
                audit.insert().values(
                    actor_id=actor_id,
                    action=str(Action.ERASE),
                    target_kind=str(TargetKind.MEMBER),
                    target_id=mid,
                    group_id=None,
                    board_id=None,
                    reason="",
                    created_at=now,
                )
            )
            return Erasure(mid, counts["posts"], counts["threads"], counts["ideas"])

    @staticmethod
    async def _require_admin(session: AsyncSession, actor_id: int | None, doing: str) -> None:
        if actor_id is None:
            return
        actor = await load_member(session, actor_id)
        if actor.role != Role.ADMIN:
            raise PermissionDenied(f"Only an admin can {doing}.")


async def _actions_about(
    session: AsyncSession, table: Table, mid: int, authored: dict[str, list[int]]
) -> Any:
    """Audit rows about the member or about what they wrote (targets are not foreign keys)."""
    conditions = [and_(table.c.target_kind == str(TargetKind.MEMBER), table.c.target_id == mid)]
    for kind, name in ((TargetKind.POST, "posts"), (TargetKind.THREAD, "threads")):
        ids = authored.get(name) or []
        if ids:
            conditions.append(and_(table.c.target_kind == str(kind), table.c.target_id.in_(ids)))
    ideas = authored.get("ideas") or []
    if ideas:
        conditions.append(
            and_(table.c.target_kind == str(TargetKind.IDEA), table.c.target_id.in_(ideas))
        )
    return or_(false(), *conditions)


def _owns(table: Table, row: Any, mid: int) -> bool:
    """Whether the row is the member's own, not only one they acted on (ACTING_COLUMNS)."""
    return any(
        row._mapping[column] == mid
        for column in member_columns(table)
        if (table.name, column.name) not in ACTING_COLUMNS
    ) or (table.name == "moderation_actions")


def _acting_row(table: Table, row: Any, mid: int) -> dict[str, Any]:
    """Another member's row the member acted on: its id, dates, and the acting column only."""
    data: dict[str, Any] = {}
    for column in table.columns:
        value = row._mapping[column]
        if column.primary_key or (table.name, column.name) in ACTING_COLUMNS:
            data[column.name] = value if value == mid or column.primary_key else None
        elif isinstance(value, datetime | date):
            data[column.name] = _plain(value)
    data["note"] = "You acted on this; it is about another member, so it is not included."
    return data


async def _export_row(
    session: AsyncSession, table: Table, row: Any, mid: int, names: dict[tuple[str, Any], Any]
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    context: dict[str, Any] = {}
    members = set(member_columns(table))
    for column in table.columns:
        if (table.name, column.name) in _LEFT_OUT:
            continue
        value = row._mapping[column]
        if column in members and value is not None and value != mid:
            value = ANOTHER_MEMBER
        data[column.name] = _plain(value)
        target = _references(column)
        if value is not None and target in _CONTEXT_LABEL and column not in members:
            prefix = column.name.removesuffix("_id")
            label = _CONTEXT_LABEL[target]
            referenced = Base.metadata.tables[target]
            if (target, value) not in names:
                statement = select(referenced.c[label], *_extra(referenced))
                names[(target, value)] = (
                    await session.execute(statement.where(referenced.c.id == value))
                ).first()
            found = names[(target, value)]
            if found is not None:
                context[f"{prefix}_{label}"] = found[0]
                if target == "threads":
                    context[f"{prefix}_group_name"] = found[1]
    if context:
        data["context"] = context
    return data


def _extra(table: Table) -> list[Any]:
    """For a thread, its group's name as well."""
    if table.name != "threads":
        return []
    groups = Base.metadata.tables["groups"]
    return [select(groups.c.name).where(groups.c.id == table.c.group_id).scalar_subquery()]


async def _titles_written(session: AsyncSession, mid: int) -> list[str]:
    """Titles of the member's threads and ideas: other members' notifications may quote them."""
    titles: list[str] = []
    for name in ("threads", "ideas"):
        table = Base.metadata.tables[name]
        titles += list(
            (await session.scalars(select(table.c.title).where(table.c.author_id == mid))).all()
        )
    return [title for title in titles if title and title != REMOVED_TITLE]


async def _scrub_notifications(
    session: AsyncSession, handle: str, display_name: str | None, titles: list[str]
) -> None:
    """Other members' notifications may quote the member's handle or their ideas' titles."""
    table = Base.metadata.tables["notifications"]
    words = [w for w in (handle, display_name, *titles) if w]
    if not words:
        return
    rows = (
        await session.execute(
            select(table.c.id, table.c.text).where(or_(*(table.c.text.contains(w) for w in words)))
        )
    ).all()
    for row_id, text in rows:
        cleaned = text
        for title in titles:
            cleaned = cleaned.replace(title, REMOVED_TITLE)
        for name in (handle, display_name):
            if name:
                cleaned = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", FORMER_MEMBER, cleaned)
        if cleaned != text:
            await session.execute(update(table).where(table.c.id == row_id).values(text=cleaned))


__all__ = ["PrivacyService", "Erasure", "ERASURE_RULES", "FORMER_MEMBER", "REMOVED_TEXT"]
