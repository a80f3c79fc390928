"""Assisted posting in the app: a volunteer helps a carer post with the carer's consent; the
carer makes a code for a volunteer, sees what was done for them, and takes consent back."""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList

from forum_tui.domain.consent import ConsentScope, ConsentState
from forum_tui.domain.enums import Role
from forum_tui.services import Services, build_services
from forum_tui.store.database import Database
from forum_tui.ui.screens.account import AccountScreen
from forum_tui.ui.screens.assist import (
    AssistScreen,
    ConsentsScreen,
    HelpCarerModal,
    HelpCodeModal,
)
from forum_tui.ui.screens.home import HomeScreen
from forum_tui.ui.screens.thread import ThreadScreen
from forum_tui.ui.widgets.composer import Composer
from forum_tui.ui.widgets.post import PostView
from tests.ui.conftest import PASSWORD, Forum
from tests.ui.test_journeys import settle, texts
from tests.ui.test_kiosk import words

SIZE = (80, 24)
HELPED = "We use the sitting service on Tuesdays now."


async def with_services(forum: Forum, work):  # noqa: ANN001, ANN201
    db = Database(forum.url)
    try:
        return await work(build_services(db, forum.clock))
    finally:
        await db.dispose()


async def add_volunteer(forum: Forum) -> int:
    async def add(services: Services) -> int:
        member = await services.accounts.add_member(
            "dev_helps", role=Role.VOLUNTEER, password=PASSWORD
        )
        return member.id

    return await with_services(forum, add)


async def type_into(pilot, selector: str, text: str) -> None:  # noqa: ANN001
    await pilot.click(selector)
    await pilot.press(*text)


async def test_a_volunteer_helps_a_carer_post_with_consent(forum: Forum) -> None:
    volunteer = await add_volunteer(forum)
    app = forum.app(volunteer)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert "Help a carer post" in texts(app)
        await pilot.press("v")
        await settle(pilot, app)
        assert isinstance(app.screen, HelpCarerModal)
        await type_into(pilot, "#carer-handle", "carer_ann")
        await type_into(pilot, "#carer-password", "not it at all")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, HelpCarerModal)  # no consent, no post
        assert "did not confirm" in texts(app)
        await type_into(pilot, "#carer-password", PASSWORD)
        await pilot.click("#consent-scope")
        await pilot.press("down")  # for this visit
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, AssistScreen)
        assert app.screen.consent.scope is ConsentScope.SESSION
        threads = app.screen.query_one("#assist-threads", OptionList)
        assert "Sleep · Carers' Corner" in str(threads.get_option_at_index(0).prompt)
        await pilot.press("enter")
        app.screen.query_one("#assist-composer", Composer).insert(HELPED)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen.query_one("#assist-composer", Composer).text == ""
        await pilot.press("escape")  # ends the help, and the consent with it
        await settle(pilot, app)
        assert isinstance(app.screen, HomeScreen)

    async def check(services: Services) -> None:
        threads = await services.threads.list_threads(forum.ann, forum.corner)
        sleep = next(t for t in threads.items if t.title == "Sleep")
        last = (await services.threads.open_thread(forum.bob, sleep.id)).posts.items[-1]
        assert (last.body, last.author_id, last.assisted) == (HELPED, forum.ann, True)
        consents = await services.consents.my_consents(forum.ann)
        assert [(c.volunteer_handle, c.posts, c.state) for c in consents] == [
            ("dev_helps", 1, ConsentState.EXPIRED)  # the visit ended: not taken back
        ]

    await with_services(forum, check)

    # Everyone reading the thread sees that it was written with help.
    reader = forum.app(forum.bob)
    async with reader.run_test(size=SIZE) as pilot:
        await settle(pilot, reader)
        threads = await with_services(
            forum, lambda s: s.threads.list_threads(forum.bob, forum.corner)
        )
        sleep = next(t for t in threads.items if t.title == "Sleep")
        reader.push_screen(ThreadScreen(sleep.id))
        await settle(pilot, reader)
        last = list(reader.screen.query(PostView))[-1]
        assert "carer_ann · just now · written with help from a volunteer" in str(last.render())


async def test_help_keys_are_for_volunteers_only(forum: Forum) -> None:
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert "Help a carer post" not in texts(app)
        await pilot.press("v")
        await settle(pilot, app)
        assert isinstance(app.screen, HomeScreen)


