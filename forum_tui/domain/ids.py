"""Numbers people type for things (idea #12, a post's number): what counts as one.

Row ids are INTEGER in the schema, which PostgreSQL stores in 32 bits and SQLite in 64. A
number beyond that can name nothing, so it is "not found", never a crash: the store refuses such
a number in any query with :class:`~forum_tui.domain.errors.NotFound` (``store/ids.py``), and
:func:`parse_number` reads only plain ASCII digits (``"²"`` and ``"١٢"`` are not numbers here).
"""

from __future__ import annotations

import re

MAX_ID = 2**31 - 1  # the largest INTEGER on PostgreSQL (SQLite's go to 2**63 - 1)
NO_SUCH_NUMBER = "There is nothing with that number, or it is somewhere you cannot see."

_NUMBER = re.compile(r"#?([0-9]{1,40})")


def parse_number(text: str) -> int:
    """``"12"`` or ``"#12"`` (spaces around allowed) -> 12. Raises ValueError otherwise, or for
    more than 40 digits (a number no database holds is still read, to be "not found")."""
    match = _NUMBER.fullmatch(text.strip())
    if match is None:
        raise ValueError(text)
    return int(match.group(1))


def is_storable_id(value: int) -> bool:
    """Whether ``value`` could be the id of a row on every supported database."""
    return 0 < value <= MAX_ID
