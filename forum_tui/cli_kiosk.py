"""``forum-tui kiosk`` (a shared computer at a drop-in centre) and ``forum-tui web`` (the same
app in a browser tab, for centre PCs that cannot run an SSH client). See design.md §5.
"""

from __future__ import annotations

import os
import shlex
import sys
from datetime import timedelta
from pathlib import Path

import click

from forum_tui.cli import run, settings_of
from forum_tui.services import Services
from forum_tui.store import migrations


def _check_database(ctx: click.Context) -> None:
    async def check(services: Services) -> None:
        await migrations.ensure_schema(services.db, create=True)

    run(check, settings_of(ctx), check=False)


@click.command()
@click.option(
    "--idle-minutes",
    type=click.FloatRange(min=1),
    default=5,
    show_default=True,
    help="Sign out after this long without a key press (a warning shows 30 seconds before).",
)
@click.pass_context
def kiosk(ctx: click.Context, idle_minutes: float) -> None:
    """Open the forum for a shared computer: sign-in first, End session (Ctrl+E) and Hide now
    (Ctrl+G) sign out and clear the screen and scrollback; idle sign-out. Ctrl+Q ends the
    session, not the program: close the terminal window to stop the kiosk."""
    from forum_tui.ui.app import make_app
    from forum_tui.ui.kiosk import KioskSettings

    _check_database(ctx)
    settings = KioskSettings(idle_after=timedelta(minutes=idle_minutes))
    make_app(settings_of(ctx), kiosk=settings).run()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--public-url",
    metavar="URL",
    help="The address browsers use, when behind a TLS reverse proxy "
    "(e.g. https://forum.example.org). Default: http://HOST:PORT.",
)
@click.option(
    "--kiosk", "as_kiosk", is_flag=True, help="Each tab is a kiosk (see forum-tui kiosk)."
)
@click.option(
    "--idle-minutes",
    type=click.FloatRange(min=1),
    default=5,
    show_default=True,
    help="With --kiosk: sign out after this long without a key press.",
)
@click.pass_context
def web(
    ctx: click.Context,
    host: str,
    port: int,
    public_url: str | None,
    as_kiosk: bool,
    idle_minutes: float,
) -> None:
    """Serve the forum to web browsers (textual-serve): each browser tab gets its own app
    process, which starts at the sign-in screen. Plain HTTP: put it behind a TLS reverse proxy
    (see the README) before anyone outside this computer uses it."""
    from textual_serve.server import Server

    _check_database(ctx)
    # Each tab's process inherits the environment: the database URL goes there, not on a
    # command line that any local user could read (it may hold a password).
    os.environ["FORUM_TUI_DATABASE_URL"] = settings_of(ctx).database_url
    server = Server(
        web_command(kiosk=as_kiosk, idle_minutes=idle_minutes),
        host=host,
        port=port,
        title="forum-tui",
        public_url=public_url.rstrip("/") if public_url else None,
        templates_path=Path(__file__).parent / "web_templates",
    )
    click.echo(f"forum-tui: serving to browsers on {server.public_url}. Ctrl+C stops.", err=True)
    server.serve()


def web_command(*, kiosk: bool, idle_minutes: float = 5) -> str:
    """The shell command textual-serve runs for each tab: this Python, this forum. Only
    operator-given settings go in, each quoted; nothing a member types."""
    argv = [sys.executable, "-m", "forum_tui"]
    if kiosk:
        argv += ["kiosk", "--idle-minutes", str(idle_minutes)]
    return shlex.join(argv)
