"""Where members write: a TextArea that refuses oversized pastes and cleans what is pasted."""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea

from forum_tui.domain.text import BODY_MAX, strip_controls
from forum_tui.ui.widgets.fields import KeyOutcome, TypingField


class Composer(TypingField, TextArea):
    """A plain-text TextArea for posts. Tab leaves it (keyboard users must be able to).

    The app types into it directly (forum_tui/ui/keys.py), in the order keys arrive; text
    typed past ``BODY_MAX`` characters is not added, and the member is told once.
    """

    def __init__(self, text: str = "", **kwargs: object) -> None:
        super().__init__(text, soft_wrap=True, tab_behavior="focus", **kwargs)  # type: ignore[arg-type]
        self._told_full = False

    def type_text(self, text: str) -> None:
        self._restart_blink()
        if self.read_only:
            return
        start, end = self.selection
        room = BODY_MAX - len(self.text) + len(self.selected_text)
        if len(text) > room:
            text = text[: max(room, 0)]
            if not self._told_full:
                self._told_full = True
                self.app.notify(
                    f"This post has reached {BODY_MAX:,} characters, the most a post can "
                    "hold: what you typed after that was not added.",
                    severity="warning",
                    markup=False,
                )
        else:
            self._told_full = False
        if text:
            self._replace_via_keyboard(text, start, end)

    async def apply_key(self, event: events.Key) -> KeyOutcome:
        if event.key == "enter" and not self.read_only:
            self.type_text("\n")
            return KeyOutcome.EDITED
        return await super().apply_key(event)

    def paste_text(self, text: str) -> None:
        pasted = strip_controls(text)
        if len(self.text) + len(pasted) > BODY_MAX:
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

    async def _on_paste(self, event: events.Paste) -> None:
        # Replaces TextArea's own handler, which would insert the paste a second time.
        event.prevent_default()
        event.stop()
        self.paste_text(event.text)
