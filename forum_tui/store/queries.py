"""Statements that differ between SQLite and PostgreSQL, behind one call each."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


async def upsert(
    session: AsyncSession,
    table: Table,
    values: dict[str, Any],
    *,
    keys: list[str],
    update: dict[str, Any] | None = None,
) -> None:
    """INSERT … ON CONFLICT (keys) DO UPDATE, in the dialect of the session's database.

    ``update`` maps columns to expressions; ``excluded(table)`` names the row being inserted.
    Without it every non-key column takes the inserted value.
    """
    dialect = session.bind.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table).values(**values)
    if update is None:
        update = {name: statement.excluded[name] for name in values if name not in keys}
    else:
        update = {
            name: (value(statement.excluded) if callable(value) else value)
            for name, value in update.items()
        }
    await session.execute(statement.on_conflict_do_update(index_elements=keys, set_=update))
