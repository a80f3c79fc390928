"""The staff desk: ideas on my boards waiting for an answer — overdue ones (past the response
window) longest wait first, then new ones not answered yet, newest first — each with its wait
in days; one key to answer (status with a public note), one to record an outcome, one to log
the time a carer gave, and one for the board's involvement log.

Each list shows its first 50 and how many it holds; the line after them says how many more
and Enter on it shows the next 50."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from forum_tui.domain.boards import DeskList, Idea, StaffDesk
from forum_tui.domain.errors import ForumError
from forum_tui.services.desk import DESK_PAGE
from forum_tui.ui.format import plural
from forum_tui.ui.screens.base import ForumScreen
from forum_tui.ui.screens.idea_text import one_line, status_label
from forum_tui.ui.screens.listing import Rewraps, wrapped
from forum_tui.ui.widgets import Plain, plain
from forum_tui.ui.widgets.marked_list import MarkedList


def waiting_line(idea: Idea, days: int) -> str:
    # An overdue idea's status already says how long it has waited ("Awaiting response · 41
    # days"); a new one says it here.
    wait = "" if idea.awaiting_days is not None else f" · waiting {plural(days, 'day')}"
    return (
        f"{idea.ref} {one_line(idea.title)} · {idea.board_name}\n"
        f"  [{status_label(idea)}]{wait} · {plural(idea.support_count, 'supporter')}"
        f" · by {idea.author_handle}"
    )


def heading(text: str) -> Option:
    return Option(plain(f"── {text} ──"), disabled=True)


WORDS = {DeskList.OVERDUE: "overdue", DeskList.UNANSWERED: "new to answer"}


def more_line(which: DeskList, rest: int) -> Option:
    return Option(
        plain(f"… {rest:,} more {WORDS[which]}: Enter shows the next {min(rest, DESK_PAGE)}"),
        id=f"more:{which.value}",
    )


class StaffDeskScreen(Rewraps, ForumScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("enter", "open", "Open", id="open"),
        # Short labels, so every key fits the footer at 80 columns; Help shows the tooltips.
        Binding(
            "t",
            "change_status",
            "Answer",
            id="change-status",
            tooltip="Answer the idea: set its status, with a reply carers see",
        ),
        Binding(
            "o",
            "record_outcome",
            "Outcome",
            id="record-outcome",
            tooltip="Record an outcome: what was done (you said, we did)",
        ),
        Binding(
            "i",
            "log_time",
            "Log time",
            id="log-time",
            tooltip="Log time a carer gave (involvement)",
        ),
        Binding(
            "v",
            "involvement",
            "Involvement",
            id="involvement-log",
            tooltip="Involvement log: time carers gave, and its state",
        ),
        Binding("ctrl+r", "refresh", "Refresh", id="refresh", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.ideas: dict[int, Idea] = {}
        self.desk: StaffDesk | None = None
        self.shown: dict[DeskList, list[Idea]] = {which: [] for which in DeskList}
        self.after: dict[DeskList, tuple | None] = {which: None for which in DeskList}

    def compose(self) -> ComposeResult:
        yield from self.compose_title("Staff desk")
        yield Plain(
            "Ideas waiting for an answer: overdue first (longest wait first), then new ones "
            "(newest first). Carers see how long each has waited. Enter opens; t answers.",
            id="desk-about",
        )
        yield MarkedList(id="awaiting", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "change_status", "record_outcome", "log_time"):
            return self.current is not None
        return True

    @property
    def current(self) -> Idea | None:
        option = self.query_one("#awaiting", OptionList).highlighted_option
        if option is None or not (option.id or "").startswith("idea:"):
            return None
        return self.ideas.get(int(str(option.id).partition(":")[2]))

    @work(exclusive=True, group="desk", exit_on_error=False)
    async def load(self) -> None:
        # As many as were shown (after Enter on "more"), so coming back keeps the place.
        limit = max(DESK_PAGE, *(len(ideas) for ideas in self.shown.values()))
        try:
            desk = await self.forum.services.desk.staff_desk(self.forum.member_id, limit=limit)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            self.app.pop_screen()
            return
        self.shown = {
            DeskList.OVERDUE: list(desk.overdue),
            DeskList.UNANSWERED: list(desk.unanswered),
        }
        self.after = {
            DeskList.OVERDUE: desk.overdue_after,
            DeskList.UNANSWERED: desk.unanswered_after,
        }
        self.show(desk)

    @work(exclusive=True, group="desk-more", exit_on_error=False)
    async def load_more(self, which: DeskList) -> None:
        after = self.after[which]
        if after is None or self.desk is None:
            return
        try:
            page = await self.forum.services.desk.more_of_desk(self.forum.member_id, which, after)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        first_new = page.items[0].id if page.items else None
        self.shown[which] += page.items
        self.after[which] = page.after
        self.show(self.desk, highlight=f"idea:{first_new}" if first_new else None)

    def show(self, desk: StaffDesk, *, highlight: str | None = None) -> None:
        self.desk = desk
        overdue, new = self.shown[DeskList.OVERDUE], self.shown[DeskList.UNANSWERED]
        self.ideas = {i.id: i for i in overdue + new}
        self.set_title(
            f"Staff desk · {desk.overdue_total:,} overdue · {desk.unanswered_total:,} new to answer"
        )
        box = self.query_one("#awaiting", OptionList)
        was = box.highlighted_option
        highlighted = box.highlighted
        options = [heading(f"Overdue: no answer within the window ({desk.overdue_total:,})")]
        options += self._ideas(box, desk, DeskList.OVERDUE, desk.overdue_total)
        if not overdue:
            options.append(Option(plain("Nothing overdue."), disabled=True))
        options.append(heading(f"New, not answered yet ({desk.unanswered_total:,})"))
        options += self._ideas(box, desk, DeskList.UNANSWERED, desk.unanswered_total)
        if not new:
            options.append(
                Option(plain("Nothing new: every idea has had an answer."), disabled=True)
            )
        box.set_options(options)
        enabled = [n for n, option in enumerate(options) if not option.disabled]
        ids = [option.id for option in options]
        keep = highlight or (was.id if was is not None else None)
        if keep is not None and keep in ids:
            box.highlighted = ids.index(keep)
        elif enabled:
            box.highlighted = highlighted if highlighted in enabled else enabled[0]
        box.focus()
        self.refresh_bindings()

    def _ideas(self, box: OptionList, desk: StaffDesk, which: DeskList, total: int) -> list[Option]:
        ideas = self.shown[which]
        options = [
            Option(wrapped(box, waiting_line(i, desk.waiting_days(i))), id=f"idea:{i.id}")
            for i in ideas
        ]
        if self.after[which] is not None:
            options.append(more_line(which, max(total - len(ideas), 1)))
        return options

    @on(OptionList.OptionHighlighted, "#awaiting")
    def _moved(self) -> None:
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#awaiting")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        kind, _, which = (event.option.id or "").partition(":")
        if kind == "more":
            self.load_more(DeskList(which))
        else:
            self.action_open()

    def action_open(self) -> None:
        from forum_tui.ui.screens.idea import IdeaScreen

        if (idea := self.current) is not None:
            self.app.push_screen(IdeaScreen(idea.id))

    def action_change_status(self) -> None:
        if (idea := self.current) is not None:
            self.answer(idea.id)

    @work(exclusive=True, group="desk-answer", exit_on_error=False)
    async def answer(self, idea_id: int) -> None:
        from forum_tui.ui.screens.modals import ChangeStatusModal

        try:
            view = await self.forum.services.ideas.open_idea(self.forum.member_id, idea_id)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        if not view.can_change_status or not view.allowed_statuses:
            self.forum.tell("You cannot change this idea's status.", error=True)
            return

        def changed(idea: object) -> None:
            if idea is not None:
                self.forum.tell("Answered. Its author and supporters will be told.")
                self.load()

        self.app.push_screen(ChangeStatusModal(view), changed)

    def action_record_outcome(self) -> None:
        from forum_tui.ui.screens.modals import RecordOutcomeModal

        idea = self.current
        if idea is None:
            return

        def recorded(outcome: object) -> None:
            if outcome is not None:
                self.forum.tell("Saved. Each person who helped is named in it.")
                self.load()

        self.app.push_screen(
            RecordOutcomeModal(idea.board_id, idea.board_name, [idea.number]), recorded
        )

    def action_log_time(self) -> None:
        from forum_tui.ui.screens.involvement import LogInvolvementModal, LogTarget

        idea = self.current
        if idea is None:
            return

        def logged(entry: object) -> None:
            if entry is not None:
                self.forum.tell("Logged: it shows in the carer's My contributions as promised.")

        target = LogTarget(idea.board_id, idea.board_name)
        self.app.push_screen(LogInvolvementModal(target), logged)

    def action_involvement(self) -> None:
        from forum_tui.ui.screens.involvement import InvolvementScreen

        idea = self.current
        self.app.push_screen(InvolvementScreen(idea.board_id if idea else None))
