"""Alembic, driven from code: upgrade, current revision, and the start-up schema check.

The migrations live in ``schema/`` at the top of the checkout; the wheel carries a copy as
``forum_tui/_schema`` so that an installed ``forum-tui db upgrade`` works anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from forum_tui.domain.errors import SchemaMismatch, StoreError
from forum_tui.store.database import Database


def schema_dir() -> Path:
    packaged = Path(__file__).resolve().parent.parent / "_schema"
    if (packaged / "env.py").exists():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "schema"
    if (checkout / "env.py").exists():
        return checkout
    raise StoreError("The database migrations are missing from this installation of forum-tui.")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(schema_dir()))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "schema/ has no revisions"
    return head


def _known_revisions() -> set[str]:
    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


class SchemaState(StrEnum):
    EMPTY = "empty"  # no tables at all: a new database
    CURRENT = "current"
    OLDER = "older"  # needs `forum-tui db upgrade`
    NEWER = "newer"  # written by a newer forum-tui
    FOREIGN = "foreign"  # tables, but not ours


@dataclass(frozen=True)
class SchemaStatus:
    state: SchemaState
    revision: str | None
    head: str


def _inspect(connection: Any) -> tuple[list[str], str | None]:
    tables = inspect(connection).get_table_names()
    revision = MigrationContext.configure(connection).get_current_revision()
    return tables, revision


async def schema_status(db: Database) -> SchemaStatus:
    async with db.connect() as connection:
        tables, revision = await connection.run_sync(_inspect)
    head = head_revision()
    if not tables:
        return SchemaStatus(SchemaState.EMPTY, None, head)
    if revision is None:
        return SchemaStatus(SchemaState.FOREIGN, None, head)
    if revision == head:
        return SchemaStatus(SchemaState.CURRENT, revision, head)
    if revision in _known_revisions():
        return SchemaStatus(SchemaState.OLDER, revision, head)
    return SchemaStatus(SchemaState.NEWER, revision, head)


async def upgrade(db: Database, revision: str = "head") -> None:
    """Brings the database to ``revision``; refuses a database that is newer or not ours."""
    status = await schema_status(db)
    if status.state is SchemaState.NEWER:
        raise SchemaMismatch(_newer_message(db, status))
    if status.state is SchemaState.FOREIGN:
        raise StoreError(f"{db.where} is not a forum-tui database; refusing to change it.")

    def run(connection: Any) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    async with db.connect(write=True) as connection:
        await connection.run_sync(run)


async def current_revision(db: Database) -> str | None:
    async with db.connect() as connection:
        _tables, revision = await connection.run_sync(_inspect)
    return revision


def _newer_message(db: Database, status: SchemaStatus) -> str:
    return (
        f"{db.where} was written by a newer forum-tui (schema {status.revision}; this one "
        f"knows up to {status.head}). Upgrade forum-tui before opening it."
    )


async def ensure_schema(db: Database, *, create: bool, upgrade_older: bool = False) -> None:
    """The start-up check: open only a database at the schema this code knows.

    An empty database is created when ``create`` is set (first run); an older one is upgraded
    only when ``upgrade_older`` is set, and otherwise the error says exactly what to run.
    """
    status = await schema_status(db)
    match status.state:
        case SchemaState.CURRENT:
            return
        case SchemaState.EMPTY if create:
            await upgrade(db)
        case SchemaState.EMPTY:
            raise SchemaMismatch(
                f"{db.where} has no forum in it yet. Run: forum-tui db upgrade (with the same --db)"
            )
        case SchemaState.OLDER if upgrade_older:
            await upgrade(db)
        case SchemaState.OLDER:
            raise SchemaMismatch(
                f"{db.where} is at schema {status.revision}, older than this forum-tui "
                f"({status.head}). Back it up, then run: "
                "forum-tui db upgrade (with the same --db)"
            )
        case SchemaState.NEWER:
            raise SchemaMismatch(_newer_message(db, status))
        case SchemaState.FOREIGN:
            raise StoreError(f"{db.where} is not a forum-tui database.")
