"""NO_COLOR over SSH: no colour codes at all, and focus and selection still visible."""

from __future__ import annotations

import re

import pytest

from tests.ssh.conftest import Screen, SshForum

pytestmark = pytest.mark.ssh

SGR = re.compile(rb"\x1b\[([0-9;:]*)m")


def colour_codes(raw: bytes) -> list[str]:
    """Every SGR parameter that sets a colour (including back to the default)."""
    found = []
    for match in SGR.finditer(raw):
        for param in re.split(rb"[;:]", match.group(1)):
            if param and (30 <= int(param) <= 49 or 90 <= int(param) <= 107):
                found.append(param.decode())
    return found


def plain(screen: Screen) -> bool:
    return all(
        cell.fg == "default" and cell.bg == "default"
        for row in screen.screen.buffer.values()
        for cell in row.values()
    )


async def test_no_color_sends_no_colour_and_keeps_selection_and_focus(forum: SshForum) -> None:
    _conn, screen = await forum.open(env={"NO_COLOR": "1"})
    await screen.wait_highlighted("Carers' Corner")  # the selection: a marker and bold
    screen.type("\r")
    await screen.wait_highlighted("Respite - does it exist?")
    screen.type("\r")
    await screen.wait_for("Has anyone found respite")
    assert plain(screen)
    assert colour_codes(bytes(screen.raw)) == []
    # The focused post is marked by a bar at its left edge, a character, not a colour.
    await screen.wait_for(lambda _: any(line[:1] in "▌▊█▐" for line in screen.screen.display))


async def test_without_no_color_the_same_screens_use_colour(forum: SshForum) -> None:
    _conn, screen = await forum.open()
    await screen.wait_highlighted("Carers' Corner")
    assert colour_codes(bytes(screen.raw)) != []  # the check above can fail
