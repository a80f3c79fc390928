"""``forum-tui search`` and ``forum-tui digest`` as an operator meets them (real processes)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from forum_tui.domain.enums import Visibility
from forum_tui.services import Services
from tests.cli.test_board_cli import in_forum
from tests.cli.test_cli import failed, forum_tui, sqlite, succeeded
from tests.conftest import FakeClock, _migrate


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("find-cli") / "forum.db"
    asyncio.run(_migrate(sqlite(path)))
    return path


@pytest.fixture
def forum_db(tmp_path: Path, template: Path) -> Path:
    """ann and bob in the private group Sleep; bob's thread, and ann's reply naming him."""
    path = tmp_path / "forum.db"
    path.write_bytes(template.read_bytes())

    async def world(services: Services) -> None:
        ann = await services.accounts.add_member("ann")
        bob = await services.accounts.add_member("bob")
        await services.accounts.add_member("lou")
        group = await services.groups.add_group("sleep", "Sleep", visibility=Visibility.PRIVATE)
        await services.groups.add_to_group("sleep", "ann")
        await services.groups.add_to_group("sleep", "bob")
        thread = await services.threads.start_thread(
            bob.id, group.id, "Night shifts", "Who else is awake at 3am?"
        )
        await services.threads.reply(ann.id, thread.id, "Me, @bob. Awake most nights.")

    in_forum(path, world)
    return path


def test_search_prints_what_the_operator_finds(tmp_path: Path, forum_db: Path) -> None:
    out = succeeded(forum_tui(tmp_path, "search", "awake"))
    lines = out.splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("post 2 · Sleep · Night shifts · ann · ")
    assert lines[1] == "  Me, @bob. *Awake* most nights."
    assert lines[3] == "  Who else is *awake* at 3am?"


def test_search_as_a_member_sees_what_they_may(tmp_path: Path, forum_db: Path) -> None:
    assert succeeded(forum_tui(tmp_path, "search", "awake", "--as", "lou")) == "Nothing found.\n"
    out = succeeded(forum_tui(tmp_path, "search", "awake", "--as", "bob", "--json"))
    found = [json.loads(line) for line in out.splitlines()]
    assert [(r["kind"], r["post_id"], r["thread_id"]) for r in found] == [
        ("post", 2, 1),
        ("post", 1, 1),
    ]
    assert found[0]["snippet"] == "Me, @bob. *Awake* most nights."


@pytest.mark.parametrize("query", ['"NEAR( * OR', "100%_", '"'])
def test_search_syntax_is_only_words(tmp_path: Path, forum_db: Path, query: str) -> None:
    succeeded(forum_tui(tmp_path, "search", query))


def test_search_refusals_are_one_line(tmp_path: Path, forum_db: Path) -> None:
    failed(forum_tui(tmp_path, "search", "awake", "--as", "nobody"), "nobody")
    failed(forum_tui(tmp_path, "search", "awake", "--group", "nope"), "nope")


def test_digest_lists_mentions_and_replies(tmp_path: Path, forum_db: Path) -> None:
    out = succeeded(forum_tui(tmp_path, "digest", "bob"))
    assert out.splitlines()[1:] == [
        "Mentions (1):",
        "- You were mentioned in “Night shifts” in Sleep.",
        "Sign in to forum-tui to read and reply.",
    ]
    assert out.startswith("forum-tui: news for bob since ")
    assert len(out) < 400  # short enough for an SMS gateway's few messages
    assert succeeded(forum_tui(tmp_path, "digest", "ann")).endswith("Nothing new.\n")
    out = succeeded(forum_tui(tmp_path, "digest", "bob", "--since", "2099-01-01"))
    assert out == "forum-tui: news for bob since 01 Jan 2099\nNothing new.\n"
    failed(forum_tui(tmp_path, "digest", "nobody"), "nobody")


async def test_digest_keeps_each_section_short(services: Services, clock: FakeClock) -> None:
    ann = await services.accounts.add_member("ann")
    bob = await services.accounts.add_member("bob")
    group = await services.groups.add_group("sleep", "Sleep")
    await services.groups.add_to_group("sleep", "ann")
    await services.groups.add_to_group("sleep", "bob")
    thread = await services.threads.start_thread(ann.id, group.id, "Tired", "So tired")
    for n in range(9):
        clock.advance(minutes=1)
        await services.threads.reply(bob.id, thread.id, f"Reply {n}")
    text = await services.digest.digest("ann")
    assert text.splitlines()[1:] == [
        "Replies (9):",
        "- New reply in “Tired” in Sleep.",
        "- New reply in “Tired” in Sleep.",
        "- New reply in “Tired” in Sleep.",
        "- and 6 more",
        "Sign in to forum-tui to read and reply.",
    ]
    clock.advance(days=8)
    assert text != await services.digest.digest("ann")  # a week later: nothing new
    assert (await services.digest.digest("ann")).endswith("Nothing new.\n")
