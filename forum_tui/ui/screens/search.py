"""Search (``/`` from anywhere): threads, posts and ideas the member may see, newest first.

Type words (or "a phrase" in quotes) and press Enter; the results list each hit with where it
is, who wrote it, when, and a one-line snippet whose matched words are bold and underlined (an
attribute, not a colour, so it shows with NO_COLOR). Enter on a result opens it: a post opens its
thread at that post. Filters: this group or board (the screen ``/`` was pressed on), ideas only,
and by author (the second box). The last option loads the next page.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from forum_tui.domain.errors import ForumError
from forum_tui.domain.search import SearchResult
from forum_tui.domain.text import strip_controls
from forum_tui.ui.format import ago
from forum_tui.ui.screens.base import ForumScreen
from forum_tui.ui.widgets import Plain, plain
from forum_tui.ui.widgets.fields import Field
from forum_tui.ui.widgets.marked_list import MarkedList

MORE = "more"


def result_content(result: SearchResult, now_text: str) -> Content:
    hidden = " · hidden" if result.hidden else ""
    head = (
        f"{result.kind.value} · {result.place} › {result.title} · "
        f"{result.author_handle} · {now_text}{hidden}"
    )
    parts: list[Content | str | tuple[str, str]] = [(strip_controls(head), "bold"), "\n  "]
    for text, matched in result.snippet:
        clean = strip_controls(text)
        parts.append((clean, "bold underline") if matched else clean)
    return Content.assemble(*parts)


class SearchScreen(ForumScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("ctrl+g", "toggle_place", "This group/board", id="search-here", priority=True),
        Binding("ctrl+o", "toggle_ideas", "Ideas only", id="search-ideas", priority=True),
    ]

    def __init__(self, *, group_id: int | None = None, board_id: int | None = None) -> None:
        super().__init__()
        self.here_group = group_id
        self.here_board = board_id
        self.only_here = group_id is not None or board_id is not None
        self.ideas_only = False
        self.results: dict[str, SearchResult] = {}
        self._after: tuple | None = None
        self._typed = ""

    def compose(self) -> ComposeResult:
        yield from self.compose_title("Search")
        yield Field(placeholder='Words, or "a phrase" · Enter searches', id="search-words")
        yield Field(placeholder="By member (handle), optional", id="search-author")
        yield Plain("", id="search-filters")
        yield MarkedList(id="search-results", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self._show_filters()
        self.query_one("#search-words", Input).focus()

    def _show_filters(self) -> None:
        where = "everywhere you can read"
        if self.only_here and self.here_group is not None:
            where = "this group only"
        elif self.only_here and self.here_board is not None:
            where = "this board only"
        what = "ideas only" if self.ideas_only else "threads, posts and ideas"
        self.query_one("#search-filters", Plain).show(f"Searching {what}, {where}.")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_place":
            return self.here_group is not None or self.here_board is not None
        return True

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_toggle_place(self) -> None:
        self.only_here = not self.only_here
        self._show_filters()
        self._search_again()

    def action_toggle_ideas(self) -> None:
        self.ideas_only = not self.ideas_only
        self._show_filters()
        self._search_again()

    def _search_again(self) -> None:
        if self._typed.strip():
            self.run_search(self._typed, more=False)

    @on(Input.Submitted)
    def submitted(self) -> None:
        typed = self.query_one("#search-words", Input).value
        if not typed.strip():
            self.forum.tell("Type a word or two to search for.")
            return
        self._typed = typed
        self.run_search(typed, more=False)

    @work(exclusive=True, group="search", exit_on_error=False)
    async def run_search(self, typed: str, *, more: bool) -> None:
        author = self.query_one("#search-author", Input).value.strip() or None
        here = self.only_here
        try:
            page = await self.forum.services.search.search(
                self.forum.member_id,
                typed,
                group_id=self.here_group if here else None,
                board_id=self.here_board if here else None,
                ideas_only=self.ideas_only,
                author=author,
                after=self._after if more else None,
            )
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        box = self.query_one("#search-results", OptionList)
        now = self.forum.clock()
        if not more:
            box.clear_options()
            self.results = {}
        elif box.option_count and box.get_option_at_index(box.option_count - 1).id == MORE:
            box.remove_option_at_index(box.option_count - 1)
        first_new = box.option_count
        for result in page.items:
            key = f"{result.kind.value}:{result.id}"
            self.results[key] = result
            box.add_option(Option(result_content(result, ago(result.created_at, now)), id=key))
        self._after = page.after
        if page.after is not None:
            box.add_option(Option(plain("More results…"), id=MORE))
        if not self.results:
            box.add_option(Option(plain("Nothing found. Try fewer or other words."), disabled=True))
        self.set_title(f"Search · {len(self.results)} found" + (" so far" if page.after else ""))
        if self.results:
            box.focus()
            box.highlighted = min(first_new, box.option_count - 1)

    @on(OptionList.OptionSelected, "#search-results")
    def open_result(self, event: OptionList.OptionSelected) -> None:
        from forum_tui.ui.screens.idea import IdeaScreen
        from forum_tui.ui.screens.thread import ThreadScreen

        if event.option.id == MORE:
            self.run_search(self._typed, more=True)
            return
        result = self.results.get(event.option.id or "")
        if result is None:
            return
        if result.idea_id is not None:
            self.app.push_screen(IdeaScreen(result.idea_id))
        elif result.thread_id is not None:
            self.app.push_screen(ThreadScreen(result.thread_id, at_post=result.post_id))
