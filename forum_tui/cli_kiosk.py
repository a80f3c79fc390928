"""``forum-tui kiosk`` (a shared computer at a drop-in centre) and ``forum-tui web`` (the same
app in a browser tab, for centre PCs that cannot run an SSH client). See design.md §5.
"""

from __future__ import annotations

from datetime import timedelta

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
