"""Shapes for the jobs of leaders and staff: the hidden list, private check-ins, and the
directory the command line prints. Frozen and detached from the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from forum_tui.domain.moderation import TargetKind

CHECKIN_SUBJECT = "Checking in"


@dataclass(frozen=True)
class HiddenItem:
    """A hidden post, thread or idea, for its moderators to review and restore."""

    kind: TargetKind
    target_id: int
    place: str  # "Sleep › “Night shifts”", or the board's name for an idea
    author_handle: str
    text: str  # what was hidden (moderators see it)
    hidden_by: str  # a handle, or "reports" when enough reports hid it pending review
    hidden_at: datetime
    reason: str
    thread_id: int | None = None
    group_id: int | None = None
    board_id: int | None = None


@dataclass(frozen=True)
class CheckInMessage:
    id: int
    author_handle: str
    body: str
    created_at: datetime
    mine: bool = False


@dataclass(frozen=True)
class CheckIn:
    """A private conversation a leader, staff member or admin opened with one member."""

    id: int
    member_handle: str  # who is checked on
    started_by: str
    group_name: str | None  # the group a leader opened it for (its leaders can see it)
    subject: str
    created_at: datetime
    last_message_at: datetime
    closed_at: datetime | None
    closed_by: str | None = None
    about_me: bool = False  # the viewer is the member checked on
    message_count: int = 0

    @property
    def open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class CheckInView:
    checkin: CheckIn
    messages: tuple[CheckInMessage, ...]
    can_reply: bool
    can_close: bool


@dataclass(frozen=True)
class DirectoryEntry:
    """One line of `forum-tui group list` / `board list` / `member list`."""

    slug: str  # a group's or board's slug, or a member's handle
    name: str
    detail: str  # e.g. "private · 12 members", "staff: sam, kim", "staff · active"


__all__ = [
    "CHECKIN_SUBJECT",
    "CheckIn",
    "CheckInMessage",
    "CheckInView",
    "DirectoryEntry",
    "HiddenItem",
]
