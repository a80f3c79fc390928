"""Numbers a database cannot hold are "not found", not a crash (issue 9 §8).

An id typed by a person (idea #99999999999999999999) or built by a client reaches a query as a
bound parameter. SQLite raises a raw ``OverflowError`` beyond 64 bits and asyncpg refuses
anything beyond 32 bits for an INTEGER column, so the one place every statement passes, the
engine's ``before_cursor_execute``, turns any integer parameter beyond what the backend can
store into :class:`NotFound`, before the driver sees it. The schema has no BIGINT column, so
no legitimate value is that large.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from forum_tui.domain.errors import NotFound
from forum_tui.domain.ids import NO_SUCH_NUMBER

_LIMITS = {"postgresql": 2**31 - 1}
_DEFAULT_LIMIT = 2**63 - 1  # SQLite's INTEGER


def _out_of_range(values: Any, limit: int) -> bool:
    """Any int in ``values`` — a row of parameters (tuple or dict) or a list of rows — beyond
    ``limit``. ``bool`` is not a number here."""
    if type(values) is int:
        return not -limit - 1 <= values <= limit
    if isinstance(values, dict):
        values = values.values()
    elif not isinstance(values, list | tuple):
        return False
    return any(_out_of_range(value, limit) for value in values)


@event.listens_for(Engine, "before_cursor_execute")
def refuse_numbers_beyond_the_store(
    conn: Any,
    cursor: Any,
    statement: str,
    parameters: Any,
    context: Any,
    executemany: bool,
) -> None:
    if _out_of_range(parameters, _LIMITS.get(conn.dialect.name, _DEFAULT_LIMIT)):
        raise NotFound(NO_SUCH_NUMBER)
