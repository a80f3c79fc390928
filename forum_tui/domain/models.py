"""What services hand to the UI and the CLI: frozen, detached from any database session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from forum_tui.domain.enums import GroupRole, MemberState, Role, Visibility
from forum_tui.domain.moderation import Signposting

T = TypeVar("T")


@dataclass(frozen=True)
class Member:
    id: int
    handle: str
    display_name: str | None
    role: Role
    state: MemberState
    suspended_until: datetime | None = None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


@dataclass(frozen=True)
class Group:
    id: int
    slug: str
    name: str
    description: str
    visibility: Visibility
    my_role: GroupRole | None = None  # None: the member viewing it is not in it
    thread_count: int = 0
    unread: int = 0  # posts the viewing member has not read yet (members only)

    @property
    def is_member(self) -> bool:
        return self.my_role is not None

    @property
    def i_lead(self) -> bool:
        return self.my_role is GroupRole.LEADER


@dataclass(frozen=True)
class Thread:
    id: int
    group_id: int
    group_name: str
    title: str
    author_handle: str
    created_at: datetime
    last_post_at: datetime
    reply_count: int
    pinned: bool
    locked: bool
    unread: int = 0
    # Set when the thread is hidden (services.moderation): readers see it in place of the title
    # and opening post; the group's leaders, admins and the author see both.
    hidden_notice: str = ""


@dataclass(frozen=True)
class Post:
    id: int
    thread_id: int
    author_id: int
    author_handle: str
    body: str
    created_at: datetime
    edited_at: datetime | None
    version: int
    # Set when the post is hidden (services.moderation): readers get it as the body too; the
    # group's leaders, admins and the author keep the text and see this beside it.
    hidden_notice: str = ""
    # Helplines when the body has crisis language (design.md §6), worked out as it is read:
    # readers see a discreet line under the post. Signposting, never a block or a diagnosis.
    signposting: Signposting | None = None
    # Written by a drop-in volunteer with the author's recorded consent (assisted posting):
    # readers see "written with help from a volunteer" under it.
    assisted: bool = False


@dataclass(frozen=True)
class Draft:
    """Unsent text, keyed by where it will go: ``reply:<thread id>`` or ``thread:<group id>``."""

    place: str
    title: str
    body: str
    updated_at: datetime
    label: str = ""  # where it belongs, in words ("Reply in 'Sleep'")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a keyset-paged list; pass ``after`` back to get the next page."""

    items: tuple[T, ...]
    after: tuple | None  # None when there is nothing more


@dataclass(frozen=True)
class ThreadView:
    """An opened thread: the thread, a page of its posts, and what the reader may do."""

    thread: Thread
    posts: Page[Post]
    can_reply: bool
    why_not: str  # why the reader cannot reply, in words; empty when they can
