"""The database refuses writes while a carer is replying (issue 9 §9 and "disk full while
posting"): the refusal is said in words, the unsent text survives leaving the thread, and
once the disk has room the reply is posted exactly once."""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import event

from forum_tui.ui.app import ForumApp
from forum_tui.ui.screens.thread import ThreadScreen
from forum_tui.ui.widgets.composer import Composer
from tests.ui.conftest import Forum
from tests.ui.test_journeys import SIZE, settle

# Longer than a page, so storing it needs new pages in the database file.
REPLY = "We finally got a respite week. " * 400


class Disk:
    """Makes the forum's SQLite file unable to grow (``PRAGMA max_page_count``), as when the
    disk is full, on every connection the app opens for writing."""

    def __init__(self, app: ForumApp, path: str) -> None:
        self.app = app
        self.path = path
        self.full = False
        engine = app.services.db.write_engine.sync_engine
        event.listen(engine, "connect", self._on_connect)

    def _on_connect(self, dbapi_connection: Any, _record: Any) -> None:
        if self.full:
            pages = sqlite3.connect(self.path).execute("PRAGMA page_count").fetchone()[0]
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA max_page_count = {pages}")
            cursor.close()

    async def fill(self, full: bool) -> None:
        self.full = full
        await self.app.services.db.write_engine.dispose()  # new connections take the setting


def toasts(app: ForumApp) -> str:
    """Every toast shown so far, as one line (on screen they wrap and stack)."""
    return " ".join(toast.message for toast in app._notifications)


async def stored_replies(forum: Forum) -> list[str]:
    path = forum.url.removeprefix("sqlite+aiosqlite:///")
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT body FROM posts WHERE thread_id = ? AND author_id = ?",
            (forum.respite_thread, forum.ann),
        ).fetchall()
    return [row[0] for row in rows]


async def test_a_reply_refused_for_a_full_disk_survives_leaving_the_thread(forum: Forum) -> None:
    app = forum.app(member_id=forum.ann)
    disk = Disk(app, forum.url.removeprefix("sqlite+aiosqlite:///"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await disk.fill(True)
        await app.push_screen(ThreadScreen(forum.respite_thread))
        await settle(pilot, app)
        await pilot.press("r")
        app.screen.query_one("#composer", Composer).insert(REPLY)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert "storage is full" in toasts(app)
        assert app.screen.query_one("#composer", Composer).text == REPLY

        # Back to the posts, and out of the thread: the draft cannot be saved either.
        await pilot.press("escape", "escape")
        await settle(pilot, app)
        assert not isinstance(app.screen, ThreadScreen)
        assert app.unsent == {f"reply:{forum.respite_thread}": ("", REPLY)}

        # Back in: the text is there, ready to send.
        await app.push_screen(ThreadScreen(forum.respite_thread))
        await settle(pilot, app)
        assert app.screen.query_one("#composer", Composer).text == REPLY
        assert "Your unsent reply was kept" in toasts(app)
        assert REPLY.strip() not in await stored_replies(forum)

        # The disk has room again: one Ctrl+S posts it, once.
        await disk.fill(False)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen.query_one("#composer", Composer).text == ""
        assert app.unsent == {}
    assert (await stored_replies(forum)).count(REPLY.strip()) == 1


async def test_text_kept_in_the_session_is_saved_as_a_draft_once_the_disk_has_room(
    forum: Forum,
) -> None:
    app = forum.app(member_id=forum.ann)
    disk = Disk(app, forum.url.removeprefix("sqlite+aiosqlite:///"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await disk.fill(True)
        await app.push_screen(ThreadScreen(forum.respite_thread))
        await settle(pilot, app)
        await pilot.press("r")
        app.screen.query_one("#composer", Composer).insert(REPLY)
        await pilot.press("escape", "escape")  # leave without sending: the draft save fails
        await settle(pilot, app)
        assert "could not be saved" in toasts(app)
        assert app.unsent == {f"reply:{forum.respite_thread}": ("", REPLY)}

        await disk.fill(False)
        await app.push_screen(ThreadScreen(forum.respite_thread))
        await settle(pilot, app)
        for _ in range(100):  # a moment later (after the typing pause), it is saved as a draft
            if not app.unsent:
                break
            await pilot.pause(0.05)
            await app.workers.wait_for_complete()
        assert app.unsent == {}
        await pilot.press("escape", "escape")
        await settle(pilot, app)
    draft = await forum_drafts(forum)
    assert draft == REPLY


async def forum_drafts(forum: Forum) -> str | None:
    path = forum.url.removeprefix("sqlite+aiosqlite:///")
    with sqlite3.connect(path) as db:
        row = db.execute(
            "SELECT body FROM drafts WHERE member_id = ? AND place = ?",
            (forum.ann, f"reply:{forum.respite_thread}"),
        ).fetchone()
    return row[0] if row else None
