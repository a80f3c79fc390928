"""Data protection (design.md §7): a member's export holds every row naming them and nothing of
others; erasure leaves no trace of them in any text column while threads stay readable."""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import asyncssh
import pytest
from sqlalchemy import String, Text, func, select

from forum_tui.domain.boards import IdeaStatus, Recognition
from forum_tui.domain.enums import MemberState, Role
from forum_tui.domain.errors import AuthenticationFailed, NotFound, PermissionDenied
from forum_tui.domain.errors import ValidationError as FormError
from forum_tui.domain.models import Member
from forum_tui.domain.moderation import Action
from forum_tui.services import Services
from forum_tui.services.privacy import (
    ANOTHER_MEMBER,
    FORMER_MEMBER,
    NON_KEY_MEMBER_COLUMNS,
    REMOVED_TEXT,
    REMOVED_TITLE,
    member_columns,
    tables_naming_members,
    unruled_member_columns,
)
from forum_tui.store.board_tables import search_idea_ids
from forum_tui.store.tables import Base, MemberRow
from tests.conftest import FakeClock, add_member

PASSWORD = "a long enough password"
HANDLE = "annie_quill"
DISPLAY = "Annabel Quillfeather"
# Everything Ann wrote carries a marker no one else's text has.
ANN_TEXTS = (
    "QXTHREAD respite worries",
    "QXPOST my dad's dementia keeps me up",
    "QXREPLY same here, nights are hard",
    "QXDRAFT half-written thought",
    "QXIDEA evening group",
    "QXIDEABODY after work meetings please",
    "QXSUPPORT yes please",
    "QXINVOLVE spoke at the panel",
    "QXREPORT this post names my neighbour",
    "QXLEADNOTE locked for a rest",
)


@dataclass
class Ann:
    s: Services
    ann: Member
    bob: Member
    sam: Member
    admin: Member
    group_id: int
    ann_thread: int
    bob_thread: int
    ann_idea: int
    bob_idea: int
    outcome_id: int
    public_key: str


async def make_ann(services: Services, clock: FakeClock) -> Ann:
    s = services
    key = asyncssh.generate_private_key("ssh-ed25519", comment="ann@laptop")
    public_key = key.export_public_key().decode().strip()
    joining = await s.access.create_invite(None)
    ann = await s.access.sign_up(joining, HANDLE, PASSWORD, public_key)
    async with s.db.write() as session:
        (await session.get(MemberRow, ann.id)).display_name = DISPLAY  # type: ignore[union-attr]
    bob = await add_member(s, "bobby_other")
    sam = await s.accounts.add_member("sam_staff", role=Role.STAFF, allow_reserved=True)
    admin = await s.accounts.add_member("the_admin", role=Role.ADMIN, allow_reserved=True)
    group = await s.groups.add_group("nights", "Night-time caring")
    await s.groups.join_group(bob.id, group.id)
    await s.groups.set_leader("nights", HANDLE)
    ann_thread = await s.threads.start_thread(ann.id, group.id, ANN_TEXTS[0], ANN_TEXTS[1])
    await s.threads.reply(bob.id, ann_thread.id, "Bob replies to the thread")
    bob_thread = await s.threads.start_thread(bob.id, group.id, "Bob asks", "Bob's own words")
    clock.advance(minutes=1)
    await s.threads.reply(ann.id, bob_thread.id, ANN_TEXTS[2])
    await s.threads.open_thread(ann.id, bob_thread.id)  # a read row
    await s.drafts.save_draft(ann.id, f"reply:{bob_thread.id}", ANN_TEXTS[3])
    board = await s.boards.add_board("cmht", "Community mental health team")
    await s.boards.add_staff("cmht", "sam_staff")
    ann_idea = await s.ideas.add_idea(ann.id, board.id, ANN_TEXTS[4], ANN_TEXTS[5])
    bob_idea = await s.ideas.add_idea(bob.id, board.id, "Bob's idea", "Bob's idea text")
    await s.ideas.support_idea(bob.id, ann_idea.id, "Bob agrees")
    await s.ideas.support_idea(ann.id, bob_idea.id, ANN_TEXTS[6])
    await s.ideas.change_status(sam.id, ann_idea.id, IdeaStatus.UNDER_REVIEW, "Looking at it")
    outcome = await s.outcomes.record_outcome(
        sam.id, board.id, "Evening group started", "Tuesdays 7pm", date(2026, 11, 1), [ann_idea.id]
    )
    await s.involvement.log_involvement(
        sam.id, HANDLE, board.id, date(2026, 11, 1), ANN_TEXTS[7], 2.0, Recognition.THANKS
    )
    await s.access.create_invite(ann.id, "nights")  # made by Ann, unused
    audit = Base.metadata.tables["moderation_actions"]
    async with s.db.write() as session:
        for actor, kind, target, reason in (
            (admin.id, "member", ann.id, "a word about tone"),
            (ann.id, "thread", bob_thread.id, ANN_TEXTS[9]),
        ):
            await session.execute(
                audit.insert().values(
                    actor_id=actor,
                    action=str(Action.LOCK),
                    target_kind=kind,
                    target_id=target,
                    reason=reason,
                    created_at=clock(),
                )
            )
    reports = Base.metadata.tables["reports"]
    bob_post = (await s.threads.open_thread(bob.id, bob_thread.id)).posts.items[0]
    async with s.db.write() as session:
        await session.execute(
            reports.insert().values(
                target_kind="post",
                target_id=bob_post.id,
                reporter_id=ann.id,
                reason="privacy",
                text=ANN_TEXTS[8],
                state="open",
                created_at=clock(),
            )
        )
        await session.execute(  # Bob's report, which Ann (a leader) dismissed
            reports.insert().values(
                target_kind="thread",
                target_id=bob_thread.id,
                reporter_id=bob.id,
                reason="other",
                text="Bob's report text",
                state="dismissed",
                created_at=clock(),
                resolved_at=clock(),
                resolved_by_id=ann.id,
            )
        )
    return Ann(
        s,
        ann,
        bob,
        sam,
        admin,
        group.id,
        ann_thread.id,
        bob_thread.id,
        ann_idea.id,
        bob_idea.id,
        outcome.id,
        public_key,
    )


