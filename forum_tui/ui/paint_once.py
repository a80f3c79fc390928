"""Paint a screen once, with its data: the screen before stays up until the new one has loaded.

A screen that loads in a worker would otherwise go out three times: empty, then with its
title, then with its list (issue 10 part 2). While a pushed screen is *held*, Textual's batch
(``App._begin_batch``) keeps every repaint back; the hold ends when the screen's own workers
have finished (its first load), when it goes away, or after ``HOLD_AT_MOST`` seconds, so a
slow database shows the screen (and its empty state) rather than a frozen one.
"""

from __future__ import annotations

from textual.app import App
from textual.screen import Screen
from textual.worker import WorkerState

HOLD_AT_MOST = 0.5  # seconds the old screen may stay up while the new one loads
_BUSY = (WorkerState.PENDING, WorkerState.RUNNING)


class PaintOnce:
    """For ``Screen`` subclasses: ``hold`` before the screen is pushed."""

    _held: App[object] | None = None  # the app whose repaints this screen holds back

    def hold(self, app: App[object]) -> None:
        if self._held is not None or not app.is_running:
            return
        self._held = app  # kept: ``self.app`` follows the running context, not this screen
        app._begin_batch()
        app.set_timer(HOLD_AT_MOST, self.release, name="paint-once")

    def release(self) -> None:
        app, self._held = self._held, None
        if app is not None and app._batch_count > 0:
            app._end_batch()
            if not app._batch_count:
                # Textual drops what it composed during the batch rather than keeping it:
                # the screen now on top is painted whole, once.
                app.screen.refresh()

    def release_when_loaded(self) -> None:
        """Ends the hold once none of this screen's workers is pending or running."""
        app = self._held
        if app is None:
            return
        screen: Screen[object] = self  # type: ignore[assignment]
        if any(w.node is screen and w.state in _BUSY for w in app.workers):
            return
        screen.call_after_refresh(self.release)  # the load's last changes laid out first


def hold_until_loaded(app: App[object], screen: object) -> None:
    """Called by ForumApp as it pushes or switches to ``screen`` (a name or a screen)."""
    if isinstance(screen, PaintOnce):
        screen.hold(app)
