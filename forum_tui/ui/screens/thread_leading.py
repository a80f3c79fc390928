"""What a group's leaders (and admins) do from inside a thread, mixed into ThreadScreen: hide
any post or the thread (nobody needs to have reported it) with a reason, restore what is
hidden, lock with a reason readers see in place of the reply box, move the thread to another
group they lead, and open a private check-in with a post's author.

The first post stands for the thread. The moderation and check-in services check every one
of these again; the keys only show where they would be allowed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList
from textual.widgets.option_list import Option

from forum_tui.domain.errors import ForumError
from forum_tui.domain.models import Group
from forum_tui.domain.moderation import TargetKind
from forum_tui.ui.widgets import Plain, plain
from forum_tui.ui.widgets.marked_list import MarkedList
from forum_tui.ui.widgets.post import PostView

if TYPE_CHECKING:
    from forum_tui.ui.screens.thread import ThreadScreen

HIDE_REASON = "Against the group's guidelines"
LOCK_REASON = "This conversation has run its course"

LEADER_BINDINGS = [
    Binding("h", "hide", "Hide", id="hide-post"),
    Binding("u", "restore", "Restore", id="restore-post"),
    Binding("m", "move_thread", "Move thread", id="move-thread"),
    Binding("c", "check_in", "Check in", id="check-in"),
]


class ChooseGroupModal(ModalScreen[int | None]):
    """Which of the groups I lead a thread moves to: arrows, Enter; Esc cancels."""

    AUTO_FOCUS = "#group-choice"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, heading: str, groups: list[Group]) -> None:
        super().__init__()
        self.heading = heading
        self.groups = groups

    def compose(self) -> ComposeResult:
        with Vertical(id="group-box", classes="modal-box"):
            yield Plain(self.heading, classes="section")
            yield MarkedList(
                *[Option(plain(g.name), id=str(g.id)) for g in self.groups],
                id="group-choice",
                markup=False,
            )
        yield Footer(compact=True)

    @on(OptionList.OptionSelected, "#group-choice")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0) or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class LeaderTools:
    """Mixed into ThreadScreen (which provides view, posts, leads, forum…)."""

    def _target(self: ThreadScreen) -> tuple[TargetKind, int, PostView] | None:
        focused = self.focused
        posts = self.posts
        if not isinstance(focused, PostView) or self.view is None or not posts:
            return None
        if focused is posts[0]:
            return TargetKind.THREAD, self.thread_id, focused
        return TargetKind.POST, focused.post.id, focused

    def _is_hidden(self: ThreadScreen, kind: TargetKind, shown: PostView) -> bool:
        if kind is TargetKind.THREAD:
            return self.view is not None and bool(self.view.thread.hidden_notice)
        return bool(shown.post.hidden_notice)

    def leader_check(self: ThreadScreen, action: str) -> bool | None:
        """check_action for the leader keys; None for keys that are not theirs."""
        if action in ("hide", "restore"):
            target = self._target()
            if not self.leads or target is None:
                return False
            hidden = self._is_hidden(target[0], target[2])
            return hidden if action == "restore" else not hidden
        if action == "move_thread":
            return self.leads and len(self._led) + (1 if self._admin else 0) > 1
        if action == "check_in":
            focused = self.focused
            return (
                self.leads
                and isinstance(focused, PostView)
                and not focused.mine
                and focused.post.author_handle != "former member"
            )
        return None

    def action_hide(self: ThreadScreen) -> None:
        from forum_tui.ui.screens.moderation import PromptModal

        target = self._target()
        if target is None:
            return
        kind, target_id, shown = target
        what = "thread" if kind is TargetKind.THREAD else f"post by {shown.post.author_handle}"

        def chosen(reason: str | None) -> None:
            if reason:
                self.moderate(kind, target_id, reason)

        self.app.push_screen(
            PromptModal(
                f"Hide this {what}",
                "Readers will see 'Hidden by a group leader:' and this reason; the author is "
                "told. You can restore it later (u here, or the Hidden list). Enter hides.",
                HIDE_REASON,
            ),
            chosen,
        )

    def action_restore(self: ThreadScreen) -> None:
        target = self._target()
        if target is not None:
            self.moderate(target[0], target[1], None)

    @work(exclusive=True, group="thread-moderate", exit_on_error=False)
    async def moderate(self: ThreadScreen, kind: TargetKind, target_id: int, reason: str | None):
        moderation = self.forum.services.moderation
        me = self.forum.member_id
        try:
            if reason is None:
                await moderation.restore(me, kind, target_id)
            else:
                await moderation.hide(me, kind, target_id, reason)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        await self.reshow_posts()
        self.forum.tell(
            "Restored: everyone can read it again."
            if reason is None
            else "Hidden: readers see the reason instead, and the author is told."
        )

    async def reshow_posts(self: ThreadScreen) -> None:
        """Reads the shown posts and the thread again (after hiding, restoring, locking)."""
        first = self.posts[0].post.id if self.posts else 0
        try:
            view = await self.forum.services.threads.open_thread(
                self.forum.member_id, self.thread_id, after=first - 1, limit=len(self.posts)
            )
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        now = self.forum.clock()
        fresh = {post.id: post for post in view.posts.items}
        for shown in self.posts:
            if shown.post.id in fresh:
                shown.replace(fresh[shown.post.id], now)
        assert self.view is not None
        self.view = replace(
            self.view, thread=view.thread, can_reply=view.can_reply, why_not=view.why_not
        )
        self._show_title(view.thread.reply_count)
        self.show_reply_box()
        self.refresh_bindings()

    def action_move_thread(self: ThreadScreen) -> None:
        self.choose_group()

    @work(exclusive=True, group="thread-move", exit_on_error=False)
    async def choose_group(self: ThreadScreen) -> None:
        from forum_tui.ui.screens.moderation import PromptModal

        if self.view is None:
            return
        here = self.view.thread.group_id
        try:
            groups = await self.forum.services.moderation.led_groups(self.forum.member_id)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        others = [g for g in groups if g.id != here]
        if not others:
            self.forum.tell("You lead no other group to move it to.")
            return

        def to_group(group_id: int | None) -> None:
            if group_id is None:
                return
            name = next(g.name for g in others if g.id == group_id)

            def reasoned(reason: str | None) -> None:
                if reason is not None:
                    self.move(group_id, name, reason)

            self.app.push_screen(
                PromptModal(
                    f"Move to {name}: why?",
                    "Shown in both groups' moderation logs (optional). Enter moves it.",
                    "Fits better there",
                    required=False,
                ),
                reasoned,
            )

        self.app.push_screen(ChooseGroupModal("Move this thread to…", others), to_group)

    @work(exclusive=True, group="thread-move", exit_on_error=False)
    async def move(self: ThreadScreen, group_id: int, name: str, reason: str) -> None:
        try:
            await self.forum.services.moderation.move_thread(
                self.forum.member_id, self.thread_id, group_id, reason
            )
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        await self.reshow_posts()
        self.forum.tell(f"Moved to {name}.")

    def action_check_in(self: ThreadScreen) -> None:
        from forum_tui.ui.screens.checkins import CheckInScreen, StartCheckInModal

        focused = self.focused
        if not isinstance(focused, PostView) or self.view is None:
            return

        def started(checkin_id: int | None) -> None:
            if checkin_id is not None:
                self.app.push_screen(CheckInScreen(checkin_id))

        self.app.push_screen(
            StartCheckInModal(
                focused.post.author_handle, self.view.thread.group_id, self.view.thread.group_name
            ),
            started,
        )
