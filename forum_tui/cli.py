"""The ``forum-tui`` command: the only place that parses arguments.

Every command prints one clear line and exits non-zero on a problem an operator can fix (wrong
URL, unreachable database, schema too new, unknown handle); no tracebacks.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from forum_tui import __version__
from forum_tui.config import Settings, data_dir
from forum_tui.domain.enums import Role, Visibility
from forum_tui.domain.errors import ForumError
from forum_tui.services import Clock, Services, build_services, utcnow
from forum_tui.store import migrations
from forum_tui.store.database import Database
from forum_tui.store.private_files import loose_files

T = TypeVar("T")


def run(
    work: Callable[[Services], Awaitable[T]],
    settings: Settings,
    *,
    check: bool = True,
    clock: Clock = utcnow,
) -> T:
    """Runs one piece of async work against the database and reports errors as one line."""

    async def main() -> T:
        db = Database(settings.database_url)
        try:
            if check:
                await migrations.ensure_schema(db, create=False)
            return await work(build_services(db, clock))
        finally:
            await db.dispose()

    try:
        return asyncio.run(main())
    except ForumError as error:
        click.echo(f"forum-tui: {error}", err=True)
        sys.exit(1)


def settings_of(ctx: click.Context) -> Settings:
    return ctx.find_root().obj


def report_clock() -> Clock:
    """The time a report says it was made: now, or ``SOURCE_DATE_EPOCH`` when set (the
    reproducible-builds convention), so the same data always gives the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return utcnow
    try:
        fixed = datetime.fromtimestamp(int(epoch), UTC)
    except (ValueError, OverflowError, OSError):
        raise click.BadParameter(
            f"SOURCE_DATE_EPOCH must be whole seconds since 1970, not {epoch!r}"
        ) from None
    return lambda: fixed


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
        for loose in loose_files(data_dir(), filter(None, [services.db.sqlite_path])):
            click.echo(f"forum-tui: warning: {loose.warning}", err=True)

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
    revision = status.revision or "(no revision)"
    click.echo(f"{revision} ({status.state}; this forum-tui: {status.head})")


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


@member.command("suspend")
@click.argument("handle")
@click.option(
    "--until",
    type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]),
    default=None,
    help="When the suspension ends (UTC), e.g. 2026-12-31; without it, until lifted.",
)
@click.option("--reason", required=True, help="Why: recorded in the audit log.")
@click.pass_context
def member_suspend(ctx: click.Context, handle: str, until: Any, reason: str) -> None:
    """Suspend an account site-wide: the member can read but not write."""
    from datetime import UTC

    ends = until.replace(tzinfo=UTC) if until is not None else None

    async def work(services: Services) -> Any:
        return await services.moderation.suspend(None, handle, ends, reason)

    run(work, settings_of(ctx))
    when = f"until {ends:%d %b %Y %H:%M} UTC" if ends else "until lifted"
    click.echo(f"Suspended {handle} {when}.")


@member.command("unsuspend")
@click.argument("handle")
@click.option("--reason", default="", help="Recorded in the audit log.")
@click.pass_context
def member_unsuspend(ctx: click.Context, handle: str, reason: str) -> None:
    """Lift a member's suspension."""

    async def work(services: Services) -> Any:
        return await services.moderation.unsuspend(None, handle, reason)

    run(work, settings_of(ctx))
    click.echo(f"{handle} can write again.")


@member.command("role")
@click.argument("handle")
@click.argument("role", type=click.Choice([role.value for role in Role]))
@click.option("--reason", default="", help="Recorded in the audit log.")
@click.pass_context
def member_role(ctx: click.Context, handle: str, role: str, reason: str) -> None:
    """Change a member's site-wide role (carer, volunteer, staff, admin)."""

    async def work(services: Services) -> Any:
        return await services.moderation.change_role(None, handle, Role(role), reason)

    run(work, settings_of(ctx))
    click.echo(f"{handle} is now {role}.")


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


@main.group()
def board() -> None:
    """Service-improvement boards and their staff."""


@board.command("add")
@click.argument("slug")
@click.argument("name")
@click.option("--description", default="", help="Which service this is, and who answers.")
@click.option(
    "--response-window",
    "response_window",
    type=click.IntRange(1, 365),
    default=28,
    show_default=True,
    metavar="DAYS",
    help="Days within which staff aim to answer each idea; after that it shows as awaiting.",
)
@click.pass_context
def board_add(
    ctx: click.Context, slug: str, name: str, description: str, response_window: int
) -> None:
    """Create a board for one named service."""

    async def work(services: Services) -> Any:
        return await services.boards.add_board(
            slug, name, description=description, response_window_days=response_window
        )

    added = run(work, settings_of(ctx))
    click.echo(
        f"Added board {added.slug}: {added.name} "
        f"(staff answer within {added.response_window_days} days)."
    )


