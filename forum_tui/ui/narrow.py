"""What screens show on a small terminal (60x20 and below), so the text people came to read
keeps the room: a status chart becomes one line, and the reply box is one line until used."""

from __future__ import annotations

from collections.abc import Iterable

from textual.widgets import TextArea

from forum_tui.domain.boards import IdeaStatus

SHORT_SCREEN = 24  # rows: below this, charts are one line
REPLY_ROWS = 6  # the reply box while someone is writing


def status_line(
    counts: Iterable[tuple[IdeaStatus, int]], *, width: int, selected: IdeaStatus | None = None
) -> str:
    """Ideas by status in one line: '1 New 3 · ▸3 Planned 1 · …'. The number is the key that
    filters by the status, '▸' marks the filter (no colour needed). Statuses with no ideas are
    left out, unless chosen; the line is cut with '…' to fit ``width``."""
    parts = [
        f"{'▸' if status is selected else ''}{number} {status.label} {count}"
        for number, (status, count) in enumerate(counts, start=1)
        if count or status is selected
    ]
    line = " · ".join(parts) or "No ideas yet"
    return line if len(line) <= width else line[: max(width - 1, 0)] + "…"


def fit_reply_box(composer: TextArea) -> None:
    """Room for writing only while writing: one line when the box is empty and not in use."""
    writing = composer.has_focus or bool(composer.text)
    composer.styles.height = REPLY_ROWS if writing else 1
