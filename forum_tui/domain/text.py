"""Cleaning and validation of everything a member types: post bodies, titles and names.

Member text is shown in other members' terminals. A terminal obeys control sequences, so text
that reaches one must never carry an escape, a C1 control or a stray C0 control (clear the screen,
set the clipboard, hide a link, overwrite a line). Everything is cleaned *before* it is stored, so
every screen, log line and export reads the same safe text, and the database never sees a NUL or
a lone surrogate (PostgreSQL refuses the first, UTF-8 encoding the second).

Markup is not this module's concern: brackets such as ``[b]`` or ``[/`` are kept as typed, and the
UI renders member text as plain text. Removing them here would mangle ordinary writing
("[TODO] ask GP") and still not make a markup renderer safe.

Everything here is plain standard-library Python, linear in the length of its input, so a hostile
100,000-character paste costs milliseconds and the layers above can call it on every keystroke.
"""

from __future__ import annotations

import re
import unicodedata

from forum_tui.domain.errors import ValidationError

TITLE_MIN = 3
TITLE_MAX = 120
BODY_MAX = 20_000
BODY_MAX_LINES = 2_000
HANDLE_MIN = 3
HANDLE_MAX = 32
DISPLAY_NAME_MAX = 60
MAX_COMBINING = 4

# A raw body this long cannot come under BODY_MAX by cleaning unless it is mostly control
# characters, so it is refused before spending any work on it (a 5 MB paste stays cheap).
_RAW_BODY_GUARD = 10 * BODY_MAX