@board.command("staff")
@click.argument("slug")
@click.argument("handle")
@click.pass_context
def board_staff(ctx: click.Context, slug: str, handle: str) -> None:
    """Let a staff (or admin) account respond on a board."""

    async def work(services: Services) -> Any:
        return await services.boards.add_staff(slug, handle)

    run(work, settings_of(ctx))
    click.echo(f"{handle} now responds on {slug}.")


@main.group()
def report() -> None:
    """Reports for commissioners."""


@report.command("board")
@click.argument("slug")
@click.option(
    "--format",
    "output",
    type=click.Choice(["md", "csv"]),
    default="md",
    show_default=True,
    help="md: readable text (Markdown); csv: one table for a spreadsheet.",
)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    metavar="YYYY-MM-DD",
    help="Only ideas added, and outcomes and involvement dated, on or after this day.",
)
@click.pass_context
def report_board(ctx: click.Context, slug: str, output: str, since: Any) -> None:
    """A board's ideas by status, response times, outcomes and involvement hours.

    The report says when it was made; set SOURCE_DATE_EPOCH to fix that time (same data, same
    bytes)."""
    from forum_tui.services.reports import render_report_csv, render_report_md

    async def work(services: Services) -> Any:
        return await services.reports.board_report(slug, since=since.date() if since else None)

    made = run(work, settings_of(ctx), clock=report_clock())
    click.echo(render_report_csv(made) if output == "csv" else render_report_md(made), nl=False)


@main.group()
def involvement() -> None:
    """Co-production involvement: time carers gave."""


@involvement.command("export")
@click.argument("slug")
@click.pass_context
def involvement_export(ctx: click.Context, slug: str) -> None:
    """Print a board's involvement log as CSV (one row per entry), for making payments."""

    async def work(services: Services) -> str:
        return await services.involvement.export_involvement_csv_by_slug(slug)

    click.echo(run(work, settings_of(ctx)), nl=False)


# --- data protection: export, erasure, backup (design.md §7) --------------------------------


@member.command("export")
@click.argument("handle")
@click.option(
    "--output",
    "-o",
    metavar="PATH",
    default=None,
    help="Write to a new file at PATH (mode 0600) instead of standard output.",
)
@click.option(
    "--force",
    is_flag=True,
    help="With --output: replace an existing plain file (a symbolic link is never followed).",
)
@click.pass_context
def member_export(ctx: click.Context, handle: str, output: str | None, force: bool) -> None:
    """Everything held about a member, as JSON (for a subject access request).

    The account (no password hash, SSH key fingerprints only), memberships, threads, posts,
    drafts, ideas, supports, involvement, notifications, invites and audit rows about them.
    """
    from forum_tui.services.export_files import export_json, write_export_file

    async def work(services: Services) -> Any:
        return await services.privacy.export_member(None, handle)

    data = run(work, settings_of(ctx))
    if output is None:
        click.echo(export_json(data), nl=False)
        return
    try:
        written = write_export_file(data, output, force=force)
    except ForumError as error:
        click.echo(f"forum-tui: {error}", err=True)
        sys.exit(1)
    click.echo(f"Wrote the export of {data['account']['handle']} to {written}.", err=True)


@member.command("erase")
@click.argument("handle")
@click.option("--yes", is_flag=True, help="Do not ask: erase at once (for scripts).")
@click.pass_context
def member_erase(ctx: click.Context, handle: str, yes: bool) -> None:
    """Erase a member for good: the account becomes "former member", the text of their posts,
    threads and ideas is removed (threads stay readable), keys and password go. Outcome credits
    and involvement hours stay, anonymised. The audit log records that an erasure happened.

    Irreversible. Without --yes, asks you to type the handle again (needs a terminal).
    """

    async def find(services: Services) -> Any:
        return await services.accounts.find_member(handle)

    found = run(find, settings_of(ctx))
    if not yes:
        if not sys.stdin.isatty():
            click.echo(
                "forum-tui: erasing cannot be undone; run it in a terminal to confirm, "
                "or add --yes.",
                err=True,
            )
            sys.exit(1)
        click.echo(
            f"This erases {found.handle} for good: their posts' text, threads' titles, ideas, "
            "drafts, keys and password. It cannot be undone.",
            err=True,
        )
        typed = click.prompt("Type the handle to confirm", default="", show_default=False)
        if typed.strip() != found.handle:
            click.echo("forum-tui: the handle did not match; nothing was erased.", err=True)
            sys.exit(1)

    async def work(services: Services) -> Any:
        return await services.privacy.erase_member(None, handle)

    erased = run(work, settings_of(ctx))
    click.echo(
        f"Erased {found.handle} (member {erased.member_id}): now shown as 'former member'; "
        f"text removed from {erased.posts} posts, {erased.threads} threads and "
        f"{erased.ideas} ideas."
    )


