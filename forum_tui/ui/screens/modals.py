"""Typed modal dialogs for boards: supporting an idea, changing its status, recording an outcome,
and choosing one of several ideas.

Each dialog that changes something calls its service itself and is dismissed with what the
service returned (or None when cancelled): a refused request (a missing reason, a wrong idea
number) is shown inside the dialog, so nothing typed is lost and the member can put it right.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, TypeVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList
from textual.widgets.option_list import Option

from forum_tui.domain.boards import Idea, IdeaRef, IdeaStatus, IdeaView, Outcome
from forum_tui.domain.errors import ForumError
from forum_tui.domain.ids import parse_number
from forum_tui.ui.screens.idea_text import one_line, ref_line
from forum_tui.ui.widgets import Plain, plain
from forum_tui.ui.widgets.composer import Composer
from forum_tui.ui.widgets.fields import Field
from forum_tui.ui.widgets.marked_list import MarkedList

if TYPE_CHECKING:
    from forum_tui.ui.app import ForumApp

COMMENT_MAX = 500  # a few words about one's own experience; the service has the last word

# What each status means, for the member choosing it (and for those who read the note).
STATUS_HINTS = {
    IdeaStatus.NEW: "not looked at yet",
    IdeaStatus.UNDER_REVIEW: "we are looking at it",
    IdeaStatus.PLANNED: "we will do it",
    IdeaStatus.IN_PROGRESS: "we are doing it now",
    IdeaStatus.DONE: "it has happened",
    IdeaStatus.NOT_TAKEN_FORWARD: "we will not do it: the note must say why",
    IdeaStatus.DUPLICATE: "the same as another idea here; supporters move there",
}


T = TypeVar("T")


def status_choice(status: IdeaStatus, now: IdeaStatus) -> str:
    if status is now:
        return f"{status.label} (as now) — keep it, add a public note"
    return f"{status.label} — {STATUS_HINTS[status]}"


class BoardModal(ModalScreen[T]):
    """A dialog box with the app's services at hand."""

    @property
    def forum(self) -> ForumApp:
        return cast("ForumApp", self.app)

    def show_error(self, message: str) -> None:
        self.query_one(".modal-error", Plain).show(message)


