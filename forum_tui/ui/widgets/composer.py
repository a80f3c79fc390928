"""Where members write: a TextArea that refuses oversized pastes and cleans what is pasted."""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea

from forum_tui.domain.text import BODY_MAX, strip_controls


class Composer(TextArea):
    """A plain-text TextArea for posts. Tab leaves it (keyboard users must be able to)."""

    def __init__(self, text: str = "", **kwargs: object) -> None:
        super().__init__(text, soft_wrap=True, tab_behavior="focus", **kwargs)  # type: ignore[arg-type]

    async def _on_paste(self, event: events.Paste) -> None:
        pasted = strip_controls(event.text)
        if len(self.text) + len(pasted) > BODY_MAX:
            event.prevent_default()
            event.stop()
            self.app.notify(
                f"That paste is too long: the post would have {len(self.text) + len(pasted):,} "
                f"characters, and the most is {BODY_MAX:,}. Nothing was pasted. Your text is "
                "as it was.",
                severity="warning",
                markup=False,
            )
            return
        if self.read_only:
            return
        if result := self._replace_via_keyboard(pasted, *self.selection):
            self.move_cursor(result.end_location)
            self.focus()
