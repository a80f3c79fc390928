"""Moderation and safety: the shapes services hand to the UI (design.md §2 Report,
ModerationAction; §6 safety). Frozen and detached from the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

from forum_tui.domain.enums import GroupRole

AUTO_HIDE_REPORTS = 3  # distinct reports that hide an item pending review (configurable)


class ReportReason(StrEnum):
    UNKIND = "unkind"
    SPAM = "spam"
    PRIVACY = "privacy"  # identifies someone, e.g. the cared-for person
    SAFETY = "safety"  # someone may be at risk
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "unkind": "Unkind or hurtful",
            "spam": "Spam or advertising",
            "privacy": "Shares someone's private details",
            "safety": "Someone may be at risk",
            "other": "Something else",
        }[self.value]


class TargetKind(StrEnum):
    POST = "post"
    THREAD = "thread"
    IDEA = "idea"
    MEMBER = "member"
    GROUP = "group"


class ReportState(StrEnum):
    OPEN = "open"
    DISMISSED = "dismissed"
    HIDDEN = "hidden"  # resolved by hiding the item
    ESCALATED = "escalated"  # passed to an admin


class Action(StrEnum):
    """Every moderating act, as written to the audit log."""

    HIDE = "hide"
    RESTORE = "restore"
    AUTO_HIDE = "auto_hide"
    DISMISS_REPORT = "dismiss_report"
    ESCALATE_REPORT = "escalate_report"
    LOCK = "lock"
    UNLOCK = "unlock"
    PIN = "pin"
    UNPIN = "unpin"
    MOVE_THREAD = "move_thread"
    SILENCE = "silence"
    UNSILENCE = "unsilence"
    REMOVE_MEMBER = "remove_member"
    INVITE_MEMBER = "invite_member"
    SLOW_MODE = "slow_mode"
    SUSPEND = "suspend"
    UNSUSPEND = "unsuspend"
    CHANGE_ROLE = "change_role"
    ERASE = "erase"
    EXPORT = "export"  # a member downloaded or saved their own data (not a moderating act)
    ASSISTED_POST = "assisted_post"  # a volunteer posted for a carer, with their consent


@dataclass(frozen=True)
class QueueItem:
    """One reported item in a leader's (or staff member's) review queue, oldest first."""

    target_kind: TargetKind
    target_id: int
    group_id: int | None
    board_id: int | None
    place: str  # where it is, in words: "Carers' Corner › Respite - does it exist?"
    author_handle: str
    text: str  # the reported text (leaders see it even when hidden)
    context: tuple[str, ...]  # the post before it, the thread title… for judging in context
    reports: tuple[tuple[str, ReportReason, str], ...]  # (reporter handle, reason, free text)
    first_reported_at: datetime
    hidden: bool
    author_recent: tuple[str, ...]  # the author's recent posts in that group, newest first
    escalated: bool = False


@dataclass(frozen=True)
class AuditEntry:
    id: int
    actor_handle: str  # "operator" for the command line
    action: Action
    target_kind: TargetKind
    target_id: int | None
    place: str
    reason: str
    created_at: datetime
    target_label: str = ""  # the target in words: "@ann", "“Night shifts”", "post #12 in …"
    group_id: int | None = None
    board_id: int | None = None


class GroupMember(NamedTuple):
    """One row of a leader's members view: unpacks as (handle, role, silenced_until)."""

    handle: str
    role: GroupRole
    silenced_until: datetime | None


AUTO_HIDDEN_LABEL = "Hidden pending review"


def hidden_label(kind: TargetKind | str, *, automatic: bool) -> str:
    """Who hid it, in words: the short form shown in place of a title."""
    if automatic:
        return AUTO_HIDDEN_LABEL
    if TargetKind(kind) is TargetKind.IDEA:
        return "Hidden by the board's staff"
    return "Hidden by a group leader"


def hidden_notice(kind: TargetKind | str, reason: str | None, *, automatic: bool) -> str:
    """What readers see in place of hidden text, e.g. "Hidden by a group leader: unkind"."""
    if automatic:
        return f"{AUTO_HIDDEN_LABEL}: several members reported this."
    label = hidden_label(kind, automatic=False)
    return f"{label}: {reason}" if reason else label


@dataclass(frozen=True)
class Helpline:
    name: str
    contact: str  # e.g. "116 123 (free, any time)"


@dataclass(frozen=True)
class Signposting:
    """Shown to the author right after posting and as a discreet line to readers.
    Never blocks posting: it is signposting, not diagnosis."""

    message: str
    helplines: tuple[Helpline, ...]
