"""A group: its threads, newest activity first (pinned on top), loaded as you scroll.

When a thread in the group changes in another session (``ForumChanged``), the list is reloaded
in its new order with its new counts, as far down as it was loaded, and the same thread stays
highlighted.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from forum_tui.domain.errors import ForumError
from forum_tui.domain.models import Group, Thread
from forum_tui.services.changes import group_topic
from forum_tui.services.threads import THREADS_PAGE
from forum_tui.ui.format import ago, plural
from forum_tui.ui.live import ForumChanged
from forum_tui.ui.screens.base import ForumScreen
from forum_tui.ui.widgets import Plain, plain
from forum_tui.ui.widgets.marked_list import MarkedList

# Load the next page when the highlight comes this close to the end of what is loaded.
PREFETCH = 5


def thread_line(thread: Thread, now_label: str) -> Content:
    flags = "".join(
        (
            "[pinned] " if thread.pinned else "",
            "[locked] " if thread.locked else "",
            "[hidden] " if thread.hidden_notice else "",
        )
    )
    news = f" · {thread.unread} new" if thread.unread else ""
    return plain(
        f"{flags}{thread.title}\n"
        f"  by {thread.author_handle} · {plural(thread.reply_count, 'reply', 'replies')}"
        f" · {now_label}{news}"
    )


class GroupScreen(ForumScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("n", "new_thread", "New thread", id="new-thread"),
        Binding("j", "join", "Join", id="join"),
        Binding("ctrl+r", "refresh", "Refresh", id="refresh"),
        Binding("a", "mark_all_read", "All read", id="mark-all-read"),
    ]

    def __init__(self, group_id: int, *, start_thread: bool = False) -> None:
        super().__init__()
        self.group_id = group_id
        self.group: Group | None = None
        self._after: tuple | None = None
        self._loading = False
        self._start_thread = start_thread

    def compose(self) -> ComposeResult:
        yield from self.compose_title("Group")
        yield Plain("", id="group-about")
        yield MarkedList(id="threads", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        if self.group is not None:
            self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "join":
            return self.group is not None and not self.group.is_member
        if action == "new_thread":
            return self.group is None or self.group.is_member
        return True

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.load()

    def action_mark_all_read(self) -> None:
        self.mark_all_read()

    @work(exclusive=True, group="mark_all_read", exit_on_error=False)
    async def mark_all_read(self) -> None:
        try:
            marked = await self.forum.services.unread.mark_group_read(
                self.forum.member_id, self.group_id
            )
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        self.forum.tell(f"Marked {plural(marked, 'thread')} read." if marked else "Nothing unread.")
        self.load()

    @on(ForumChanged)
    def forum_changed(self, event: ForumChanged) -> None:
        # Under another screen it reloads anyway when it comes back (on_screen_resume).
        if self.group is None or not self.is_current:
            return
        if event.change.everything or event.topic == group_topic(self.group_id):
            self.load()

    @work(exclusive=True, group="group", exit_on_error=False)
    async def load(self) -> None:
        services = self.forum.services
        box = self.query_one("#threads", OptionList)
        # Reloading (back from a thread, or a live change) far down a long list re-reads only
        # the rows around the highlight, in place; near the top it re-reads the first page.
        window = self._window(box)
        try:
            self.group = await services.groups.get_group(self.forum.member_id, self.group_id)
            if window:
                fresh = await services.threads.refresh_threads(
                    self.forum.member_id, self.group_id, window
                )
                self._show_group()
                self._replace(fresh)
                return
            page = await services.threads.list_threads(self.forum.member_id, self.group_id)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            self.app.pop_screen()
            return
        self._show_group()
        highlighted = box.highlighted
        option = box.highlighted_option
        highlighted_id = option.id if option is not None else None
        box.clear_options()
        self._append(page.items)
        self._after = page.after
        if not page.items:
            box.add_option(
                Option(plain("No threads yet. Press n to start the first one."), disabled=True)
            )
        else:
            try:  # the same thread, wherever it moved to
                box.highlighted = box.get_option_index(highlighted_id or "")
            except OptionDoesNotExist:
                box.highlighted = min(highlighted or 0, box.option_count - 1)
        box.focus()
        self.refresh_bindings()
        if self._start_thread:
            self._start_thread = False
            self.action_new_thread()

    def _show_group(self) -> None:
        group = self.group
        if group is None:
            return
        self.set_title(f"{group.name} · {plural(group.thread_count, 'thread')}")
        about = group.description or ""
        if not group.is_member:
            about = (about + "\n" if about else "") + "You are not in this group: press j to join."
        self.query_one("#group-about", Plain).show(about)
        self.query_one("#group-about").display = bool(about)

    @staticmethod
    def _window(box: OptionList) -> list[int]:
        """The ids of the threads around the highlight, when it is beyond the first page."""
        index = box.highlighted
        if index is None or index < THREADS_PAGE:
            return []
        start = max(0, index - THREADS_PAGE // 2)
        options = box.options[start : start + THREADS_PAGE]
        return [int(o.id.partition(":")[2]) for o in options if o.id]

    def _replace(self, threads: tuple[Thread, ...]) -> None:
        now = self.forum.clock()
        box = self.query_one("#threads", OptionList)
        for thread in threads:
            box.replace_option_prompt(
                f"thread:{thread.id}", thread_line(thread, ago(thread.last_post_at, now))
            )

    def _append(self, threads: tuple[Thread, ...]) -> None:
        now = self.forum.clock()
        self.query_one("#threads", OptionList).add_options(
            [Option(thread_line(t, ago(t.last_post_at, now)), id=f"thread:{t.id}") for t in threads]
        )

    @on(OptionList.OptionHighlighted, "#threads")
    def maybe_load_more(self, event: OptionList.OptionHighlighted) -> None:
        box = event.option_list
        near_end = event.option_index >= box.option_count - PREFETCH
        if near_end and self._after is not None and not self._loading:
            self.load_more()

    @work(exclusive=True, group="group-more", exit_on_error=False)
    async def load_more(self) -> None:
        if self._after is None:
            return
        self._loading = True
        try:
            page = await self.forum.services.threads.list_threads(
                self.forum.member_id, self.group_id, after=self._after
            )
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        finally:
            self._loading = False
        self._append(page.items)
        self._after = page.after

    @on(OptionList.OptionSelected, "#threads")
    def open_thread(self, event: OptionList.OptionSelected) -> None:
        from forum_tui.ui.screens.thread import ThreadScreen

        if event.option.id:
            self.app.push_screen(ThreadScreen(int(event.option.id.partition(":")[2])))

    def action_new_thread(self) -> None:
        from forum_tui.ui.screens.new_thread import NewThreadScreen

        if self.group is not None and not self.group.is_member:
            self.forum.tell(f"Join {self.group.name} first (press j).")
            return
        self.app.push_screen(NewThreadScreen(self.group_id))

    def action_join(self) -> None:
        self.join()

    @work(exclusive=True, group="join", exit_on_error=False)
    async def join(self) -> None:
        try:
            group = await self.forum.services.groups.join_group(self.forum.member_id, self.group_id)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        self.forum.tell(f"You joined {group.name}.")
        self.load()
