"""Settings from the command line and the environment. No Textual, no database access.

* ``--db URL`` or ``FORUM_TUI_DATABASE_URL``: the database (SQLite file or PostgreSQL).
* ``FORUM_TUI_DATA_DIR``: where the default SQLite files live (else the platform's user data
  directory, e.g. ``~/.local/share/forum-tui`` on Linux).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "forum-tui"


def data_dir() -> Path:
    override = os.environ.get("FORUM_TUI_DATA_DIR")
    return Path(override).expanduser() if override else user_data_path(APP_NAME, appauthor=False)


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


@dataclass(frozen=True)
class Settings:
    database_url: str
    # True when the URL came from --db or the environment rather than the default file.
    database_chosen: bool = False

    @classmethod
    def load(cls, database_url: str | None = None) -> Settings:
        url = database_url or os.environ.get("FORUM_TUI_DATABASE_URL")
        if url:
            return cls(url, database_chosen=True)
        return cls(sqlite_url(data_dir() / "forum.db"))

    def for_demo(self) -> Settings:
        """The demo keeps its own file unless a database was chosen explicitly."""
        if self.database_chosen:
            return self
        return Settings(sqlite_url(data_dir() / "demo.db"))
