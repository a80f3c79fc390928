"""Boards, ideas and "you said, we did", driven through the real app with Pilot.

The forum is seeded through the services with a fixed clock: a board for the community mental
health team with its staff member, ideas of different ages (two waiting past the 28-day
response window), one already answered, and time carer_ann gave to a workshop.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList
from textual.worker import WorkerCancelled

from forum_tui.config import Settings
from forum_tui.domain.boards import (
    Idea,
    IdeaSort,
    IdeaStatus,
    InvolvementState,
    Recognition,
)
from forum_tui.domain.enums import Role
from forum_tui.services import Services, build_services
from forum_tui.services.desk import DESK_PAGE
from forum_tui.store import migrations
from forum_tui.store.database import Database
from forum_tui.ui.app import ForumApp, make_app
from forum_tui.ui.screens.board import BoardScreen
from forum_tui.ui.screens.boards import BoardsScreen
from forum_tui.ui.screens.contributions import ContributionsScreen
from forum_tui.ui.screens.home import HomeScreen
from forum_tui.ui.screens.idea import IdeaScreen
from forum_tui.ui.screens.idea_text import status_chart, status_label
from forum_tui.ui.screens.modals import ChangeStatusModal, RecordOutcomeModal, SupportModal
from forum_tui.ui.screens.new_idea import NewIdeaScreen
from forum_tui.ui.screens.notifications import NotificationsScreen
from forum_tui.ui.screens.outcomes import OutcomesScreen
from forum_tui.ui.screens.staff_desk import StaffDeskScreen
from forum_tui.ui.widgets.composer import Composer
from tests.conftest import FakeClock

SIZE = (80, 24)
HOSTILE_TITLE = "Respite [bold]now[/] [@click=app.quit]x[/]"


@dataclass
class BoardForum:
    url: str
    clock: FakeClock
    ann: int
    bob: int
    sam: int
    kim: int
    cmht: int
    respite: int
    evening: int  # bob's, 40 days without an answer: the oldest awaiting
    leaflet: int  # bob's, 30 days without an answer
    ward: int  # bob's, answered: Planned, with a note
    reminders: int  # bob's, 2 days old
    hostile: int  # on the respite board, a title full of would-be markup

    def app(self, member_id: int) -> ForumApp:
        return make_app(Settings(self.url), member_id=member_id, clock=self.clock)

    async def services(self) -> tuple[Database, Services]:
        db = Database(self.url)
        return db, build_services(db, self.clock)


async def seed_boards(url: str, clock: FakeClock) -> BoardForum:
    db = Database(url)
    await migrations.upgrade(db)
    s = build_services(db, clock)
    add = s.accounts.add_member
    ann = await add("carer_ann", password="correct horse battery")
    bob = await add("carer_bob")
    sam = await add("sam_staff", role=Role.STAFF)
    kim = await add("kim_staff", role=Role.STAFF)
    cmht = await s.boards.add_board(
        "cmht-carers",
        "Community mental health team",
        description="Ideas for the CMHT's support for carers. Staff answer within 28 days.",
    )
    respite = await s.boards.add_board("respite", "Respite and short breaks")
    await s.boards.add_staff("cmht-carers", "sam_staff")
    await s.boards.add_staff("respite", "kim_staff")
    start = clock.current

    async def idea(days_ago: int, board: int, title: str, body: str) -> Idea:
        clock.current = start - timedelta(days=days_ago)
        return await s.ideas.add_idea(bob.id, board, title, body)

    evening = await idea(40, cmht.id, "Evening carers' group", "Most of us work in the day.")
    leaflet = await idea(
        30, cmht.id, "Carers' leaflet in plain English", "The leaflet is full of jargon."
    )
    ward = await idea(12, cmht.id, "Named contact on the ward", "Nobody knew who to ring.")
    clock.current = start - timedelta(days=9)
    await s.ideas.change_status(
        sam.id, ward.id, IdeaStatus.PLANNED, "We will name a contact for each ward from January."
    )
    reminders = await idea(2, cmht.id, "Text reminders before appointments", "A day before.")
    hostile = await idea(1, respite.id, HOSTILE_TITLE, "[red]not red[/] \x1b[2Jstill here")
    clock.current = start - timedelta(days=13)
    await s.involvement.log_involvement(
        sam.id,
        "carer_ann",
        cmht.id,
        date(2026, 10, 20),
        "Leaflet review workshop",
        2.5,
        Recognition.VOUCHER,
        InvolvementState.GIVEN,
    )
    clock.current = start
    await db.dispose()
    return BoardForum(
        url,
        clock,
        ann.id,
        bob.id,
        sam.id,
        kim.id,
        cmht.id,
        respite.id,
        evening.id,
        leaflet.id,
        ward.id,
        reminders.id,
        hostile.id,
    )


@pytest.fixture
def boards(tmp_path: Path) -> Iterator[BoardForum]:
    clock = FakeClock()
    yield asyncio.run(seed_boards(f"sqlite+aiosqlite:///{tmp_path / 'forum.db'}", clock))


async def settle(pilot, app) -> None:  # noqa: ANN001
    """Waits for the app's workers to finish and the screen to catch up (never sleeps)."""
    await pilot.pause()
    with contextlib.suppress(WorkerCancelled):  # a left screen's worker
        await app.workers.wait_for_complete()
    await pilot.pause()


