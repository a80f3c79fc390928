"""One post in a thread: who wrote it, when, and the text exactly as written."""

from __future__ import annotations

from datetime import datetime

from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from forum_tui.domain.consent import ASSISTED_LINE
from forum_tui.domain.models import Post
from forum_tui.domain.text import strip_controls
from forum_tui.services.safety import discreet_line
from forum_tui.ui.format import ago
from forum_tui.ui.widgets import plain


def post_content(post: Post, now: datetime, *, mine: bool, new: bool = False) -> Content:
    edited = f" · edited {ago(post.edited_at, now)}" if post.edited_at else ""
    you = " (you)" if mine else ""
    fresh = " · new" if new else ""  # a word, not a colour: it shows with NO_COLOR too
    helped = f" · {ASSISTED_LINE}" if post.assisted else ""
    header = f"{post.author_handle}{you} · {ago(post.created_at, now)}{edited}{helped}{fresh}"
    parts: list[Content | str | tuple[str, str]] = [
        (strip_controls(header), "bold"),
        "\n",
        body_content(post),
    ]
    if line := signposting_line(post):
        parts += ["\n", (line, "italic")]
    return Content.assemble(*parts)


def signposting_line(post: Post) -> str:
    """The discreet helpline line under a post with crisis language (design.md §6); empty for
    other posts, and for hidden ones whose text readers no longer see. Plain text."""
    if post.signposting is None:
        return ""
    notice = (post.hidden_notice or "").strip()
    if notice and post.body.strip() in ("", notice):
        return ""
    return strip_controls(discreet_line(post.signposting))


def body_content(post: Post) -> Content:
    """The text, or for hidden posts the leader's notice: readers get the notice in place of
    the text (the service already swapped it), leaders get both, the notice first and marked."""
    notice = strip_controls(post.hidden_notice)
    if not notice:
        return plain(post.body)
    marked = Content.assemble(("⊘ " + notice, "bold italic"))
    if post.body.strip() in ("", notice.strip()):
        return marked
    return Content.assemble(marked, "\n", plain(post.body))


class PostView(Static, can_focus=True):
    """Focusable, so a keyboard can move from post to post and act on one."""

    BINDINGS = [
        Binding("up,k", "screen.move(-1)", "Previous post", show=False, id="previous-post"),
        Binding("down,j", "screen.move(1)", "Next post", show=False, id="next-post"),
    ]

    def __init__(self, post: Post, now: datetime, *, mine: bool, new: bool = False) -> None:
        super().__init__(post_content(post, now, mine=mine, new=new), markup=False, classes="post")
        self.post = post
        self.mine = mine
        self.new = new

    def replace(self, post: Post, now: datetime) -> None:
        self.post = post
        self.update(post_content(post, now, mine=self.mine, new=self.new))