class SupportModal(BoardModal[Idea | None]):
    """'Me too', with an optional short comment about one's own experience."""

    AUTO_FOCUS = "#support-comment"
    BINDINGS = [
        Binding("ctrl+s", "support", "Support", id="confirm-support", priority=True),
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]

    def __init__(self, idea: Idea) -> None:
        super().__init__()
        self.idea = idea

    def compose(self) -> ComposeResult:
        with Vertical(id="support-box", classes="modal-box"):
            yield Plain(f"Support {self.idea.ref} {one_line(self.idea.title)}", classes="section")
            yield Plain(
                "Say 'me too'. If you like, add a few words about your own experience "
                "(others will see them). Enter or Ctrl+S supports; Esc cancels.",
                classes="modal-help",
            )
            yield Field(
                placeholder="my experience (optional)",
                id="support-comment",
                max_length=COMMENT_MAX,
            )
            yield Plain("", classes="modal-error")
        yield Footer(compact=True)

    @on(Input.Submitted, "#support-comment")
    def _submitted(self) -> None:
        self.action_support()

    def action_support(self) -> None:
        self.support(self.query_one("#support-comment", Input).value)

    @work(exclusive=True, group="support", exit_on_error=False)
    async def support(self, comment: str) -> None:
        try:
            idea = await self.forum.services.ideas.support_idea(
                self.forum.member_id, self.idea.id, comment.strip()
            )
        except ForumError as error:
            self.show_error(str(error))
            return
        self.dismiss(idea)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChangeStatusModal(BoardModal[Idea | None]):
    """Staff move an idea on: a status among those allowed from here, and a public note."""

    AUTO_FOCUS = "#status-choice"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="save-status", priority=True),
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]

    def __init__(self, view: IdeaView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        idea = self.view.idea
        with Vertical(id="status-box", classes="modal-box"):
            yield Plain(f"Status of {idea.ref} {one_line(idea.title)}", classes="section")
            yield Plain(
                f"Now: {idea.status.label}. Move it to (arrows, then Tab):", classes="modal-help"
            )
            yield MarkedList(
                *[
                    Option(plain(status_choice(status, idea.status)), id=status.value)
                    for status in self.view.allowed_statuses
                ],
                id="status-choice",
                markup=False,
            )
            yield Plain(
                "Public note, needed (everyone sees it; if not taken forward, say why)",
                classes="modal-help",
            )
            yield Composer(id="status-note")
            with Horizontal(id="duplicate-row"):
                yield Plain("Duplicate of idea #", classes="inline-label")
                yield Field(placeholder="number", id="duplicate-of", max_length=18)
            yield Plain("", classes="modal-error")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        choice = self.query_one("#status-choice", OptionList)
        if choice.option_count:
            choice.highlighted = 0
        self._show_duplicate()

    @property
    def chosen(self) -> IdeaStatus | None:
        option = self.query_one("#status-choice", OptionList).highlighted_option
        return IdeaStatus(option.id) if option is not None and option.id else None

    @on(OptionList.OptionHighlighted, "#status-choice")
    def _show_duplicate(self) -> None:
        self.query_one("#duplicate-row").display = self.chosen is IdeaStatus.DUPLICATE

    @on(OptionList.OptionSelected, "#status-choice")
    def _to_note(self) -> None:
        self.query_one("#status-note", Composer).focus()

    def action_save(self) -> None:
        status = self.chosen
        if status is None:
            self.show_error("Choose a status first.")
            return
        note = self.query_one("#status-note", Composer).text
        duplicate_of: int | None = None
        if status is IdeaStatus.DUPLICATE:
            try:
                duplicate_of = parse_number(self.query_one("#duplicate-of", Input).value)
            except ValueError:
                self.show_error("Type the number of the idea this one duplicates, e.g. 12.")
                self.query_one("#duplicate-of", Input).focus()
                return
        self.change(status, note, duplicate_of)

    @work(exclusive=True, group="change-status", exit_on_error=False)
    async def change(self, status: IdeaStatus, note: str, duplicate_of: int | None) -> None:
        try:
            if duplicate_of is not None:  # staff type the board's number, as they see it
                [duplicate_of] = await self.forum.services.desk.idea_ids(
                    self.view.idea.board_id, [duplicate_of]
                )
            idea = await self.forum.services.ideas.change_status(
                self.forum.member_id, self.view.idea.id, status, note, duplicate_of=duplicate_of
            )
        except ForumError as error:
            self.show_error(str(error))
            return
        self.dismiss(idea)

    def action_cancel(self) -> None:
        self.dismiss(None)


_NUMBERS = re.compile(r"[\s,;]+")


def parse_idea_numbers(text: str) -> list[int]:
    """'12, #14 15' -> [12, 14, 15]; raises ValueError on anything else."""
    numbers = []
    for part in _NUMBERS.split(text.strip()):
        if not part:
            continue
        number = parse_number(part)  # ValueError for anything but plain digits
        if number not in numbers:
            numbers.append(number)
    return numbers


class RecordOutcomeModal(BoardModal[Outcome | None]):
    """Staff record what a service actually changed ("we did") and the ideas behind it."""

    AUTO_FOCUS = "#outcome-title"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save outcome", id="save-outcome", priority=True),
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]

    def __init__(self, board_id: int, board_name: str, idea_numbers: list[int]) -> None:
        super().__init__()
        self.board_id = board_id
        self.board_name = board_name
        self.idea_numbers = idea_numbers  # the board's numbers (#12), not forum-wide ids

    def compose(self) -> ComposeResult:
        today = self.forum.clock().date().isoformat()
        with Vertical(id="outcome-box", classes="modal-box"):
            yield Plain(f"We did: record a change · {self.board_name}", classes="section")
            with Horizontal(classes="form-row"):
                yield Plain("Title", classes="inline-label")
                yield Field(
                    placeholder="what changed, in a few words",
                    id="outcome-title",
                    max_length=240,
                )
            yield Plain("What changed, for carers (Tab to move on)", classes="modal-help")
            yield Composer(id="outcome-description")
            with Horizontal(classes="form-row"):
                yield Plain("Date", classes="inline-label")
                yield Field(today, placeholder="YYYY-MM-DD", id="outcome-date")
            with Horizontal(classes="form-row"):
                yield Plain("From ideas #", classes="inline-label")
                yield Field(
                    ", ".join(str(i) for i in self.idea_numbers),
                    placeholder="idea numbers, e.g. 12, 14",
                    id="outcome-ideas",
                )
            with Horizontal(classes="form-row"):
                yield Plain("Also credit", classes="inline-label")
                yield Field(
                    placeholder="handles, optional (e.g. who spoke at a workshop)",
                    id="outcome-credits",
                )
            yield Plain("", classes="modal-error")
        yield Footer(compact=True)

    def action_save(self) -> None:
        value = {
            name: self.query_one(f"#outcome-{name}", Input).value
            for name in ("title", "date", "ideas", "credits")
        }
        try:
            happened_on = date.fromisoformat(value["date"].strip())
        except ValueError:
            self.show_error("Type the date as year-month-day, e.g. 2026-11-02.")
            self.query_one("#outcome-date", Input).focus()
            return
        try:
            idea_ids = parse_idea_numbers(value["ideas"])
        except ValueError as bad:
            self.show_error(f"'{bad}' is not an idea number: type numbers like 12, 14.")
            self.query_one("#outcome-ideas", Input).focus()
            return
        handles = tuple(h.lstrip("@") for h in _NUMBERS.split(value["credits"].strip()) if h)
        description = self.query_one("#outcome-description", Composer).text
        self.record(value["title"], description, happened_on, idea_ids, handles)

    @work(exclusive=True, group="record-outcome", exit_on_error=False)
    async def record(
        self,
        title: str,
        description: str,
        happened_on: date,
        idea_ids: list[int],
        handles: tuple[str, ...],
    ) -> None:
        try:
            # Staff type the board's idea numbers, as every screen shows them.
            idea_ids = await self.forum.services.desk.idea_ids(self.board_id, idea_ids)
            outcome = await self.forum.services.outcomes.record_outcome(
                self.forum.member_id,
                self.board_id,
                title,
                description,
                happened_on,
                idea_ids,
                credit_handles=handles,
            )
        except ForumError as error:
            self.show_error(str(error))
            return
        self.dismiss(outcome)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChooseIdeaModal(BoardModal[int | None]):
    """Which of an outcome's ideas to open."""

    AUTO_FOCUS = "#idea-choice"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, heading: str, ideas: tuple[IdeaRef, ...]) -> None:
        super().__init__()
        self.heading = heading
        self.ideas = ideas

    def compose(self) -> ComposeResult:
        with Vertical(id="choose-box", classes="modal-box"):
            yield Plain(self.heading, classes="section")
            yield MarkedList(
                *[Option(plain(ref_line(ref)), id=str(ref.id)) for ref in self.ideas],
                id="idea-choice",
                markup=False,
            )
        yield Footer(compact=True)

    @on(OptionList.OptionSelected, "#idea-choice")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0) or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
