"""The commissioners' report: its figures on a known board, and both renderings."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from forum_tui.domain.boards import IdeaStatus, InvolvementState, Recognition
from forum_tui.domain.errors import NotFound
from forum_tui.services import Services
from forum_tui.services.reports import CSV_HEADER, render_report_csv, render_report_md
from tests.conftest import FakeClock
from tests.services.board_world import World, make_world

S, R, St = IdeaStatus, Recognition, InvolvementState


@dataclass
class Known:
    w: World
    outcome_titles: tuple[str, str]


@pytest.fixture
async def known(services: Services, clock: FakeClock) -> Known:
    """Six ideas on the CMHT board (2 Nov 2026 onwards), four answered after 2, 4, 10 and 6
    days; two outcomes; four involvement entries; the report is made 45 days in."""
    w = await make_world(services, clock)
    t0 = clock()
    ideas = w.s.ideas

    async def at(days: float) -> None:
        clock.current = t0 + timedelta(days=days)

    i1 = await w.idea(w.ann, "Named contact during leave")
    i2 = await w.idea(w.bev, "Evening carers' group")
    await at(1)
    i3 = await w.idea(w.cal, "Free parking | for carers")
    await w.idea(w.dev, "Home visits for carers")
    i5 = await w.idea(w.cal, "Cover when my coordinator is off")
    await ideas.support_idea(w.bev.id, i1.id)
    await ideas.support_idea(w.cal.id, i2.id)
    await ideas.support_idea(w.dev.id, i2.id)
    await at(2)
    await ideas.change_status(w.sam.id, i1.id, S.UNDER_REVIEW, "Looking at cover rotas")
    await at(4)
    await ideas.change_status(w.sam.id, i2.id, S.DONE, "The group meets monthly")
    await at(5)
    await ideas.change_status(w.sam.id, i1.id, S.PLANNED, "From January")
    await at(7)
    await ideas.change_status(w.admin.id, i5.id, S.DUPLICATE, "Same as cover", duplicate_of=i1.id)
    await at(11)
    await ideas.change_status(w.sam.id, i3.id, S.NOT_TAKEN_FORWARD, "The car park is the trust's")
    await w.s.ideas.add_idea(w.ann.id, w.ward.id, "Another board's idea", "Not in the report")
    await at(40)
    await w.idea(w.ann, "Too new to await")
    await at(45)
    titles = ("Evening group runs monthly", "=Cover contacts named")
    await w.s.outcomes.record_outcome(
        w.sam.id, w.cmht.id, titles[0], "Tuesdays 6-8pm.", date(2026, 11, 5), [i2.id]
    )
    await w.s.outcomes.record_outcome(
        w.sam.id,
        w.cmht.id,
        titles[1],
        "Every coordinator names a colleague.",
        date(2026, 11, 20),
        [i1.id, i5.id],
        ["dev"],
    )
    log = w.s.involvement.log_involvement
    await log(w.sam.id, "ann", w.cmht.id, date(2026, 11, 4), "Workshop", 2, R.VOUCHER, St.GIVEN)
    await log(w.sam.id, "bev", w.cmht.id, date(2026, 11, 20), "Leaflet", 1.5, R.VOUCHER)
    await log(w.sam.id, "cal", w.cmht.id, date(2026, 11, 25), "Panel", 3, R.PAID, St.GIVEN)
    await log(w.sam.id, "ann", w.cmht.id, date(2026, 11, 1), "Chat", 1, R.THANKS, St.GIVEN)
    await log(w.nina.id, "ann", w.ward.id, date(2026, 11, 25), "Other board", 5, R.PAID)
    return Known(w, titles)


async def test_report_figures_for_all_time(known: Known) -> None:
    report = await known.w.s.reports.board_report("cmht")
    assert report.board.name == "Community mental health team" and report.since is None
    assert dict(report.status_counts) == {
        S.NEW: 2,
        S.UNDER_REVIEW: 0,
        S.PLANNED: 1,
        S.IN_PROGRESS: 0,
        S.DONE: 1,
        S.NOT_TAKEN_FORWARD: 1,
        S.DUPLICATE: 1,
    }
    assert report.idea_count == 6
    assert (report.median_days_to_first_response, report.responded_count) == (5.0, 4)
    # Home visits (44 days, never answered); the planned idea's last status change was 40 days
    # ago, but the outcome recorded today answered it (issue 12); the newest is 5 days old.
    assert report.awaiting_count == 1
    assert [(o.title, o.contributor_count) for o in report.outcomes] == [
        ("=Cover contacts named", 4),  # ann, bev (supporter), cal (duplicate's author), dev
        ("Evening group runs monthly", 3),  # bev, cal, dev
    ]
    assert dict(report.hours_by_recognition) == {R.THANKS: 1.0, R.VOUCHER: 3.5, R.PAID: 3.0}
    assert report.people_involved == 3
    assert (R.VOUCHER, St.PROMISED, 1, 1.5) in report.involvement
    assert (R.VOUCHER, St.GIVEN, 1, 2.0) in report.involvement
    assert len(report.involvement) == len(R) * len(St)


async def test_report_figures_since_a_date(known: Known) -> None:
    report = await known.w.s.reports.board_report("cmht", since=date(2026, 11, 3))
    counts = {status: n for status, n in report.status_counts if n}
    assert counts == {S.NEW: 2, S.NOT_TAKEN_FORWARD: 1, S.DUPLICATE: 1}
    assert (report.median_days_to_first_response, report.responded_count) == (8.0, 2)
    assert report.awaiting_count == 1  # the planned idea was added before the period
    assert [o.title for o in report.outcomes] == [
        "=Cover contacts named",
        "Evening group runs monthly",
    ]
    later = await known.w.s.reports.board_report("cmht", since=date(2026, 11, 10))
    assert [o.title for o in later.outcomes] == ["=Cover contacts named"]
    assert dict(later.hours_by_recognition) == {R.THANKS: 0.0, R.VOUCHER: 1.5, R.PAID: 3.0}
    assert later.people_involved == 2
    empty = await known.w.s.reports.board_report("cmht", since=date(2027, 1, 1))
    assert (empty.idea_count, empty.median_days_to_first_response, empty.outcomes) == (0, None, ())
    assert "No idea in this period has had a staff response yet." in render_report_md(empty)
    with pytest.raises(NotFound, match="'nope'"):
        await known.w.s.reports.board_report("nope")


async def test_the_markdown_report_reads_plainly(known: Known) -> None:
    report = await known.w.s.reports.board_report("cmht")
    md = render_report_md(report)
    assert known.w.s.reports.render_report_md(report) == md
    lines = md.splitlines()
    assert lines[0] == "# Community mental health team"
    for line in (
        "| Planned | 1 |",
        "| Not taken forward | 1 |",
        "| **Total** | **6** |",
        "Median time to a first staff response: **5 days** (over 4 ideas that have had one).",
        "Awaiting a response now (no staff update for 28 days or more): **1**.",
        "### =Cover contacts named — 20 Nov 2026",
        "- Ideas behind it: “Named contact during leave” (Planned); "
        "“Cover when my coordinator is off” (Duplicate)",
        "- Carers credited: 4",
        "7.5 hours of involvement by 3 people.",
        "| voucher | 2 | 3.5 | 2 | 1.5 | 0 |",
        "| paid | 1 | 3 | 3 | 0 | 0 |",
    ):
        assert line in lines, line


async def test_the_csv_report_loads_as_one_table(known: Known) -> None:
    text = render_report_csv(await known.w.s.reports.board_report("cmht"))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(CSV_HEADER)
    assert sum(row == list(CSV_HEADER) for row in rows) == 1
    assert {len(row) for row in rows} == {5}
    body = rows[1:]
    assert ["board", "Community mental health team", "cmht", "", ""] in body
    assert [r[1:4] for r in body if r[0] == "ideas"] == [
        ["New", "new", "2"],
        ["Under review", "under_review", "0"],
        ["Planned", "planned", "1"],
        ["In progress", "in_progress", "0"],
        ["Done", "done", "1"],
        ["Not taken forward", "not_taken_forward", "1"],
        ["Duplicate", "duplicate", "1"],
        ["Total", "", "6"],
    ]
    assert ["response", "Median days to first response", "", "4", "5"] in body
    assert ["response", "Awaiting response now", "", "1", ""] in body
    assert [
        "outcome",
        "'=Cover contacts named",  # inert in a spreadsheet
        "2026-11-20",
        "4",
        "Named contact during leave; Cover when my coordinator is off",
    ] in body
    assert ["involvement", "voucher", "promised", "1", "1.5"] in body
    assert ["involvement", "paid", "given", "1", "3"] in body
    since = render_report_csv(await known.w.s.reports.board_report("cmht", since=date(2026, 11, 3)))
    assert ["board", "Community mental health team", "cmht", "", "2026-11-03"] in list(
        csv.reader(io.StringIO(since))
    )