def texts(app) -> str:  # noqa: ANN001
    """What is on the screen, as plain text lines (modals included)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip).rstrip() for strip in strips)


def prompts(box: OptionList) -> list[str]:
    """The options' text, each on one line (entries are wrapped to the list's width)."""
    return [" ".join(str(option.prompt).split()) for option in box.options]


async def until_shown(pilot, condition) -> None:  # noqa: ANN001
    """Waits for what a timer or worker shows, a bounded number of short pauses (the hint
    looks after 0.4 s of quiet: on a busy machine that can take much longer)."""
    for _ in range(1000):
        if condition():
            return
        await pilot.pause(0.01)
    assert condition(), "it never showed"


async def open_screen(pilot, app, screen) -> None:  # noqa: ANN001
    await settle(pilot, app)
    app.push_screen(screen)
    await settle(pilot, app)


# --- the journey of the issue: add, support, answer, record, and see it all -------------------


async def test_carer_adds_an_idea_seeing_similar_ones_first(boards: BoardForum) -> None:
    app = boards.app(boards.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("b")
        await settle(pilot, app)
        assert isinstance(app.screen, BoardsScreen)
        await pilot.press("enter")  # boards are by name: Community mental health team first
        await settle(pilot, app)
        assert isinstance(app.screen, BoardScreen)
        await pilot.press("a")
        await settle(pilot, app)
        assert isinstance(app.screen, NewIdeaScreen)

        await pilot.press(*"Evening")
        await until_shown(pilot, lambda: app.screen.query_one("#similar", OptionList).display)
        await settle(pilot, app)
        similar = app.screen.query_one("#similar", OptionList)
        assert similar.display
        assert "Evening carers' group" in prompts(similar)[0]
        assert "Already on this board" in texts(app)

        await pilot.press(*" meetings online")
        await pilot.press("tab", "tab")  # past the similar ideas, into the body
        assert isinstance(app.focused, Composer)
        await pilot.press(*"So that carers who cannot leave home can come.", "ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, IdeaScreen)
        screen = texts(app)
        assert "Evening meetings online" in screen
        assert "Status: New" in screen
        assert "by carer_ann (you)" in screen


async def test_similar_ideas_wait_for_a_pause_in_typing(boards: BoardForum) -> None:
    app = boards.app(boards.ann)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, app, NewIdeaScreen(boards.cmht))
        await pilot.press(*"leaflet")
        await pilot.pause()
        assert not app.screen.query_one("#similar", OptionList).display  # not yet: debounced
        await until_shown(pilot, lambda: app.screen.query_one("#similar", OptionList).display)
        await settle(pilot, app)
        assert (
            "Carers' leaflet in plain English"
            in prompts(app.screen.query_one("#similar", OptionList))[0]
        )
        await pilot.press(*["backspace"] * 7)
        await until_shown(pilot, lambda: app.screen.looked_for == "")
        await settle(pilot, app)
        assert not app.screen.query_one("#similar", OptionList).display


async def test_carer_supports_an_idea_with_a_comment_then_withdraws(boards: BoardForum) -> None:
    app = boards.app(boards.ann)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, app, IdeaScreen(boards.evening))
        assert "0 supporters" in texts(app)
        await pilot.press("s")
        await settle(pilot, app)
        assert isinstance(app.screen, SupportModal)
        await pilot.press(*"I work till 6 and miss every group.", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, IdeaScreen)
        screen = texts(app)
        assert "1 supporter · you support it" in screen
        assert "carer_ann · 2 Nov 2026: I work till 6 and miss every group." in screen
        assert app.screen.check_action("support", ()) is False  # once only

        await pilot.press("u")
        await settle(pilot, app)
        assert "0 supporters" in texts(app)
        assert app.screen.check_action("support", ()) is True


async def test_staff_desk_lists_the_oldest_awaiting_idea_first(boards: BoardForum) -> None:
    app = boards.app(boards.sam)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert app.screen.check_action("staff_desk", ()) is True
        await pilot.press("d")
        await settle(pilot, app)
        assert isinstance(app.screen, StaffDeskScreen)
        lines = prompts(app.screen.query_one("#awaiting", OptionList))
        # Overdue first, longest wait first; then new ideas not answered yet (issue 12: a new
        # idea is seen the day it is added). The ward idea is answered, so in neither.
        assert lines[0].startswith("── Overdue")
        assert lines[1].startswith("#1 Evening carers' group")  # the board's own number
        assert "[Awaiting response · 40 days]" in lines[1]
        assert "[Awaiting response · 30 days]" in lines[2]
        assert lines[3].startswith("── New, not answered yet (1)")
        assert "Text reminders before appointments" in lines[4]
        assert "[New] · waiting 2 days" in lines[4]
        assert len(lines) == 5
        assert "Staff desk · 2 overdue · 1 new to answer" in texts(app)


async def test_staff_desk_shows_fifty_and_the_rest_on_enter(boards: BoardForum) -> None:
    """A long backlog: the desk shows the 50 longest waits, says how many more there are, and
    Enter on that line shows them, the first of them highlighted."""
    db, s = await boards.services()
    for n in range(52):
        await s.ideas.add_idea(boards.bob, boards.cmht, f"Bus pass idea {n}", "Please.")
        boards.clock.advance(minutes=1)
    boards.clock.advance(days=30)  # all of them overdue now
    expected = await s.desk.staff_desk(boards.sam, limit=200)
    await db.dispose()
    total = expected.overdue_total
    assert total == len(expected.overdue) > DESK_PAGE
    app = boards.app(boards.sam)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, app, StaffDeskScreen())
        box = app.screen.query_one("#awaiting", OptionList)
        lines = prompts(box)
        assert lines[0] == f"── Overdue: no answer within the window ({total}) ──"
        assert f"Staff desk · {total} overdue · 0 new to answer" in texts(app)
        rest = total - DESK_PAGE
        assert lines[DESK_PAGE + 1] == f"… {rest} more overdue: Enter shows the next {rest}"
        assert lines[1].startswith("#1 Evening carers' group")
        await pilot.press("end")
        assert box.highlighted_option is not None
        assert box.highlighted_option.id == "more:overdue"
        await pilot.press("enter")
        await settle(pilot, app)
        lines = prompts(box)
        ideas = [line for line in lines if line.startswith("#")]
        assert [line.split(" ")[0] for line in ideas] == [f"#{i.number}" for i in expected.overdue]
        assert not any(line.startswith("…") for line in lines)
        assert app.screen.current == expected.overdue[DESK_PAGE]


async def test_carers_have_no_staff_desk(boards: BoardForum) -> None:
    app = boards.app(boards.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert app.screen.check_action("staff_desk", ()) is False
        assert "Desk" not in texts(app).splitlines()[-1]
        await pilot.press("d")
        await settle(pilot, app)
        assert isinstance(app.screen, HomeScreen)


async def test_answer_and_outcome_reach_the_carers_contributions(boards: BoardForum) -> None:
    """The issue's journey: carer supports, staff answer the oldest idea with a note and record
    an outcome linked to it, and the carer sees the new status, the note and the outcome."""
    carer = boards.app(boards.ann)
    async with carer.run_test(size=SIZE) as pilot:
        await open_screen(pilot, carer, IdeaScreen(boards.evening))
        await pilot.press("s", "enter")  # support, no comment
        await settle(pilot, carer)
        assert "you support it" in texts(carer)

    staff = boards.app(boards.sam)
    async with staff.run_test(size=SIZE) as pilot:
        await settle(pilot, staff)
        await pilot.press("d")
        await settle(pilot, staff)
        await pilot.press("t")
        await settle(pilot, staff)
        assert isinstance(staff.screen, ChangeStatusModal)
        choices = prompts(staff.screen.query_one("#status-choice", OptionList))
        assert choices[0].startswith("Under review")
        assert not any(c.startswith("New") for c in choices)
        await pilot.press("enter")  # Under review, and on to the note
        assert isinstance(staff.focused, Composer)
        await pilot.press(*"We are asking the day centre about Tuesday evenings.", "ctrl+s")
        await settle(pilot, staff)
        assert isinstance(staff.screen, StaffDeskScreen)
        lines = prompts(staff.screen.query_one("#awaiting", OptionList))
        assert not any("Evening carers' group" in line for line in lines)

        staff.push_screen(IdeaScreen(boards.evening))
        await settle(pilot, staff)
        assert "Status: Under review" in texts(staff)
        await pilot.press("o")
        await settle(pilot, staff)
        assert isinstance(staff.screen, RecordOutcomeModal)
        assert staff.screen.query_one("#outcome-ideas", Input).value == str(boards.evening)
        assert staff.screen.query_one("#outcome-date", Input).value == "2026-11-02"
        await pilot.press(*"Tuesday evening group", "tab")
        await pilot.press(*"A carers' group now meets on Tuesdays, 6 to 8pm.", "ctrl+s")
        await settle(pilot, staff)
        assert isinstance(staff.screen, IdeaScreen)
        assert "What changed because of it" in texts(staff)

    carer = boards.app(boards.ann)
    async with carer.run_test(size=SIZE) as pilot:
        await settle(pilot, carer)
        # status change, outcome, and the involvement staff logged for her
        assert "3 new items in News (o)" in texts(carer).splitlines()[0]
        await pilot.press("c")
        await settle(pilot, carer)
        assert isinstance(carer.screen, ContributionsScreen)
        summary = "0 ideas · 1 supported · 1 led to change · 2.5 hours (2.5 given)"
        assert summary in texts(carer)
        lines = prompts(carer.screen.query_one("#contributions", OptionList))
        joined = "\n".join(lines)
        supported = next(line for line in lines if "Evening carers' group [" in line)
        assert "[Under review]" in supported
        assert "We are asking the day centre about Tuesday evenings." in supported
        assert "Tuesday evening group" in joined
        assert "We did: A carers' group now meets on Tuesdays, 6 to 8pm." in joined
        assert "[credits you]" in joined
        assert "Leaflet review workshop · 2.5 hours" in joined


async def test_notifications_are_marked_read_when_opened(boards: BoardForum) -> None:
    db, s = await boards.services()
    await s.ideas.support_idea(boards.ann, boards.leaflet)
    await s.ideas.change_status(boards.sam, boards.leaflet, IdeaStatus.DONE, "Rewritten.")
    await db.dispose()
    app = boards.app(boards.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        # the status change, and (older, listed after it) the involvement staff logged for her
        assert "2 new items in News (o)" in texts(app).splitlines()[0]
        await pilot.press("o")
        await settle(pilot, app)
        assert isinstance(app.screen, NotificationsScreen)
        first = prompts(app.screen.query_one("#notifications", OptionList))[0]
        assert first.startswith("[new] ") and "is now Done" in first
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, IdeaScreen)
        assert "Status: Done · closed" in texts(app)
        await pilot.press("escape", "escape")
        await settle(pilot, app)
        assert isinstance(app.screen, HomeScreen)
        assert "notification" not in texts(app).splitlines()[0]


# --- the board screen -------------------------------------------------------------------------


async def test_board_filters_and_sorts_including_awaiting(boards: BoardForum) -> None:
    app = boards.app(boards.ann)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, app, BoardScreen(boards.cmht))
        screen = texts(app)
        assert "Community mental health team · 4 ideas" in screen
        assert " 1 New " in screen and "▍          1" in screen  # the chart, counts written out
        box = app.screen.query_one("#ideas", OptionList)
        assert box.option_count == 4

        await pilot.press("3")  # Planned only
        await settle(pilot, app)
        assert len(prompts(box)) == 1
        assert prompts(box)[0].startswith(f"#{boards.ward} Named contact on the ward [Planned]")
        assert "▸3 Planned" in texts(app)
        assert "[Planned]" in prompts(box)[0]

        await pilot.press("0")
        await settle(pilot, app)
        assert box.option_count == 4
        for _ in SORTS_BEFORE_AWAITING:
            await pilot.press("s")
            await settle(pilot, app)
        assert app.screen.sort is IdeaSort.AWAITING_RESPONSE
        lines = prompts(box)
        assert "awaiting response, longest wait first" in texts(app)
        assert lines[0].startswith(f"#{boards.evening} ") and "40 days" in lines[0]
        assert lines[1].startswith(f"#{boards.leaflet} ") and "30 days" in lines[1]
        assert len(lines) == 2


SORTS_BEFORE_AWAITING = (IdeaSort.NEWEST, IdeaSort.RECENTLY_UPDATED, IdeaSort.AWAITING_RESPONSE)


async def test_board_loads_more_ideas_as_you_scroll(boards: BoardForum) -> None:
    db, s = await boards.services()
    for number in range(40):
        boards.clock.advance(minutes=1)
        await s.ideas.add_idea(boards.bob, boards.respite, f"Break idea {number:02d}", "Body.")
    await db.dispose()
    app = boards.app(boards.ann)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, app, BoardScreen(boards.respite))
        box = app.screen.query_one("#ideas", OptionList)
        assert box.option_count == 30
        await pilot.press("end")
        await settle(pilot, app)
        assert box.option_count == 41
        await pilot.press("end")
        await settle(pilot, app)
        assert box.option_count == 41


async def test_member_text_on_boards_is_never_markup(boards: BoardForum) -> None:
    app = boards.app(boards.ann)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, app, BoardScreen(boards.respite))
        assert HOSTILE_TITLE in texts(app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, IdeaScreen)
        screen = texts(app)
        assert HOSTILE_TITLE in screen
        assert "[red]not red[/]" in screen and "still here" in screen
        assert "\x1b" not in screen
        assert app.is_running


async def test_staff_refused_change_keeps_the_dialog_and_says_why(boards: BoardForum) -> None:
    app = boards.app(boards.sam)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, app, IdeaScreen(boards.leaflet))
        await pilot.press("t")
        await settle(pilot, app)
        modal = app.screen
        assert isinstance(modal, ChangeStatusModal)
        choice = modal.query_one("#status-choice", OptionList)
        index = next(
            i for i, o in enumerate(choice.options) if o.id == IdeaStatus.NOT_TAKEN_FORWARD.value
        )
        choice.highlighted = index
        await pilot.press("ctrl+s")  # no reason given
        await settle(pilot, app)
        assert app.screen is modal
        assert modal.query_one(".modal-error").render()  # the service's words, inline

        choice.highlighted = next(
            i for i, o in enumerate(choice.options) if o.id == IdeaStatus.DUPLICATE.value
        )
        await pilot.pause()
        assert modal.query_one("#duplicate-row").display
        modal.query_one("#status-note", Composer).text = "Same as the evening group idea."
        modal.query_one("#duplicate-of", Input).value = str(boards.evening)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, IdeaScreen)
        assert f"Status: Duplicate of idea #{boards.evening}" in texts(app)
        assert app.screen.check_action("original", ()) is True


async def test_carer_cannot_see_staff_keys(boards: BoardForum) -> None:
    app = boards.app(boards.ann)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, app, IdeaScreen(boards.evening))
        assert app.screen.check_action("change_status", ()) is False
        assert app.screen.check_action("record_outcome", ()) is False
        footer = texts(app).splitlines()[-1]
        assert "s Support" in footer and "Status" not in footer


async def test_outcomes_screen_shows_what_changed_and_who_helped(boards: BoardForum) -> None:
    db, s = await boards.services()
    await s.ideas.support_idea(boards.ann, boards.ward, "Nobody answered for days.")
    await s.outcomes.record_outcome(
        boards.sam,
        boards.cmht,
        "Ward contacts named",
        "Every ward now names a contact for carers.",
        date(2026, 10, 30),
        [boards.ward, boards.leaflet],
    )
    await db.dispose()
    app = boards.app(boards.ann)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, app, OutcomesScreen(boards.cmht))
        screen = texts(app)
        assert "30 Oct 2026 · Ward contacts named [credits you]" in screen
        assert "We did: Every ward now names a contact for carers." in screen
        assert "2 carers contributed" in screen  # bob wrote both, ann supported one
        await pilot.press("enter")  # two ideas behind it: choose one
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, IdeaScreen)


def test_status_words_and_chart_read_without_colour() -> None:
    counts = tuple((status, n) for status, n in zip(IdeaStatus, (8, 4, 2, 1, 3, 1, 0), strict=True))
    chart = status_chart(counts, width=78, selected=IdeaStatus.DONE).splitlines()
    assert len(chart) == 4 and all(len(line) <= 78 for line in chart)
    assert chart[0].startswith(" 1 New ") and "█" * 13 + "  8" in chart[0]
    assert "▸5 Done" in chart[0] and chart[0].endswith("3")  # two columns: Done on the right
    assert chart[3].rstrip().endswith("1")  # In progress: a sliver of a bar, and the count
    narrow = status_chart(counts, width=40).splitlines()
    assert len(narrow) == 7 and all(len(line) <= 40 for line in narrow)

    base = Idea(
        id=1,
        board_id=1,
        board_name="B",
        title="T",
        body="",
        author_handle="a",
        status=IdeaStatus.NOT_TAKEN_FORWARD,
        created_at=FakeClock().current,
        updated_at=FakeClock().current,
        support_count=0,
        latest_note="No money this year.",
    )
    assert status_label(base) == "Not taken forward (reason: No money this year.)"
    from dataclasses import replace

    assert status_label(replace(base, status=IdeaStatus.NEW, awaiting_days=34)) == (
        "Awaiting response · 34 days"
    )
    assert status_label(replace(base, status=IdeaStatus.UNDER_REVIEW, awaiting_days=1)) == (
        "Under review · awaiting response · 1 day"
    )


async def test_contributions_list_two_changes_on_one_board(boards: BoardForum) -> None:
    db, s = await boards.services()
    await s.ideas.support_idea(boards.ann, boards.ward)
    await s.ideas.support_idea(boards.ann, boards.leaflet)
    for title, idea in (
        ("Ward contacts named", boards.ward),
        ("Leaflet rewritten", boards.leaflet),
    ):
        await s.outcomes.record_outcome(
            boards.sam, boards.cmht, title, "It changed.", date(2026, 10, 30), [idea]
        )
    await db.dispose()
    app = boards.app(boards.ann)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, app, ContributionsScreen())
        joined = "\n".join(prompts(app.screen.query_one("#contributions", OptionList)))
        assert "Ward contacts named" in joined and "Leaflet rewritten" in joined
        assert "0 ideas · 2 supported · 2 led to changes · 2.5 hours (2.5 given)" in texts(app)
        box = app.screen.query_one("#contributions", OptionList)
        box.highlighted = next(
            i for i, o in enumerate(box.options) if "Leaflet rewritten" in str(o.prompt)
        )
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, OutcomesScreen)


async def test_long_entries_wrap_with_a_hanging_indent(boards: BoardForum) -> None:
    db, s = await boards.services()
    note = "We looked at this carefully with the ward managers and decided " * 3
    await s.ideas.change_status(boards.sam, boards.leaflet, IdeaStatus.UNDER_REVIEW, note)
    await s.ideas.support_idea(boards.ann, boards.leaflet)
    await db.dispose()
    app = boards.app(boards.ann)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, app, ContributionsScreen())
        lines = texts(app).splitlines()
        said = next(i for i, line in enumerate(lines) if "Staff said" in line)
        assert lines[said + 1].startswith("     ")  # the note's next line hangs under it
        assert all(len(line) <= 80 for line in lines)


async def test_unsent_idea_is_kept_and_reopened_from_home(boards: BoardForum) -> None:
    app = boards.app(boards.ann)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, app, NewIdeaScreen(boards.cmht))
        await pilot.press(*"Carers' cafe")
        await until_shown(pilot, lambda: app.screen.looked_for == "Carers' cafe")
        await settle(pilot, app)
        assert not app.screen.query_one("#similar", OptionList).display  # nothing like it
        await pilot.press("tab")  # so Tab goes straight to the body
        assert isinstance(app.focused, Composer)
        await pilot.press(*"half a thought")
        await until_shown(  # the save runs after the debounce: wait for it, not for a time
            pilot, lambda: app.screen.draft_is_saved and app.screen.typed()[1] == "half a thought"
        )
        await settle(pilot, app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, HomeScreen)
        drafts = app.screen.query_one("#drafts", OptionList)
        assert drafts.display
        assert "New idea on Community mental health team" in prompts(drafts)[0]
        drafts.focus()
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, NewIdeaScreen)
        assert app.screen.query_one("#title", Input).value == "Carers' cafe"
        assert app.screen.query_one("#composer", Composer).text == "half a thought"


async def test_board_reads_without_colour(boards: BoardForum, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("NO_COLOR", "1")
    app = boards.app(boards.ann)
    async with app.run_test(size=SIZE) as pilot:
        assert app.no_color
        await open_screen(pilot, app, BoardScreen(boards.cmht))
        await pilot.press("3")
        await settle(pilot, app)
        screen = texts(app)
        assert "▸3 Planned" in screen  # the filter is marked with a character, not a colour
        assert "[Planned]" in screen  # statuses are words in brackets
