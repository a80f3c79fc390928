"""Reports for commissioners: what a board's carers asked for, how the service answered, what
changed, and the time carers gave — ``forum-tui report board SLUG --format md|csv``.

Figures for a period start at ``since`` (a date, UTC): ideas added on or after it, outcomes and
involvement dated on or after it; with no ``since``, everything. "Days to first response" is the
time from an idea being added to its first staff update, in days; the median is over the ideas
that have had one. Awaiting is as everywhere (``_boards_common``): open, and no staff update
within the board's response window, counted when the report is made.

The renderers are pure functions of a :class:`BoardReport`. The CSV has one header row and the
same five columns on every row (``section,item,detail,count,value``) so it loads cleanly in a
spreadsheet, and text cells that a spreadsheet would run as a formula are made inert.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import defaultdict
from datetime import UTC, date, datetime, time

from sqlalchemy import func, select

from forum_tui.domain.boards import (
    BoardReport,
    IdeaStatus,
    InvolvementState,
    Recognition,
)
from forum_tui.services._boards_common import (
    STATUS_ORDER,
    board_by_slug,
    board_from_row,
    is_awaiting,
    outcomes_from_rows,
    status_counts,
)
from forum_tui.services._common import Service
from forum_tui.services.involvement import spreadsheet_safe
from forum_tui.store.board_tables import IdeaRow, IdeaUpdateRow, InvolvementRow, OutcomeRow

CSV_HEADER = ("section", "item", "detail", "count", "value")


class ReportService(Service):
    async def board_report(self, slug: str, *, since: date | None = None) -> BoardReport:
        """The report of one board. Operator level (the command line): no member check."""
        now = self.now()
        start = datetime.combine(since, time(), tzinfo=UTC) if since else None
        async with self.db.read() as session:
            board = await board_by_slug(session, slug)
            ideas = select(
                IdeaRow.id, IdeaRow.status, IdeaRow.created_at, IdeaRow.updated_at
            ).where(IdeaRow.board_id == board.id)
            if start is not None:
                ideas = ideas.where(IdeaRow.created_at >= start)
            idea_rows = (await session.execute(ideas)).all()
            counts: dict[IdeaStatus, int] = defaultdict(int)
            awaiting = 0
            for _id, status, _created, updated in idea_rows:
                counts[IdeaStatus(status)] += 1
                awaiting += is_awaiting(
                    IdeaStatus(status), updated, board.response_window_days, now
                )
            first_responses = (
                await session.execute(
                    select(IdeaRow.created_at, func.min(IdeaUpdateRow.created_at))
                    .join(IdeaUpdateRow, IdeaUpdateRow.idea_id == IdeaRow.id)
                    .where(IdeaRow.id.in_(ideas.with_only_columns(IdeaRow.id).scalar_subquery()))
                    .group_by(IdeaRow.id, IdeaRow.created_at)
                )
            ).all()
            waits = [
                (first - created).total_seconds() / 86400 for created, first in first_responses
            ]
            outcome_query = select(OutcomeRow).where(OutcomeRow.board_id == board.id)
            if since is not None:
                outcome_query = outcome_query.where(OutcomeRow.happened_on >= since)
            outcome_rows = list(
                await session.scalars(
                    outcome_query.order_by(OutcomeRow.happened_on.desc(), OutcomeRow.id.desc())
                )
            )
            involvement_query = select(
                InvolvementRow.member_id,
                InvolvementRow.recognition,
                InvolvementRow.state,
                InvolvementRow.minutes,
            ).where(InvolvementRow.board_id == board.id)
            if since is not None:
                involvement_query = involvement_query.where(InvolvementRow.happened_on >= since)
            entries: dict[tuple[Recognition, InvolvementState], list[int]] = defaultdict(list)
            people: set[int] = set()
            for person, recognition, state, minutes in await session.execute(involvement_query):
                entries[(Recognition(recognition), InvolvementState(state))].append(minutes)
                people.add(person)
            all_counts = await status_counts(session, [board.id])
            return BoardReport(
                board=board_from_row(board, counts=all_counts[board.id]),
                since=since,
                status_counts=tuple((status, counts.get(status, 0)) for status in STATUS_ORDER),
                median_days_to_first_response=(
                    round(statistics.median(waits), 1) if waits else None
                ),
                outcomes=tuple(await outcomes_from_rows(session, outcome_rows, None)),
                hours_by_recognition=tuple(
                    (
                        recognition,
                        round(
                            sum(sum(entries[(recognition, state)]) for state in InvolvementState)
                            / 60,
                            2,
                        ),
                    )
                    for recognition in Recognition
                ),
                idea_count=len(idea_rows),
                responded_count=len(waits),
                awaiting_count=awaiting,
                involvement=tuple(
                    (
                        recognition,
                        state,
                        len(entries[(recognition, state)]),
                        round(sum(entries[(recognition, state)]) / 60, 2),
                    )
                    for recognition in Recognition
                    for state in InvolvementState
                ),
                people_involved=len(people),
                made_at=now,
            )

    # The pure renderers, here too for callers holding only the services.
    @staticmethod
    def render_report_md(report: BoardReport) -> str:
        return render_report_md(report)

    @staticmethod
    def render_report_csv(report: BoardReport) -> str:
        return render_report_csv(report)


def _number(value: float) -> str:
    return f"{value:g}"


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def _cell(text: str) -> str:
    """Member text inside a Markdown table cell: one line, no column breaks."""
    return " ".join(text.split()).replace("|", "\\|")


def render_report_md(report: BoardReport) -> str:
    """The report as Markdown: readable as it is in a terminal, and renders as tables."""
    board = report.board
    period = f"since {_day(report.since)}" if report.since else "all time"
    lines = [
        f"# {board.name}",
        "",
        f"Board report for `{board.slug}`, {period}."
        + (f" Made {_day(report.made_at)} {report.made_at:%H:%M} UTC." if report.made_at else ""),
        f"Staff aim to respond to every idea within {board.response_window_days} days.",
        "",
        "## Ideas by status",
        "",
        "| status | ideas |",
        "|---|---:|",
        *(f"| {status.label} | {count} |" for status, count in report.status_counts),
        f"| **Total** | **{report.idea_count}** |",
        "",
    ]
    if report.median_days_to_first_response is None:
        lines.append("No idea in this period has had a staff response yet.")
    else:
        lines.append(
            f"Median time to a first staff response: "
            f"**{_number(report.median_days_to_first_response)} days** "
            f"(over {report.responded_count} "
            f"{'idea that has' if report.responded_count == 1 else 'ideas that have'} had one)."
        )
    lines.append(
        f"Awaiting a response now (no staff update for {board.response_window_days} days or "
        f"more): **{report.awaiting_count}**."
    )
    lines += ["", '## Outcomes ("you said, we did")', ""]
    if not report.outcomes:
        lines.append("No outcomes recorded in this period.")
    for outcome in report.outcomes:
        ideas = "; ".join(f"“{ref.title}” ({ref.status.label})" for ref in outcome.ideas)
        people = outcome.contributor_count
        lines += [
            f"### {_cell(outcome.title)} — {_day(outcome.happened_on)}",
            "",
            outcome.description,
            "",
            f"- Ideas behind it: {ideas}",
            f"- Carers credited: {people}",
            "",
        ]
    total = sum(hours for _r, hours in report.hours_by_recognition)
    lines += [
        "## Time carers gave to shaping the service",
        "",
        f"{_number(total)} hours of involvement by {report.people_involved} "
        f"{'person' if report.people_involved == 1 else 'people'}.",
        "",
        "| recognition | entries | hours | of which given | of which promised | of which paid |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for recognition, hours in report.hours_by_recognition:
        by_state = {
            state: (count, state_hours)
            for r, state, count, state_hours in report.involvement
            if r is recognition
        }
        count = sum(c for c, _h in by_state.values())
        given = by_state.get(InvolvementState.GIVEN, (0, 0.0))[1]
        promised = by_state.get(InvolvementState.PROMISED, (0, 0.0))[1]
        paid = by_state.get(InvolvementState.PAID, (0, 0.0))[1]
        lines.append(
            f"| {recognition.value} | {count} | {_number(hours)} | {_number(given)} | "
            f"{_number(promised)} | {_number(paid)} |"
        )
    return "\n".join(lines).rstrip() + "\n"


def render_report_csv(report: BoardReport) -> str:
    """The report as CSV: one header row, five columns on every row.

    Rows: ``board`` (name, slug, since); ``ideas`` per status and a total; ``response`` (the
    median days to first response over N ideas, and the count awaiting now); ``outcome`` (title,
    date, carers credited, the linked idea titles); ``involvement`` per recognition and state
    (entries, hours).
    """
    rows: list[tuple[str, str, str, str, str]] = [
        (
            "board",
            report.board.name,
            report.board.slug,
            "",
            report.since.isoformat() if report.since else "",
        )
    ]
    rows += [
        ("ideas", status.label, status.value, str(count), "")
        for status, count in report.status_counts
    ]
    rows.append(("ideas", "Total", "", str(report.idea_count), ""))
    median = report.median_days_to_first_response
    rows.append(
        (
            "response",
            "Median days to first response",
            "",
            str(report.responded_count),
            "" if median is None else _number(median),
        )
    )
    rows.append(("response", "Awaiting response now", "", str(report.awaiting_count), ""))
    for outcome in report.outcomes:
        rows.append(
            (
                "outcome",
                outcome.title,
                outcome.happened_on.isoformat(),
                str(outcome.contributor_count),
                "; ".join(ref.title for ref in outcome.ideas),
            )
        )
    for recognition, state, count, hours in report.involvement:
        rows.append(("involvement", recognition.value, state.value, str(count), _number(hours)))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(tuple(spreadsheet_safe(cell) for cell in row) for row in rows)
    return out.getvalue()


__all__ = ["CSV_HEADER", "ReportService", "render_report_csv", "render_report_md"]