async def test_a_carer_gives_a_code_then_sees_and_takes_back_the_consent(forum: Forum) -> None:
    volunteer = await add_volunteer(forum)
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot, app)
        app.push_screen(AccountScreen())
        await settle(pilot, app)
        await pilot.press("h")
        await settle(pilot, app)
        assert isinstance(app.screen, HelpCodeModal)
        code = app.screen.code
        assert f"{code[:3]} {code[3:]}" in texts(app)
        await pilot.press("enter")
        await settle(pilot, app)

        consent = await with_services(
            forum,
            lambda s: s.consents.give_consent(
                volunteer, "carer_ann", scope=ConsentScope.SESSION, code=code
            ),
        )
        await pilot.press("g")
        await settle(pilot, app)
        assert isinstance(app.screen, ConsentsScreen)
        assert "dev_helps" in texts(app) and "in use now" in texts(app)
        await pilot.press("t")
        await settle(pilot, app)
        assert "taken back by you" in words(app)
        assert "Taken back: dev_helps can no longer post for you." in words(app)
        assert not any(box.value for box in app.screen.query(Input))
        app.clear_notifications()
        await pilot.press("t")  # again: it has already ended
        await settle(pilot, app)
        assert "That consent has already ended" in words(app)
        assert "Taken back:" not in words(app)

    consents = await with_services(forum, lambda s: s.consents.my_consents(forum.ann))
    assert [(c.id, c.state) for c in consents] == [(consent.id, ConsentState.REVOKED)]


async def test_the_carer_sees_that_the_visit_ended_and_cannot_take_it_back(forum: Forum) -> None:
    """The volunteer left the help screen: the carer's list says the visit ended (not that
    they took it back), and t says it has already ended and changes nothing."""
    volunteer = await add_volunteer(forum)
    consent = await with_services(
        forum,
        lambda s: s.consents.give_consent(
            volunteer, "carer_ann", scope=ConsentScope.SESSION, password=PASSWORD
        ),
    )
    helper = forum.app(volunteer)
    async with helper.run_test(size=SIZE) as pilot:
        await settle(pilot, helper)
        helper.push_screen(AssistScreen(consent))
        await settle(pilot, helper)
        await pilot.press("escape")  # the volunteer ends the help
        await settle(pilot, helper)
        assert isinstance(helper.screen, HomeScreen)

    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot, app)
        app.push_screen(ConsentsScreen())
        await settle(pilot, app)
        shown = words(app)
        assert "ended when the visit ended" in shown and "taken back" not in shown
        await pilot.press("t")
        await settle(pilot, app)
        shown = words(app)
        assert "That consent has already ended: nobody can post for you with it." in shown
        assert "Taken back" not in shown and "taken back" not in shown
    consents = await with_services(forum, lambda s: s.consents.my_consents(forum.ann))
    assert [(c.id, c.state) for c in consents] == [(consent.id, ConsentState.EXPIRED)]


async def test_the_chosen_scope_and_thread_are_said_in_words(
    forum: Forum, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without colour, once the cursor leaves a list its marker is gone: the screen still
    says which consent the carer chose and which thread the reply goes to."""
    monkeypatch.setenv("NO_COLOR", "1")
    volunteer = await add_volunteer(forum)
    app = forum.app(volunteer)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot, app)
        await pilot.press("v")
        await settle(pilot, app)
        assert "Consent: for one post." in words(app)
        await type_into(pilot, "#carer-handle", "carer_ann")
        await pilot.click("#consent-scope")
        await pilot.press("down")  # for this visit
        await type_into(pilot, "#carer-password", PASSWORD)  # the cursor leaves the list
        await pilot.pause()
        assert "Consent: for this visit (up to 2 hours)." in words(app)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, AssistScreen)
        assert app.screen.consent.scope is ConsentScope.SESSION

        await pilot.press("down", "enter")  # the second thread: Enter moves to the reply box
        await settle(pilot, app)
        assert app.screen.query_one("#assist-composer", Composer).has_focus
        assert "▸" not in words(app)  # the marker has gone with the focus ...
        assert "Replying in: Odd characters [/ · Carers' Corner (Ctrl+S sends)" in words(app)
        app.screen.query_one("#assist-composer", Composer).insert(HELPED)
        await pilot.press("ctrl+s")
        await settle(pilot, app)

    async def odd_thread_last_post(services: Services) -> str:
        threads = await services.threads.list_threads(forum.ann, forum.corner)
        odd = next(t for t in threads.items if t.title.startswith("Odd characters"))
        return (await services.threads.open_thread(forum.bob, odd.id)).posts.items[-1].body

    assert await with_services(forum, odd_thread_last_post) == HELPED  # ... and it went there
