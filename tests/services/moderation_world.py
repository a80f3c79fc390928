"""A small world for moderation tests: a private group "Sleep" led by lee (who also leads
"Respite"), another group "Dads" led by lou, a board with its staff member sam, an admin, and
carers: ann (a plain member of Sleep), bob (who writes the things that get reported), and the
reporters cat, dan and eve."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from forum_tui.domain.boards import Board, Idea
from forum_tui.domain.enums import Role, Visibility
from forum_tui.domain.models import Group, Member, Post, Thread
from forum_tui.services import Services
from forum_tui.store.moderation_tables import ModerationActionRow
from tests.conftest import FakeClock, add_member

ROLES = ("carer", "leader of this group", "leader of another group", "staff", "admin")


@dataclass
class World:
    s: Services
    clock: FakeClock
    ann: Member
    bob: Member
    cat: Member
    dan: Member
    eve: Member
    lee: Member
    lou: Member
    sam: Member
    admin: Member
    sleep: Group
    respite: Group
    dads: Group
    cmht: Board
    thread: Thread
    post: Post  # bob's reply in ``thread``
    idea: Idea

    def by_role(self, role: str) -> Member:
        return {
            "carer": self.ann,
            "leader of this group": self.lee,
            "leader of another group": self.lou,
            "staff": self.sam,
            "admin": self.admin,
        }[role]


async def make_world(
    services: Services, clock: FakeClock, *, visibility: Visibility = Visibility.PRIVATE
) -> World:
    m = {
        handle: await add_member(services, handle)
        for handle in ("ann", "bob", "cat", "dan", "eve", "lee", "lou")
    }
    sam = await add_member(services, "sam", role=Role.STAFF)
    admin = await add_member(services, "boss", role=Role.ADMIN)
    sleep = await services.groups.add_group("sleep", "Sleep", visibility=visibility)
    respite = await services.groups.add_group("respite", "Respite")
    dads = await services.groups.add_group("dads", "Dads who care")
    for handle in ("ann", "bob", "cat", "dan", "eve"):
        await services.groups.add_to_group("sleep", handle)
    await services.groups.set_leader("sleep", "lee")
    await services.groups.set_leader("respite", "lee")
    await services.groups.set_leader("dads", "lou")
    cmht = await services.boards.add_board("cmht", "Community mental health team")
    await services.boards.add_staff("cmht", "sam")
    thread = await services.threads.start_thread(
        m["bob"].id, sleep.id, "Night shifts", "Who else is up at 3am?"
    )
    clock.advance(minutes=1)
    await services.threads.reply(m["ann"].id, thread.id, "Me, most nights.")
    clock.advance(minutes=1)
    post = await services.threads.reply(m["bob"].id, thread.id, "Something unkind")
    clock.advance(minutes=1)
    idea = await services.ideas.add_idea(
        m["bob"].id, cmht.id, "Evening group", "Meetings after work, please."
    )
    clock.advance(minutes=1)
    return World(
        services,
        clock,
        m["ann"],
        m["bob"],
        m["cat"],
        m["dan"],
        m["eve"],
        m["lee"],
        m["lou"],
        sam,
        admin,
        sleep,
        respite,
        dads,
        cmht,
        thread,
        post,
        idea,
    )


async def audit_rows(services: Services) -> list[tuple]:
    """Every audit row as a plain tuple, oldest first."""
    async with services.db.read() as session:
        rows = await session.scalars(select(ModerationActionRow).order_by(ModerationActionRow.id))
        return [
            (
                row.id,
                row.actor_id,
                row.action,
                row.target_kind,
                row.target_id,
                row.group_id,
                row.board_id,
                row.reason,
                row.created_at,
            )
            for row in rows
        ]
