"""The footer of keys, with the keys that must never be cut off first.

Textual's footer lists a screen's keys first and the app's last, so on a narrow terminal (60
columns) or a busy screen the last ones fall off the edge: F1 Help, and in a kiosk End session
and Hide now. Those come first here; the rest keep their order.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer

FIRST = ("help", "end_session", "hide_now")  # actions, in the order shown


def _rank(widget: object) -> int:
    action = getattr(widget, "action", None)
    return FIRST.index(action) if action in FIRST else len(FIRST)


class ForumFooter(Footer):
    def compose(self) -> ComposeResult:
        return sorted(super().compose(), key=_rank)  # stable: the rest keep their order
