"""Safety signposting: which words match, the config file and its failures, and what posting a
matching post does (leaders told in the same transaction, readers shown a line, never blocked)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from forum_tui.domain.boards import NotificationKind
from forum_tui.domain.errors import PermissionDenied
from forum_tui.domain.moderation import Helpline
from forum_tui.services import Services, safety
from forum_tui.services.safety import (
    SafetyConfigError,
    current_safety,
    default_safety,
    discreet_line,
    full_text,
    load_safety,
    load_safety_file,
    signposting_for,
)
from forum_tui.store.board_tables import NotificationRow
from forum_tui.store.tables import PostRow, ThreadRow
from tests.conftest import add_member


@pytest.fixture(autouse=True)
def fresh_safety(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Each test reads the settings afresh from an empty data directory (shipped defaults)."""
    monkeypatch.delenv("FORUM_TUI_SAFETY_FILE", raising=False)
    monkeypatch.setenv("FORUM_TUI_DATA_DIR", str(tmp_path / "data"))
    safety._current = None
    yield
    safety._current = None  # the next reader re-reads with the environment restored


# --- matching ------------------------------------------------------------------------------------

CRISIS = [
    "I think he might kill himself tonight",
    "She said she wants to END IT ALL.",
    "Some days I just want to die",
    "He's talking about suicide again",
    "she is feeling suicidal",
    "I think mum has taken an overdose",
    "My daughter has started to self-harm",
    "he has been self harming since June",
    "worried he will hurt himself",
    "I don't feel safe - I'm not safe here with him",
    "I can't go on like this",
    "I could kill  myself some days",  # spacing
    "ＳＵＩＣＩＤＥ",  # full-width letters
    "sui\u200bcide",  # a zero-width space hidden inside
    "he wants to kill myself... no, himself",
]

ORDINARY = [
    "my son's medication review is on Tuesday",
    "I'm dying for a cup of tea",
    "my back is killing me after the weekend",
    "I nearly killed myself laughing at the film",
    "he hurt himself falling off his bike",
    "he's not safe to drive on the new tablets",
    "the self-assessment form is harmless enough",  # "self" and "harm" only as parts of words
    "we watched Suicide Squad together",
    "is the overdose risk leaflet any good? (not worried, just asking)",
    "the kids are killing it at school",
    "safe to say it was a long night",
]


@pytest.mark.parametrize("text", CRISIS)
def test_crisis_phrases_bring_signposting(text: str) -> None:
    signposting = signposting_for(text)
    assert signposting is not None, text
    assert signposting.helplines[0] == Helpline("Samaritans", "116 123 (free, any time)")


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_carer_talk_and_idioms_do_not(text: str) -> None:
    assert signposting_for(text) is None, default_safety().matched_phrases(text)


def test_defaults_cover_the_uk_helplines() -> None:
    config = default_safety()
    text = full_text(config.signposting_for("suicide") or pytest.fail("no match"))
    assert "Samaritans: 116 123" in text
    assert "text SHOUT to 85258" in text
    assert "111 and choose option 2" in text
    assert "999" in text
    assert "Carers UK" in text
    assert "not a crisis service" in text
    assert config.problem is None and config.source == "shipped defaults"


def test_discreet_line_names_the_first_helpline_and_f1() -> None:
    signposting = signposting_for("end it all")
    assert signposting is not None
    assert discreet_line(signposting) == (
        "Support is available: Samaritans 116 123 (free, any time) · press F1 for more"
    )


def test_matching_is_fast_on_a_long_post() -> None:
    import time

    text = "an ordinary sentence about respite care and tea. " * 400  # 20,000 characters
    started = time.perf_counter()
    assert signposting_for(text) is None
    assert time.perf_counter() - started < 0.25


# --- the config file -----------------------------------------------------------------------------

CUSTOM = """
message = "Our own words."
phrases = ["at the end of my rope"]
extra_exceptions = ["end of my rope climbing"]

[[helplines]]
name = "Local crisis team"
contact = "0300 000 0000 (made-up test number)"
"""


