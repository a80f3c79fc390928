"""Account: a carer adds and removes an SSH key; a leader makes an invite code in the app."""

from __future__ import annotations

import subprocess
from pathlib import Path

from textual.widgets import OptionList

from forum_tui.services import build_services
from forum_tui.store.database import Database
from forum_tui.ui.screens.account import AccountScreen, AddKeyModal, InviteCodeModal
from forum_tui.ui.widgets.composer import Composer
from tests.ui.conftest import PASSWORD, Forum
from tests.ui.test_journeys import SIZE, settle


def public_key(tmp_path: Path) -> str:
    path = tmp_path / "id_ed25519"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ann@laptop", "-f", str(path)],
        check=True,
    )
    return (tmp_path / "id_ed25519.pub").read_text().strip()


async def test_carer_adds_a_key_then_removes_it(forum: Forum, tmp_path: Path) -> None:
    key = public_key(tmp_path)
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.push_screen(AccountScreen())
        await settle(pilot, app)
        assert not app.screen.query_one("#led-groups", OptionList).display  # ann leads none
        await pilot.press("a")
        await settle(pilot, app)
        assert isinstance(app.screen, AddKeyModal)
        app.screen.query_one("#key-text", Composer).text = key
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, AccountScreen)
        keys = app.screen.query_one("#keys", OptionList)
        assert "ann@laptop" in str(keys.get_option_at_index(0).prompt)

        await pilot.press("x")
        await settle(pilot, app)
        assert app.screen.keys == []

    db = Database(forum.url)
    assert await build_services(db, forum.clock).access.list_my_keys(forum.ann) == []
    await db.dispose()


async def test_a_private_key_pasted_by_mistake_is_refused_and_kept(forum: Forum) -> None:
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.push_screen(AccountScreen())
        await settle(pilot, app)
        await pilot.press("a")
        await settle(pilot, app)
        pasted = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n"
        app.screen.query_one("#key-text", Composer).text = pasted
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, AddKeyModal)  # still open, with the message
        assert str(app.screen.query_one("#key-error").render()).strip()


async def test_leader_makes_an_invite_that_signs_someone_up(forum: Forum) -> None:
    app = forum.app(forum.bob)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.push_screen(AccountScreen())
        await settle(pilot, app)
        led = app.screen.query_one("#led-groups", OptionList)
        assert led.display and led.option_count == 3  # bob leads three groups
        led.focus()
        await pilot.press("i")
        await settle(pilot, app)
        assert isinstance(app.screen, InviteCodeModal)
        code = app.screen.code

    db = Database(forum.url)
    services = build_services(db, forum.clock)
    newcomer = await services.access.sign_up(code, "new_carer", PASSWORD)
    mine, _ = await services.groups.list_groups(newcomer.id)
    await db.dispose()
    assert [g.name for g in mine] == ["Carers' Corner"]  # the first group bob leads, by name
