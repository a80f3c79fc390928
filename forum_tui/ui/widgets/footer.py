"""The footer of keys, with the keys that must never be cut off first.

Textual's footer lists a screen's keys first and the app's last, so on a narrow terminal (60
columns) or a busy screen the last ones fall off the edge: F1 Help, and in a kiosk End session
and Hide now. Those come first here; the rest keep their order.

Textual rebuilds the footer whenever the screen's bindings *may* have changed (every focus move,
every ``refresh_bindings``); here it is rebuilt only when the keys it shows did change, so a
move between posts or a reload does not repaint the footer (issue 10 part 2).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

FIRST = ("help", "end_session", "hide_now")  # actions, in the order shown


def _rank(widget: object) -> int:
    action = getattr(widget, "action", None)
    return FIRST.index(action) if action in FIRST else len(FIRST)


class ForumFooter(Footer):
    _shown: tuple[tuple[str, str, str, bool], ...] | None = None

    def compose(self) -> ComposeResult:
        return sorted(super().compose(), key=_rank)  # stable: the rest keep their order

    def bindings_changed(self, screen: Screen[object]) -> None:
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            keys = shown_keys(screen)
            if keys == self._shown:
                return
            self._shown = keys
        super().bindings_changed(screen)


def shown_keys(screen: Screen[object]) -> tuple[tuple[str, str, str, bool], ...]:
    """What the footer would show: (key, description, action, enabled) of each shown binding."""
    return tuple(
        (binding.key, binding.description, binding.action, enabled)
        for (_node, binding, enabled, _tooltip) in screen.active_bindings.values()
        if binding.show
    )
