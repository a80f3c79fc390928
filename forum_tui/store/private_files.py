"""The forum's files are the forum's own: folders 0700, files 0600.

The database holds carers' posts and password hashes. SQLite gives a new database the
process's umask (0644 under most), and its ``-wal`` and ``-shm`` files take the database
file's mode, so creating the database file ourselves, 0600, before SQLite opens it makes all
three private. A folder we create is 0700. Files and folders that already exist are never
changed behind the operator's back; :func:`loose_files` finds the ones others can read, for a
warning at start-up that says which command fixes them.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def make_private_dir(path: Path) -> None:
    """Creates ``path`` (and missing parents) readable by the owner only; leaves an
    existing folder as it is."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    for created in missing:
        with contextlib.suppress(OSError):
            os.chmod(created, PRIVATE_DIR)  # mkdir's mode is masked by the umask; parents too


def create_private_file(path: Path) -> None:
    """Creates an empty ``path`` with mode 0600 unless it exists (then it is left alone)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))


@dataclass(frozen=True)
class LooseFile:
    """A file or folder of the forum's that other users can read."""

    path: Path
    mode: int
    folder: bool

    @property
    def fix(self) -> str:
        return f"chmod {'700' if self.folder else '600'} {self.path}"

    @property
    def warning(self) -> str:
        what = "folder" if self.folder else "file"
        return (
            f"The {what} {self.path} can be read by other users on this computer "
            f"(mode {self.mode:04o}); it holds carers' posts. Run:  {self.fix}"
        )


def _loose(path: Path, *, folder: bool) -> LooseFile | None:
    try:
        info = path.stat()
    except OSError:
        return None
    mode = stat.S_IMODE(info.st_mode)
    return LooseFile(path, mode, folder) if mode & 0o077 else None


def loose_files(data_dir: Path, databases: Iterable[Path] = ()) -> list[LooseFile]:
    """The data folder and each SQLite database (with its ``-wal``/``-shm``/``-journal``)
    that others can read. Missing ones are not mentioned."""
    found = []
    if (loose := _loose(data_dir, folder=True)) is not None:
        found.append(loose)
    seen: set[Path] = set()
    for database in databases:
        for path in (database, *(Path(f"{database}{end}") for end in SQLITE_COMPANIONS)):
            if path in seen:
                continue
            seen.add(path)
            if (loose := _loose(path, folder=False)) is not None:
                found.append(loose)
    return found
