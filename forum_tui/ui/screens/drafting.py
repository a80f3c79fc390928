"""Keeps a screen's unsent text saved as a draft while the member types.

Saves are debounced (typing does not write on every key), and a last save runs when the screen
closes. A dropped connection loses at most the last fraction of a second of typing.

When the database refuses the save (disk full, read-only), the text is kept in the app
(``ForumApp.unsent``) for the rest of the session, put back when the member returns to the same
place, and saved again at the next chance: leaving the screen never loses it.
"""

from __future__ import annotations

from textual import on, work
from textual.css.query import NoMatches
from textual.timer import Timer
from textual.widgets import Input, TextArea

from forum_tui.domain.errors import ForumError
from forum_tui.domain.models import Draft
from forum_tui.ui.screens.base import ForumScreen

SAVE_AFTER = 0.6  # seconds of quiet before a draft is written


class DraftingScreen(ForumScreen):
    """Subclasses set ``place`` and the ids of their body TextArea (and title Input, if any)."""

    place: str
    body_id = "composer"
    title_id: str | None = None
    _draft_timer: Timer | None = None
    _draft_saved: tuple[str, str] = ("", "")
    _draft_typed: tuple[str, str] = ("", "")
    # True while the text is being sent: the send's own transaction then removes the draft, and
    # saving it meanwhile could bring back a draft of something already posted.
    _sending = False

    def typed(self) -> tuple[str, str]:
        title = self.query_one(f"#{self.title_id}", Input).value if self.title_id else ""
        return title, self.query_one(f"#{self.body_id}", TextArea).text

    def kept_draft(self, draft: Draft | None) -> Draft | None:
        """The draft to put back: text this session kept because it could not be saved (it is
        newer than anything stored), else the stored draft."""
        kept = self.forum.unsent.get(self.place)
        if kept is None:
            return draft
        title, body = kept
        return Draft(place=self.place, title=title, body=body, updated_at=self.forum.clock())

    def restored(self, title: str, body: str) -> None:
        """Text put back from a saved draft counts as saved already; kept text does not."""
        self._draft_typed = (title, body)
        if self.forum.unsent.get(self.place) != (title, body):
            self._draft_saved = (title, body)
        else:  # kept, never saved: try again now
            self.draft_changed()

    @property
    def draft_is_saved(self) -> bool:
        """Everything typed so far is saved as the member's draft."""
        return self._draft_typed == self._draft_saved

    @on(TextArea.Changed)
    @on(Input.Changed)
    def draft_changed(self) -> None:
        self._draft_typed = self.typed()
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(SAVE_AFTER, self.save_draft)

    def forget_draft(self) -> None:
        """After sending: the service removed the draft, so do not write it back."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_saved = self._draft_typed = ("", "")
        self.forum.unsent.pop(self.place, None)

    @work(exclusive=True, group="draft", exit_on_error=False)
    async def save_draft(self) -> None:
        await self.write_draft()

    async def flush_draft(self) -> None:
        """Saves what is typed right now, without waiting for the debounce (the session is
        hanging up). Read from the widgets: the last keys may not have reached the handler."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
        if self._sending:
            return
        try:
            self._draft_typed = self.typed()
        except NoMatches:  # not composed yet: nothing typed
            return
        await self.write_draft()

    async def write_draft(self) -> None:
        typed = self._draft_typed
        if typed == self._draft_saved:
            return
        title, body = typed
        try:
            await self.forum.services.drafts.save_draft(
                self.forum.member_id, self.place, body, title
            )
        except ForumError as error:
            if self.forum.unsent.get(self.place) != typed:  # once per new text, not per retry
                self.forum.tell(
                    f"Your draft could not be saved: {error} It is kept in this window until "
                    "it can be, even if you go back.",
                    error=True,
                )
            self.forum.unsent[self.place] = typed
            return
        self._draft_saved = typed
        self.forum.unsent.pop(self.place, None)

    async def on_unmount(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
        await self.write_draft()