@pytest.fixture
async def world(services: Services, clock: FakeClock) -> Ann:
    return await make_ann(services, clock)


# --- export -------------------------------------------------------------------------------------


def test_every_member_column_has_an_erasure_rule() -> None:
    """A new table naming members must say what erasing does to it."""
    assert unruled_member_columns() == []


async def test_the_export_covers_every_table_that_names_a_member(world: Ann) -> None:
    data = await world.s.privacy.export_member(None, HANDLE)
    json.dumps(data)  # plain JSON types only
    for table in Base.metadata.sorted_tables:
        if table.name == "members":
            continue
        if member_columns(table):
            assert table.name in data["tables"], f"{table.name} is missing from the export"
    for name in (
        "memberships",
        "threads",
        "posts",
        "drafts",
        "thread_reads",
        "ideas",
        "supports",
        "outcome_credits",
        "involvement",
        "notifications",
        "ssh_keys",
        "invites",
        "moderation_actions",
        "reports",
    ):
        assert data["tables"][name], f"nothing of Ann's in {name}"


async def test_the_export_holds_what_ann_wrote_with_context(world: Ann) -> None:
    data = await world.s.privacy.export_member(None, HANDLE)
    text = json.dumps(data, ensure_ascii=False)
    for written in ANN_TEXTS:
        assert written in text, written
    account = data["account"]
    assert account["handle"] == HANDLE and account["display_name"] == DISPLAY
    assert account["password"] == "set"
    assert len(account["ssh_key_fingerprints"]) == 1
    assert account["ssh_key_fingerprints"][0].startswith("SHA256:")
    reply = next(p for p in data["tables"]["posts"] if p["body"] == ANN_TEXTS[2])
    assert reply["context"] == {
        "thread_title": "Bob asks",
        "thread_group_name": "Night-time caring",
    }
    membership = data["tables"]["memberships"][0]
    assert membership["role"] == "leader" and membership["context"]["group_name"]
    assert data["tables"]["outcome_credits"][0]["reason"] == "author"
    kinds = {(a["target_kind"], a["reason"]) for a in data["tables"]["moderation_actions"]}
    assert kinds == {("member", "a word about tone"), ("thread", ANN_TEXTS[9])}
    actor = next(a for a in data["tables"]["moderation_actions"] if a["target_kind"] == "member")
    assert actor["actor_id"] == ANOTHER_MEMBER
    assert data["exported_at"].startswith("2026-11-02T")


