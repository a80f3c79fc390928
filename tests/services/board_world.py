"""A small world for board tests: two boards, each with its own staff member, and one member of
every role (carer, volunteer, staff of this board, staff of another board, admin)."""

from __future__ import annotations

from dataclasses import dataclass

from forum_tui.domain.boards import Board, Idea, IdeaStatus
from forum_tui.domain.enums import Role
from forum_tui.domain.models import Member
from forum_tui.services import Services
from tests.conftest import FakeClock, add_member


@dataclass
class World:
    s: Services
    clock: FakeClock
    ann: Member  # carer
    bev: Member  # carer
    cal: Member  # carer
    dev: Member  # volunteer
    sam: Member  # staff of board A (cmht)
    nina: Member  # staff of board B (ward)
    admin: Member
    cmht: Board  # board A
    ward: Board  # board B

    def by_role(self, role: str) -> Member:
        return {
            "carer": self.ann,
            "volunteer": self.dev,
            "staff of this board": self.sam,
            "staff of another board": self.nina,
            "admin": self.admin,
        }[role]

    async def idea(
        self, author: Member | None = None, title: str = "Evening carers' group"
    ) -> Idea:
        author = author or self.ann
        return await self.s.ideas.add_idea(
            author.id, self.cmht.id, title, "Meetings after work, so working carers can come."
        )

    async def move(self, idea: Idea, *path: IdeaStatus, duplicate_of: int | None = None) -> Idea:
        """Moves an idea along ``path`` as board A's staff, with a note at each step."""
        for status in path:
            idea = await self.s.ideas.change_status(
                self.sam.id,
                idea.id,
                status,
                f"Moving to {status.label}",
                duplicate_of=duplicate_of if status is IdeaStatus.DUPLICATE else None,
            )
        return idea


ROLES = ("carer", "volunteer", "staff of this board", "staff of another board", "admin")
MAY_RESPOND = {"staff of this board", "admin"}


async def make_world(services: Services, clock: FakeClock) -> World:
    ann = await add_member(services, "ann")
    bev = await add_member(services, "bev")
    cal = await add_member(services, "cal")
    dev = await add_member(services, "dev", role=Role.VOLUNTEER)
    sam = await add_member(services, "sam", role=Role.STAFF)
    nina = await add_member(services, "nina", role=Role.STAFF)
    admin = await services.accounts.add_member("boss", role=Role.ADMIN)
    cmht = await services.boards.add_board(
        "cmht", "Community mental health team", description="Carers' support"
    )
    ward = await services.boards.add_board("ward", "Oakfield ward")
    await services.boards.add_staff("cmht", "sam")
    await services.boards.add_staff("ward", "nina")
    return World(services, clock, ann, bev, cal, dev, sam, nina, admin, cmht, ward)
