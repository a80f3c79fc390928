"""``forum-tui search`` and ``forum-tui digest``: find and follow, for operators and scripts."""

from __future__ import annotations

import json
from datetime import UTC
from typing import Any

import click

from forum_tui.domain.search import SearchResult, snippet_text
from forum_tui.services import Services


def _result_json(result: SearchResult) -> dict[str, Any]:
    return {
        "kind": result.kind.value,
        "id": result.id,
        "title": result.title,
        "place": result.place,
        "author": result.author_handle,
        "created_at": result.created_at.isoformat(),
        "snippet": snippet_text(result.snippet),
        "thread_id": result.thread_id,
        "post_id": result.post_id,
        "idea_id": result.idea_id,
        "hidden": result.hidden,
    }


def _result_line(result: SearchResult) -> str:
    hidden = " [hidden]" if result.hidden else ""
    where = f"{result.kind.value} {result.id} · {result.place} · {result.title}"
    return (
        f"{where} · {result.author_handle} · {result.created_at:%Y-%m-%d}{hidden}\n"
        f"  {snippet_text(result.snippet)}"
    )


@click.command()
@click.argument("query")
@click.option(
    "--as",
    "as_handle",
    metavar="HANDLE",
    help="Search as this member sees the forum (default: everything, as an admin sees it).",
)
@click.option("--group", "group_slug", metavar="SLUG", help="Only this group's threads and posts.")
@click.option("--board", "board_slug", metavar="SLUG", help="Only this board's ideas.")
@click.option("--ideas", "ideas_only", is_flag=True, help="Only ideas.")
@click.option("--author", metavar="HANDLE", help="Only what this member wrote.")
@click.option("--limit", type=click.IntRange(1, 50), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_context
def search(
    ctx: click.Context,
    query: str,
    as_handle: str | None,
    group_slug: str | None,
    board_slug: str | None,
    ideas_only: bool,
    author: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Search threads, posts and ideas, newest first. QUERY is words, or "a phrase" in quotes;
    nothing in it is read as search syntax."""
    from forum_tui.cli import run, settings_of

    async def work(services: Services) -> list[SearchResult]:
        member_id = None
        group_id = board_id = None
        if as_handle is not None:
            member_id = (await services.accounts.find_member(as_handle)).id
        if group_slug is not None:
            group_id = (await services.groups.find_group(group_slug)).id
        if board_slug is not None:
            board_id = (await services.boards.find_board(board_slug)).id
        page = await services.search.search(
            member_id,
            query,
            group_id=group_id,
            board_id=board_id,
            ideas_only=ideas_only,
            author=author,
            limit=limit,
        )
        return list(page.items)

    results = run(work, settings_of(ctx))
    for result in results:
        click.echo(json.dumps(_result_json(result)) if as_json else _result_line(result))
    if not results and not as_json:
        click.echo("Nothing found.")


@click.command()
@click.argument("handle")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    metavar="YYYY-MM-DD",
    help="From this day (UTC; default: the last 7 days).",
)
@click.pass_context
def digest(ctx: click.Context, handle: str, since: Any) -> None:
    """Print a short plain-text summary of what is new for a member, to send by mail or SMS."""
    from forum_tui.cli import run, settings_of

    async def work(services: Services) -> str:
        return await services.digest.digest(
            handle, since.replace(tzinfo=UTC) if since is not None else None
        )

    click.echo(run(work, settings_of(ctx)), nl=False)