@db.command("backup")
@click.argument("path")
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@click.pass_context
def db_backup(ctx: click.Context, path: str, force: bool) -> None:
    """Back up the forum to PATH, safely while the server runs (SQLite's online backup).

    For PostgreSQL, prints the pg_dump command to run instead.
    """
    from forum_tui.store import backup
    from forum_tui.store.database import parse_url

    settings = settings_of(ctx)
    try:
        url = parse_url(settings.database_url)
        if url.get_backend_name() != "sqlite":
            click.echo(backup.pg_dump_command(url, path))
            click.echo(
                "forum-tui: PostgreSQL is backed up with pg_dump: run the command above "
                "(restore with pg_restore).",
                err=True,
            )
            return
        target = backup.check_target(path, force=force)
        written = backup.backup_sqlite(url.database or "", target)
    except ForumError as error:
        click.echo(f"forum-tui: {error}", err=True)
        sys.exit(1)
    click.echo(f"Backed up {url.database} to {written}.")


# --- SSH access: keys, invites, and the server ----------------------------------------------


@member.group("key")
def member_key() -> None:
    """Members' SSH public keys (to connect with `ssh HANDLE@HOST` and no password)."""


@member_key.command("add")
@click.argument("handle")
@click.argument("file", metavar="FILE")
@click.pass_context
def member_key_add(ctx: click.Context, handle: str, file: str) -> None:
    """Add the public key in FILE (for example ~/.ssh/id_ed25519.pub; - reads standard input)
    to HANDLE's account."""
    from forum_tui.services.access import KEY_TEXT_MAX

    try:
        if file == "-":
            text = sys.stdin.read(KEY_TEXT_MAX + 1)
        else:
            with open(file, encoding="utf-8", errors="replace") as opened:
                text = opened.read(KEY_TEXT_MAX + 1)
    except OSError as error:
        click.echo(f"forum-tui: cannot read {file}: {error.strerror or error}", err=True)
        sys.exit(1)

    async def work(services: Services) -> Any:
        return await services.access.add_key(handle, text)

    key = run(work, settings_of(ctx))
    comment = f" ({key.comment})" if key.comment else ""
    click.echo(f"Added {key.algorithm} key {key.fingerprint}{comment} to {handle}.")


@main.group()
def invite() -> None:
    """Invite codes: how new carers join (they connect with `ssh new@HOST`)."""


@invite.command("create")
@click.option(
    "--group",
    "group_slug",
    metavar="SLUG",
    default=None,
    help="Put the new member in this group (private groups too).",
)
@click.pass_context
def invite_create(ctx: click.Context, group_slug: str | None) -> None:
    """Make a single-use invite code. It is printed once, alone on standard output."""
    from forum_tui.services.access import INVITE_DAYS

    async def work(services: Services) -> str:
        return await services.access.create_invite(None, group_slug)

    code = run(work, settings_of(ctx))
    click.echo(code)
    where = f", and it puts them in {group_slug}" if group_slug else ""
    click.echo(
        f"Give it to the new member: it works once, for {INVITE_DAYS} days{where}. They "
        "connect with  ssh new@HOST  (add -p PORT if not 22) and type it in.",
        err=True,
    )


