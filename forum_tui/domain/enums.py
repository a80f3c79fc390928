from enum import StrEnum


class Role(StrEnum):
    """A member's site-wide role. Group leadership is a membership role, not this."""

    CARER = "carer"
    VOLUNTEER = "volunteer"
    STAFF = "staff"
    ADMIN = "admin"


class MemberState(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    ERASED = "erased"


class Visibility(StrEnum):
    OPEN = "open"  # any member may join
    PRIVATE = "private"  # invitation by a leader; invisible to everyone else


class GroupRole(StrEnum):
    MEMBER = "member"
    LEADER = "leader"
