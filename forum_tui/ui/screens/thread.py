"""A thread: its posts oldest first, and the reply composer whose draft is kept as you type.

It opens at the first post the member has not read (or at the post a search result or a
notification points at), and posts that were new to them are labelled "new".

Replies by others appear by themselves (live updates, ``ForumChanged``): they are added after
the last post shown, the reader's focus and scroll position stay where they are unless they
were at the end (then the new posts are scrolled into view), and a toast names who replied.
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import TextArea

from forum_tui.domain.errors import ForumError
from forum_tui.domain.models import Post, ThreadView
from forum_tui.services.changes import thread_topic
from forum_tui.ui.format import plural
from forum_tui.ui.live import ForumChanged
from forum_tui.ui.narrow import fit_reply_box
from forum_tui.ui.screens.drafting import DraftingScreen
from forum_tui.ui.screens.privacy_nudge import send_after_nudge
from forum_tui.ui.screens.thread_leading import LEADER_BINDINGS, LOCK_REASON, LeaderTools
from forum_tui.ui.widgets import Plain
from forum_tui.ui.widgets.composer import Composer
from forum_tui.ui.widgets.post import PostView

FOOTER_ROOM = 80  # columns from which the footer has room for "i Suggest as idea"


class ThreadScreen(LeaderTools, DraftingScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("r", "reply", "Reply", id="reply"),
        Binding("e", "edit", "Edit my post", id="edit"),
        Binding("ctrl+s", "send", "Send", id="send", priority=True),
        Binding("home", "first", "First post", show=False, id="first-post"),
        Binding("end", "last", "Last post", show=False, id="last-post"),
        Binding("exclamation_mark", "report", "Report", id="report", key_display="!"),
        # In the footer where it fits (80 columns and wider); always in Help (F1).
        Binding("i", "suggest_idea(True)", "Suggest as idea", id="suggest-idea"),
        Binding("i", "suggest_idea(False)", "Suggest as idea", id="suggest-idea-", show=False),
        Binding("l", "lock(True)", "Lock", id="lock-thread"),
        Binding("l", "lock(False)", "Unlock", id="unlock-thread"),
        Binding("p", "pin(True)", "Pin", id="pin-thread"),
        Binding("p", "pin(False)", "Unpin", id="unpin-thread"),
        Binding("f", "follow(True)", "Follow thread", id="follow-thread", show=False),
        Binding("f", "follow(False)", "Unfollow thread", id="unfollow-thread", show=False),
        *LEADER_BINDINGS,
    ]

    def __init__(self, thread_id: int, *, at_post: int | None = None) -> None:
        super().__init__()
        self.thread_id = thread_id
        self.at_post = at_post  # open here (from a notification or search), not the first unread
        self.first_unread: int | None = None
        self.following: bool | None = None
        self.place = f"reply:{thread_id}"
        self.view: ThreadView | None = None
        self._last_id: int | None = None  # the newest post shown
        self._more = False  # older pages are loaded; are there posts after the last shown?
        self._send_key = uuid.uuid4().hex
        self._sending = False
        self._behind = False  # a change was heard that is not shown yet
        self._catching_up = False
        self._led: set[int] = set()  # groups the reader leads: lock and pin are theirs
        self._admin = False

    def compose(self) -> ComposeResult:
        yield from self.compose_title("Thread")
        yield VerticalScroll(id="posts", can_focus=False)
        with Vertical(id="reply-box"):
            yield Plain("Reply (Ctrl+S sends · Esc back to the posts)", id="reply-hint")
            yield Composer(id="composer")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        fit_reply_box(self.query_one("#composer", Composer))
        self.load()
        self.load_leading()

    @property
    def posts(self) -> list[PostView]:
        return list(self.query(PostView))

    @work(exclusive=True, group="thread", exit_on_error=False)
    async def load(self) -> None:
        services = self.forum.services
        try:
            # Before opening: opening the thread marks its posts read.
            self.first_unread = await services.unread.first_unread(
                self.forum.member_id, self.thread_id
            )
            view = await services.threads.open_thread(self.forum.member_id, self.thread_id)
            draft = await services.drafts.get_draft(self.forum.member_id, self.place)
            self.following = await services.following.follows_thread(
                self.forum.member_id, self.thread_id
            )
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            self.app.pop_screen()
            return
        self.view = view
        draft = self.kept_draft(draft)  # text the database refused earlier wins
        self._show_title(view.thread.reply_count)
        await self._add_posts(view.posts.items)
        self._more = view.posts.after is not None
        target = self.at_post or self.first_unread
        while target is not None and self._more and (self._last_id or 0) < target:
            await self._load_rest(pages=1)
        composer = self.query_one("#composer", Composer)
        self.show_reply_box()
        if draft is not None and draft.body:
            composer.text = draft.body
            self.restored("", draft.body)
            if view.can_reply:
                composer.focus()
                composer.move_cursor(composer.document.end)
                self.forum.tell("Your unsent reply was kept: it is back in the reply box.")
                self.refresh_bindings()
                self._catch_up_if_behind()
                return
        posts = self.posts
        landing = next((p for p in posts if target is not None and p.post.id >= target), None)
        if self.at_post is not None:
            await self._show_post(self.at_post)
        elif landing is not None:
            landing.focus(scroll_visible=False)
            self.call_after_refresh(landing.scroll_visible, animate=False, top=True)
        elif posts:
            posts[0].focus()
        self.refresh_bindings()
        self._catch_up_if_behind()

    async def _show_post(self, post_id: int) -> None:
        """Loads pages until ``post_id`` is shown, then puts the reader on it; a post that
        is gone (or hidden from them) leaves them at the first post, told so."""
        while self._more and not any(view.post.id == post_id for view in self.posts):
            before = self._last_id
            await self._load_rest(pages=1)
            if self._last_id == before:
                break
        shown = [view for view in self.posts if view.post.id == post_id]
        if shown:
            shown[0].focus()
            self.call_after_refresh(shown[0].scroll_visible, animate=False)
        elif self.posts:
            self.posts[0].focus()
            self.forum.tell("That post is no longer here; this is the thread it was in.")

    def show_reply_box(self) -> None:
        """The reply box when the reader can reply; otherwise why not (a lock and its reason,
        a silence…) in its place, so nobody types a reply that will be refused."""
        if self.view is None:
            return
        composer = self.query_one("#composer", Composer)
        hint = self.query_one("#reply-hint", Plain)
        if self.view.can_reply:
            hint.show("Reply (Ctrl+S sends · Esc back to posts)")
            composer.display = True
        else:
            hint.show(self.view.why_not)
            if composer.has_focus and self.posts:
                self.posts[-1].focus()
            composer.display = False

    def _show_title(self, replies: int) -> None:
        assert self.view is not None
        thread = self.view.thread
        flags = " · locked" if thread.locked else ""
        flags += " · following" if self.following else ""
        self.set_title(
            f"{thread.title} · {thread.group_name} · {plural(replies, 'reply', 'replies')}{flags}"
        )

    async def _add_posts(self, posts: tuple[Post, ...], *, live: bool = False) -> list[Post]:
        """Adds the posts newer than the last one shown; returns those it added. ``live``: they
        arrived while the thread was open, so others' posts among them are new.

        Sending, paging and live updates may fetch the same new posts at the same time: each
        post is shown once, in order, whoever fetched it first.
        """
        shown = self._last_id or 0
        new = [post for post in posts if post.id > shown]
        if new:
            self._last_id = new[-1].id
        now = self.forum.clock()
        me = self.forum.member_id
        unread = self.first_unread
        await self.query_one("#posts", VerticalScroll).mount_all(
            [
                PostView(
                    post,
                    now,
                    mine=post.author_id == me,
                    # Your own posts are never news to you, however they arrive.
                    new=post.author_id != me
                    and (live or (unread is not None and post.id >= unread)),
                )
                for post in new
            ]
        )
        return new

    @work(exclusive=True, group="thread-more", exit_on_error=False)
    async def load_more(self) -> None:
        await self._load_rest(pages=1)

    async def _load_rest(self, pages: int | None = None) -> None:
        """Loads posts after the newest one shown: the next page, or all up to now."""
        while self._more and (pages is None or pages > 0):
            try:
                view = await self.forum.services.threads.open_thread(
                    self.forum.member_id, self.thread_id, after=self._last_id
                )
            except ForumError as error:
                self.forum.tell(str(error), error=True)
                return
            await self._add_posts(view.posts.items)
            self._more = view.posts.after is not None
            pages = None if pages is None else pages - 1
        self._catch_up_if_behind()

    @on(ForumChanged)
    def forum_changed(self, event: ForumChanged) -> None:
        change = event.change
        if change.everything or change.topic == thread_topic(self.thread_id):
            self._behind = True
            self._catch_up_if_behind()
        elif change.kind == "post" and any(view.post.id == change.id for view in self.posts):
            self.show_edit(change.id or 0)

    def _catch_up_if_behind(self) -> None:
        # Not before the first load (it shows everything), and not while older pages are still
        # to be read: new posts come in order when the reader gets there.
        if self._behind and self.view is not None and not self._catching_up and not self._more:
            self.catch_up()

    @work(group="thread-live", exit_on_error=False)
    async def catch_up(self) -> None:
        self._catching_up = True
        try:
            while self._behind and not self._more:
                self._behind = False
                await self._show_new_posts()
        finally:
            self._catching_up = False

    async def _show_new_posts(self) -> None:
        try:
            view = await self.forum.services.threads.open_thread(
                self.forum.member_id, self.thread_id, after=self._last_id
            )
        except ForumError:
            return  # gone or hidden meanwhile: the next open says why; no error toast unasked
        scroller = self.query_one("#posts", VerticalScroll)
        at_end = scroller.scroll_y >= scroller.max_scroll_y
        added = await self._add_posts(view.posts.items, live=True)
        self._more = view.posts.after is not None
        self.view = view
        self._show_title(view.thread.reply_count)
        self.show_reply_box()  # a leader may have locked or unlocked it meanwhile
        if not added:
            return
        if at_end:
            self.call_after_refresh(scroller.scroll_end, animate=False)
        me = self.forum.member_id
        others = [post for post in added if post.author_id != me]
        if others:
            self.forum.tell(_news(others))
        self.refresh_bindings()

    @work(group="thread-live", exit_on_error=False)
    async def show_edit(self, post_id: int) -> None:
        """Another session edited a post shown here: show the new text in place."""
        try:
            view = await self.forum.services.threads.open_thread(
                self.forum.member_id, self.thread_id, after=post_id - 1, limit=1
            )
        except ForumError:
            return
        now = self.forum.clock()
        for post in view.posts.items:
            for shown in self.posts:
                if shown.post.id == post.id and shown.post.version < post.version:
                    shown.replace(post, now)

    def action_move(self, step: int) -> None:
        posts = self.posts
        if not posts:
            return
        focused = self.focused
        index = posts.index(focused) if isinstance(focused, PostView) else -1
        target = max(0, min(len(posts) - 1, index + step))
        posts[target].focus()
        posts[target].scroll_visible(animate=False)
        if target == len(posts) - 1 and self._more:
            self.load_more()

    def action_first(self) -> None:
        if posts := self.posts:
            posts[0].focus()

    def action_last(self) -> None:
        if posts := self.posts:
            posts[-1].focus()
            if self._more:
                self.load_more()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        leader = self.leader_check(action)
        if leader is not None:
            return leader
        can_reply = self.view is not None and self.view.can_reply
        if action in ("reply", "send"):
            return can_reply
        if action == "edit":
            focused = self.focused
            return isinstance(focused, PostView) and focused.mine and can_reply
        if action == "report":  # nobody reports their own post (the service refuses it too)
            focused = self.focused
            return isinstance(focused, PostView) and not focused.mine
        if action == "suggest_idea" and parameters:
            wide = self.size.width >= FOOTER_ROOM
            return isinstance(self.focused, PostView) and parameters[0] is wide
        if action == "follow" and parameters:
            return self.following is not None and self.following is not parameters[0]
        if action in ("lock", "pin") and parameters:
            if not self.leads or self.view is None:
                return False
            thread = self.view.thread
            return (thread.locked if action == "lock" else thread.pinned) is not parameters[0]
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()
        fit_reply_box(self.query_one("#composer", Composer))

    def on_descendant_blur(self) -> None:
        fit_reply_box(self.query_one("#composer", Composer))

    def action_back(self) -> None:
        if isinstance(self.focused, TextArea) and self.posts:
            self.posts[-1].focus()
            return
        self.app.pop_screen()

    def action_reply(self) -> None:
        self.query_one("#composer", Composer).focus()

    def action_send(self) -> None:
        body = self.query_one("#composer", Composer).text
        if not body.strip():
            self.forum.tell("Your reply is empty: type something first.", error=True)
            return
        if not self._sending:
            send_after_nudge(self, body, lambda: self.send(body))

    @work(exclusive=True, group="send", exit_on_error=False)
    async def send(self, body: str) -> None:
        self._sending = True
        if self._draft_timer is not None:
            self._draft_timer.stop()  # the reply's own transaction removes the draft
        try:
            posted = await self.forum.services.threads.reply(
                self.forum.member_id, self.thread_id, body, idempotency_key=self._send_key
            )
        except ForumError as error:
            # The text stays in the composer (and in the draft); the same key makes a retry safe.
            self.forum.tell(str(error), error=True)
            self._sending = False
            self.draft_changed()
            return
        finally:
            self._sending = False
        self._send_key = uuid.uuid4().hex
        composer = self.query_one("#composer", Composer)
        self.forget_draft()
        composer.text = ""
        self._more = True  # at least the reply just sent
        await self._load_rest()
        self._show_title(len(self.posts) - 1)
        scroller = self.query_one("#posts", VerticalScroll)
        self.call_after_refresh(scroller.scroll_end, animate=False)
        self.forum.tell("Reply posted.")
        if posted.signposting is not None:
            # Crisis words: the reply is up; the author sees the helplines until they close them.
            from forum_tui.ui.screens.signposting import SignpostingScreen

            self.app.push_screen(SignpostingScreen(posted.signposting))

    def action_edit(self) -> None:
        from forum_tui.ui.screens.edit_post import EditPostScreen

        focused = self.focused
        if not isinstance(focused, PostView) or not focused.mine:
            self.forum.tell("Move to one of your own posts to edit it.")
            return
        target = focused

        def edited(text: str | None) -> None:
            if text is not None and text != target.post.body:
                self.save_edit(target, text)

        self.app.push_screen(EditPostScreen(target.post.body), edited)

    @work(group="edit", exit_on_error=False)
    async def save_edit(self, target: PostView, text: str) -> None:
        from forum_tui.ui.screens.edit_post import EditPostScreen

        try:
            post = await self.forum.services.threads.edit_post(
                self.forum.member_id, target.post.id, text, version=target.post.version
            )
        except ForumError as error:
            self.forum.tell(str(error), error=True)

            def retry(again: str | None) -> None:
                if again is not None:
                    self.save_edit(target, again)

            # Nothing typed is lost: the edit comes back for another try.
            self.app.push_screen(EditPostScreen(text), retry)
            return
        had_signposting = target.post.signposting is not None
        target.replace(post, self.forum.clock())
        self.forum.tell("Post updated.")
        if post.signposting is not None and not had_signposting:
            # Crisis words brought in by the edit: the author sees the helplines, as for a post.
            from forum_tui.ui.screens.signposting import EDITED, SignpostingScreen

            self.app.push_screen(SignpostingScreen(post.signposting, title=EDITED))

    # Moderation: anyone may report a post (the first post stands for the thread); the group's
    # leaders may lock and pin. The service checks each of these again.

    @work(exclusive=True, group="thread-leads", exit_on_error=False)
    async def load_leading(self) -> None:
        member = self.forum.member
        try:
            groups = await self.forum.services.moderation.led_groups(self.forum.member_id)
        except ForumError:
            return  # not a leader anywhere that matters here: no leader keys
        self._led = {group.id for group in groups}
        self._admin = member is not None and member.is_admin
        self.refresh_bindings()

    @property
    def leads(self) -> bool:
        return self.view is not None and (self._admin or self.view.thread.group_id in self._led)

    def action_report(self) -> None:
        from forum_tui.domain.moderation import TargetKind
        from forum_tui.ui.screens.report import ReportModal

        focused = self.focused
        if not isinstance(focused, PostView) or self.view is None:
            self.forum.tell("Move to a post to report it.")
            return
        posts = self.posts
        if posts and focused is posts[0]:
            title = self.view.thread.title
            what = f"the thread '{title}'"
            self.app.push_screen(ReportModal(TargetKind.THREAD, self.thread_id, what))
        else:
            what = f"a post by {focused.post.author_handle}"
            self.app.push_screen(ReportModal(TargetKind.POST, focused.post.id, what))

    def on_resize(self) -> None:
        self.refresh_bindings()  # "Suggest as idea" joins the footer where it fits

    def action_suggest_idea(self, _shown: bool = True) -> None:
        """The focused post as the start of an idea: the author's own now, anyone else's once
        its author says yes (services.reuse)."""
        from forum_tui.ui.screens.reuse import SuggestIdeaModal

        focused = self.focused
        if not isinstance(focused, PostView):
            self.forum.tell("Move to a post to suggest it as an idea.")
            return
        post = focused.post
        self.app.push_screen(SuggestIdeaModal(post.id, post.author_handle, focused.mine))

    def action_follow(self, follow: bool) -> None:
        self.set_following(follow)

    @work(exclusive=True, group="set_following", exit_on_error=False)
    async def set_following(self, follow: bool) -> None:
        try:
            self.following = await self.forum.services.following.follow_thread(
                self.forum.member_id, self.thread_id, follow
            )
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        if self.view is not None:
            self._show_title(self.view.thread.reply_count)
        self.refresh_bindings()
        self.forum.tell(
            "You will be told of new replies here."
            if follow
            else "You will not be told of new replies here."
        )

    def action_lock(self, lock: bool) -> None:
        if not lock:
            self.set_flag("locked", False)
            return
        from forum_tui.ui.screens.moderation import PromptModal

        def chosen(reason: str | None) -> None:
            if reason:
                self.set_flag("locked", True, reason)

        self.app.push_screen(
            PromptModal(
                "Lock this thread: why?",
                "Readers see this where the reply box was, and it goes in the moderation log. "
                "Enter locks; Esc cancels.",
                LOCK_REASON,
            ),
            chosen,
        )

    def action_pin(self, pin: bool) -> None:
        self.set_flag("pinned", pin)

    @work(exclusive=True, group="thread-flags", exit_on_error=False)
    async def set_flag(self, flag: str, value: bool, reason: str = "") -> None:
        moderation = self.forum.services.moderation
        call, done = {
            ("locked", True): (moderation.lock_thread, "Thread locked: nobody can reply."),
            ("locked", False): (moderation.unlock_thread, "Thread unlocked."),
            ("pinned", True): (moderation.pin_thread, "Thread pinned to the top of the group."),
            ("pinned", False): (moderation.unpin_thread, "Thread unpinned."),
        }[(flag, value)]
        try:
            await call(self.forum.member_id, self.thread_id, reason)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        if flag == "locked":
            await self.reshow_posts()  # the lock (or the reply box again) in the box's place
        elif self.view is not None:
            thread = replace(self.view.thread, **{flag: value})
            self.view = replace(self.view, thread=thread)
            self._show_title(thread.reply_count)
        self.refresh_bindings()
        self.forum.tell(done)


def _news(posts: list[Post]) -> str:
    """'New reply from bev_leeds', '3 new replies from bev_leeds and sam'. Plain text."""
    names = list(dict.fromkeys(post.author_handle for post in posts))
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    if len(names) > 3:
        who = f"{len(names)} members"
    if len(posts) == 1:
        return f"New reply from {who}"
    return f"{len(posts)} new replies from {who}"
