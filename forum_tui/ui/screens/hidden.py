"""Hidden: everything hidden in the groups I lead (and on the boards I staff), with who hid it,
when and why, and one key to restore it. Restoring here needs no open report: hiding resolves
reports, so a way back must not depend on them.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from forum_tui.domain.errors import ForumError
from forum_tui.domain.leaders import HiddenItem
from forum_tui.ui.format import ago, plural
from forum_tui.ui.screens.base import ForumScreen
from forum_tui.ui.screens.idea_text import hang, one_line
from forum_tui.ui.screens.listing import text_width
from forum_tui.ui.widgets import Plain, plain
from forum_tui.ui.widgets.marked_list import MarkedList


def item_key(item: HiddenItem) -> str:
    return f"{item.kind.value}:{item.target_id}"


def hidden_line(item: HiddenItem) -> str:
    return f"{item.kind.value}: {one_line(item.place, 40)} · {item.author_handle}"


def hidden_detail(item: HiddenItem, now_label: str) -> str:
    lines = [
        f"{item.kind.value.capitalize()} by {item.author_handle} in {item.place}",
        f"Hidden by {item.hidden_by} {now_label}",
        f"Reason: {item.reason}" if item.reason.strip() else "Reason: (none given)",
        "",
        "What was hidden:",
        *[f"  {line}" for line in item.text.splitlines() or [""]],
    ]
    return "\n".join(lines)


class HiddenScreen(ForumScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("r", "restore", "Restore", id="restore-hidden"),
        Binding("enter", "open", "Open thread", id="open-thread"),
        Binding("ctrl+r", "refresh", "Refresh", id="refresh", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[str, HiddenItem] = {}
        self._busy = False

    def compose(self) -> ComposeResult:
        yield from self.compose_title("Hidden")
        yield MarkedList(id="hidden", markup=False)
        with VerticalScroll(id="hidden-detail"):
            yield Plain("", id="hidden-item")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.load()

    @property
    def current(self) -> HiddenItem | None:
        option = self.query_one("#hidden", OptionList).highlighted_option
        if option is None or not option.id:
            return None
        return self.items.get(option.id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        item = self.current
        if action == "restore":
            return item is not None
        if action == "open":
            return item is not None and item.thread_id is not None
        return True

    @work(exclusive=True, group="hidden", exit_on_error=False)
    async def load(self) -> None:
        try:
            items = await self.forum.services.hiding.hidden_items(self.forum.member_id)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            self.app.pop_screen()
            return
        self.items = {item_key(i): i for i in items}
        self.set_title(f"Hidden · {plural(len(items), 'item')} · r restores · Enter opens")
        box = self.query_one("#hidden", OptionList)
        highlighted = box.highlighted
        box.set_options([Option(plain(hidden_line(i)), id=item_key(i)) for i in items])
        if not items:
            box.add_option(Option(plain("Nothing is hidden in what you moderate."), disabled=True))
        else:
            box.highlighted = min(highlighted or 0, len(items) - 1)
        box.focus()
        self._show_current()

    @on(OptionList.OptionHighlighted, "#hidden")
    def _show_current(self) -> None:
        item = self.current
        detail = self.query_one("#hidden-detail", VerticalScroll)
        text = (
            hidden_detail(item, ago(item.hidden_at, self.forum.clock()))
            if item is not None
            else "Posts, threads and ideas hidden by you, another leader or by reports show "
            "here until they are restored."
        )
        self.query_one("#hidden-item", Plain).show(hang(text, text_width(detail), deeper=0))
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#hidden")
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        from forum_tui.ui.screens.thread import ThreadScreen

        item = self.current
        if item is not None and item.thread_id is not None:
            self.app.push_screen(ThreadScreen(item.thread_id))

    def action_restore(self) -> None:
        item = self.current
        if item is not None and not self._busy:
            self.restore(item)

    @work(exclusive=True, group="hidden-restore", exit_on_error=False)
    async def restore(self, item: HiddenItem) -> None:
        self._busy = True
        try:
            await self.forum.services.moderation.restore(
                self.forum.member_id, item.kind, item.target_id
            )
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        finally:
            self._busy = False
        self.forum.tell("Restored: everyone can read it again, and the author is told.")
        self.load()
