"""An idea from a meeting, entered on a board by its staff (m, listed in Help)."""

from __future__ import annotations

from textual.widgets import Input

from forum_tui.ui.screens.board import BoardScreen
from forum_tui.ui.screens.help import HelpScreen
from forum_tui.ui.screens.meeting_idea import MeetingIdeaModal
from forum_tui.ui.widgets.composer import Composer
from tests.ui.test_boards import BoardForum, boards, open_screen, settle, texts  # noqa: F401

SIZE = (80, 24)


async def _group_with_ann_and_bob(forum: BoardForum) -> None:
    db, services = await forum.services()
    await services.groups.add_group("corner", "Carers' Corner")
    for handle in ("carer_ann", "carer_bob"):
        await services.groups.add_to_group("corner", handle)
    await db.dispose()


async def test_staff_add_an_idea_from_a_meeting(boards: BoardForum) -> None:  # noqa: F811
    await _group_with_ann_and_bob(boards)
    app = boards.app(boards.sam)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, app, BoardScreen(boards.cmht))
        await pilot.press("f1")
        await settle(pilot, app)
        assert isinstance(app.screen, HelpScreen) and "Idea from a meeting" in texts(app)
        await pilot.press("escape", "m")
        await settle(pilot, app)
        assert isinstance(app.screen, MeetingIdeaModal)
        modal = app.screen
        modal.query_one("#meeting-when", Input).value = "12 March"
        modal.query_one("#meeting-who", Input).value = "carer_ann, carer_nobody"
        modal.query_one("#meeting-title", Input).value = "Texts before appointments"
        modal.query_one("#meeting-body", Composer).text = "A reminder the day before."
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is modal and "No member has the handle" in texts(app)  # kept
        modal.query_one("#meeting-who", Input).value = "carer_ann, carer_bob"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, BoardScreen)

    db, services = await boards.services()
    for member in (boards.ann, boards.bob):
        mine = await services.contributions.my_contributions(member)
        assert [i.title for i in mine.supported_ideas] == ["Texts before appointments"]
        idea = mine.supported_ideas[0]
    view = await services.ideas.open_idea(boards.ann, idea.id)
    await db.dispose()
    assert view.idea.body.startswith(
        "Raised at the 12 March meeting of Carers' Corner, by carer_ann and carer_bob."
    )


async def test_a_carer_is_told_who_can(boards: BoardForum) -> None:  # noqa: F811
    app = boards.app(boards.ann)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_screen(pilot, app, BoardScreen(boards.cmht))
        await pilot.press("m")
        await settle(pilot, app)
        assert isinstance(app.screen, BoardScreen)
        assert "Only the board's staff" in texts(app)