@main.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on: 0.0.0.0 (or ::) for every interface.",
)
@click.option("--port", type=click.IntRange(0, 65535), default=2222, show_default=True)
@click.option(
    "--host-key",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The server's ed25519 host key. Made (mode 0600) if missing, never replaced. "
    "[default: ssh_host_ed25519_key in the data dir]",
)
@click.option(
    "--max-sessions",
    type=click.IntRange(1, 100_000),
    default=40,
    show_default=True,
    help="Members' sessions at once in total; each runs its own app process (about 75 MB). "
    "Sign-up sessions (ssh new@HOST) have their own cap of 6, 2 per address.",
)
@click.option(
    "--max-sessions-per-member",
    type=click.IntRange(1, 1000),
    default=3,
    show_default=True,
    help="Sessions at once for one member.",
)
@click.option(
    "--idle-timeout",
    type=click.IntRange(10, None),
    default=1800,
    show_default=True,
    metavar="SECONDS",
    help="End a session after this long without a key press; warned a minute before. "
    "Drafts are kept.",
)
@click.option(
    "--mouse", is_flag=True, help="Let sessions use the mouse (more traffic; off by default)."
)
@click.option(
    "--public-host",
    default=None,
    metavar="NAME",
    help="The host name members use, shown in My data as `ssh HANDLE@NAME export` "
    "[default: the address each member connected to].",
)
@click.option(
    "--public-port",
    type=click.IntRange(1, 65535),
    default=None,
    help="The port members use, if a firewall or NAT forwards another one to --port "
    "[default: the port each member connected to].",
)
@click.option(
    "--warm",
    is_flag=True,
    help="Start sessions by forking a process that has the app loaded: faster to the first "
    "screen, less memory per session.",
)
@click.option(
    "--allow-uncompressed",
    is_flag=True,
    help="Also accept clients that cannot compress (more traffic for them). Off: every "
    "client compresses, plain `ssh` included.",
)
@click.option(
    "--kiosk-account",
    is_flag=True,
    help="Let `ssh kiosk@HOST` (no SSH sign-in) open the forum as a drop-in centre's shared "
    "computer: the sign-in screen, End session, Hide now, idle sign-out. Off by default: it "
    "offers password sign-in to anyone who can reach the port (wrong tries are throttled).",
)
@click.option(
    "--kiosk-idle-minutes",
    type=click.FloatRange(min=1),
    default=5,
    show_default=True,
    help="With --kiosk-account: sign a carer out after this long without a key press.",
)
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    host_key: Path | None,
    max_sessions: int,
    max_sessions_per_member: int,
    idle_timeout: int,
    mouse: bool,
    public_host: str | None,
    public_port: int | None,
    allow_uncompressed: bool,
    warm: bool,
    kiosk_account: bool,
    kiosk_idle_minutes: float,
) -> None:
    """Serve the forum over SSH: `ssh -p PORT HANDLE@HOST` signs in, `ssh new@HOST` joins,
    and with --kiosk-account `ssh kiosk@HOST` is a drop-in centre's shared computer.

    Members sign in with their password or a key added with `forum-tui member key add`.
    Each session runs the app in its own process; only the terminal is offered, and one
    command: `ssh HANDLE@HOST export > my-data.json` downloads the member's own data (no other
    commands, file copying or forwarding). One log line per connection, sign-in and session end goes
    to standard error, without post contents or passwords. SIGTERM (or Ctrl+C) stops it:
    open sessions are ended, and what members were typing is kept as drafts.

    Running under systemd, as a user of its own (no root needed for port 2222):

    \b
      [Unit]
      Description=forum-tui over SSH
      After=network-online.target postgresql.service
      [Service]
      User=forum
      Environment=FORUM_TUI_DATA_DIR=/var/lib/forum-tui
      ExecStart=/opt/forum-tui/.venv/bin/forum-tui serve --host 0.0.0.0 --port 2222
      KillMode=mixed
      TimeoutStopSec=20
      Restart=on-failure
      [Install]
      WantedBy=multi-user.target

    To offer it on port 22, move the admin sshd to another port first (Port 2200 in
    /etc/ssh/sshd_config), then add AmbientCapabilities=CAP_NET_BIND_SERVICE to the unit and
    use --port 22. The README has the details.
    """
    from forum_tui.ssh import server as ssh_server
    from forum_tui.ssh.kiosk_account import KioskAccount
    from forum_tui.ssh.oplog import configure_logging

    settings = settings_of(ctx)
    options = ssh_server.ServeOptions(
        host=host,
        port=port,
        host_key=host_key,
        max_sessions=max_sessions,
        max_sessions_per_member=max_sessions_per_member,
        idle_timeout=float(idle_timeout),
        mouse=mouse,
        public_host=public_host,
        public_port=public_port,
        allow_uncompressed=allow_uncompressed,
        warm=warm,
        kiosk_account=KioskAccount(kiosk_idle_minutes) if kiosk_account else None,
    )
    configure_logging()

    def ready(running: Any) -> None:
        click.echo(
            f"forum-tui: serving over SSH on {host}:{running.port} "
            f"(host key {running.host_key_fingerprint}). Ctrl+C stops.",
            err=True,
        )

    try:
        ssh_server.serve(settings, options, ready=ready)
    except ForumError as error:
        click.echo(f"forum-tui: {error}", err=True)
        sys.exit(1)


from forum_tui.cli_find import digest, search  # noqa: E402

main.add_command(search)
main.add_command(digest)
# Commands of issue 12 (involvement log/set-state/list, group list/slow-mode, board list,
# member list) live in their own module.
from forum_tui import cli_leaders  # noqa: E402

cli_leaders.attach(involvement=involvement, group=group, board=board, member=member)
from forum_tui.cli_kiosk import kiosk, web  # noqa: E402

main.add_command(kiosk)
main.add_command(web)
