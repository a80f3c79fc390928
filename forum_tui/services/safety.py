"""Safety signposting (design.md §6): crisis language in a post brings helplines to the author,
a discreet line to readers, and a notification to the group's leaders.

This is signposting, not diagnosis, and it never blocks posting. The phrases and helplines come
from a TOML file an operator can edit: ``FORUM_TUI_SAFETY_FILE``, else ``safety.toml`` in the
data directory, else the UK defaults shipped in ``forum_tui/safety_defaults.toml`` (which also
documents the format). A file that cannot be read or is malformed is reported once, clearly, in
the log and in :attr:`SafetyConfig.problem`, and the defaults are used instead: a typo in a
config file must never stop a carer posting, nor silently switch signposting off.

Matching is on whole words after NFKC and case folding, with punctuation and spacing ignored and
apostrophes dropped, so "Self-Harm", "self  harm" and "SELF HARM" are one phrase, and "can't"
matches "cant". Idioms are handled two ways: the default phrases avoid single words that are
mostly idiom ("dying", "killing me", "die" are not listed, so "I'm dying for a cup of tea" and
"my back is killing me" never match), and *exceptions* are longer phrases inside which a listed
phrase is ordinary talk ("nearly killed myself laughing", "not safe to drive"). Erring on the
side of signposting is deliberate: a helpline line under a post that did not need it costs
little; missing one that did costs a great deal.

Everything here is plain Python (no database, no Textual), cheap enough to run on every post a
reader opens: one regex pass over the normalised body.
"""

from __future__ import annotations

import logging
import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from forum_tui.config import data_dir
from forum_tui.domain.moderation import Helpline, Signposting

log = logging.getLogger(__name__)

SAFETY_FILE_ENV = "FORUM_TUI_SAFETY_FILE"
SAFETY_FILE_NAME = "safety.toml"
DEFAULTS_RESOURCE = "safety_defaults.toml"
MORE_HINT = "press F1 for more"

_APOSTROPHES = re.compile("['\u2018\u2019\u02bc\u0060\u00b4]")
_NOT_WORD = re.compile(r"[\W_]+")


class SafetyConfigError(ValueError):
    """The safety file cannot be used; the message says which file and what is wrong."""