async def test_the_export_holds_nothing_of_other_members(world: Ann) -> None:
    data = await world.s.privacy.export_member(None, HANDLE)
    text = json.dumps(data, ensure_ascii=False)
    async with world.s.db.read() as session:
        password_hash = await session.scalar(
            select(MemberRow.password_hash).where(MemberRow.id == world.ann.id)
        )
    for secret in (password_hash, world.public_key.split()[1], "argon2"):
        assert secret and secret not in text
    for others in (
        "bobby_other",
        "sam_staff",
        "the_admin",
        "Bob replies to the thread",
        "Bob's own words",
        "Bob agrees",
        "Bob's idea text",
        "Bob's report text",
    ):
        assert others not in text, others
    acted = [r for r in data["tables"]["reports"] if r.get("resolved_by_id") == world.ann.id]
    assert len(acted) == 1 and "text" not in acted[0] and "reporter_id" not in acted[0]
    assert all(s["member_id"] == world.ann.id for s in data["tables"]["supports"])


async def test_only_admins_export_others_and_unknown_handles_are_refused(world: Ann) -> None:
    with pytest.raises(PermissionDenied):
        await world.s.privacy.export_member(world.bob.id, HANDLE)
    assert (await world.s.privacy.export_member(world.admin.id, HANDLE))["account"]["id"]
    with pytest.raises(NotFound, match="nobody_here"):
        await world.s.privacy.export_member(None, "nobody_here")


async def test_a_member_writes_their_own_export_to_a_new_private_file(
    world: Ann, tmp_path: Path
) -> None:
    target = tmp_path / "mine.json"
    written = await world.s.privacy.write_own_export(world.ann.id, str(target))
    assert written == target
    assert json.loads(target.read_text("utf-8"))["account"]["handle"] == HANDLE
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    with pytest.raises(FormError, match="is already there"):
        await world.s.privacy.write_own_export(world.ann.id, str(target))
    with pytest.raises(FormError, match="does not exist"):
        await world.s.privacy.write_own_export(world.ann.id, str(tmp_path / "no" / "x.json"))
    with pytest.raises(FormError, match="folder"):
        await world.s.privacy.write_own_export(world.ann.id, str(tmp_path))
    locked = Path("/sys") if os.geteuid() == 0 else tmp_path / "locked"
    locked.mkdir(mode=0o500, exist_ok=True)
    with pytest.raises(FormError, match="Cannot write"):
        await world.s.privacy.write_own_export(world.ann.id, str(locked / "x.json"))


# --- erasure ------------------------------------------------------------------------------------


async def _all_text(services: Services) -> list[tuple[str, str, str]]:
    """(table, column, value) for every text column of every row of every table."""
    found: list[tuple[str, str, str]] = []
    async with services.db.read() as session:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text)]
            if not columns:
                continue
            for row in (await session.execute(select(*columns))).all():
                for column, value in zip(columns, row, strict=True):
                    if value:
                        found.append((table.name, column.name, str(value)))
    return found


async def _search(services: Services, word: str) -> list[int]:
    board_id = (await services.boards.find_board("cmht")).id
    async with services.db.read() as session:
        return await search_idea_ids(session, board_id, [word], prefix_last=False, limit=5)


async def test_erasure_leaves_no_trace_of_ann_in_any_text_column(world: Ann) -> None:
    s = world.s
    async with s.db.read() as session:
        password_hash = await session.scalar(
            select(MemberRow.password_hash).where(MemberRow.id == world.ann.id)
        )
        fingerprint = await session.scalar(
            select(Base.metadata.tables["ssh_keys"].c.fingerprint).where(
                Base.metadata.tables["ssh_keys"].c.member_id == world.ann.id
            )
        )
    traces = [
        HANDLE,
        DISPLAY,
        password_hash,
        fingerprint,
        world.public_key.split()[1],
        *ANN_TEXTS[:9],  # the audit log keeps a leader's own reasons (the last), never edited
    ]
    assert all(traces)
    before = {
        needle for _t, _c, value in await _all_text(s) for needle in traces if needle in value
    }
    assert before == set(traces), "the world must hold every trace before erasure"

    assert await _search(s, "qxideabody") == [world.ann_idea]
    erased = await s.privacy.erase_member(None, HANDLE)
    assert (erased.posts, erased.threads, erased.ideas) == (2, 1, 1)

    for table, column, value in await _all_text(s):
        for needle in traces:
            assert needle not in value, f"{table}.{column} still holds {needle!r}"
    assert await _search(s, "qxidea") == []  # the search index forgot the idea's words too
    assert await _search(s, "qxideabody") == []


