"""The ``forum-tui`` command: the only place that parses arguments.

Every command prints one clear line and exits non-zero on a problem an operator can fix (wrong
URL, unreachable database, schema too new, unknown handle); no tracebacks.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click

from forum_tui import __version__
from forum_tui.config import Settings
from forum_tui.domain.enums import Role, Visibility
from forum_tui.domain.errors import ForumError
from forum_tui.services import Services, build_services
from forum_tui.store import migrations
from forum_tui.store.database import Database

T = TypeVar("T")


def run(work: Callable[[Services], Awaitable[T]], settings: Settings, *, check: bool = True) -> T:
    """Runs one piece of async work against the database and reports errors as one line."""

    async def main() -> T:
        db = Database(settings.database_url)
        try:
            if check:
                await migrations.ensure_schema(db, create=False)
            return await work(build_services(db))
        finally:
            await db.dispose()

    try:
        return asyncio.run(main())
    except ForumError as error:
        click.echo(f"forum-tui: {error}", err=True)
        sys.exit(1)


def settings_of(ctx: click.Context) -> Settings:
    return ctx.find_root().obj


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "database_url",
    metavar="URL",
    help="Database URL: sqlite+aiosqlite:///PATH or postgresql+asyncpg://USER@HOST/DB "
    "(default: FORUM_TUI_DATABASE_URL, else forum.db in the user data dir).",
)
@click.version_option(__version__, prog_name="forum-tui")
@click.pass_context
def main(ctx: click.Context, database_url: str | None) -> None:
    """forum-tui: peer support and "you said, we did" for unpaid carers.

    With no command, opens the forum at its sign-in screen.
    """
    ctx.obj = Settings.load(database_url)
    if ctx.invoked_subcommand is None:
        open_app(ctx.obj, member_id=None, create=True)


def open_app(settings: Settings, member_id: int | None, *, create: bool) -> None:
    """Checks the database first, so problems print as a line, not inside the full screen."""

    async def check(services: Services) -> None:
        await migrations.ensure_schema(services.db, create=create)
        if member_id is not None:
            await services.accounts.get_member(member_id)

    run(check, settings, check=False)
    from forum_tui.ui.app import make_app

    make_app(settings, member_id=member_id).run()


@main.command()
@click.option(
    "--sign-in",
    is_flag=True,
    help="Start at the sign-in screen instead (demo accounts share the README's password).",
)
@click.pass_context
def demo(ctx: click.Context, sign_in: bool) -> None:
    """Open the forum signed in as a demo carer, on a demo database made the first time.

    The demo lives in demo.db in the user data dir unless --db or FORUM_TUI_DATABASE_URL
    chooses a database. Running it again never duplicates the demo content.
    """
    from forum_tui.services.demo import demo_is_seeded, seed_demo

    settings = settings_of(ctx).for_demo()

    async def prepare(services: Services) -> int:
        await migrations.ensure_schema(services.db, create=True, upgrade_older=True)
        if not await demo_is_seeded(services):
            click.echo("Setting up the demo forum (first time only, a few seconds)…", err=True)
        return await seed_demo(services)

    member_id = run(prepare, settings, check=False)
    open_app(settings, member_id=None if sign_in else member_id, create=False)


@main.group()
def db() -> None:
    """Database schema: upgrade it, or see its revision."""


@db.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Bring the database to this version's schema, keeping all data."""
    settings = settings_of(ctx)

    async def work(services: Services) -> tuple[str | None, str | None]:
        before = await migrations.current_revision(services.db)
        await migrations.upgrade(services.db)
        return before, await migrations.current_revision(services.db)

    before, after = run(work, settings, check=False)
    if before == after:
        click.echo(f"Already up to date at schema {after}.")
    else:
        click.echo(f"Upgraded from schema {before or '(empty)'} to {after}.")


@db.command("current")
@click.pass_context
def db_current(ctx: click.Context) -> None:
    """Show the database's schema revision and whether it needs an upgrade."""

    async def work(services: Services) -> migrations.SchemaStatus:
        return await migrations.schema_status(services.db)

    status = run(work, settings_of(ctx), check=False)
    click.echo(f"{status.revision or '(empty)'} ({status.state}; this forum-tui: {status.head})")


@main.group()
def member() -> None:
    """Member accounts."""


@member.command("add")
@click.argument("handle")
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    default=Role.CARER.value,
    show_default=True,
)
@click.option("--display-name", default=None, help="Optional name shown beside the handle.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from standard input (first line) instead of asking.",
)
@click.pass_context
def member_add(
    ctx: click.Context, handle: str, role: str, display_name: str | None, password_stdin: bool
) -> None:
    """Create a member account with a password."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)

    async def work(services: Services) -> Any:
        return await services.accounts.add_member(
            handle,
            password=password,
            role=Role(role),
            display_name=display_name,
            allow_reserved=True,
        )

    added = run(work, settings_of(ctx))
    click.echo(f"Added {added.handle} ({added.role}).")


@main.group()
def group() -> None:
    """Peer-support groups."""


@group.command("add")
@click.argument("slug")
@click.argument("name")
@click.option("--private", is_flag=True, help="Members join by a leader's invitation only.")
@click.option("--description", default="", help="What the group is for, and when it is read.")
@click.pass_context
def group_add(ctx: click.Context, slug: str, name: str, private: bool, description: str) -> None:
    """Create a group."""

    async def work(services: Services) -> Any:
        return await services.groups.add_group(
            slug,
            name,
            description=description,
            visibility=Visibility.PRIVATE if private else Visibility.OPEN,
        )

    added = run(work, settings_of(ctx))
    click.echo(f"Added group {added.slug} ({added.visibility}): {added.name}")


@group.command("leader")
@click.argument("slug")
@click.argument("handle")
@click.pass_context
def group_leader(ctx: click.Context, slug: str, handle: str) -> None:
    """Make a member a leader of a group (joining them to it if needed)."""

    async def work(services: Services) -> Any:
        return await services.groups.set_leader(slug, handle)

    run(work, settings_of(ctx))
    click.echo(f"{handle} now leads {slug}.")
