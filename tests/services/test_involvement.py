"""Involvement: staff log the time carers give, members see theirs, staff export for payment."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from forum_tui.domain.boards import InvolvementState, Recognition
from forum_tui.domain.errors import NotFound, PermissionDenied, ValidationError
from forum_tui.services import Services
from forum_tui.services.involvement import CSV_HEADER
from tests.conftest import FakeClock
from tests.services.board_world import MAY_RESPOND, ROLES, World, make_world

R, St = Recognition, InvolvementState


@pytest.fixture
async def w(services: Services, clock: FakeClock) -> World:
    return await make_world(services, clock)


@pytest.mark.parametrize("role", ROLES)
async def test_only_the_boards_staff_or_an_admin_log_and_see_involvement(
    w: World, role: str
) -> None:
    actor = w.by_role(role)
    day = w.clock().date()
    log = w.s.involvement.log_involvement(
        actor.id, "bev", w.cmht.id, day, "Leaflet review workshop", 2.5, R.VOUCHER
    )
    if role in MAY_RESPOND:
        entry = await log
        assert (entry.member_handle, entry.hours, entry.recognition, entry.state) == (
            "bev",
            2.5,
            R.VOUCHER,
            St.PROMISED,
        )
        assert [e.id for e in await w.s.involvement.board_involvement(actor.id, w.cmht.id)] == [
            entry.id
        ]
        given = await w.s.involvement.set_involvement_state(actor.id, entry.id, St.GIVEN)
        assert given.state is St.GIVEN
        assert (await w.s.involvement.export_board_involvement_csv(actor.id, w.cmht.id)).count(
            "\n"
        ) == 2
    else:
        with pytest.raises(PermissionDenied, match="Only the staff of Community mental health"):
            await log
        with pytest.raises(PermissionDenied):
            await w.s.involvement.board_involvement(actor.id, w.cmht.id)
        with pytest.raises(PermissionDenied):
            await w.s.involvement.export_board_involvement_csv(actor.id, w.cmht.id)
        entry = await w.s.involvement.log_involvement(
            w.sam.id, "bev", w.cmht.id, day, "Leaflet review workshop", 2.5, R.VOUCHER
        )
        with pytest.raises(PermissionDenied):
            await w.s.involvement.set_involvement_state(actor.id, entry.id, St.GIVEN)
        [still] = await w.s.involvement.board_involvement(w.sam.id, w.cmht.id)
        assert still.state is St.PROMISED


@pytest.mark.parametrize(
    ("hours", "minutes_ok"),
    [(0, False), (-1, False), (24.01, False), (0.004, False), (24, True), (0.25, True)],
)
async def test_hours_are_above_nought_and_at_most_a_day(
    w: World, hours: float, minutes_ok: bool
) -> None:
    log = w.s.involvement.log_involvement(
        w.sam.id, "ann", w.cmht.id, w.clock().date(), "Interview panel", hours, R.PAID
    )
    if minutes_ok:
        assert (await log).hours == hours
    else:
        with pytest.raises(ValidationError, match="(?i)hours"):
            await log


async def test_involvement_is_refused_for_the_future_an_unknown_member_or_a_vague_activity(
    w: World,
) -> None:
    day = w.clock().date()
    with pytest.raises(ValidationError, match="future"):
        await w.s.involvement.log_involvement(
            w.sam.id, "ann", w.cmht.id, day + timedelta(days=1), "Workshop", 2, R.THANKS
        )
    with pytest.raises(NotFound, match="nobody"):
        await w.s.involvement.log_involvement(
            w.sam.id, "nobody", w.cmht.id, day, "Workshop", 2, R.THANKS
        )
    with pytest.raises(ValidationError, match="activity"):
        await w.s.involvement.log_involvement(w.sam.id, "ann", w.cmht.id, day, " ", 2, R.THANKS)
    with pytest.raises(NotFound):
        await w.s.involvement.set_involvement_state(w.sam.id, 999, St.GIVEN)
    assert (await w.s.contributions.my_contributions(w.ann.id)).involvement == ()


async def test_members_see_their_own_involvement_and_hours_given(w: World) -> None:
    day = w.clock().date()
    log = w.s.involvement.log_involvement
    first = await log(w.sam.id, "ann", w.cmht.id, day - timedelta(days=9), "Workshop", 2, R.VOUCHER)
    ward = await log(
        w.nina.id, "ann", w.ward.id, day - timedelta(days=2), "Ward visit review", 1.5, R.THANKS
    )
    await log(w.sam.id, "ann", w.cmht.id, day, "Interview panel", 3, R.PAID)  # promised
    await log(w.sam.id, "bev", w.cmht.id, day, "Interview panel", 3, R.PAID, St.GIVEN)
    await w.s.involvement.set_involvement_state(w.sam.id, first.id, St.GIVEN)
    await w.s.involvement.set_involvement_state(w.nina.id, ward.id, St.GIVEN)

    c = await w.s.contributions.my_contributions(w.ann.id)
    assert [(i.activity, i.board_name, i.hours, i.state) for i in c.involvement] == [
        ("Interview panel", "Community mental health team", 3.0, St.PROMISED),
        ("Ward visit review", "Oakfield ward", 1.5, St.GIVEN),
        ("Workshop", "Community mental health team", 2.0, St.GIVEN),
    ]
    assert c.summary == (
        "0 ideas · 0 supported · 0 led to changes · 6.5 hours (3.5 given, 3 promised)"
    )
    assert [i.member_handle for i in await w.s.involvement.my_involvement(w.bev.id)] == ["bev"]


async def test_the_export_is_one_header_and_one_row_per_entry(w: World) -> None:
    day = w.clock().date()
    await w.s.accounts.add_member("carer-d", display_name='=HYPERLINK("x")')
    log = w.s.involvement.log_involvement
    await log(w.sam.id, "ann", w.cmht.id, day, "Leaflet review, part 1", 1.25, R.VOUCHER)
    await log(w.sam.id, "carer-d", w.cmht.id, day - timedelta(days=1), "+Workshop", 2, R.PAID)
    await log(w.nina.id, "bev", w.ward.id, day, "Not this board", 1, R.THANKS)

    text = await w.s.involvement.export_board_involvement_csv(w.sam.id, w.cmht.id)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(CSV_HEADER)
    assert {len(row) for row in rows} == {len(CSV_HEADER)}
    assert rows[1:] == [
        [
            (day - timedelta(days=1)).isoformat(),
            "carer-d",
            '\'=HYPERLINK("x")',  # a spreadsheet must not run it
            "Community mental health team",
            "'+Workshop",
            "2.00",
            "paid",
            "promised",
        ],
        [
            day.isoformat(),
            "ann",
            "",
            "Community mental health team",
            "Leaflet review, part 1",
            "1.25",
            "voucher",
            "promised",
        ],
    ]
    same = await w.s.involvement.export_involvement_csv_by_slug("cmht")
    assert same == text == await w.s.involvement.export_board_involvement_csv(None, w.cmht.id)
