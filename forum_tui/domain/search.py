"""Search as a member types it: terms or a phrase, never query syntax; results and snippets.

Whatever is typed becomes a list of plain words (letters and digits). The store quotes each one
for SQLite FTS5 and joins bare lexemes for PostgreSQL, so ``"NEAR( * OR``, ``100%_`` or a lone
quote are searched as the words they contain, and nothing is read as an operator. Text wrapped
in double quotes (``"respite care"``) is a phrase: its words next to each other, in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from forum_tui.domain.text import strip_controls

SEARCH_MAX_WORDS = 8
WORD_MAX = 40
TYPED_MAX = 500  # only the start of a huge paste is read: eight words come well before this

_WORD = re.compile(r"[^\W_]+")
_MENTION = re.compile(r"(?<![\w@.])@([A-Za-z0-9][A-Za-z0-9_.-]{1,31})")
_SUFFIXES = ("ingly", "edly", "ing", "ies", "ied", "ed", "es", "ly", "er", "s")


class Match(StrEnum):
    ALL = "all"  # every word, anywhere (a member's search)
    ANY = "any"  # any word (the similar-ideas hint)
    PHRASE = "phrase"  # the words side by side, in order


class ResultKind(StrEnum):
    THREAD = "thread"
    POST = "post"
    IDEA = "idea"


@dataclass(frozen=True)
class Terms:
    """What to look for. ``prefix_last``: the last word also matches as a prefix."""

    words: tuple[str, ...]
    match: Match = Match.ALL
    prefix_last: bool = False


def words_of(typed: str, limit: int = SEARCH_MAX_WORDS) -> tuple[str, ...]:
    """The distinct words of ``typed``, case-folded, in order, at most ``limit``."""
    words: list[str] = []
    for word in _WORD.findall(strip_controls(typed[:TYPED_MAX]).casefold()):
        word = word[:WORD_MAX]
        if word not in words:
            words.append(word)
        if len(words) == limit:
            break
    return tuple(words)


def terms_of(typed: str) -> Terms | None:
    """The search a member meant by ``typed``; None when it holds no word to look for."""
    words = words_of(typed)
    if not words:
        return None
    stripped = typed.strip()
    phrase = len(words) > 1 and len(stripped) > 1 and stripped[0] == stripped[-1] == '"'
    return Terms(words, Match.PHRASE if phrase else Match.ALL)


def mentioned_handles(body: str) -> list[str]:
    """The handles written as ``@handle`` in a post, in order, without repeats.

    A handle may end a sentence ("thanks @bev_leeds."), so trailing dots and dashes are left out.
    """
    found: list[str] = []
    for raw in _MENTION.findall(body):
        handle = raw.rstrip(".-")
        if len(handle) >= 3 and handle.casefold() not in (h.casefold() for h in found):
            found.append(handle)
    return found[:20]


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _matches(token: str, stems: set[str], words: tuple[str, ...]) -> bool:
    folded = token.casefold()
    return _stem(folded) in stems or any(folded.startswith(w) for w in words if len(w) >= 4)


Snippet = tuple[tuple[str, bool], ...]


def snippet(text: str, words: tuple[str, ...], width: int = 72) -> Snippet:
    """A short piece of ``text`` around the first matched word, as (text, matched) parts.

    Matching here is looser than the database's stemming (it only marks, never selects), so a
    result always shows why it was found when the words are in its text. One line: newlines
    become spaces. The UI styles the matched parts; they are never markup.
    """
    flat = " ".join(text.split())
    stems = {_stem(w) for w in words}
    tokens = list(_WORD.finditer(flat))
    first = next((t for t in tokens if _matches(t.group(), stems, words)), None)
    start = 0
    if first is not None and first.start() > width // 3:
        start = flat.rfind(" ", 0, first.start() - width // 4) + 1
    end = min(len(flat), start + width)
    if end < len(flat):
        cut = flat.rfind(" ", start, end)
        end = cut if cut > start + width // 2 else end
    parts: list[tuple[str, bool]] = []
    if start > 0:
        parts.append(("…", False))
    at = start
    for token in tokens:
        if token.start() < start or token.end() > end:
            continue
        if _matches(token.group(), stems, words):
            if token.start() > at:
                parts.append((flat[at : token.start()], False))
            parts.append((token.group(), True))
            at = token.end()
    if end > at:
        parts.append((flat[at:end], False))
    if end < len(flat):
        parts.append(("…", False))
    return tuple(parts)


def snippet_text(parts: Snippet, mark: str = "*") -> str:
    """The snippet as one plain line, matched words between ``mark`` (for the CLI)."""
    return "".join(f"{mark}{text}{mark}" if matched else text for text, matched in parts)


@dataclass(frozen=True)
class SearchResult:
    """One thing found: a thread (its title matched), a post, or an idea.

    ``title`` is the thread's or idea's title; ``place`` the group or board name; ``post_id``
    the post to open the thread at.
    """

    kind: ResultKind
    id: int
    title: str
    place: str
    author_handle: str
    created_at: datetime
    snippet: Snippet
    thread_id: int | None = None
    post_id: int | None = None
    idea_id: int | None = None
    group_id: int | None = None
    board_id: int | None = None
    hidden: bool = False  # shown only to those who moderate it
