"""An idea: what the carer asked for, its status, who supports it, the staff's public answers
(a timeline, oldest first) and the changes it led to."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll

from forum_tui.domain.boards import IdeaStatus, IdeaView
from forum_tui.domain.errors import ForumError
from forum_tui.domain.reuse import IdeaSource
from forum_tui.ui.format import plural
from forum_tui.ui.screens.base import ForumScreen
from forum_tui.ui.screens.idea_text import day, hang, one_line, outcome_lines, status_label
from forum_tui.ui.screens.listing import text_width
from forum_tui.ui.widgets import Plain


def about_line(view: IdeaView) -> str:
    idea = view.idea
    mine = " (you)" if idea.mine else ""
    you = " · you support it" if idea.supported_by_me and not idea.mine else ""
    return (
        f"by {idea.author_handle}{mine} · added {day(idea.created_at)} · "
        f"{plural(idea.support_count, 'supporter')}{you}"
    )


def timeline(view: IdeaView) -> str:
    if not view.updates:
        days = view.idea.awaiting_days
        waited = f" It has waited {plural(days, 'day')}." if days is not None else ""
        return f"No response from the service's staff yet.{waited}"
    entries = []
    for update in view.updates:
        change = (
            f"{update.old_status.label} → {update.new_status.label}"
            if update.old_status is not update.new_status
            else update.new_status.label
        )
        note = update.note.strip() or "(no note)"
        entries.append(
            f"{day(update.created_at)} · {update.staff_handle} · {change}\n"
            + "\n".join(f"  {line}" for line in note.splitlines())
        )
    return "\n\n".join(entries)


def experiences(view: IdeaView) -> str:
    said = [s for s in view.supports if s.comment.strip()]
    more = len(view.supports) < view.idea.support_count
    tail = f"\n(From the first {len(view.supports)} supporters.)" if more else ""
    if not said:
        return "Nobody has added their own experience yet." + tail
    return (
        "\n".join(f"{s.member_handle} · {day(s.created_at)}: {one_line(s.comment)}" for s in said)
        + tail
    )


class IdeaScreen(ForumScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("s", "support", "Support", id="support"),
        Binding("u", "withdraw", "Withdraw support", id="withdraw"),
        Binding("t", "change_status", "Status", id="change-status"),
        Binding("o", "record_outcome", "Outcome", id="record-outcome"),
        Binding("i", "log_time", "Log time", id="log-time"),
        Binding("g", "original", "Go to original", id="original"),
        Binding("enter", "open_source", "Open the post it came from", id="open-source"),
        Binding("exclamation_mark", "report", "Report", id="report", key_display="!"),
        Binding("ctrl+r", "refresh", "Refresh", id="refresh", show=False),
        Binding("f", "follow(True)", "Follow idea", id="follow-idea", show=False),
        Binding("f", "follow(False)", "Unfollow idea", id="unfollow-idea", show=False),
    ]

    def __init__(self, idea_id: int) -> None:
        super().__init__()
        self.idea_id = idea_id
        self.following: bool | None = None
        self.view: IdeaView | None = None
        self.i_am_staff = False
        self.source: IdeaSource | None = None  # the post it started from (services.reuse)

    def compose(self) -> ComposeResult:
        yield from self.compose_title(f"Idea #{self.idea_id}")
        with VerticalScroll(id="idea"):
            yield Plain("", id="idea-title")
            yield Plain("", id="idea-status")
            yield Plain("", id="idea-about")
            yield Plain("", id="idea-source")
            yield Plain("", id="idea-body")
            yield Plain("The service's answers", classes="section")
            yield Plain("", id="idea-updates")
            yield Plain("What changed because of it", classes="section", id="outcomes-heading")
            yield Plain("", id="idea-outcomes")
            yield Plain("Carers' experiences", classes="section")
            yield Plain("", id="idea-supports")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.load()

    def on_resize(self) -> None:
        if self.view is not None:
            self.show(self.view)  # wrapped to the width

    def on_screen_resume(self) -> None:
        if self.view is not None:
            self.load()

    def action_refresh(self) -> None:
        self.load()

    def action_follow(self, follow: bool) -> None:
        self.set_following(follow)

    @work(exclusive=True, group="set_following", exit_on_error=False)
    async def set_following(self, follow: bool) -> None:
        """Hear of this idea's status changes (authors and supporters always do)."""
        try:
            self.following = await self.forum.services.following.follow_idea(
                self.forum.member_id, self.idea_id, follow
            )
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        if self.view is not None:
            self.show(self.view)
        self.refresh_bindings()
        self.forum.tell("Following this idea." if follow else "No longer following this idea.")

    @work(exclusive=True, group="idea", exit_on_error=False)
    async def load(self) -> None:
        services = self.forum.services
        try:
            view = await services.ideas.open_idea(self.forum.member_id, self.idea_id)
            # Staff record outcomes for closed ideas too (a Done idea most of all), which
            # can_change_status does not cover: ask the board.
            board = await services.boards.get_board(self.forum.member_id, view.idea.board_id)
            self.following = await services.following.follows_idea(
                self.forum.member_id, self.idea_id
            )
            self.source = await services.reuse.idea_source(self.forum.member_id, self.idea_id)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            self.app.pop_screen()
            return
        self.i_am_staff = board.i_am_staff
        self.show(view)

    def show(self, view: IdeaView) -> None:
        self.view = view
        idea = view.idea
        following = " · following" if self.following else ""
        self.set_title(f"Idea {idea.ref} · {idea.board_name}{following}")
        self.query_one("#idea-title", Plain).show(one_line(idea.title))
        status = f"Status: {status_label(idea)}"
        if idea.status.closed:
            status += " · closed, so it takes no new support"
        self.query_one("#idea-status", Plain).show(status)
        self.query_one("#idea-about", Plain).show(about_line(view))
        source = self.query_one("#idea-source", Plain)
        source.display = self.source is not None
        if self.source is not None:
            where = f"“{one_line(self.source.thread_title)}” in {self.source.group_name}"
            source.show(f"Started from a post in {where} (Enter opens it).")
        body = idea.body
        if idea.hidden_notice and body != idea.hidden_notice:  # staff and author: both, marked
            body = f"⊘ {idea.hidden_notice}\n\n{body}"
        self.query_one("#idea-body", Plain).show(body)
        width = text_width(self.query_one("#idea-updates"))
        self.query_one("#idea-updates", Plain).show(hang(timeline(view), width, deeper=0))
        self.query_one("#idea-outcomes", Plain).show(
            "\n\n".join(hang(outcome_lines(o), width) for o in view.outcomes)
        )
        for selector in ("#outcomes-heading", "#idea-outcomes"):
            self.query_one(selector).display = bool(view.outcomes)
        self.query_one("#idea-supports", Plain).show(hang(experiences(view), width))
        if self.focused is None:
            self.query_one("#idea", VerticalScroll).focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "follow" and parameters:
            return self.following is not None and self.following is not parameters[0]
        view = self.view
        if view is None:
            return action in ("back", "refresh", "quit", "help")
        idea = view.idea
        if action == "support":
            return view.can_support and not idea.supported_by_me
        if action == "withdraw":
            return idea.supported_by_me and not idea.mine
        if action == "change_status":
            return view.can_change_status
        if action in ("record_outcome", "log_time"):
            return self.i_am_staff
        if action == "original":
            return idea.status is IdeaStatus.DUPLICATE and idea.duplicate_of is not None
        if action == "report":
            return not idea.mine
        if action == "open_source":
            return self.source is not None
        return True

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_support(self) -> None:
        from forum_tui.ui.screens.modals import SupportModal

        if self.view is None:
            return

        def supported(idea: object) -> None:
            if idea is not None:
                self.forum.tell("Thank you: your support is counted.")
                self.load()

        self.app.push_screen(SupportModal(self.view.idea), supported)

    def action_withdraw(self) -> None:
        self.withdraw()

    @work(exclusive=True, group="withdraw", exit_on_error=False)
    async def withdraw(self) -> None:
        try:
            await self.forum.services.ideas.withdraw_support(self.forum.member_id, self.idea_id)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        self.forum.tell("Your support is withdrawn. Press s to support it again.")
        self.load()

    def action_change_status(self) -> None:
        from forum_tui.ui.screens.modals import ChangeStatusModal

        if self.view is None:
            return
        if not self.view.allowed_statuses:
            self.forum.tell("This idea is closed: its status cannot change any more.")
            return

        def changed(idea: object) -> None:
            if idea is not None:
                self.forum.tell("Status changed. Its author and supporters will be told.")
                self.load()

        self.app.push_screen(ChangeStatusModal(self.view), changed)

    def action_record_outcome(self) -> None:
        from forum_tui.ui.screens.modals import RecordOutcomeModal

        if self.view is None:
            return
        idea = self.view.idea

        def recorded(outcome: object) -> None:
            if outcome is not None:
                self.forum.tell("Saved. Each person who helped is named in it.")
                self.load()

        self.app.push_screen(
            RecordOutcomeModal(idea.board_id, idea.board_name, [idea.number]), recorded
        )

    def action_open_source(self) -> None:
        from forum_tui.ui.screens.thread import ThreadScreen

        if self.source is not None:
            self.app.push_screen(ThreadScreen(self.source.thread_id, at_post=self.source.post_id))

    def action_original(self) -> None:
        if self.view is not None and self.view.idea.duplicate_of is not None:
            self.app.push_screen(IdeaScreen(self.view.idea.duplicate_of))

    def action_report(self) -> None:
        from forum_tui.domain.moderation import TargetKind
        from forum_tui.ui.screens.report import ReportModal

        if self.view is not None and not self.view.idea.mine:
            idea = self.view.idea
            what = f"idea {idea.ref} by {idea.author_handle}"
            self.app.push_screen(ReportModal(TargetKind.IDEA, idea.id, what))

    def action_log_time(self) -> None:
        """Staff log the time the idea's author gave (a workshop about it, say)."""
        from forum_tui.ui.screens.involvement import LogInvolvementModal, LogTarget

        if self.view is None:
            return
        idea = self.view.idea

        def logged(entry: object) -> None:
            if entry is not None:
                self.forum.tell("Logged: it shows in the carer's My contributions as promised.")

        handle = "" if idea.author_handle == "former member" else idea.author_handle
        target = LogTarget(idea.board_id, idea.board_name, handle)
        self.app.push_screen(LogInvolvementModal(target), logged)
