"""Assisted posting (design.md §5): a carer's recorded consent for a drop-in volunteer to post
on their behalf, and what was posted under it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

SESSION_CONSENT_LASTS = timedelta(hours=2)  # "this session": a drop-in visit, at most
ONE_POST_CONSENT_LASTS = timedelta(minutes=30)  # time to write one post together
HELP_CODE_LASTS = timedelta(minutes=10)
HELP_CODE_TRIES = 5
ASSISTED_LINE = "written with help from a volunteer"


class ConsentScope(StrEnum):
    ONE_POST = "one_post"
    SESSION = "session"

    @property
    def label(self) -> str:
        return "one post" if self is ConsentScope.ONE_POST else "this visit (up to 2 hours)"


class ConsentState(StrEnum):
    ACTIVE = "active"
    USED = "used"
    REVOKED = "revoked"
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        return {
            ConsentState.ACTIVE: "in use now",
            ConsentState.USED: "used",
            ConsentState.REVOKED: "taken back by you",  # only the carer takes one back
            # The volunteer left the help screen, or the visit's time ran out.
            ConsentState.EXPIRED: "ended when the visit ended",
        }[self]


@dataclass(frozen=True)
class Consent:
    id: int
    volunteer_id: int
    volunteer_handle: str
    carer_id: int
    carer_handle: str
    scope: ConsentScope
    confirmed_with: str  # password | code
    created_at: datetime
    expires_at: datetime
    state: ConsentState
    posts: int = 0  # assisted posts written under it


@dataclass(frozen=True)
class AssistedPost:
    post_id: int
    thread_id: int
    thread_title: str
    volunteer_handle: str
    created_at: datetime
    body: str
