"""Typed errors shared by every layer.

Services raise these; the UI and the CLI turn them into one clear sentence for the person in
front of the terminal. The message of each error is written for that person, never a traceback.
"""


class ForumError(Exception):
    """Base of every error a member or operator may see. ``str(error)`` is the message."""


class ValidationError(ForumError):
    """The input cannot be accepted as it is (too long, empty, wrong characters)."""


class PermissionDenied(ForumError):
    """The member may not do this here."""


class NotFound(ForumError):
    """Nothing there, or nothing the member may see: the two look the same on purpose."""


class AuthenticationFailed(ForumError):
    """Unknown handle or wrong password; the message never says which."""


class Conflict(ForumError):
    """The thing changed under the member (for example a post edited in two places)."""


class RateLimited(ForumError):
    """Too much, too fast."""


class StoreError(ForumError):
    """The database cannot be used right now, or at all. Nothing the member typed is lost."""


class StoreBusy(StoreError):
    """The database stayed locked longer than we wait; trying again usually works."""


class SchemaMismatch(StoreError):
    """The database schema is older or newer than this program."""


class SignInThrottled(RateLimited):
    """Too many wrong passwords lately for this handle (or from this place): ``wait`` seconds
    before the next try is even checked. Nothing is locked for good."""

    def __init__(self, message: str, wait: int) -> None:
        super().__init__(message)
        self.wait = wait
