"""Alembic environment for forum-tui, async, for SQLite and PostgreSQL alike.

The app passes an open connection in ``config.attributes["connection"]``; the ``alembic``
command line (developers only) builds its own engine from FORUM_TUI_DATABASE_URL or alembic.ini.
"""

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection

from forum_tui.store.tables import Base

config = context.config
target_metadata = Base.metadata


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_from_url(url: str) -> None:
    from forum_tui.store.database import Database

    db = Database(url)
    try:
        async with db.connect(write=True) as connection:
            await connection.run_sync(run_with)
    finally:
        await db.dispose()


if context.is_offline_mode():
    raise SystemExit("forum-tui migrations run online only.")

connection = config.attributes.get("connection")
if connection is not None:
    run_with(connection)
else:
    url = os.environ.get("FORUM_TUI_DATABASE_URL") or config.get_main_option("sqlalchemy.url")
    asyncio.run(run_from_url(url))
