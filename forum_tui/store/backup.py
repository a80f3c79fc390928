"""Backups (design.md §7): SQLite's online backup API, or the pg_dump command for PostgreSQL.

The SQLite backup copies every page in one step inside one read transaction, so the copy is a
consistent snapshot even while the server keeps writing (WAL lets the writer carry on). It is
written to a temporary file beside the target and renamed into place, so a failed backup never
leaves a half-written file under the chosen name.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import sqlite3
import tempfile
from pathlib import Path

from sqlalchemy.engine import URL

from forum_tui.domain.errors import StoreError, ValidationError


def check_target(path: str, *, force: bool) -> Path:
    """The backup's path, or a one-sentence refusal (exists, missing folder, a folder)."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise ValidationError(f"{target} is a folder: give a file name, such as forum-backup.db.")
    if target.exists() and not force:
        raise ValidationError(f"{target} already exists: use --force to replace it.")
    if not target.parent.is_dir():
        raise ValidationError(f"Cannot write {target}: the folder {target.parent} does not exist.")
    return target


def backup_sqlite(source: str, target: Path) -> Path:
    """Copies the SQLite database at ``source`` to ``target`` (see the module docstring)."""
    if not Path(source).is_file():
        raise StoreError(f"There is no SQLite database at {source}.")
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".partial", dir=target.parent
        )
    except OSError as error:
        raise ValidationError(f"Cannot write {target}: {error.strerror or error}.") from None
    os.close(handle)
    try:
        # Read only: the backup never writes to the live database.
        src = sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            src.execute("PRAGMA busy_timeout=30000")
            dst = sqlite3.connect(temporary)
            try:
                src.backup(dst)  # pages=-1: all at once, one consistent snapshot
                dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            finally:
                dst.close()
        finally:
            src.close()
        os.chmod(temporary, 0o600)  # carers' posts: readable by the owner only
        os.replace(temporary, target)
    except sqlite3.DatabaseError as error:
        raise StoreError(f"The backup of {source} failed: {error}.") from None
    except OSError as error:
        raise ValidationError(f"Cannot write {target}: {error.strerror or error}.") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return target


async def backup_sqlite_async(source: str, target: Path) -> Path:
    """``backup_sqlite`` in a thread, so a running server's event loop keeps serving."""
    return await asyncio.to_thread(backup_sqlite, source, target)


def pg_dump_command(url: URL, path: str) -> str:
    """The pg_dump command that backs up the database at ``url`` to ``path`` (no password:
    pg_dump asks, or reads PGPASSWORD / ~/.pgpass)."""
    parts = ["pg_dump", "--format=custom", f"--file={path}"]
    if url.host:
        parts.append(f"--host={url.host}")
    if url.port:
        parts.append(f"--port={url.port}")
    if url.username:
        parts.append(f"--username={url.username}")
    parts.append(f"--dbname={url.database or 'postgres'}")
    return shlex.join(parts)
