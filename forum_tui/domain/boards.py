"""Service-improvement boards and "you said, we did": the shapes services hand to the UI.

design.md §2: Board, Idea, Support, IdeaUpdate, Outcome, Involvement. Everything here is frozen
and detached from the database, like ``forum_tui.domain.models``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from forum_tui.domain.models import Page

DEFAULT_RESPONSE_WINDOW_DAYS = 28


class IdeaStatus(StrEnum):
    NEW = "new"
    UNDER_REVIEW = "under_review"
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_TAKEN_FORWARD = "not_taken_forward"  # a reason is required
    DUPLICATE = "duplicate"  # points at another idea on the same board

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def closed(self) -> bool:
        """Closed ideas take no new support."""
        return self in (IdeaStatus.DONE, IdeaStatus.NOT_TAKEN_FORWARD, IdeaStatus.DUPLICATE)


def next_statuses(status: IdeaStatus) -> tuple[IdeaStatus, ...]:
    """Where staff may move an idea from ``status``, in lifecycle order.

    From an open status: anywhere except back to New (once staff have responded an idea is not
    new) — forward with skips (New straight to Planned), back among the open statuses (Planned
    back to Under review, when a plan falls through), Not taken forward (with a reason), or
    Duplicate (pointing at another idea). The current status is included: an update that keeps
    it is a public note, and it restarts the awaiting-response clock. From a closed status:
    nowhere.
    """
    if status.closed:
        return ()
    return tuple(s for s in IdeaStatus if s is not IdeaStatus.NEW)


class IdeaSort(StrEnum):
    MOST_SUPPORTED = "most_supported"
    NEWEST = "newest"
    RECENTLY_UPDATED = "recently_updated"
    AWAITING_RESPONSE = "awaiting_response"  # no staff update within the window, oldest first


class Recognition(StrEnum):
    THANKS = "thanks"
    VOUCHER = "voucher"
    PAID = "paid"


class InvolvementState(StrEnum):
    """promised → given (thanks, a voucher) or paid (a payment made)."""

    PROMISED = "promised"
    GIVEN = "given"
    PAID = "paid"


class NotificationKind(StrEnum):
    IDEA_STATUS = "idea_status"  # an idea I wrote or support changed status
    OUTCOME_CREDIT = "outcome_credit"  # an outcome credits me
    REPORT = "report"  # (leaders, board staff, admins) something was reported or escalated
    MODERATION = "moderation"  # something of mine was hidden/restored, or I was silenced…
    REPORT_RESOLVED = "report_resolved"  # a leader reviewed what I reported
    CRISIS_SIGNPOST = "crisis_signpost"  # a post in a group I lead has crisis language
    REPLY = "reply"  # a reply in a thread I started or replied in
    MENTION = "mention"  # a post names me as @handle
    FOLLOWED = "followed"  # a reply in a thread, or a change to an idea, that I follow
    INVOLVEMENT = "involvement"  # staff logged time I gave, or gave/paid its recognition
    CHECKIN = "checkin"  # a private check-in with me, or one I can see, was started or answered
    REUSE_REQUEST = "reuse_request"  # someone asks to make my post the start of an idea
    REUSE_ANSWER = "reuse_answer"  # the author answered my request to make their post an idea


@dataclass(frozen=True)
class Board:
    id: int
    slug: str
    name: str
    description: str
    response_window_days: int
    i_am_staff: bool = False
    idea_count: int = 0
    status_counts: tuple[tuple[IdeaStatus, int], ...] = ()  # every status, in lifecycle order


@dataclass(frozen=True)
class Idea:
    id: int
    board_id: int
    board_name: str
    title: str
    body: str
    author_handle: str
    status: IdeaStatus
    created_at: datetime
    updated_at: datetime  # last status change, or creation
    support_count: int  # distinct supporters; the author counts once at most
    supported_by_me: bool = False
    mine: bool = False
    awaiting_days: int | None = None  # days without a staff response past the window, else None
    duplicate_of: int | None = None
    latest_note: str = ""  # the latest staff update's public note
    # Set when the idea is hidden (services.moderation): readers see it in place of the text;
    # the board's staff, admins and the author see both.
    hidden_notice: str = ""
    number: int = 0  # its number on its board: "idea 12 on the CMHT board"
    duplicate_number: int = 0  # the board number of ``duplicate_of``

    @property
    def duplicate_ref(self) -> str:
        return f"#{self.duplicate_number or self.duplicate_of}"

    @property
    def ref(self) -> str:
        """How people refer to it: '#12' (its board's number; the forum-wide id if unset)."""
        return f"#{self.number or self.id}"


@dataclass(frozen=True)
class IdeaUpdate:
    id: int
    idea_id: int
    staff_handle: str
    old_status: IdeaStatus
    new_status: IdeaStatus
    note: str
    created_at: datetime


@dataclass(frozen=True)
class Support:
    member_handle: str
    comment: str
    created_at: datetime
    carried_from: int | None = None  # the duplicate idea this support was carried over from


@dataclass(frozen=True)
class IdeaRef:
    id: int
    title: str
    status: IdeaStatus
    number: int = 0

    @property
    def ref(self) -> str:
        return f"#{self.number or self.id}"


@dataclass(frozen=True)
class Outcome:
    id: int
    board_id: int
    board_name: str
    title: str
    description: str
    happened_on: date
    recorded_by: str
    ideas: tuple[IdeaRef, ...]
    contributor_count: int
    credits_me: bool = False


@dataclass(frozen=True)
class IdeaView:
    """An opened idea: its timeline of staff updates, supporters, outcomes and what I may do."""

    idea: Idea
    updates: tuple[IdeaUpdate, ...]
    supports: tuple[Support, ...]
    outcomes: tuple[Outcome, ...]
    can_support: bool
    can_change_status: bool
    allowed_statuses: tuple[IdeaStatus, ...]  # where a staff member may move it from here


@dataclass(frozen=True)
class Involvement:
    id: int
    member_handle: str
    board_id: int
    board_name: str
    happened_on: date
    activity: str
    hours: float
    recognition: Recognition
    state: InvolvementState


@dataclass(frozen=True)
class Contributions:
    """My contributions: the screen a carer is proudest of."""

    my_ideas: tuple[Idea, ...]
    supported_ideas: tuple[Idea, ...]
    outcomes: tuple[Outcome, ...]
    involvement: tuple[Involvement, ...]
    # The lists hold the newest few; these count them all (None: the lists are complete).
    my_ideas_total: int | None = None
    supported_total: int | None = None
    outcomes_total: int | None = None
    changed_total: int | None = None
    involvement_total: int | None = None
    # Hours of all my involvement by state, added up by the store (None: add up the list).
    hours_by_state: tuple[tuple[InvolvementState, float], ...] | None = None

    @property
    def led_to_change(self) -> int:
        """My ideas and supported ideas linked to at least one outcome."""
        if self.changed_total is not None:
            return self.changed_total
        linked = {ref.id for outcome in self.outcomes for ref in outcome.ideas}
        return len({i.id for i in self.my_ideas + self.supported_ideas} & linked)

    def hours_in(self, state: InvolvementState) -> float:
        if self.hours_by_state is not None:
            return round(sum(hours for s, hours in self.hours_by_state if s is state), 2)
        return round(sum(i.hours for i in self.involvement if i.state is state), 2)

    @property
    def involvement_count(self) -> int:
        if self.involvement_total is None:
            return len(self.involvement)
        return self.involvement_total

    @property
    def idea_count(self) -> int:
        return len(self.my_ideas) if self.my_ideas_total is None else self.my_ideas_total

    @property
    def supported_count(self) -> int:
        if self.supported_total is None:
            return len(self.supported_ideas)
        return self.supported_total

    @property
    def outcome_count(self) -> int:
        return len(self.outcomes) if self.outcomes_total is None else self.outcomes_total

    @property
    def hours_given(self) -> float:
        return self.hours_in(InvolvementState.GIVEN)

    @property
    def hours_total(self) -> float:
        """Every entry, whatever its state: the header and the list add up the same."""
        if self.hours_by_state is not None:
            return round(sum(hours for _state, hours in self.hours_by_state), 2)
        return round(sum(i.hours for i in self.involvement), 2)

    @property
    def hours_split(self) -> str:
        """e.g. '7.5 hours (6 given, 1.5 promised)'; states with no hours are left out."""
        total = f"{self.hours_total:g}"
        parts = [
            f"{self.hours_in(state):g} {state.value}"
            for state in (InvolvementState.GIVEN, InvolvementState.PROMISED, InvolvementState.PAID)
            if self.hours_in(state)
        ]
        split = f" ({', '.join(parts)})" if parts else ""
        return f"{total} hour{'s' if total != '1' else ''}{split}"

    @property
    def summary(self) -> str:
        """e.g. '4 ideas · 11 supported · 2 led to changes · 7.5 hours (6 given, 1.5 promised)'."""
        ideas = self.idea_count
        return (
            f"{ideas} idea{'s' if ideas != 1 else ''} · {self.supported_count} supported · "
            f"{self.led_to_change} led to change{'s' if self.led_to_change != 1 else ''} · "
            f"{self.hours_split}"
        )


@dataclass(frozen=True)
class Notification:
    id: int
    kind: NotificationKind
    text: str  # plain words, e.g. "Your idea 'Evening carers' group' is now Planned"
    created_at: datetime
    read: bool
    idea_id: int | None = None
    outcome_id: int | None = None
    thread_id: int | None = None  # reply, mention, followed: open the thread at ``post_id``
    post_id: int | None = None
    # A silence, removal or invitation opens the group; crisis signposting names it too.
    group_id: int | None = None
    checkin_id: int | None = None  # a private check-in (NotificationKind.CHECKIN)
    # Crisis signposting: whose post raised it, to start a check-in.
    about_handle: str | None = None


class DeskList(StrEnum):
    """The staff desk's two lists."""

    OVERDUE = "overdue"  # no staff response within the window, longest wait first
    UNANSWERED = "unanswered"  # no staff response yet, still inside the window, newest first


@dataclass(frozen=True)
class StaffDesk:
    """What is waiting for a board's staff: overdue ideas (no response within the window,
    longest wait first) and new ideas not answered yet (newest first).

    Each list holds its first page; the totals count all of them, and ``overdue_after`` /
    ``unanswered_after`` (None when the list is complete) fetch the next page."""

    overdue: tuple[Idea, ...]
    unanswered: tuple[Idea, ...]
    made_at: datetime
    overdue_total: int = 0
    unanswered_total: int = 0
    overdue_after: tuple | None = None
    unanswered_after: tuple | None = None

    def waiting_days(self, idea: Idea) -> int:
        """Whole days since the idea was added or last answered."""
        return max((self.made_at - idea.updated_at).days, 0)


@dataclass(frozen=True)
class BoardReport:
    """What `forum-tui report board` prints for commissioners."""

    board: Board
    since: date | None
    status_counts: tuple[tuple[IdeaStatus, int], ...]
    median_days_to_first_response: float | None
    outcomes: tuple[Outcome, ...]
    hours_by_recognition: tuple[tuple[Recognition, float], ...]  # every state, each recognition
    idea_count: int = 0
    responded_count: int = 0  # ideas with at least one staff update (the median's base)
    awaiting_count: int = 0  # ideas awaiting a response when the report was made
    # (recognition, state, entries, hours) for every recognition and state, in enum order
    involvement: tuple[tuple[Recognition, InvolvementState, int, float], ...] = ()
    people_involved: int = 0  # distinct members with involvement in the period
    made_at: datetime | None = None


__all__ = [
    "Board",
    "BoardReport",
    "Contributions",
    "DEFAULT_RESPONSE_WINDOW_DAYS",
    "DeskList",
    "Idea",
    "IdeaRef",
    "IdeaSort",
    "IdeaStatus",
    "IdeaUpdate",
    "IdeaView",
    "Involvement",
    "InvolvementState",
    "Notification",
    "NotificationKind",
    "Outcome",
    "Page",
    "Recognition",
    "StaffDesk",
    "Support",
    "next_statuses",
]
