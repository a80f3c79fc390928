"""Issue 9 §8: a number no database can hold (2^63 and beyond, or beyond PostgreSQL's 32-bit
INTEGER) names nothing: every service says "not found", on SQLite and PostgreSQL, never a raw
OverflowError or a database refusal."""

from __future__ import annotations

from datetime import date

import pytest

from forum_tui.domain.boards import IdeaStatus
from forum_tui.domain.enums import Role
from forum_tui.domain.errors import NotFound, ValidationError
from forum_tui.domain.ids import MAX_ID, parse_number
from forum_tui.services import Services
from tests.conftest import add_member

HUGE = (MAX_ID + 1, 2**63, 2**64 + 5, 10**30, -(2**63) - 1)


@pytest.mark.parametrize("number", HUGE)
async def test_a_number_beyond_the_store_is_not_found_everywhere(
    services: Services, number: int
) -> None:
    s = services
    ann = await add_member(s, "carer_ann")
    sam = await add_member(s, "sam_staff", Role.STAFF)
    board = await s.boards.add_board("cmht", "Community mental health team")
    await s.boards.add_staff("cmht", "sam_staff")
    idea = await s.ideas.add_idea(ann.id, board.id, "Evening group", "Most of us work by day.")
    calls = {
        "get_member": lambda: s.accounts.get_member(number),
        "open_thread": lambda: s.threads.open_thread(ann.id, number),
        "reply": lambda: s.threads.reply(ann.id, number, "hello"),
        "edit_post": lambda: s.threads.edit_post(ann.id, number, "hello", version=1),
        "join_group": lambda: s.groups.join_group(ann.id, number),
        "open_idea": lambda: s.ideas.open_idea(ann.id, number),
        "support_idea": lambda: s.ideas.support_idea(ann.id, number),
        "get_board": lambda: s.boards.get_board(ann.id, number),
        "unsilence": lambda: s.moderation.unsilence(ann.id, number, "carer_ann"),
    }  # fmt: skip
    for name, call in calls.items():
        with pytest.raises(NotFound):
            await call()
        assert name  # (a failing call names itself in the traceback above)
    # Where a number is typed, the answer is the one for any idea that is not there.
    with pytest.raises(ValidationError, match="another idea on the same board"):
        await s.ideas.change_status(
            sam.id, idea.id, IdeaStatus.DUPLICATE, "Same idea.", duplicate_of=number
        )
    with pytest.raises(ValidationError, match=f"Idea #{number} is not on"):
        await s.outcomes.record_outcome(
            sam.id, board.id, "Evening group", "It runs on Tuesdays.", date(2026, 10, 1),
            [idea.id, number],
        )  # fmt: skip
    # Nothing was changed by any of them.
    assert (await s.ideas.open_idea(ann.id, idea.id)).idea.status is IdeaStatus.NEW


def test_only_plain_digits_are_a_number() -> None:
    assert parse_number("12") == 12
    assert parse_number(" #14 ") == 14
    assert parse_number("9" * 30) == int("9" * 30)  # read, to be "not found" later
    for text in ("", "#", "12a", "-3", "²", "١٢", "1 2", "0x10", "9" * 41):
        with pytest.raises(ValueError):
            parse_number(text)
