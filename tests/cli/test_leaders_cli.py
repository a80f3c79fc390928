"""Issue 12's commands as an operator meets them: ``involvement log/set-state/list``, ``group
list``/``slow-mode``, ``board list``, ``member list``. Real processes, as in test_cli.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from forum_tui.domain.boards import InvolvementState, Recognition
from forum_tui.domain.enums import Visibility
from forum_tui.services import Services
from forum_tui.services.reports import render_report_md
from tests.cli.test_board_cli import forum_db, in_forum, template  # noqa: F401
from tests.cli.test_cli import failed, forum_tui, succeeded


def _board(path: Path) -> None:
    async def fill(services: Services) -> None:
        await services.boards.add_board("cmht-carers", "CMHT carers' support")
        await services.boards.add_staff("cmht-carers", "sam")
        await services.groups.add_group("sleep", "Sleep", visibility=Visibility.PRIVATE)
        await services.groups.set_leader("sleep", "sam")
        await services.groups.add_to_group("sleep", "ann")

    in_forum(path, fill)


def test_staff_log_hours_and_mark_them_given(tmp_path: Path, forum_db: Path) -> None:  # noqa: F811
    _board(forum_db)
    day = (datetime.now(UTC).date() - timedelta(days=1)).isoformat()
    out = succeeded(
        forum_tui(
            tmp_path,
            "involvement",
            "log",
            "cmht-carers",
            "ann",
            "--hours",
            "2.5",
            "--date",
            day,
            "--activity",
            "Leaflet review workshop",
            "--recognition",
            "voucher",
        )
    )
    assert out.startswith("Logged entry ") and "ann, 2.5 hours on " + day in out
    assert "(voucher, promised)" in out
    entry = out.split()[2].rstrip(":")
    listed = succeeded(forum_tui(tmp_path, "involvement", "list", "cmht-carers"))
    assert listed.splitlines() == [
        f"{entry}\t{day}\tann\t2.5 h\tvoucher\tpromised\tLeaflet review workshop  <- owed"
    ]
    out = succeeded(forum_tui(tmp_path, "involvement", "set-state", entry, "given"))
    assert out == f"Entry {entry} (ann, 2.5 hours, voucher) is now given.\n"

    async def check(services: Services) -> None:
        ann = await services.accounts.find_member("ann")
        mine = await services.contributions.my_contributions(ann.id)
        assert [(i.hours, i.recognition, i.state) for i in mine.involvement] == [
            (2.5, Recognition.VOUCHER, InvolvementState.GIVEN)
        ]
        assert mine.hours_split == "2.5 hours (2.5 given)"
        report = render_report_md(await services.reports.board_report("cmht-carers"))
        assert "| voucher | 1 | 2.5 | 2.5 | 0 | 0 |" in report.splitlines()

    in_forum(forum_db, check)
    failed(forum_tui(tmp_path, "involvement", "set-state", entry, "paid"), "only paid")
    failed(forum_tui(tmp_path, "involvement", "set-state", "999", "given"), "no such")
    failed(
        forum_tui(
            tmp_path,
            *("involvement", "log", "cmht-carers", "nobody", "--hours", "1"),
            *("--activity", "Panel", "--recognition", "paid"),
        ),
        "nobody",
    )
    failed(
        forum_tui(
            tmp_path,
            *("involvement", "log", "cmht-carers", "ann", "--hours", "30"),
            *("--activity", "Panel", "--recognition", "paid"),
        ),
        "at most 24",
    )


def test_lists_print_slugs_and_names(tmp_path: Path, forum_db: Path) -> None:  # noqa: F811
    _board(forum_db)
    groups = succeeded(forum_tui(tmp_path, "group", "list"))
    assert groups == "sleep\tSleep\tprivate · 2 members · leaders: sam\n"
    boards = succeeded(forum_tui(tmp_path, "board", "list"))
    assert boards == "cmht-carers\tCMHT carers' support\tstaff: sam\n"
    members = succeeded(forum_tui(tmp_path, "member", "list"))
    assert members.splitlines() == ["ann\t-\tcarer · active", "sam\t-\tstaff · active"]
    staff = succeeded(forum_tui(tmp_path, "member", "list", "--role", "staff"))
    assert staff == "sam\t-\tstaff · active\n"
    assert succeeded(forum_tui(tmp_path, "member", "list", "--role", "admin")) == (
        "No members with the role admin.\n"
    )


def test_group_slow_mode(tmp_path: Path, forum_db: Path) -> None:  # noqa: F811
    _board(forum_db)
    out = succeeded(forum_tui(tmp_path, "group", "slow-mode", "sleep", "300"))
    assert out == "Slow mode in Sleep: 5 minutes between posts.\n"

    async def seconds(services: Services) -> int:
        ann = await services.accounts.find_member("ann")
        group = await services.groups.find_group("sleep")
        return await services.moderation.slow_mode_seconds(ann.id, group.id)

    assert in_forum(forum_db, seconds) == 300
    assert succeeded(forum_tui(tmp_path, "group", "slow-mode", "sleep", "0")) == (
        "Slow mode in Sleep: off.\n"
    )
    assert in_forum(forum_db, seconds) == 0
    failed(forum_tui(tmp_path, "group", "slow-mode", "nope", "60"), "nope")
    assert forum_tui(tmp_path, "group", "slow-mode", "sleep", "90000").returncode == 2


def test_an_empty_forum_says_how_to_add(tmp_path: Path, forum_db: Path) -> None:  # noqa: F811
    assert "forum-tui group add" in succeeded(forum_tui(tmp_path, "group", "list"))
    assert "forum-tui board add" in succeeded(forum_tui(tmp_path, "board", "list"))
