"""Issue 9 §8 in the app: an idea number typed far beyond what any database holds, or in digits
that are not ASCII, gets the usual words in the dialog, and the app carries on."""

from __future__ import annotations

from textual.widgets import Input, OptionList

from forum_tui.domain.boards import IdeaStatus
from forum_tui.ui.screens.idea import IdeaScreen
from forum_tui.ui.screens.modals import ChangeStatusModal
from forum_tui.ui.widgets.composer import Composer
from tests.ui.test_boards import BoardForum, boards, open_screen  # noqa: F401
from tests.ui.test_journeys import SIZE, settle


async def test_a_huge_or_foreign_idea_number_is_answered_not_crashed(
    boards: BoardForum,  # noqa: F811
) -> None:
    app = boards.app(boards.sam)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, app, IdeaScreen(boards.leaflet))
        await pilot.press("t")
        await settle(pilot, app)
        modal = app.screen
        assert isinstance(modal, ChangeStatusModal)
        choice = modal.query_one("#status-choice", OptionList)
        choice.highlighted = next(
            i for i, o in enumerate(choice.options) if o.id == IdeaStatus.DUPLICATE.value
        )
        await pilot.pause()
        modal.query_one("#status-note", Composer).text = "Same as another idea."
        for typed, said in (
            ("99999999999999999999", "has no idea #99999999999999999999."),
            (str(2**63), f"has no idea #{2**63}."),
            ("²", "Type the number of the idea this one duplicates, e.g. 12."),
        ):
            modal.query_one("#duplicate-of", Input).value = typed
            await pilot.press("ctrl+s")
            await settle(pilot, app)
            assert app.screen is modal and app.is_running
            shown = str(modal.query_one(".modal-error").render())
            assert shown == said or (said.startswith("has no idea") and shown.endswith(said))