def test_a_custom_file_replaces_phrases_and_helplines(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(CUSTOM, "utf-8")
    config = load_safety_file(path)
    signposting = config.signposting_for("I am at the END of my rope")
    assert signposting is not None
    assert signposting.message == "Our own words."
    assert signposting.helplines == (
        Helpline("Local crisis team", "0300 000 0000 (made-up test number)"),
    )
    assert config.signposting_for("suicide") is None  # phrases replaced
    assert config.signposting_for("at the end of my rope climbing") is None  # exception
    assert config.source == str(path)


def test_extra_phrases_add_to_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "more.toml"
    path.write_text('extra_phrases = ["sectioned again"]\n', "utf-8")
    config = load_safety_file(path)
    assert config.signposting_for("he was Sectioned again") is not None
    assert config.signposting_for("suicide") is not None
    assert config.helplines == default_safety().helplines


def test_the_data_dir_file_is_used(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "safety.toml").write_text(CUSTOM, "utf-8")
    assert signposting_for("at the end of my rope") is not None
    assert current_safety().source.endswith("safety.toml")


def test_the_env_file_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "env.toml"
    path.write_text(CUSTOM, "utf-8")
    monkeypatch.setenv("FORUM_TUI_SAFETY_FILE", str(path))
    assert load_safety().source == str(path)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("phrases = [unquoted]", "is not valid TOML"),
        ("phrases = 3", "'phrases' must be a list of strings"),
        ("phrases = []", "'phrases' is empty"),
        ("helplines = []", "one or more [[helplines]]"),
        ('[[helplines]]\nname = "No contact"\n', "helpline 1 needs a contact"),
        ('colour = "red"', "unknown setting 'colour'"),
        (b"\xff\xfe", "is not UTF-8"),
    ],
)
def test_a_broken_file_is_reported_and_the_defaults_used(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    content: str | bytes,
    problem: str,
) -> None:
    path = tmp_path / "broken.toml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, "utf-8")
    with pytest.raises(SafetyConfigError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        load_safety_file(path)
    monkeypatch.setenv("FORUM_TUI_SAFETY_FILE", str(path))
    with caplog.at_level(logging.WARNING, logger="forum_tui.services.safety"):
        config = load_safety()
    assert config.problem is not None and problem in config.problem
    assert str(path) in config.problem and "Using the shipped safety defaults" in config.problem
    assert problem in caplog.text
    assert config.signposting_for("suicide") is not None  # still signposting, with defaults


def test_a_missing_named_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORUM_TUI_SAFETY_FILE", str(tmp_path / "nowhere.toml"))
    config = load_safety()
    assert config.problem is not None and "cannot be read" in config.problem
    assert config.phrases == default_safety().phrases


def test_the_shipped_defaults_are_inside_the_package() -> None:
    import forum_tui

    assert (Path(forum_tui.__file__).parent / "safety_defaults.toml").is_file()


# --- posting -----------------------------------------------------------------------------------


async def crisis_world(services: Services) -> tuple[int, int, int, int, int]:
    """Sleep: ann and bob carers, leo and lou leaders. Returns their ids and a thread id."""
    ann = await add_member(services, "ann")
    bob = await add_member(services, "bob")
    leo = await add_member(services, "leo")
    lou = await add_member(services, "lou")
    await services.groups.add_group("sleep", "Sleep")
    for handle in ("ann", "bob"):
        await services.groups.add_to_group("sleep", handle)
    for handle in ("leo", "lou"):
        await services.groups.set_leader("sleep", handle)
    group = await services.groups.find_group("sleep")
    thread = await services.threads.start_thread(bob.id, group.id, "Nights", "Who is up?")
    return ann.id, bob.id, leo.id, lou.id, thread.id


async def signpost_rows(services: Services) -> list[NotificationRow]:
    async with services.db.read() as session:
        return list(
            await session.scalars(
                select(NotificationRow)
                .where(NotificationRow.kind == NotificationKind.CRISIS_SIGNPOST)
                .order_by(NotificationRow.member_id)
            )
        )


async def test_a_matching_reply_is_posted_and_leaders_are_told(services: Services) -> None:
    ann, bob, leo, lou, thread_id = await crisis_world(services)
    post = await services.threads.reply(ann, thread_id, "I'm scared he'll kill himself.")
    assert post.signposting is not None  # the author's copy, for the screen to show
    rows = await signpost_rows(services)
    assert [row.member_id for row in rows] == [leo, lou]
    assert rows[0].text == (
        "A post by ann in Sleep › “Nights” may mention someone at risk. They were shown "
        "helplines; you may want to check in with them."
    )
    async with services.db.read() as session:
        stored = await session.get(PostRow, post.id)
        assert stored is not None
    # Written by the posting transaction itself: the same instant as the post.
    assert all(row.created_at == stored.created_at for row in rows)
    listed = await services.notifications.list_notifications(leo)
    assert listed[0].kind is NotificationKind.CRISIS_SIGNPOST
    # bob hears of the reply in his thread, not of its crisis words (that is for leaders).
    assert NotificationKind.CRISIS_SIGNPOST not in {
        n.kind for n in await services.notifications.list_notifications(bob)
    }
    assert await services.notifications.list_notifications(ann) == []


async def test_an_ordinary_reply_tells_nobody(services: Services) -> None:
    ann, _bob, _leo, _lou, thread_id = await crisis_world(services)
    post = await services.threads.reply(ann, thread_id, "I'm dying for a cup of tea")
    assert post.signposting is None
    assert await signpost_rows(services) == []


async def test_a_leader_posting_is_not_told_about_their_own_post(services: Services) -> None:
    _ann, _bob, leo, lou, thread_id = await crisis_world(services)
    await services.threads.reply(leo, thread_id, "If anyone feels suicidal, call Samaritans.")
    assert [row.member_id for row in await signpost_rows(services)] == [lou]


async def test_a_new_thread_with_crisis_words_in_its_title_tells_leaders(
    services: Services,
) -> None:
    ann, *_rest = await crisis_world(services)
    group = await services.groups.find_group("sleep")
    await services.threads.start_thread(ann, group.id, "Worried about an overdose", "Help")
    assert len(await signpost_rows(services)) == 2


async def test_a_refused_post_tells_nobody(services: Services) -> None:
    ann, _bob, _leo, _lou, thread_id = await crisis_world(services)
    async with services.db.write() as session:
        thread = await session.get(ThreadRow, thread_id)
        assert thread is not None
        thread.locked = True
    with pytest.raises(PermissionDenied):
        await services.threads.reply(ann, thread_id, "I want to end it all")
    assert await signpost_rows(services) == []


async def test_readers_see_signposting_on_the_matching_post_only(services: Services) -> None:
    ann, bob, _leo, _lou, thread_id = await crisis_world(services)
    await services.threads.reply(ann, thread_id, "She has been self-harming again")
    await services.threads.reply(ann, thread_id, "Thanks all, we're OK tonight")
    view = await services.threads.open_thread(bob, thread_id)
    marks = [post.signposting is not None for post in view.posts.items]
    assert marks == [False, True, False]


async def test_posting_is_never_blocked_even_with_a_broken_config(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("this is = not toml = at all", "utf-8")
    monkeypatch.setenv("FORUM_TUI_SAFETY_FILE", str(broken))
    safety._current = None
    ann, bob, _leo, _lou, thread_id = await crisis_world(services)
    post = await services.threads.reply(ann, thread_id, "I want to die")
    assert post.signposting is not None  # the defaults still signpost
    view = await services.threads.open_thread(bob, thread_id)
    assert view.posts.items[-1].body == "I want to die"
    assert len(await signpost_rows(services)) == 2
