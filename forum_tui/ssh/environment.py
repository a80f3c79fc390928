"""The operator's settings, carried from ``forum-tui serve`` into every session's app.

Each SSH session's app is a new process with an environment built from scratch (nothing a
client sends gets in). What the operator set for the server must still apply there: the
posting limits (``FORUM_TUI_POSTS_PER_WINDOW`` …), the safety file (``FORUM_TUI_SAFETY_FILE``)
and any other ``FORUM_TUI_*`` setting. They are taken from the *server's* environment only,
checked once when the server starts (a typo is one clear line then, not a crash in every
session), and paths are made absolute, since the app runs in the data directory rather than
where the server was started.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from forum_tui.domain.errors import ForumError
from forum_tui.services import safety
from forum_tui.services.limits import PostingLimits
from forum_tui.ssh.oplog import log_event

PREFIX = "FORUM_TUI_"
# Set by the server itself from its Settings (``--db`` wins over the environment).
SET_BY_SERVER = frozenset({"FORUM_TUI_DATABASE_URL", "FORUM_TUI_DATA_DIR"})
PATH_SETTINGS = frozenset({safety.SAFETY_FILE_ENV})


def operator_settings(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every ``FORUM_TUI_*`` setting of the server's environment, paths made absolute."""
    environ = os.environ if environ is None else environ
    settings = {}
    for name, value in environ.items():
        if not name.startswith(PREFIX) or name in SET_BY_SERVER:
            continue
        if name in PATH_SETTINGS and value:
            value = str(Path(value).expanduser().absolute())
        settings[name] = value
    return settings


def check_operator_settings() -> None:
    """Raises ForumError (one line) for a setting no session could start with; logs a
    safety file that will not be used, so the operator sees it once, at start-up."""
    try:
        PostingLimits.from_env()
    except ValueError as error:
        raise ForumError(str(error)) from None
    config = safety.load_safety()
    if config.problem:
        log_event("settings_problem", setting=safety.SAFETY_FILE_ENV, problem=config.problem)
    else:
        log_event("safety_settings", source=config.source)