async def test_threads_still_read_after_erasure_with_a_former_member(world: Ann) -> None:
    s = world.s
    await s.privacy.erase_member(None, HANDLE)
    view = await s.threads.open_thread(world.bob.id, world.ann_thread)
    assert view.thread.author_handle == FORMER_MEMBER
    assert view.thread.title == REMOVED_TITLE
    first, bobs = view.posts.items
    assert (first.author_handle, first.body) == (FORMER_MEMBER, REMOVED_TEXT)
    assert (bobs.author_handle, bobs.body) == ("bobby_other", "Bob replies to the thread")
    other = await s.threads.open_thread(world.bob.id, world.bob_thread)
    assert [p.author_handle for p in other.posts.items] == ["bobby_other", FORMER_MEMBER]
    assert other.thread.title == "Bob asks"
    idea = await s.ideas.open_idea(world.bob.id, world.ann_idea)
    assert idea.idea.author_handle == FORMER_MEMBER
    assert (idea.idea.title, idea.idea.body) == (REMOVED_TITLE, REMOVED_TEXT)


async def test_erasure_keeps_counts_and_hours_and_frees_the_handle(world: Ann) -> None:
    s = world.s
    credits = Base.metadata.tables["outcome_credits"]
    involvement = Base.metadata.tables["involvement"]

    async def counts() -> tuple[int, int, int]:
        async with s.db.read() as session:
            return (
                await session.scalar(
                    select(func.count()).where(credits.c.outcome_id == world.outcome_id)
                )
                or 0,
                await session.scalar(select(func.sum(involvement.c.minutes))) or 0,
                (await s.ideas.open_idea(world.bob.id, world.bob_idea)).idea.support_count,
            )

    before = await counts()
    await s.privacy.erase_member(None, HANDLE)
    assert await counts() == before
    with pytest.raises(AuthenticationFailed):
        await s.accounts.sign_in(HANDLE, PASSWORD)
    async with s.db.read() as session:
        row = await session.get(MemberRow, world.ann.id)
        assert row is not None and row.state == MemberState.ERASED
        assert row.handle == FORMER_MEMBER and row.password_hash is None
        assert row.display_name is None
    again = await s.accounts.add_member(HANDLE)  # the handle can be taken again
    assert again.id != world.ann.id
    with pytest.raises(NotFound):
        await s.privacy.erase_member(None, FORMER_MEMBER)


async def test_erasure_is_audited_without_what_was_erased(world: Ann) -> None:
    s = world.s
    await s.privacy.erase_member(world.admin.id, HANDLE)
    audit = Base.metadata.tables["moderation_actions"]
    async with s.db.read() as session:
        rows = (await session.execute(select(audit).where(audit.c.action == "erase"))).all()
    assert len(rows) == 1
    row = rows[0]._mapping
    assert (row["actor_id"], row["target_kind"], row["target_id"], row["reason"]) == (
        world.admin.id,
        "member",
        world.ann.id,
        "",
    )


async def test_only_the_operator_or_an_admin_erases(world: Ann) -> None:
    s = world.s
    for actor in (world.bob, world.sam):
        with pytest.raises(PermissionDenied):
            await s.privacy.erase_member(actor.id, HANDLE)
    with pytest.raises(PermissionDenied):
        await s.privacy.erase_member(world.admin.id, "the_admin")
    with pytest.raises(NotFound):
        await s.privacy.erase_member(None, "nobody_here")
    assert (await s.accounts.find_member(HANDLE)).id == world.ann.id  # nothing happened


MEMBER_LOOKING = re.compile(r"(_by_id|_by|^member_id|^author_id|^actor_id|^staff_id|er_id)$")


def test_member_looking_columns_without_a_key_are_decided() -> None:
    """A column that holds a member id without a foreign key must be listed with a decision."""
    undecided = [
        f"{table.name}.{column.name}"
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if MEMBER_LOOKING.search(column.name)
        and column not in member_columns(table)
        and (table.name, column.name) not in NON_KEY_MEMBER_COLUMNS
    ]
    assert undecided == []


def test_member_columns_are_found_from_the_schema() -> None:
    names = {table.name for table in tables_naming_members()}
    assert {"posts", "threads", "ideas", "ssh_keys", "moderation_actions"} <= names
