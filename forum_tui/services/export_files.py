"""Writing a member's export to a file, safely (design.md §7, issue 8 §3, issue 9 §7).

Two writers, for two kinds of people:

- :func:`write_own_export_file` is the member's. It takes no path at all: the file is
  ``exports/forum-tui-export-<member id>.json`` in the data directory, so nothing a member
  types ever reaches a filesystem call. Over SSH a member never writes files on the server
  (they run ``ssh HANDLE@HOST export > my-data.json``); this is for forum-tui run in one's own
  terminal. Its messages never say what exists on the machine.
- :func:`write_export_file` is the operator's (``forum-tui member export -o PATH``): a path they
  chose at their own shell.

Both open the file with ``O_NOFOLLOW``, so a symbolic link at the name is refused (never
followed, and a dangling link creates nothing), refuse anything but a regular file with one
link, and leave the file at mode 0600 whatever mode an older file had.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
from pathlib import Path
from typing import Any

from forum_tui.config import data_dir
from forum_tui.domain.errors import ValidationError

EXPORTS_FOLDER = "exports"
FILE_MODE = 0o600
FOLDER_MODE = 0o700

NOT_WRITTEN = (
    "Your export could not be saved here (nothing was written). You can still download it "
    "with the ssh command shown on this screen, or ask an admin for a copy."
)


def export_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def own_export_name(member_id: int) -> str:
    """The fixed file name of a member's own export: built from their id, never typed."""
    return f"forum-tui-export-{int(member_id)}.json"


def _write_all(descriptor: int, text: str) -> None:
    """Empties the opened file, makes it 0600, writes ``text`` and syncs it."""
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
        raise IsADirectoryError(errno.EISDIR, "not a plain file")
    os.fchmod(descriptor, FILE_MODE)
    os.ftruncate(descriptor, 0)
    payload = text.encode("utf-8")
    written = 0
    while written < len(payload):
        written += os.write(descriptor, payload[written:])
    os.fsync(descriptor)


def _open_flags(*, replace: bool) -> int:
    # O_NONBLOCK: a FIFO planted at the name fails at once instead of hanging the writer.
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    return flags if replace else flags | os.O_EXCL


def write_own_export_file(data: dict[str, Any], member_id: int) -> Path:
    """Writes a member's own export into ``exports/`` in the data directory (module doc).

    A previous export of theirs is replaced; a link, a folder or anything else in the way is
    refused with one message that does not say what was found.
    """
    folder = data_dir() / EXPORTS_FOLDER
    name = own_export_name(member_id)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.mkdir(folder, FOLDER_MODE)
        folder_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        raise ValidationError(NOT_WRITTEN) from None
    try:
        if os.fstat(folder_fd).st_uid != os.geteuid():
            raise ValidationError(NOT_WRITTEN)
        try:
            descriptor = os.open(name, _open_flags(replace=True), FILE_MODE, dir_fd=folder_fd)
        except OSError:
            raise ValidationError(NOT_WRITTEN) from None
        try:
            _write_all(descriptor, export_json(data))
        except OSError:
            raise ValidationError(NOT_WRITTEN) from None
        finally:
            os.close(descriptor)
    finally:
        os.close(folder_fd)
    return folder / name


def write_export_file(data: dict[str, Any], path: str, *, force: bool = False) -> Path:
    """The operator's export to ``path``: a new file (mode 0600), or with ``force`` an existing
    plain file replaced and made 0600. A symbolic link is never followed: it is refused, and
    a dangling one creates nothing. Problems are one sentence (``ValidationError``)."""
    if not path.strip():
        raise ValidationError("Type a file path to write the export to.")
    target = Path(path.strip()).expanduser()
    if target.is_symlink():
        raise ValidationError(
            f"{target} is a symbolic link: forum-tui does not follow links (nothing was written)."
        )
    if target.is_dir():
        raise ValidationError(f"{target} is a folder: add a file name, such as export.json.")
    if not target.parent.is_dir():
        raise ValidationError(f"Cannot write {target}: the folder {target.parent} does not exist.")
    try:
        descriptor = os.open(target, _open_flags(replace=force), FILE_MODE)
    except FileExistsError:
        raise ValidationError(
            f"{target} is already there. Pick another file name, or add --force to replace it. "
            "Nothing was changed."
        ) from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise ValidationError(
                f"{target} is a symbolic link: forum-tui does not follow links "
                "(nothing was written)."
            ) from None
        raise ValidationError(f"Cannot write {target}: {error.strerror or error}.") from None
    try:
        _write_all(descriptor, export_json(data))
    except IsADirectoryError:
        raise ValidationError(
            f"{target} is not a plain file of its own (a device, or a file with other names "
            "linked to it): nothing was written."
        ) from None
    except OSError as error:
        raise ValidationError(f"Cannot write {target}: {error.strerror or error}.") from None
    finally:
        os.close(descriptor)
    return target
