"""Commands for the jobs of staff and leaders (issue 12): the involvement ledger, slow mode, and
the directory of groups, boards and members. Attached to the command groups of ``cli.py``."""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from forum_tui.domain.boards import Involvement, InvolvementState, Recognition
from forum_tui.domain.enums import Role
from forum_tui.domain.leaders import DirectoryEntry
from forum_tui.services import Services


def _run(ctx: click.Context, work: Any) -> Any:
    from forum_tui.cli import run, settings_of

    return run(work, settings_of(ctx))


def involvement_line(entry: Involvement) -> str:
    owed = "  <- owed" if entry.state is InvolvementState.PROMISED else ""
    return (
        f"{entry.id}\t{entry.happened_on.isoformat()}\t{entry.member_handle}\t"
        f"{entry.hours:g} h\t{entry.recognition.value}\t{entry.state.value}\t"
        f"{entry.activity}{owed}"
    )


@click.command("log")
@click.argument("slug")
@click.argument("handle")
@click.option("--hours", type=float, required=True, help="Time given, e.g. 2.5 (up to 24).")
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    metavar="YYYY-MM-DD",
    help="When it happened (default: today). Not in the future.",
)
@click.option("--activity", required=True, help="What they did, e.g. 'Leaflet review workshop'.")
@click.option(
    "--recognition",
    type=click.Choice([r.value for r in Recognition]),
    required=True,
    help="What the member chose: thanks, a voucher, or payment.",
)
@click.option(
    "--state",
    type=click.Choice([s.value for s in InvolvementState]),
    default=InvolvementState.PROMISED.value,
    show_default=True,
    help="promised until it is given (thanks, voucher) or paid.",
)
@click.pass_context
def involvement_log(
    ctx: click.Context,
    slug: str,
    handle: str,
    hours: float,
    day: Any,
    activity: str,
    recognition: str,
    state: str,
) -> None:
    """Log time a member gave to a board's co-production work."""
    happened = day.date() if day is not None else date.today()

    async def work(services: Services) -> Involvement:
        return await services.involvement.log_involvement_by_slug(
            slug,
            handle,
            happened,
            activity,
            hours,
            Recognition(recognition),
            InvolvementState(state),
        )

    entry = _run(ctx, work)
    click.echo(
        f"Logged entry {entry.id}: {entry.member_handle}, {entry.hours:g} hours on "
        f"{entry.happened_on.isoformat()} for {entry.board_name} ({entry.recognition.value}, "
        f"{entry.state.value})."
    )


@click.command("set-state")
@click.argument("entry_id", type=int, metavar="ENTRY")
@click.argument("state", type=click.Choice([s.value for s in InvolvementState]))
@click.pass_context
def involvement_set_state(ctx: click.Context, entry_id: int, state: str) -> None:
    """Mark an involvement entry promised, given (thanks, voucher) or paid (payment).

    ENTRY is the number `involvement log` printed, or the first column of `involvement list`.
    """

    async def work(services: Services) -> Involvement:
        return await services.involvement.set_involvement_state_as_operator(
            entry_id, InvolvementState(state)
        )

    entry = _run(ctx, work)
    click.echo(
        f"Entry {entry.id} ({entry.member_handle}, {entry.hours:g} hours, "
        f"{entry.recognition.value}) is now {entry.state.value}."
    )


@click.command("list")
@click.argument("slug")
@click.pass_context
def involvement_list(ctx: click.Context, slug: str) -> None:
    """A board's involvement log: what is still owed first, then the rest, newest first.

    Columns: entry, date, member, hours, recognition, state, activity.
    """

    async def work(services: Services) -> list[Involvement]:
        return await services.involvement.board_involvement_by_slug(slug)

    entries = _run(ctx, work)
    if not entries:
        click.echo("No involvement logged on this board yet.")
    for entry in entries:
        click.echo(involvement_line(entry))


def _print(entries: list[DirectoryEntry], empty: str) -> None:
    if not entries:
        click.echo(empty)
    for entry in entries:
        name = f"\t{entry.name}" if entry.name else "\t-"
        click.echo(f"{entry.slug}{name}\t{entry.detail}")


@click.command("list")
@click.pass_context
def group_list(ctx: click.Context) -> None:
    """Every group: slug, name, visibility, members and leaders."""

    async def work(services: Services) -> list[DirectoryEntry]:
        return await services.directory.groups()

    _print(_run(ctx, work), "No groups yet: forum-tui group add SLUG NAME.")


@click.command("slow-mode")
@click.argument("slug")
@click.argument("seconds", type=click.IntRange(0, 86_400))
@click.pass_context
def group_slow_mode(ctx: click.Context, slug: str, seconds: int) -> None:
    """Let each member post at most once per SECONDS in a group (0 turns it off)."""
    from forum_tui.services.slow_mode import slow_mode_words

    async def work(services: Services) -> str:
        return await services.slow_mode.set_slow_mode_by_slug(slug, seconds)

    name = _run(ctx, work)
    click.echo(f"Slow mode in {name}: {slow_mode_words(seconds)}.")


@click.command("list")
@click.pass_context
def board_list(ctx: click.Context) -> None:
    """Every board: slug, name and staff."""

    async def work(services: Services) -> list[DirectoryEntry]:
        return await services.directory.boards()

    _print(_run(ctx, work), "No boards yet: forum-tui board add SLUG NAME.")


@click.command("list")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=None)
@click.pass_context
def member_list(ctx: click.Context, role: str | None) -> None:
    """Every member: handle, display name, role and state (erased accounts left out)."""

    async def work(services: Services) -> list[DirectoryEntry]:
        return await services.directory.members(Role(role) if role else None)

    _print(_run(ctx, work), "No members" + (f" with the role {role}." if role else "."))


def attach(
    *, involvement: click.Group, group: click.Group, board: click.Group, member: click.Group
) -> None:
    """Adds these commands to ``cli.py``'s groups."""
    for command in (involvement_log, involvement_set_state, involvement_list):
        involvement.add_command(command)
    group.add_command(group_list)
    group.add_command(group_slow_mode)
    board.add_command(board_list)
    member.add_command(member_list)
