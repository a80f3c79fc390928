"""Faults under open SSH sessions (issue 9): PostgreSQL restarted while members are in the
forum. The next reply goes through, once, with no reconnecting by the member."""

from __future__ import annotations

import pytest

from tests.services.test_pg_restart import restart
from tests.ssh.conftest import SshForum, open_thread

pytestmark = pytest.mark.ssh


@pytest.mark.parametrize("backend", ["postgres"])
async def test_a_reply_after_postgresql_restarts_under_an_open_session(forum: SshForum) -> None:
    _conn, screen = await forum.open("carer_ann")
    await open_thread(screen)
    await screen.wait_for("Reply (Ctrl+S")

    assert await restart(forum.seeded.url) >= 1  # the app's and the server's connections

    screen.type("Still here after the restart")
    await screen.wait_for("Still here after the restart")
    screen.type("\x13")  # Ctrl+S
    await screen.wait_for("carer_ann (you)")  # posted, shown under the thread
    view = await forum.services.threads.open_thread(forum.seeded.ann, forum.seeded.thread)
    bodies = [post.body for post in view.posts.items]
    assert bodies.count("Still here after the restart") == 1
    # And the server itself still signs people in.
    _conn, bob = await forum.open("bob_leads")
    await bob.wait_for("signed in as bob_leads")
