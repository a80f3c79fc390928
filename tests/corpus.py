"""The bad-input corpus, loaded for the tests from the project's own copy.

The corpus is kept beside the project in ``../shared/bad-inputs/``; the suite reads only its copy
in ``tests/bad_inputs/`` so a fresh clone with nothing beside it still runs every test. When the
shared corpus grows, copy it in (``cp ../shared/bad-inputs/* tests/bad_inputs/``):
``tests/test_corpus_copy.py`` fails while the two differ and the shared one is beside us.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CORPUS_PATH = Path(__file__).resolve().parent / "bad_inputs" / "cases.json"
SHARED_CORPUS_PATH = Path(__file__).resolve().parents[2] / "shared" / "bad-inputs" / "cases.json"


@dataclass(frozen=True)
class Case:
    """One corpus entry with its value built: ``str`` for text and python cases, else ``bytes``."""

    id: str
    channel: str
    expected: str
    value: str | bytes

    def __str__(self) -> str:
        """Short enough for a pytest id."""
        return self.id


def _materialise(raw: dict[str, str]) -> str | bytes:
    """Build the value from whichever of ``text``, ``python`` or ``bytes_hex`` the case has.

    ``python`` holds small expressions written by the corpus authors ('a' * 20001) so the JSON
    stays readable; they are evaluated with no builtins available.
    """
    if "text" in raw:
        return raw["text"]
    if "python" in raw:
        value = eval(raw["python"], {"__builtins__": {}}, {})
        if not isinstance(value, str | bytes):
            raise TypeError(f"corpus case {raw['id']}: python value is {type(value).__name__}")
        return value
    if "bytes_hex" in raw:
        return bytes.fromhex(raw["bytes_hex"])
    raise ValueError(f"corpus case {raw['id']} has no text, python or bytes_hex")


@cache
def _load() -> tuple[Case, ...]:
    """Read and build the corpus once per test run (some values are 100,000 characters)."""
    with CORPUS_PATH.open(encoding="utf-8") as file:
        raw_cases = json.load(file)
    return tuple(
        Case(raw["id"], raw["channel"], raw["expected"], _materialise(raw)) for raw in raw_cases
    )


def load_cases() -> list[Case]:
    """Every case in the corpus, in file order."""
    return list(_load())


def cases(channel: str) -> list[Case]:
    """The cases of one channel (``post``, ``name``, ``search``, ``ssh``, ``nav``, ``event``)."""
    return [case for case in _load() if case.channel == channel]
