"""``forum-tui board``, ``report board`` and ``involvement export`` as an operator meets them, and
the demo's boards.

Commands run as real processes (see tests/cli/test_cli.py); the data they report on is put in
place through the services first.
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from forum_tui import demo_content
from forum_tui.domain.boards import IdeaSort, IdeaStatus, Recognition
from forum_tui.domain.enums import Role
from forum_tui.services import Services, build_services
from forum_tui.services.demo import demo_is_seeded, seed_demo
from forum_tui.store.board_tables import (
    BoardRow,
    IdeaRow,
    IdeaUpdateRow,
    InvolvementRow,
    NotificationRow,
    OutcomeRow,
    SupportRow,
)
from forum_tui.store.database import Database
from tests.cli.test_cli import failed, forum_tui, sqlite, succeeded
from tests.conftest import _migrate


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("board-cli") / "forum.db"
    asyncio.run(_migrate(sqlite(path)))
    return path


@pytest.fixture
def forum_db(tmp_path: Path, template: Path) -> Path:
    """A migrated forum at the default place for this test's data dir, with a carer and staff."""
    path = tmp_path / "forum.db"
    path.write_bytes(template.read_bytes())

    async def people(services: Services) -> None:
        await services.accounts.add_member("ann")
        await services.accounts.add_member("sam", role=Role.STAFF)

    in_forum(path, people)
    return path


def in_forum(path: Path, work: Callable[[Services], Awaitable[Any]]) -> Any:
    async def main() -> Any:
        db = Database(sqlite(path))
        try:
            return await work(build_services(db))
        finally:
            await db.dispose()

    return asyncio.run(main())


def test_board_add_and_staff(tmp_path: Path, forum_db: Path) -> None:
    out = succeeded(
        forum_tui(
            tmp_path,
            "board",
            "add",
            "cmht",
            "Community mental health team",
            "--description",
            "Sam answers here.",
            "--response-window",
            "14",
        )
    )
    assert out == "Added board cmht: Community mental health team (staff answer within 14 days).\n"
    out = succeeded(forum_tui(tmp_path, "board", "add", "ward", "Oakfield ward"))
    assert "within 28 days" in out
    out = succeeded(forum_tui(tmp_path, "board", "staff", "cmht", "sam"))
    assert out == "sam now responds on cmht.\n"

    failed(forum_tui(tmp_path, "board", "add", "cmht", "Again"), "already a board", "cmht")
    failed(forum_tui(tmp_path, "board", "add", "Bad Slug", "Name"), "slug")
    failed(forum_tui(tmp_path, "board", "staff", "cmht", "ann"), "ann", "carer", "staff")
    failed(forum_tui(tmp_path, "board", "staff", "nope", "sam"), "no board", "nope")
    failed(forum_tui(tmp_path, "board", "staff", "cmht", "nobody"), "nobody")
    refused = forum_tui(tmp_path, "board", "add", "x1", "Name", "--response-window", "0")
    assert refused.returncode == 2 and "1<=x<=365" in refused.stderr.replace(" ", "")

    async def check(services: Services) -> None:
        sam = await services.accounts.find_member("sam")
        boards = await services.boards.list_boards(sam.id)
        assert [(b.slug, b.description, b.response_window_days, b.i_am_staff) for b in boards] == [
            ("cmht", "Sam answers here.", 14, True),
            ("ward", "", 28, False),
        ]

    in_forum(forum_db, check)


def test_board_commands_before_db_upgrade_say_what_to_run(tmp_path: Path) -> None:
    failed(forum_tui(tmp_path, "board", "add", "cmht", "CMHT"), "forum-tui db upgrade")
    failed(forum_tui(tmp_path, "report", "board", "cmht"), "forum-tui db upgrade")


# A fixed instant for what the CLI calls "now" in reports (SOURCE_DATE_EPOCH), and days before it
# for what the report covers: nothing here depends on when the suite runs.
MADE_AT = datetime(2026, 11, 30, 23, 59, 59, tzinfo=UTC)
REPORT_ENV = {"SOURCE_DATE_EPOCH": str(int(MADE_AT.timestamp()))}


