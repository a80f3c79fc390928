"""Starting a thread: a title and a first post, kept as a draft while typed."""

from __future__ import annotations

import uuid

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input

from forum_tui.domain.errors import ForumError
from forum_tui.domain.text import TITLE_MAX
from forum_tui.services.safety import signposting_for
from forum_tui.ui.screens.drafting import DraftingScreen
from forum_tui.ui.screens.privacy_nudge import send_after_nudge
from forum_tui.ui.widgets import Plain
from forum_tui.ui.widgets.composer import Composer
from forum_tui.ui.widgets.fields import Field


class NewThreadScreen(DraftingScreen):
    AUTO_FOCUS = "#title"
    BINDINGS = [
        Binding("ctrl+s", "post", "Post thread", id="post", priority=True),
        Binding("escape", "cancel", "Back (draft kept)", id="back"),
    ]
    title_id = "title"

    def __init__(self, group_id: int) -> None:
        super().__init__()
        self.group_id = group_id
        self.place = f"thread:{group_id}"
        self._send_key = uuid.uuid4().hex

    def compose(self) -> ComposeResult:
        yield from self.compose_title("New thread")
        with Vertical(id="new-thread"):
            yield Plain("Title", classes="field-label")
            yield Field(placeholder="What is it about?", id="title", max_length=TITLE_MAX * 2)
            yield Plain("Your post (Tab moves between boxes · Ctrl+S posts)", classes="field-label")
            yield Composer(id="composer")
            yield Plain("", id="form-error")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.load()

    @work(exclusive=True, group="new-thread", exit_on_error=False)
    async def load(self) -> None:
        services = self.forum.services
        try:
            group = await services.groups.get_group(self.forum.member_id, self.group_id)
            draft = self.kept_draft(
                await services.drafts.get_draft(self.forum.member_id, self.place)
            )
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            self.app.pop_screen()
            return
        self.set_title(f"New thread in {group.name}")
        if draft is not None:
            self.query_one("#title", Input).value = draft.title
            self.query_one("#composer", Composer).text = draft.body
            self.restored(draft.title, draft.body)
            self.forum.tell("Your unsent thread was kept: it is back for you to finish.")

    def action_cancel(self) -> None:
        self.app.pop_screen()

    def action_post(self) -> None:
        title, body = self.typed()
        send_after_nudge(self, f"{title}\n{body}", lambda: self.post(title, body))

    @work(exclusive=True, group="post", exit_on_error=False)
    async def post(self, title: str, body: str) -> None:
        from forum_tui.ui.screens.thread import ThreadScreen

        try:
            thread = await self.forum.services.threads.start_thread(
                self.forum.member_id, self.group_id, title, body, idempotency_key=self._send_key
            )
        except ForumError as error:
            self.query_one("#form-error", Plain).show(str(error))
            return
        self.forget_draft()
        self.forum.tell("Thread posted.")
        self.app.switch_screen(ThreadScreen(thread.id))
        if (signposting := signposting_for(f"{title}\n{body}")) is not None:
            # Crisis words: the thread is up; the author sees the helplines until they close them.
            from forum_tui.ui.screens.signposting import SignpostingScreen

            self.app.push_screen(SignpostingScreen(signposting))