# Terminal escape sequences, after ECMA-48 and what xterm actually parses. Every alternative is a
# run of disjoint character classes, so a failed match costs at most one scan of the run and the
# whole pattern stays linear. Any ESC or C1 byte that is not part of a well-formed sequence is left
# for _CONTROLS below, which removes it on its own: nothing of a sequence's introducer survives.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    (?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]          # CSI: params, intermediates, final
    | (?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?      # OSC up to BEL or ST, else to end
    | (?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x1b\x9c]*(?:\x1b\\|\x9c)?  # DCS SOS PM APC up to ST
    | \x1b[\x20-\x2f]+[\x30-\x7e]                               # nF: charset designation, ESC # 8
    | \x1b[\x30-\x7e]                                           # two-character: ESC c, ESC 7, ...
    """,
    re.VERBOSE,
)

# What every escape sequence starts with; most posts have none, and one scan for it is cheaper
# than trying the alternatives above at every character.
_INTRODUCER = re.compile("[\x1b\x90\x98\x9b\x9d\x9e\x9f]")

# C0 controls except tab and newline, DEL, every C1 control, and the bidi embedding, override and
# isolate controls that can make "exe.pdf" read as "fdp.exe" (the marks U+200E/U+200F only affect
# the character next to them and are kept, because right-to-left writing needs them).
_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + _BIDI_CONTROLS + "]+")

# Every way of ending a line becomes "\n", so one line count holds for the limit, the composer and
# the renderer; a lone CR would otherwise let a post overwrite the start of its own line.
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029]")

_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")

# Characters that show nothing at all, which in a title or a name only serve to make two strings
# that look identical differ ("mod\u200berator") or a blank one look filled: the zero-width
# space, joiners, word joiner, BOM, soft hyphen and Mongolian vowel separator, plus the invisible
# operators and the Hangul fillers, which render as blank cells and are a known way to make a
# name or title that looks empty.
_ZERO_WIDTH = (
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u2061\u2062\u2063\u2064\u115f\u1160\u3164\uffa0"
)
_ZERO_WIDTH_RE = re.compile("[" + _ZERO_WIDTH + "]+")

# Everything str.isspace() accepts (NBSP and the ideographic space included) plus zero-width
# characters: what counts as "nothing" at the edges of a post. str.strip with an explicit set is
# linear, unlike an anchored regex such as r"\s+$", which is quadratic on long runs of spaces.
_WHITESPACE = "".join(chr(cp) for cp in range(0x3001) if chr(cp).isspace())
_BLANK = _WHITESPACE + _ZERO_WIDTH
_WHITESPACE_RUN = re.compile(r"\s+")

_HANDLE_SHAPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")
_NOT_KEY_CHAR = re.compile(r"[\W_]+")


def _mark_and_format_chars() -> tuple[frozenset[str], frozenset[str]]:
    """Combining marks (Mn, Me) and zero-width format characters (Cf), read from ``unicodedata``.

    ``re`` has no Unicode property classes, so the sets are built once at import. Marks and Cf
    only occur from U+00AD up to plane 1 and in plane 14 (variation selectors and tags); scanning
    just those keeps import time to a few tens of milliseconds.
    """
    marks: list[str] = []
    formats: list[str] = []
    for start, stop in ((0xA0, 0x20000), (0xE0000, 0xE1000)):
        for cp in range(start, stop):
            category = unicodedata.category(chr(cp))
            if category in ("Mn", "Me"):
                marks.append(chr(cp))
            elif category == "Cf":
                formats.append(chr(cp))
    return frozenset(marks), frozenset(formats)


def _class_body(chars: frozenset[str]) -> str:
    """Compress characters into sorted ``a-z`` ranges for a regex character class."""
    ordered = sorted(chars)
    parts: list[str] = []
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ord(ordered[j + 1]) == ord(ordered[j]) + 1:
            j += 1
        first, last = re.escape(ordered[i]), re.escape(ordered[j])
        parts.append(first if i == j else f"{first}-{last}")
        i = j + 1
    return "".join(parts)


_MARKS, _FORMATS = _mark_and_format_chars()
# Runs that *may* stack more than MAX_COMBINING marks on one base. The class holds the BMP marks
# and format characters, which ``re`` looks up in a table, plus all of planes 1-16 as one range:
# listing the astral marks one range at a time makes ``re`` test each range for every character
# of every post. Astral characters that are not marks are bases, and _cap_marks treats them so.
# Format characters (ZWJ, tags) neither count nor end a stack, so interleaving ZWJs cannot smuggle
# a tall stack through.
_MARK_RUN = re.compile(
    "["
    + _class_body(frozenset(c for c in _MARKS | _FORMATS if c <= "\uffff"))
    + "\U00010000-\U0010ffff]{"
    + str(MAX_COMBINING + 1)
    + ",}"
)


def _cap_marks(match: re.Match[str]) -> str:
    """Keep at most MAX_COMBINING marks after each base in the run (and every format char)."""
    kept: list[str] = []
    marks = 0
    for char in match.group():
        if char in _MARKS:
            marks += 1
            if marks > MAX_COMBINING:
                continue
        elif char not in _FORMATS:
            marks = 0
        kept.append(char)
    return "".join(kept)


def _repair_surrogates(text: str) -> str:
    """Join surrogate pairs into the character they encode and replace lone ones with U+FFFD.

    A ``str`` can hold surrogates (from a bad decoder or a JSON escape), and UTF-8 encoding then
    fails deep inside the database driver, long after the member pressed "Send".
    """
    if not _SURROGATE.search(text):
        return text
    text = _SURROGATE_PAIR.sub(_join_pair, text)
    return _SURROGATE.sub("\ufffd", text)


def _join_pair(match: re.Match[str]) -> str:
    """The character a high and a low surrogate encode together."""
    high, low = match.group()
    return chr(0x10000 + ((ord(high) - 0xD800) << 10) + (ord(low) - 0xDC00))


def strip_controls(text: str) -> str:
    """Return ``text`` with nothing a terminal would obey, and nothing UTF-8 cannot encode.

    Whole escape sequences are removed (not just their ESC), so no "[2J" or clipboard payload is
    left behind as litter; CR and CRLF become newlines; C0 (except tab and newline), DEL, C1 and
    bidi embedding/override/isolate controls are removed; lone surrogates become U+FFFD; and
    combining marks are capped at MAX_COMBINING per character, so "zalgo" text cannot bleed over
    neighbouring lines. The Unicode line and paragraph separators also become newlines. Other
    text, brackets and zero-width joiners included, is returned unchanged.
    """
    text = _repair_surrogates(text)
    if _INTRODUCER.search(text):
        text = _ESCAPE_SEQUENCE.sub("", text)
    text = _LINE_BREAKS.sub("\n", text)
    text = _CONTROLS.sub("", text)
    return _MARK_RUN.sub(_cap_marks, text)


def _strip_blank(text: str) -> str:
    """Strip whitespace of every kind, NBSP and zero-width characters from both ends."""
    return text.strip(_BLANK)


def is_blank(text: str) -> bool:
    """True when nothing visible would remain once ``text`` is cleaned (e.g. to disable "Send")."""
    return not _strip_blank(strip_controls(text))


def clean_body(text: str) -> str:
    """Clean a post, reply or idea body, or explain why it cannot be accepted.

    Trailing spaces are dropped from every line and blank edges from the whole, so the limits
    measure what readers will see. Text over a limit is refused, never cut: a carer's words are
    not shortened behind their back, and the draft stays with them to edit.
    """
    if len(text) > _RAW_BODY_GUARD:
        raise ValidationError(_too_long_body(len(text)))
    cleaned = strip_controls(text)
    cleaned = "\n".join(line.rstrip() for line in cleaned.split("\n"))
    cleaned = _strip_blank(cleaned)
    if not cleaned:
        raise ValidationError("Your post is empty.")
    lines = cleaned.count("\n") + 1
    if lines > BODY_MAX_LINES:
        raise ValidationError(
            f"Your post is {lines:,}/{BODY_MAX_LINES:,} lines — please shorten it."
        )
    if len(cleaned) > BODY_MAX:
        raise ValidationError(_too_long_body(len(cleaned)))
    return cleaned


def _too_long_body(length: int) -> str:
    """The over-length message, with both counts so the carer knows how much to cut."""
    return f"Your post is {length:,}/{BODY_MAX:,} characters — please shorten it."


def _clean_line(text: str) -> str:
    """Shared cleaning for one-line text: no controls, no zero-width, single spaces only."""
    cleaned = _ZERO_WIDTH_RE.sub("", strip_controls(text))
    return _WHITESPACE_RUN.sub(" ", cleaned).strip()


def clean_title(text: str) -> str:
    """Clean a thread or idea title: one line, single-spaced, TITLE_MIN to TITLE_MAX characters."""
    cleaned = _clean_line(text)
    if not TITLE_MIN <= len(cleaned) <= TITLE_MAX:
        raise ValidationError(
            f"A title needs {TITLE_MIN} to {TITLE_MAX} characters (this one has {len(cleaned):,})."
        )
    return cleaned


def clean_display_name(text: str) -> str:
    """Clean the optional display name shown beside a handle: one line, 1 to DISPLAY_NAME_MAX.

    Unlike a handle it may use any script and spaces (NBSP becomes a plain space), because it is
    the member's own name for themselves; it is not unique, so it needs no skeleton.
    """
    cleaned = _clean_line(text)
    if not 1 <= len(cleaned) <= DISPLAY_NAME_MAX:
        raise ValidationError(
            f"A display name needs 1 to {DISPLAY_NAME_MAX} characters "
            f"(this one has {len(cleaned):,})."
        )
    return cleaned


def clean_handle(text: str) -> str:
    """Clean a handle (the public pseudonym) and check its shape; its case is kept for display.

    Handles are ASCII letters, digits and ``_ . -`` after NFKC, so look-alike letters from other
    scripts cannot imitate another member. Direction controls are refused outright rather than
    stripped: someone typing one into a name is trying to disguise it, and should be told so.
    """
    if any(char in _BIDI_CONTROLS for char in text):
        raise ValidationError("A handle cannot hold hidden marks that change text direction.")
    cleaned = unicodedata.normalize("NFKC", strip_controls(text))
    cleaned = _ZERO_WIDTH_RE.sub("", cleaned).strip()
    if not HANDLE_MIN <= len(cleaned) <= HANDLE_MAX:
        raise ValidationError(
            f"A handle needs {HANDLE_MIN} to {HANDLE_MAX} characters "
            f"(this one has {len(cleaned):,})."
        )
    if not _HANDLE_SHAPE.fullmatch(cleaned):
        raise ValidationError(
            "A handle can use only letters A–Z, digits 0–9 and the marks _ . - "
            "and must start with a letter or digit."
        )
    return cleaned


# Look-alikes folded to the Latin letter they imitate, after UTS #39's confusables but written
# out by hand for the scripts a spoofer reaches for first. Characters are named rather than typed,
# because a Cyrillic "а" and a Latin "a" cannot be told apart in this file either. Capitals are
# folded before case folding, as a capital and its small letter can imitate different Latin
# letters (Greek capital eta looks like H, small eta like n).
_LOOKALIKES: dict[str, tuple[str, ...]] = {
    "a": ("CYRILLIC CAPITAL LETTER A", "CYRILLIC SMALL LETTER A", "GREEK CAPITAL LETTER ALPHA",
          "GREEK SMALL LETTER ALPHA", "LATIN SMALL LETTER ALPHA"),
    "b": ("CYRILLIC CAPITAL LETTER VE", "GREEK CAPITAL LETTER BETA",
          "CYRILLIC CAPITAL LETTER SOFT SIGN", "CYRILLIC SMALL LETTER SOFT SIGN"),
    "c": ("CYRILLIC CAPITAL LETTER ES", "CYRILLIC SMALL LETTER ES", "GREEK LUNATE SIGMA SYMBOL",
          "GREEK CAPITAL LUNATE SIGMA SYMBOL"),
    "d": ("CYRILLIC CAPITAL LETTER KOMI DE", "CYRILLIC SMALL LETTER KOMI DE"),
    "e": ("CYRILLIC CAPITAL LETTER IE", "CYRILLIC SMALL LETTER IE", "CYRILLIC SMALL LETTER IO",
          "GREEK CAPITAL LETTER EPSILON"),
    "g": ("LATIN SMALL LETTER SCRIPT G",),
    "h": ("CYRILLIC CAPITAL LETTER EN", "CYRILLIC CAPITAL LETTER SHHA",
          "CYRILLIC SMALL LETTER SHHA", "GREEK CAPITAL LETTER ETA"),
    "i": ("CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I",
          "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I", "CYRILLIC SMALL LETTER YI",
          "GREEK CAPITAL LETTER IOTA", "GREEK SMALL LETTER IOTA", "LATIN SMALL LETTER DOTLESS I",
          "LATIN SMALL LETTER IOTA", "LATIN LETTER SMALL CAPITAL I"),
    "j": ("CYRILLIC CAPITAL LETTER JE", "CYRILLIC SMALL LETTER JE", "GREEK LETTER YOT",
          "LATIN SMALL LETTER DOTLESS J"),
    "k": ("CYRILLIC CAPITAL LETTER KA", "CYRILLIC SMALL LETTER KA", "GREEK CAPITAL LETTER KAPPA",
          "GREEK SMALL LETTER KAPPA"),
    "l": ("CYRILLIC LETTER PALOCHKA", "CYRILLIC SMALL LETTER PALOCHKA",
          "LATIN LETTER DENTAL CLICK", "LATIN LETTER SMALL CAPITAL L", "DIGIT ONE",
          "VERTICAL LINE"),
    "m": ("CYRILLIC CAPITAL LETTER EM", "CYRILLIC SMALL LETTER EM", "GREEK CAPITAL LETTER MU"),
    "n": ("GREEK CAPITAL LETTER NU", "GREEK SMALL LETTER ETA", "CYRILLIC SMALL LETTER PE"),
    "o": ("CYRILLIC CAPITAL LETTER O", "CYRILLIC SMALL LETTER O", "GREEK CAPITAL LETTER OMICRON",
          "GREEK SMALL LETTER OMICRON", "LATIN LETTER SMALL CAPITAL O", "DIGIT ZERO"),
    "p": ("CYRILLIC CAPITAL LETTER ER", "CYRILLIC SMALL LETTER ER", "GREEK CAPITAL LETTER RHO",
          "GREEK SMALL LETTER RHO"),
    "q": ("CYRILLIC CAPITAL LETTER QA", "CYRILLIC SMALL LETTER QA"),
    "r": ("CYRILLIC SMALL LETTER GHE",),
    "s": ("CYRILLIC CAPITAL LETTER DZE", "CYRILLIC SMALL LETTER DZE"),
    "t": ("CYRILLIC CAPITAL LETTER TE", "CYRILLIC SMALL LETTER TE", "GREEK CAPITAL LETTER TAU",
          "GREEK SMALL LETTER TAU"),
    "u": ("GREEK SMALL LETTER UPSILON", "GREEK SMALL LETTER MU"),
    "v": ("GREEK SMALL LETTER NU",),
    "w": ("CYRILLIC CAPITAL LETTER WE", "CYRILLIC SMALL LETTER WE", "GREEK SMALL LETTER OMEGA"),
    "x": ("CYRILLIC CAPITAL LETTER HA", "CYRILLIC SMALL LETTER HA", "GREEK CAPITAL LETTER CHI",
          "GREEK SMALL LETTER CHI"),
    "y": ("CYRILLIC CAPITAL LETTER U", "CYRILLIC SMALL LETTER U",
          "CYRILLIC CAPITAL LETTER STRAIGHT U", "CYRILLIC SMALL LETTER STRAIGHT U",
          "GREEK CAPITAL LETTER UPSILON", "GREEK SMALL LETTER GAMMA"),
    "z": ("GREEK CAPITAL LETTER ZETA",),
}  # fmt: skip
_CONFUSABLES = str.maketrans(
    {unicodedata.lookup(name): latin for latin, names in _LOOKALIKES.items() for name in names}
)

# Letter pairs that render as one letter in many terminal fonts ("rnoderator").
_CONFUSABLE_PAIRS = (("rn", "m"), ("vv", "w"))


def handle_key(handle: str) -> str:
    """The key two handles must not share: equal keys mean a reader could mistake one for other.

    NFKC and case folding make "ＡＤＭＩＮ" and "admin" one; the confusables table makes a
    Cyrillic "а" and a Latin "a" one; accents, separators ("_", "-", ".") and anything invisible
    are dropped, so "Carer_Ann", "carer-ann" and "cаrer_ann" all share a key. Uniqueness is
    checked on this key, while the handle itself is stored and shown as the member typed it.
    """
    key = unicodedata.normalize("NFKC", handle).translate(_CONFUSABLES)
    key = unicodedata.normalize("NFKC", key.casefold()).translate(_CONFUSABLES)
    key = _NOT_KEY_CHAR.sub("", unicodedata.normalize("NFD", key))
    for pair, single in _CONFUSABLE_PAIRS:
        key = key.replace(pair, single)
    return unicodedata.normalize("NFC", key)


SIGN_IN_NAME_MAX = 1024  # longer than any handle could be, even with separators


def sign_in_key(name: str) -> str:
    """The key a sign-in looks a member up by, and the one its throttle counts on.

    One function for both, over the whole name: a throttle keyed on a shortened name could be
    stepped round by padding ("_" * 60 + "kez99" is kez99). Absurdly long names share one key
    that no member has.
    """
    name = name.strip()
    if len(name) > SIGN_IN_NAME_MAX:
        return "\0too-long"
    return handle_key(name) if name else ""


RESERVED_HANDLES: frozenset[str] = frozenset(
    handle_key(word)
    for word in (
        "admin",
        "administrator",
        "moderator",
        "mod",
        "staff",
        "support",
        "system",
        "root",
        "forum",
        "forumtui",
        "formermember",
        "leader",
        "volunteer",
        "nhs",
        "helpline",
        "samaritans",
        "help",
        "official",
        "security",
        "kiosk",  # the SSH user name of a drop-in centre's shared computer (access.KIOSK_USER)
    )
)

# Handles containing these are refused whatever surrounds them ("the_admin", "moderator2").
_RESERVED_FRAGMENTS = tuple(handle_key(word) for word in ("admin", "moderator"))


def _loose(key: str) -> str:
    """Fold "l" into "i" as well, for the reserved check only: "adm1n" must not pass as "admin".

    Uniqueness keeps the two apart ("lily" and "iily" may both exist); only the names of roles,
    which are worth impersonating, get this looser comparison.
    """
    return key.replace("l", "i")


_RESERVED_LOOSE = frozenset(_loose(key) for key in RESERVED_HANDLES)
_RESERVED_FRAGMENTS_LOOSE = tuple(_loose(key) for key in _RESERVED_FRAGMENTS)


def check_handle_available_shape(handle: str) -> str:
    """Clean a handle chosen at sign-up and refuse the names of roles and organisations.

    A carer must be able to trust that "admin" or "Samaritans" in a thread really is staff, so no
    member may take a handle whose key is, or contains, such a name. Uniqueness against existing
    members is the caller's job: compare ``handle_key`` of the result with theirs.
    """
    cleaned = clean_handle(handle)
    loose = _loose(handle_key(cleaned))
    if loose in _RESERVED_LOOSE or any(part in loose for part in _RESERVED_FRAGMENTS_LOOSE):
        raise ValidationError("That handle is reserved; please choose another.")
    return cleaned
