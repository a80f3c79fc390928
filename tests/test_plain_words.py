"""Plain words: every sentence the app shows a member reads at school grade 8 or below
(Flesch-Kincaid, by textstat), and the jargon found in use stays gone.

The strings are found in the source, as a reviewer would read them: the text given to Plain,
show, tell, notify, Option, Button, Input placeholders, Binding descriptions, set_title, and the
messages of the domain errors that services raise (the UI shows them as they are). Operator
text (cli.py, store/, the demo seeder) is not a member's, and is left out. A placeholder in an
f-string counts as the word "it". Strings under six words are labels, where a grade means
nothing ("Contributions" alone scores as a college word), and are left out too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

textstat = pytest.importorskip("textstat", reason="textstat is not installed")

PACKAGE = Path(__file__).resolve().parents[1] / "forum_tui"
MAX_GRADE = 8.0
MIN_WORDS = 6
NOT_MEMBERS = ("cli.py", "cli_", "store/", "services/demo.py", "demo_content.py")
SHOWN_BY = {
    "Plain", "show", "tell", "notify", "Option", "Button", "Input", "Binding", "set_title",
    "ForumError", "ValidationError", "PermissionDenied", "NotFound", "Conflict", "RateLimited",
    "AuthenticationFailed",
}  # fmt: skip
SHOWN_AS = ("placeholder", "title", "description")
JARGON = (
    "Escalate",
    "co-production",
    "as a JSON file only you can read",
    "paste an SSH public key (the line from your .pub file)",
    "recognition: voucher (promised)",
)


def _text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) else "it" for part in node.values
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left), _text(node.right)
        return left + right if left is not None and right is not None else None
    return None


def member_strings() -> list[tuple[str, str]]:
    """(where, text) for every string a member may read, found in the package's source."""
    found: list[tuple[str, str]] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE).as_posix()
        if where.startswith(NOT_MEMBERS) or any(part in where for part in NOT_MEMBERS):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # NO_CONSENT = "…": messages kept as module constants
            if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.AST):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                named = [t.id for t in targets if isinstance(t, ast.Name)]
                text = _text(node.value)
                if (
                    named
                    and all(name.isupper() and "CSS" not in name for name in named)
                    and text is not None
                    and " " in text.strip()
                ):
                    found.append((f"{where}:{node.lineno}", text))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = getattr(func, "id", None) or getattr(func, "attr", "")
            if name not in SHOWN_BY:
                continue
            args = node.args[2:3] if name == "Binding" else list(node.args)
            args += [kw.value for kw in node.keywords if kw.arg in SHOWN_AS]
            for arg in args:
                if (text := _text(arg)) is not None and text.strip():
                    found.append((f"{where}:{node.lineno}", text))
    return found


def graded() -> list[tuple[float, str, str]]:
    return sorted(
        (
            (textstat.flesch_kincaid_grade(text), where, text)
            for where, text in member_strings()
            if len(text.split()) >= MIN_WORDS
        ),
        reverse=True,
    )


def test_the_collector_finds_the_apps_strings() -> None:
    texts = [text for _, text in member_strings()]
    assert len(texts) > 200
    assert "Sign in with your handle (your name here) and password." in texts  # sign_in.py
    assert "Only drop-in volunteers can help a carer post." in texts  # a service's refusal


def test_every_sentence_reads_at_grade_8_or_below() -> None:
    scores = graded()
    report = "\n".join(
        f"  grade {grade:4.1f}  {where}  {text!r}" for grade, where, text in scores[:10]
    )
    print(f"Reading grade of {len(scores)} member-facing sentences; the hardest ten:\n{report}")
    too_hard = [score for score in scores if score[0] > MAX_GRADE]
    assert not too_hard, (
        f"{len(too_hard)} sentences read above grade {MAX_GRADE:g}; the worst ten:\n{report}"
    )


def test_the_jargon_found_in_use_is_gone() -> None:
    texts = [text for _, text in member_strings()]
    for word in JARGON:
        assert not [t for t in texts if word.lower() in t.lower()], word