def normalise(text: str) -> str:
    """Lower-case words separated by single spaces: what phrases are matched against.

    NFKC folds full-width and other compatibility forms ("ｓｕｉｃｉｄｅ"), case folding handles
    capitals, format characters (zero-width spaces hidden inside a word) are dropped, apostrophes
    are removed so "can't" is "cant", and every other run of punctuation or space is one space.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    if not text.isascii():  # ASCII has no format characters: skip the per-character look
        text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    text = _APOSTROPHES.sub("", text)
    return _NOT_WORD.sub(" ", text).strip()


def _alternation(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    words = sorted({normalise(p) for p in phrases} - {""}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b")


@dataclass(frozen=True)
class SafetyConfig:
    """The phrases that bring signposting and the helplines it shows."""

    message: str
    helplines: tuple[Helpline, ...]
    phrases: tuple[str, ...]
    exceptions: tuple[str, ...] = ()
    source: str = "shipped defaults"
    problem: str | None = None  # why the configured file was not used, if it was not
    _phrase_re: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _exception_re: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_phrase_re", _alternation(self.phrases))
        object.__setattr__(self, "_exception_re", _alternation(self.exceptions))

    def matched_phrases(self, text: str) -> tuple[str, ...]:
        """The crisis phrases found in ``text`` (normalised), in order, outside any exception."""
        if self._phrase_re is None or not text:
            return ()
        words = normalise(text)
        if self._exception_re is not None:
            # "|" is not a word character, so no phrase can match across a removed exception.
            words = self._exception_re.sub("|", words)
        return tuple(match.group() for match in self._phrase_re.finditer(words))

    def signposting_for(self, text: str) -> Signposting | None:
        """The signposting to show for ``text``, or None when it has no crisis phrase."""
        if not self.matched_phrases(text):
            return None
        return Signposting(message=self.message, helplines=self.helplines)


def _strings(data: dict[str, Any], key: str, source: str) -> tuple[str, ...] | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise SafetyConfigError(f"{source}: {key!r} must be a list of strings in quotes.")
    return tuple(item for item in value if item.strip())


def _helplines(data: dict[str, Any], source: str) -> tuple[Helpline, ...] | None:
    value = data.get("helplines")
    if value is None:
        return None
    if not isinstance(value, list) or not value:
        raise SafetyConfigError(
            f"{source}: 'helplines' must be one or more [[helplines]] tables with a name and "
            "a contact."
        )
    lines: list[Helpline] = []
    for number, entry in enumerate(value, start=1):
        if not isinstance(entry, dict):
            raise SafetyConfigError(f"{source}: helpline {number} must be a [[helplines]] table.")
        name, contact = entry.get("name"), entry.get("contact")
        if not isinstance(name, str) or not name.strip():
            raise SafetyConfigError(f'{source}: helpline {number} needs a name = "...".')
        if not isinstance(contact, str) or not contact.strip():
            raise SafetyConfigError(f'{source}: helpline {number} needs a contact = "...".')
        lines.append(Helpline(name=name.strip(), contact=contact.strip()))
    return tuple(lines)


_KNOWN_KEYS = {"message", "phrases", "exceptions", "extra_phrases", "extra_exceptions", "helplines"}


def parse_safety(
    data: dict[str, Any], source: str, base: SafetyConfig | None = None
) -> SafetyConfig:
    """A config from parsed TOML; keys left out keep ``base``'s values (the defaults).

    Raises SafetyConfigError naming the file and the key at fault.
    """
    unknown = sorted(set(data) - _KNOWN_KEYS)
    if unknown:
        raise SafetyConfigError(
            f"{source}: unknown setting {unknown[0]!r} (known: {', '.join(sorted(_KNOWN_KEYS))})."
        )
    message = data.get("message")
    if message is not None and (not isinstance(message, str) or not message.strip()):
        raise SafetyConfigError(f"{source}: 'message' must be some text in quotes.")
    phrases = _strings(data, "phrases", source)
    exceptions = _strings(data, "exceptions", source)
    extra_phrases = _strings(data, "extra_phrases", source) or ()
    extra_exceptions = _strings(data, "extra_exceptions", source) or ()
    helplines = _helplines(data, source)
    if base is None:
        if message is None or phrases is None or helplines is None:
            raise SafetyConfigError(f"{source}: needs a message, phrases and helplines.")
        base = SafetyConfig(message=message, helplines=helplines, phrases=phrases)
    config = SafetyConfig(
        message=(message or base.message).strip(),
        helplines=helplines or base.helplines,
        phrases=(base.phrases if phrases is None else phrases) + extra_phrases,
        exceptions=(base.exceptions if exceptions is None else exceptions) + extra_exceptions,
        source=source,
    )
    if not config.phrases:
        raise SafetyConfigError(f"{source}: 'phrases' is empty, so nothing would be signposted.")
    return config


def default_safety() -> SafetyConfig:
    """The UK defaults shipped inside the package."""
    text = resources.files("forum_tui").joinpath(DEFAULTS_RESOURCE).read_text("utf-8")
    return parse_safety(tomllib.loads(text), "shipped defaults")


def load_safety_file(path: Path, base: SafetyConfig | None = None) -> SafetyConfig:
    """Reads one safety file over ``base`` (the defaults). Raises SafetyConfigError."""
    base = base or default_safety()
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except OSError as error:
        raise SafetyConfigError(f"{path}: cannot be read ({error.strerror or error}).") from None
    except UnicodeDecodeError:
        raise SafetyConfigError(f"{path}: is not UTF-8 text.") from None
    except tomllib.TOMLDecodeError as error:
        raise SafetyConfigError(f"{path}: is not valid TOML ({error}).") from None
    return parse_safety(data, str(path), base)


def safety_file() -> tuple[Path | None, bool]:
    """The file to read and whether it was named explicitly (then it must exist)."""
    named = os.environ.get(SAFETY_FILE_ENV)
    if named:
        return Path(named).expanduser(), True
    path = data_dir() / SAFETY_FILE_NAME
    return (path, False) if path.exists() else (None, False)


def load_safety() -> SafetyConfig:
    """The configured safety settings. Never raises: a broken file means the defaults, with the
    problem logged as a warning and kept in ``problem`` for the operator to see."""
    defaults = default_safety()
    path, _named = safety_file()
    if path is None:
        return defaults
    try:
        return load_safety_file(path, defaults)
    except SafetyConfigError as error:
        problem = f"{error} Using the shipped safety defaults instead."
        log.warning("safety signposting: %s", problem)
        return SafetyConfig(
            message=defaults.message,
            helplines=defaults.helplines,
            phrases=defaults.phrases,
            exceptions=defaults.exceptions,
            source=defaults.source,
            problem=problem,
        )


_current: SafetyConfig | None = None


def current_safety() -> SafetyConfig:
    """The safety settings this process uses, read once (each SSH session is a new process, so
    an edited file applies to new sessions; call :func:`reload_safety` to re-read sooner)."""
    global _current
    if _current is None:
        _current = load_safety()
    return _current


def reload_safety() -> SafetyConfig:
    global _current
    _current = load_safety()
    return _current


# Opening a thread checks every post on the page (0.1 ms each, 6 ms for a page of 50, measured
# by bench/store_scale.py); the same posts are opened again and again, so answers are kept, a
# bounded number of them, per settings object (a reload starts afresh).
_SEEN_MAX = 4096
_seen: dict[str, Signposting | None] = {}
_seen_for: SafetyConfig | None = None


def signposting_for(text: str) -> Signposting | None:
    """Signposting for ``text`` under the configured settings, or None when nothing matches."""
    global _seen_for
    config = current_safety()
    if _seen_for is not config:
        _seen.clear()
        _seen_for = config
    try:
        return _seen[text]
    except KeyError:
        pass
    if len(_seen) >= _SEEN_MAX:
        _seen.pop(next(iter(_seen)))  # the oldest answer goes first
    answer = _seen[text] = config.signposting_for(text)
    return answer


def discreet_line(signposting: Signposting) -> str:
    """The one line readers see under a matching post: the first helpline and where to find
    the rest. Plain text."""
    first = signposting.helplines[0] if signposting.helplines else None
    helpline = f"{first.name} {first.contact}" if first else "helplines are listed in Help"
    return f"Support is available: {helpline} · {MORE_HINT}"


def full_text(signposting: Signposting) -> str:
    """The author's view: the message and every helpline, one per line. Plain text."""
    lines = [signposting.message, ""]
    lines += [f"• {line.name}: {line.contact}" for line in signposting.helplines]
    return "\n".join(lines)


__all__ = [
    "SafetyConfig",
    "SafetyConfigError",
    "current_safety",
    "default_safety",
    "discreet_line",
    "full_text",
    "load_safety",
    "load_safety_file",
    "normalise",
    "parse_safety",
    "reload_safety",
    "signposting_for",
]