def test_report_board_in_markdown_and_csv(tmp_path: Path, forum_db: Path) -> None:
    async def fill(services: Services) -> None:
        ann = await services.accounts.find_member("ann")
        sam = await services.accounts.find_member("sam")
        board = await services.boards.add_board("cmht", "Community mental health team")
        await services.boards.add_staff("cmht", "sam")
        first = await services.ideas.add_idea(ann.id, board.id, "Evening group", "After work")
        await services.ideas.add_idea(ann.id, board.id, "=SUM(A1:A9)", "A formula for a title")
        await services.ideas.change_status(sam.id, first.id, IdeaStatus.DONE, "Started")
        await services.outcomes.record_outcome(
            sam.id,
            board.id,
            "Evening group started",
            "Monthly.",
            date(2025, 11, 20),
            [first.id],
        )
        await services.involvement.log_involvement(
            sam.id,
            "ann",
            board.id,
            date(2025, 11, 21),
            "Workshop, morning",
            2.5,
            Recognition.PAID,
        )

    in_forum(forum_db, fill)

    md = succeeded(forum_tui(tmp_path, "report", "board", "cmht", env=REPORT_ENV))
    assert md.startswith("# Community mental health team\n")
    assert "Made 30 Nov 2026 23:59 UTC." in md
    assert "| Done | 1 |" in md and "| **Total** | **2** |" in md
    assert "### Evening group started" in md and "- Carers credited: 1" in md
    # Same data, same bytes, whenever it runs: the second report is made "at the same time".
    again = forum_tui(tmp_path, "report", "board", "cmht", "--format", "md", env=REPORT_ENV)
    assert md == succeeded(again)
    wrong_epoch = forum_tui(tmp_path, "report", "board", "cmht", env={"SOURCE_DATE_EPOCH": "soon"})
    assert wrong_epoch.returncode == 2 and "SOURCE_DATE_EPOCH" in wrong_epoch.stderr

    text = succeeded(forum_tui(tmp_path, "report", "board", "cmht", "--format", "csv"))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["section", "item", "detail", "count", "value"]
    assert {len(row) for row in rows} == {5}
    assert ["ideas", "Done", "done", "1", ""] in rows
    assert ["involvement", "paid", "promised", "1", "2.5"] in rows

    future = succeeded(
        forum_tui(tmp_path, "report", "board", "cmht", "--format", "csv", "--since", "2999-01-01")
    )
    assert ["ideas", "Total", "", "0", ""] in list(csv.reader(io.StringIO(future)))

    failed(forum_tui(tmp_path, "report", "board", "nope"), "no board", "nope")
    wrong = forum_tui(tmp_path, "report", "board", "cmht", "--since", "1/2/2026")
    assert wrong.returncode == 2 and "1/2/2026" in wrong.stderr
    assert "Traceback" not in wrong.stderr

    export = succeeded(forum_tui(tmp_path, "involvement", "export", "cmht"))
    rows = list(csv.reader(io.StringIO(export)))
    assert rows[0][:2] == ["date", "member"] and len(rows) == 2
    assert rows[1][1] == "ann" and rows[1][4:] == ["Workshop, morning", "2.50", "paid", "promised"]


# --- the demo's boards ----------------------------------------------------------------------


async def _board_counts(db: Database) -> dict[str, int]:
    async with db.read() as session:
        return {
            name: await session.scalar(select(func.count()).select_from(table))
            for name, table in (
                ("boards", BoardRow),
                ("ideas", IdeaRow),
                ("supports", SupportRow),
                ("updates", IdeaUpdateRow),
                ("outcomes", OutcomeRow),
                ("involvement", InvolvementRow),
                ("notifications", NotificationRow),
            )
        }


async def _seed_and_look(url: str) -> dict[str, Any]:
    db = Database(url)
    try:
        services = build_services(db)
        ann_id = await seed_demo(services)
        first = await _board_counts(db)
        assert await demo_is_seeded(services)
        await seed_demo(services)
        second = await _board_counts(db)
        ann = await services.contributions.my_contributions(ann_id)
        sam = await services.accounts.find_member("cmht_sam")
        nina = await services.accounts.find_member("oakfield_nina")
        boards = await services.boards.list_boards(sam.id)
        awaiting = {
            b.slug: [
                i.awaiting_days
                for i in (
                    await services.ideas.list_ideas(ann_id, b.id, sort=IdeaSort.AWAITING_RESPONSE)
                ).items
            ]
            for b in boards
        }
        return {
            "first": first,
            "second": second,
            "ann": ann,
            "staffed": {
                "cmht_sam": [b.slug for b in boards if b.i_am_staff],
                "oakfield_nina": [
                    b.slug for b in await services.boards.list_boards(nina.id) if b.i_am_staff
                ],
            },
            "statuses": {s for b in boards for s, n in b.status_counts if n},
            "awaiting": awaiting,
            "notifications": await services.notifications.unread_count(ann_id),
        }
    finally:
        await db.dispose()


def test_the_demo_has_two_boards_and_seeding_twice_adds_nothing(db_url: str) -> None:
    demo_content.validate()
    seen = asyncio.run(_seed_and_look(db_url))
    boards = demo_content.BOARDS
    ideas = [i for b in boards for i in b.ideas]
    assert seen["first"] == seen["second"], "a second run must add nothing"
    assert seen["first"]["boards"] == 2 and seen["first"]["ideas"] == len(ideas) >= 20
    assert seen["first"]["supports"] >= sum(len(i.supports) for i in ideas)  # plus carried ones
    assert seen["first"]["updates"] == sum(len(i.updates) for i in ideas)
    assert seen["first"]["outcomes"] == 3
    assert seen["first"]["involvement"] == sum(len(b.involvement) for b in boards)
    assert seen["staffed"] == {"cmht_sam": ["cmht-carers"], "oakfield_nina": ["oakfield-wards"]}
    assert seen["statuses"] == set(IdeaStatus)
    assert all(len(days) >= 2 and min(days) >= 28 for days in seen["awaiting"].values())

    ann = seen["ann"]
    assert len(ann.my_ideas) == 4 and len(ann.supported_ideas) == 6
    assert len(ann.outcomes) == 3 and all(o.credits_me for o in ann.outcomes)
    assert ann.led_to_change == 3 and ann.hours_given == 6.0
    assert any(i.latest_note for i in ann.my_ideas)
    assert seen["notifications"] > 0
