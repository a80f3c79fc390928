"""Words and small drawings for boards, ideas and outcomes. Plain functions returning plain
strings (no Textual), so they are tested without a terminal and read the same without colour.

Everything a member or staff member wrote still goes through ``plain()`` where it is shown.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from datetime import date, datetime

from forum_tui.domain.boards import (
    Idea,
    IdeaRef,
    IdeaSort,
    IdeaStatus,
    Involvement,
    Outcome,
    Recognition,
)
from forum_tui.ui.format import ago, plural

SORT_WORDS = {
    IdeaSort.MOST_SUPPORTED: "most supported first",
    IdeaSort.NEWEST: "newest first",
    IdeaSort.RECENTLY_UPDATED: "recently updated first",
    IdeaSort.AWAITING_RESPONSE: "awaiting response, longest wait first",
}
SORTS = tuple(SORT_WORDS)

# Eighths of a character cell, for bars that are not a whole number of cells long.
_PARTS = " ▏▎▍▌▋▊▉"


def hang(text: str, width: int, deeper: int = 2) -> str:
    """Text wrapped to ``width`` with hanging indents: a wrapped line goes on ``deeper`` spaces
    deeper than the line it came from, so a list entry reads as one block, not a ragged left
    edge (``deeper=0`` keeps a quoted paragraph aligned)."""
    if width < 20:
        return text
    out: list[str] = []
    for line in text.split("\n"):
        body = line.lstrip(" ")
        indent = " " * (len(line) - len(body))
        if not body:
            out.append("")
            continue
        out += textwrap.wrap(
            body,
            width,
            initial_indent=indent,
            subsequent_indent=indent + " " * deeper,
            break_on_hyphens=False,
        ) or [indent]
    return "\n".join(out)


def one_line(text: str, limit: int | None = None) -> str:
    """Text squeezed onto one line, cut with '…' past ``limit`` characters."""
    flat = " ".join(text.split())
    if limit is not None and len(flat) > limit:
        return flat[: max(limit - 1, 0)].rstrip() + "…"
    return flat


def day(when: date | datetime) -> str:
    """'3 Oct 2026'."""
    return f"{when.day} {when:%b %Y}"


def status_label(idea: Idea, *, reason_limit: int | None = None) -> str:
    """How an idea's status reads: 'Under review', 'Not taken forward (reason: …)',
    'Awaiting response · 34 days' (no answer within the board's window: the days since the idea
    was added or last answered), 'Duplicate of idea #12'."""
    if idea.awaiting_days is not None and not idea.status.closed:
        waited = plural(idea.awaiting_days, "day")
        if idea.status is IdeaStatus.NEW:
            return f"Awaiting response · {waited}"
        # Answered once, then silent for longer than the window: both are worth saying.
        return f"{idea.status.label} · awaiting response · {waited}"
    if idea.status is IdeaStatus.NOT_TAKEN_FORWARD and idea.latest_note.strip():
        return f"Not taken forward (reason: {one_line(idea.latest_note, reason_limit)})"
    if idea.status is IdeaStatus.DUPLICATE and idea.duplicate_of is not None:
        return f"Duplicate of idea {idea.duplicate_ref}"
    return idea.status.label


def idea_line(idea: Idea, now: datetime) -> str:
    """Two lines for an idea in a list: number and title, then status and support."""
    bits = [f"[{status_label(idea, reason_limit=40)}]", plural(idea.support_count, "supporter")]
    if idea.mine:
        bits.append("your idea")
    elif idea.supported_by_me:
        bits.append("you support it")
    if idea.updated_at != idea.created_at:
        bits.append(f"updated {ago(idea.updated_at, now)}")
    else:
        bits.append(f"added {ago(idea.created_at, now)}")
    return f"{idea.ref} {one_line(idea.title)}\n  " + " · ".join(bits)


def ref_line(ref: IdeaRef) -> str:
    return f"{ref.ref} {one_line(ref.title)} [{ref.status.label}]"


def outcome_lines(outcome: Outcome, *, show_board: bool = False) -> str:
    """An outcome in a list: when and what, what changed, the ideas behind it, who helped."""
    credit = " [credits you]" if outcome.credits_me else ""
    lines = [f"{day(outcome.happened_on)} · {one_line(outcome.title)}{credit}"]
    if show_board:
        lines.append(f"  {outcome.board_name}")
    if outcome.description.strip():
        lines.append(f"  We did: {one_line(outcome.description)}")
    for number, ref in enumerate(outcome.ideas):
        lines.append(("  You said: " if number == 0 else " " * 12) + ref_line(ref))
    lines.append(f"  {plural(outcome.contributor_count, 'carer')} contributed")
    return "\n".join(lines)


# How the time was recognised, in words (design.md §2: thanks, voucher or paid).
THANKED_WITH = {
    Recognition.THANKS: "thanked",
    Recognition.VOUCHER: "a voucher",
    Recognition.PAID: "paid",
}


def involvement_line(entry: Involvement) -> str:
    hours = f"{entry.hours:g} hour{'s' if f'{entry.hours:g}' != '1' else ''}"
    return (
        f"{day(entry.happened_on)} · {one_line(entry.activity)} · {hours}\n"
        f"  {entry.board_name} · {THANKED_WITH[entry.recognition]} ({entry.state.value})"
    )


def _bar(count: int, most: int, width: int) -> str:
    if count <= 0 or most <= 0 or width <= 0:
        return ""
    eighths = max(1, round(count / most * width * 8))
    return "█" * (eighths // 8) + (_PARTS[eighths % 8] if eighths % 8 else "")


def status_chart(
    counts: Iterable[tuple[IdeaStatus, int]], *, width: int, selected: IdeaStatus | None = None
) -> str:
    """Ideas by status as a bar chart of block characters: numbered rows (the number is the key
    that filters by that status), the count written out, the filtered row marked with '▸'.
    Two columns when there is room, one otherwise. Reads the same with no colour at all."""
    rows = list(counts)
    if not rows:
        return ""
    most = max(n for _, n in rows)
    label_width = max(len(status.label) for status, _ in rows)
    two_columns = width >= 2 * (label_width + 16) + 2
    column = (width - 2) // 2 if two_columns else width
    bar_width = max(column - (label_width + 8), 1)  # '▸1 ' + label + ' ' + bar + ' ' + count
    cells = []
    for number, (status, count) in enumerate(rows, start=1):
        mark = "▸" if status is selected else " "
        bar = _bar(count, most, bar_width)
        cells.append(f"{mark}{number} {status.label:<{label_width}} {bar:<{bar_width}}{count:>3}")
    if not two_columns:
        return "\n".join(cells)
    half = (len(cells) + 1) // 2
    left, right = cells[:half], cells[half:]
    return "\n".join(
        f"{a:<{column}}  {right[i]}" if i < len(right) else a for i, a in enumerate(left)
    )
