"""Our text boxes: every one-line ``Field`` and every ``Composer`` applies its own keys inline.

The app (forum_tui/ui/keys.py) hands the focused box each key, run of typed characters and
paste in arrival order; the box applies it at once, so nothing typed after it can overtake it.
Pasted text is cleaned of terminal controls and inserted exactly once.
"""

from __future__ import annotations

import enum

from textual import events
from textual.widgets import Input

from forum_tui.domain.text import strip_controls
from forum_tui.ui.keys import typed_character


class KeyOutcome(enum.Enum):
    NOT_MINE = "not mine"  # not a key this box uses: Textual's usual path takes it
    EDITED = "edited"  # applied to the text; the next key may follow at once
    SUBMITTED = "submitted"  # the box posted a message that may move focus: the next key waits


class TypingField:
    """A text box the app types into directly. Mixed into an Input or TextArea subclass,
    which says how typed and pasted text go in (``Field`` below, ``Composer``); Textual's
    widgets have their own metaclass, so this cannot be an ABC."""

    # Binding actions after which the next key must wait (they post messages that may move focus).
    WAIT_AFTER: frozenset[str] = frozenset()

    def type_text(self, text: str) -> None:
        """Inserts typed text at the cursor (replacing any selection)."""

    def paste_text(self, text: str) -> None:
        """Inserts pasted text once, cleaned of terminal controls."""

    async def apply_key(self, event: events.Key) -> KeyOutcome:
        """Applies a key the way the box's ``_on_key`` and its own bindings would, now."""
        char = typed_character(event)
        if char is not None:
            self.type_text(char)
            return KeyOutcome.EDITED
        await self._on_key(event)  # type: ignore[attr-defined]  # Input's or TextArea's own
        if event._stop_propagation:
            return KeyOutcome.EDITED
        for binding in self._bindings.key_to_bindings.get(event.key, ()):  # type: ignore[attr-defined]
            if binding.priority:
                continue  # the app already checked priority bindings
            if await self.app.run_action(binding.action, self):  # type: ignore[attr-defined]
                if binding.action.split("(")[0] in self.WAIT_AFTER:
                    return KeyOutcome.SUBMITTED
                return KeyOutcome.EDITED
        return KeyOutcome.NOT_MINE


class Field(TypingField, Input):
    """A one-line box. Use it instead of Textual's Input everywhere in the app."""

    WAIT_AFTER = frozenset({"submit"})

    def type_text(self, text: str) -> None:
        self._restart_blink()
        start, end = sorted(self.selection)
        if self.max_length:
            room = self.max_length - (len(self.value) - (end - start))
            if room <= 0:
                self.restricted()
                return
            text = text[:room]
        before = self.value
        self.replace(text, start, end)
        if self.value == before and len(text) > 1:
            # Refused as a whole (a restricted box): keep what fits, character by character.
            for char in text:
                self.replace(char, *sorted(self.selection))

    def paste_text(self, text: str) -> None:
        lines = strip_controls(text).splitlines()
        if lines and lines[0]:
            self.type_text(lines[0])

    async def _on_paste(self, event: events.Paste) -> None:
        # Replaces Input's own handler, which would insert the paste a second time.
        event.prevent_default()
        event.stop()
        self.paste_text(event.text)
