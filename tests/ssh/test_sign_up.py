"""Joining over SSH: `ssh new@host` opens the sign-up screen; an invite code makes the account
and puts the new carer in the invite's group."""

from __future__ import annotations

import asyncssh
import pytest

from tests.ssh.conftest import PASSWORD, Screen, SshForum

pytestmark = pytest.mark.ssh


def row(screen: Screen, label: str) -> str:
    return next(line for line in screen.screen.display if line.startswith(f" {label}"))


def in_key_box(screen: Screen) -> bool:
    """The cursor is in the public-key box (the rows under its explanation)."""
    lines = screen.screen.display
    top = next(y for y, line in enumerate(lines) if "starts with ssh-ed25519" in line)
    return any(
        cell.reverse or cell.bg != "default"
        for y in range(top + 1, top + 5)
        for cell in screen.screen.buffer[y].values()
    )


async def type_into(screen: Screen, label: str, text: str) -> None:
    """Types ``text`` and Enter into the box labelled ``label``, once focus is there."""
    await screen.wait_cursor_on(label)
    screen.type(text + "\r")
    await screen.wait_for(lambda _: not screen.cursor_on(label))


async def test_a_new_carer_joins_with_an_invite_and_lands_in_its_group(forum: SshForum) -> None:
    code = await forum.services.access.create_invite(forum.seeded.bob, "carers-corner")
    _conn, screen = await forum.open("new")
    await screen.wait_for("join with an invite code")

    await type_into(screen, "Invite code", "WRNG-CODE-0000")
    await type_into(screen, "Handle", "new_carer")
    await type_into(screen, "Password  ", PASSWORD)
    await type_into(screen, "Password again", "a different one")
    screen.type("\x13")  # Ctrl+S: join
    await screen.wait_for("not the same")  # and both boxes emptied, focus on the first

    await type_into(screen, "Password  ", PASSWORD)
    await type_into(screen, "Password again", PASSWORD)
    screen.type("\x13")
    await screen.wait_for("not one we know")

    screen.type("\x1b[Z" * 4)  # Shift+Tab from the key box back to the code
    await screen.wait_cursor_on("Invite code")
    screen.type("\x15")  # Ctrl+U, on its own: Textual may apply it after keys sent with it
    await screen.wait_for(lambda _: "ABCD-EFGH-JKMN" in row(screen, "Invite code"))
    await type_into(screen, "Invite code", code.lower())
    screen.type("\x09" * 3)  # Tab past the (kept) handle and passwords to the key box
    await screen.wait_for(lambda _: in_key_box(screen))
    key = asyncssh.generate_private_key("ssh-ed25519", comment="phone")
    screen.type(key.export_public_key("openssh").decode().strip())
    await screen.wait_for("AAAA")
    screen.type("\x13")
    await screen.wait_for("signed in as new_carer")
    await screen.wait_for("Carers' Corner")

    member = await forum.services.accounts.find_member("new_carer")
    mine, _ = await forum.services.groups.list_groups(member.id)
    assert [g.slug for g in mine] == ["carers-corner"]
    # The pasted key works straight away, and the password too.
    _conn, again = await forum.open("new_carer", client_keys=[key], preferred_auth="publickey")
    await again.wait_for("signed in as new_carer")
    assert (await forum.services.accounts.sign_in("new_carer", PASSWORD)).id == member.id


async def test_new_is_only_the_sign_up_screen(forum: SshForum) -> None:
    """No password is asked of `new`, and it signs nobody in: Ctrl+Q just leaves."""
    _conn, screen = await forum.open("new", password="anything at all")
    await screen.wait_for("join with an invite code")
    assert "signed in as" not in screen.text
    screen.type("\x11")
    await screen.wait_closed()
