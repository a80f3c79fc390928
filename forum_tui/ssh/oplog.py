"""One structured line per connection, sign-in result and session end, for operators.

Lines are ``key=value`` pairs. A value made only of safe characters is written as it is;
anything else (a handle someone typed, an error message) is written as a JSON string, so a
hostile handle holding a newline, a quote or an escape sequence cannot end the line early,
forge another entry or drive the operator's terminal. Post contents and passwords are never
logged: nothing here is given them.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from typing import Any

logger = logging.getLogger("forum_tui.ssh")

_SAFE = re.compile(r"[A-Za-z0-9_.,:/@+\-]{1,200}")
_VALUE_MAX = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def format_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".")
    text = str(value)
    if _SAFE.fullmatch(text):
        return text
    if len(text) > _VALUE_MAX:
        text = text[:_VALUE_MAX] + "…"
    return json.dumps(text, ensure_ascii=True)


def format_event(event: str, fields: dict[str, Any]) -> str:
    parts = [f"event={format_value(event)}"]
    parts += [f"{name}={format_value(v)}" for name, v in fields.items() if v is not None]
    return " ".join(parts)


def log_event(event: str, level: int = logging.INFO, **fields: Any) -> None:
    logger.log(level, format_event(event, fields))


class OneLineFormatter(logging.Formatter):
    """``ts=… level=… <message>``, with control characters in any message escaped.

    The escaping also covers lines from libraries (asyncssh logs user names as the client
    sent them), so no log line can carry a newline or a terminal escape.
    """

    converter = time.gmtime

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info:
            message += " error=" + format_value(
                f"{record.exc_info[0].__name__}: {record.exc_info[1]}" if record.exc_info[0] else ""
            )
        message = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", message)
        if record.name != logger.name:
            message = f"source={format_value(record.name)} message={format_value(message)}"
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", self.converter(record.created))
        return f"ts={stamp} level={record.levelname.lower()} {message}"


def configure_logging(stream: Any = None) -> None:
    """Operations log to stderr (systemd's journal under a unit); asyncssh's own chatter only
    from warnings up."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(OneLineFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    for chatty in ("asyncssh", "alembic"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
