"""Consent before reuse (issue 13): a post suggested as the start of an idea."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ReuseStatus(StrEnum):
    PENDING = "pending"  # waiting for the post's author to answer
    ACCEPTED = "accepted"  # the author agreed (or suggested it themselves): the idea exists
    DECLINED = "declined"  # the author said no: no idea


@dataclass(frozen=True)
class ReuseRequest:
    id: int
    post_id: int
    thread_id: int
    thread_title: str
    board_id: int
    board_name: str
    asked_by_handle: str
    author_handle: str
    title: str  # the idea's title, as proposed
    post_body: str  # the words that would become the idea
    status: ReuseStatus
    idea_id: int | None


@dataclass(frozen=True)
class IdeaSource:
    """Where an idea started: a post in a thread (shown on the idea page; Enter opens it)."""

    thread_id: int
    post_id: int
    thread_title: str
    group_name: str
