"""My contributions: the ideas I wrote and support with their status and the staff's latest
word, the changes that credit me in the service's own words, and the time I gave.

One list with headings (the headings cannot be highlighted), so the arrow keys walk the whole
page and Enter opens an idea, or the board's 'You said, we did' for a change.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from forum_tui.domain.boards import Contributions, Idea, IdeaStatus
from forum_tui.domain.errors import ForumError
from forum_tui.ui.format import ago, plural
from forum_tui.ui.screens.base import ForumScreen
from forum_tui.ui.screens.idea_text import (
    involvement_line,
    one_line,
    outcome_lines,
    status_label,
)
from forum_tui.ui.screens.listing import Rewraps, wrapped
from forum_tui.ui.widgets import Plain, plain
from forum_tui.ui.widgets.marked_list import MarkedList


def contributed_idea(idea: Idea, now_label: str) -> str:
    lines = [f"{idea.ref} {one_line(idea.title)}"]
    lines.append(
        f"  [{status_label(idea)}] · {plural(idea.support_count, 'supporter')} · {idea.board_name}"
    )
    if idea.latest_note.strip() and idea.status is not IdeaStatus.NOT_TAKEN_FORWARD:
        lines.append(f"  Staff said ({now_label}): {one_line(idea.latest_note)}")
    return "\n".join(lines)


def heading(text: str) -> Option:
    return Option(plain(f"── {text} ──"), disabled=True)


class ContributionsScreen(Rewraps, ForumScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("enter", "open", "Open", id="open", show=False),
        Binding("ctrl+r", "refresh", "Refresh", id="refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.mine: Contributions | None = None

    def compose(self) -> ComposeResult:
        yield from self.compose_title("My contributions")
        yield Plain("", id="contributions-summary")
        yield MarkedList(id="contributions", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        if self.mine is not None:
            self.load()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.load()

    @work(exclusive=True, group="contributions", exit_on_error=False)
    async def load(self) -> None:
        try:
            mine = await self.forum.services.contributions.my_contributions(self.forum.member_id)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            if self.mine is None:
                self.app.pop_screen()
            return
        self.mine = mine
        member = self.forum.member
        self.set_title(f"My contributions · {member.handle if member else ''}")
        self.query_one("#contributions-summary", Plain).show(mine.summary)
        now = self.forum.clock()
        box = self.query_one("#contributions", OptionList)
        options: list[Option] = []

        def counted(title: str, shown: int, total: int) -> Option:
            more = f", the newest {shown} shown" if total > shown else ""
            return heading(f"{title} ({total:,}{more})")

        def ideas(title: str, found: tuple[Idea, ...], total: int, empty: str) -> None:
            options.append(counted(title, len(found), total))
            if not found:
                options.append(Option(plain(empty), disabled=True))
            for idea in found:
                label = ago(idea.updated_at, now)
                options.append(
                    Option(wrapped(box, contributed_idea(idea, label)), id=f"idea:{idea.id}")
                )

        ideas(
            "My ideas",
            mine.my_ideas,
            mine.idea_count,
            "None yet: open a board (b at home) and press a.",
        )
        ideas(
            "Ideas I support",
            mine.supported_ideas,
            mine.supported_count,
            "None yet: press s on an idea to support it.",
        )
        options.append(counted("Changes I helped make", len(mine.outcomes), mine.outcome_count))
        if not mine.outcomes:
            options.append(
                Option(plain("None yet. When a change credits you, it shows here."), disabled=True)
            )
        for outcome in mine.outcomes:
            options.append(
                Option(
                    wrapped(box, outcome_lines(outcome, show_board=True)),
                    id=f"outcome:{outcome.id}:{outcome.board_id}",
                )
            )
        options.append(counted("Time I gave", len(mine.involvement), mine.involvement_count))
        if not mine.involvement:
            options.append(
                Option(plain("None logged yet: staff log workshops and meetings."), disabled=True)
            )
        for entry in mine.involvement:
            options.append(Option(wrapped(box, involvement_line(entry)), id=f"time:{entry.id}"))
        highlighted = box.highlighted
        box.set_options(options)
        enabled = [i for i, o in enumerate(options) if not o.disabled]
        if enabled:
            box.highlighted = (
                highlighted if highlighted is not None and highlighted in enabled else enabled[0]
            )
        box.focus()

    @on(OptionList.OptionSelected, "#contributions")
    def selected(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option.id)

    def action_open(self) -> None:
        option = self.query_one("#contributions", OptionList).highlighted_option
        if option is not None:
            self._open(option.id)

    def _open(self, option_id: str | None) -> None:
        from forum_tui.ui.screens.idea import IdeaScreen
        from forum_tui.ui.screens.outcomes import OutcomesScreen

        kind, _, raw = (option_id or "").partition(":")
        if kind == "idea":
            self.app.push_screen(IdeaScreen(int(raw)))
        elif kind == "outcome":
            self.app.push_screen(OutcomesScreen(int(raw.partition(":")[2])))
