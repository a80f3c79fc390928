"""The privacy nudge: what in a post may identify someone (design.md §6).

Carers write about someone else's health. Before a post, reply or idea is sent, the app points
out phone numbers, email addresses, UK postcodes, NHS numbers, dates of birth and full names, and
offers to edit. This is a pure function: nothing leaves the machine, and it never blocks — a
finding is a prompt, not a refusal, so a missed or extra finding costs a click, not a post.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A short list of common UK first names. "Firstname Lastname" is only flagged when the first
# word is one of these: "Carers' Corner" or "Mental Health" are not names, "Mary Jones" is.
FIRST_NAMES = frozenset(
    """
    adam alan alice alison amanda amy andrew angela ann anna anne anthony barbara ben bernard
    beth betty bill bob brenda brian carol caroline catherine charles charlotte chris
    christine claire colin daniel danny dave david deborah dennis derek diane donna doris
    dorothy edward eileen elaine eleanor elizabeth ellen emily emma eric fiona frank gary
    george gillian gordon grace graham hannah harry heather helen ian jack james jane janet
    jason jean jennifer jessica jim joan joanne john jonathan joseph joyce julia julie karen
    kate katherine kathleen keith kevin laura lee lesley linda lisa louise lucy lynn margaret
    maria marie mark martin mary matthew maureen michael michelle mohammed muhammad nancy
    neil nicola norman oliver pamela patricia paul pauline peter philip rachel raymond
    rebecca richard robert ronald rose ruth ryan sally samantha sandra sarah sharon sheila
    simon stephen steve stuart susan thomas tim tom tony tracey valerie victoria william
    """.split()  # noqa: SIM905 (a word list reads better as words)
)

_MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)

_NHS = re.compile(r"(?<![\d+])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w+])(?:\+44[ -]?(?:\(0\)[ -]?)?|0)\d(?:[ -]?\d){8,9}(?![\d])")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?[ ]?\d[A-Z]{2}\b", re.IGNORECASE)
_DATE = re.compile(
    rf"\b(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})"
    rf"|\d{{1,2}}(?:st|nd|rd|th)? (?:{_MONTHS}) \d{{4}})\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"\b([A-Z][a-z]+) ([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")


@dataclass(frozen=True)
class Finding:
    """One thing that may identify someone: what kind it is and the text as written."""

    kind: str  # "phone number", "NHS number", ...
    text: str
    start: int

    def describe(self) -> str:
        return f"{self.kind}: {self.text}"


def nhs_number_is_valid(digits: str) -> bool:
    """The NHS number's modulus 11 check: weights 10..2 over the first nine digits."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def find_identifying(text: str) -> list[Finding]:
    """Everything in ``text`` that may identify a person, in the order written.

    A span found by an earlier, more certain rule (an NHS number) is not found again by a later
    one (a phone number), so each thing is named once.
    """
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, match: re.Match[str]) -> None:
        start, end = match.span()
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            return
        taken.append((start, end))
        found.append(Finding(kind, match.group(0), start))

    for match in _NHS.finditer(text):
        if nhs_number_is_valid("".join(match.groups())):
            add("NHS number", match)
    for match in _EMAIL.finditer(text):
        add("email address", match)
    for match in _PHONE.finditer(text):
        add("phone number", match)
    for match in _DATE.finditer(text):
        add("date (of birth?)", match)
    for match in _POSTCODE.finditer(text):
        add("postcode", match)
    for match in _NAME.finditer(text):
        if match.group(1).lower() in FIRST_NAMES:
            add("full name", match)
    return sorted(found, key=lambda finding: finding.start)
