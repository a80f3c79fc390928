"""Full-text search over posts, threads and ideas: one store function for both databases.

The indexes (migrations 0003 and 0008) live outside the models:

* SQLite: FTS5 tables ``posts_fts`` (body), ``threads_fts`` (title) and ``ideas_fts`` (title,
  body), external content with porter stemming, kept in step by triggers.
* PostgreSQL: a stored generated ``search_vector`` tsvector column with a GIN index on each of
  ``posts``, ``threads`` and ``ideas`` (English stemming; an idea's title weighs more).

Speed (design.md §3): ranking every match of two common words is what makes full-text search
slow on a big table, so nothing here ranks every match. A member's search lists matches newest
first, which both databases answer by walking matches in id order and stopping after a page.
A ranked search (the similar-ideas hint) ranks only the newest ``window`` matches.

Member input arrives as :class:`~forum_tui.domain.search.Terms`: plain words only. Each word is
quoted for FTS5 and is a bare lexeme for ``to_tsquery``, so nothing typed is query syntax.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, bindparam, column, text
from sqlalchemy.ext.asyncio import AsyncSession

from forum_tui.domain.search import Match, ResultKind, Terms
from forum_tui.store.tables import UTCDateTime

RANK_WINDOW = 500


@dataclass(frozen=True)
class Scope:
    """Where a search may look, decided by the service from who is searching.

    ``None`` in the first three means "everywhere" (an admin); an empty tuple means "nowhere".
    """

    visible_groups: Sequence[int] | None
    revealed_groups: Sequence[int] | None  # groups whose hidden posts and threads are shown
    revealed_boards: Sequence[int] | None  # boards whose hidden ideas are shown
    group_id: int | None = None
    board_id: int | None = None
    author_id: int | None = None
    skip_duplicates: bool = False


def fts5_query(terms: Terms) -> str:
    quoted = [f'"{word}"' for word in terms.words]
    if terms.match == Match.PHRASE:
        return '"' + " ".join(terms.words) + '"'
    if terms.prefix_last:
        quoted[-1] += " *"
    return (" OR " if terms.match == Match.ANY else " ").join(quoted)


def tsquery(terms: Terms) -> str:
    lexemes = list(terms.words)
    if terms.prefix_last:
        lexemes[-1] += ":*"
    joiner = {Match.ALL: " & ", Match.ANY: " | ", Match.PHRASE: " <-> "}[terms.match]
    return joiner.join(lexemes)


# kind -> (FTS5 table, the row table's alias and name, joins, group column)
_FROM = {
    ResultKind.POST: (
        "posts_fts",
        "posts p",
        "p",
        " CROSS JOIN threads t",
        "AND t.id = p.thread_id",
    ),
    ResultKind.THREAD: ("threads_fts", "threads t", "t", "", ""),
    ResultKind.IDEA: ("ideas_fts", "ideas i", "i", "", ""),
}


def _filters(kind: ResultKind, scope: Scope, params: dict[str, object]) -> list[str]:
    where: list[str] = []
    if kind is ResultKind.IDEA:
        if scope.revealed_boards is not None:
            params["revealed"] = list(scope.revealed_boards) or [0]
            where.append("AND (i.hidden_at IS NULL OR i.board_id IN :revealed)")
        if scope.board_id is not None:
            params["board_id"] = scope.board_id
            where.append("AND i.board_id = :board_id")
        if scope.author_id is not None:
            params["author_id"] = scope.author_id
            where.append("AND i.author_id = :author_id")
        if scope.skip_duplicates:
            where.append("AND i.status != 'duplicate'")
        return where
    if scope.visible_groups is not None:
        params["visible"] = list(scope.visible_groups) or [0]
        where.append("AND t.group_id IN :visible")
    if scope.revealed_groups is not None:
        params["revealed"] = list(scope.revealed_groups) or [0]
        hidden = "p.hidden_at IS NULL AND t.hidden_at IS NULL"
        if kind is ResultKind.THREAD:
            hidden = "t.hidden_at IS NULL"
        where.append(f"AND (({hidden}) OR t.group_id IN :revealed)")
    if scope.group_id is not None:
        params["group_id"] = scope.group_id
        where.append("AND t.group_id = :group_id")
    if scope.author_id is not None:
        params["author_id"] = scope.author_id
        where.append(f"AND {'p' if kind is ResultKind.POST else 't'}.author_id = :author_id")
    return where


async def search(
    session: AsyncSession,
    kind: ResultKind,
    terms: Terms,
    scope: Scope,
    *,
    before: int | None = None,
    limit: int = 20,
    ranked: bool = False,
) -> list[tuple[int, datetime]]:
    """Ids (and creation times) of ``kind`` rows matching ``terms`` inside ``scope``.

    Newest first (by id, below ``before`` when given), at most ``limit``. ``ranked``: best
    match first among the newest ``RANK_WINDOW`` matches instead (``before`` is ignored).
    """
    if not terms.words or limit <= 0:
        return []
    postgres = session.bind.dialect.name == "postgresql"
    fts, table, alias, join, join_on = _FROM[kind]
    params: dict[str, object] = {"limit": limit}
    where = _filters(kind, scope, params)
    if before is not None and not ranked:
        params["before"] = before
        where.append(f"AND {alias}.id < :before")
    if postgres:
        params["query"] = tsquery(terms)
        match = f"{alias}.search_vector @@ to_tsquery('english', :query)"
        score = f"ts_rank({alias}.search_vector, to_tsquery('english', :query))"
        source = f"FROM {table}{join.replace('CROSS JOIN', 'JOIN')} "
        source += f"{join_on.replace('AND', 'ON', 1)} " if join_on else ""
        order = f"{alias}.id DESC"
        best = "score DESC, id DESC"
    else:
        params["query"] = fts5_query(terms)
        # CROSS JOIN keeps the FTS table as the outer loop: SQLite then walks the matches in
        # rowid order and stops at the limit, whatever the statistics say about the filters.
        match = f"{fts} MATCH :query {join_on} AND {alias}.id = {fts}.rowid"
        score = f"bm25({fts}" + (", 2.0, 1.0)" if kind is ResultKind.IDEA else ")")
        source = f"FROM {fts} CROSS JOIN {table}{join} "
        order = f"{fts}.rowid DESC"
        best = "score, id DESC"
    inner = (
        f"SELECT {alias}.id AS id, {alias}.created_at AS created_at"
        + (f", {score} AS score " if ranked else " ")
        + source
        + f"WHERE {match} "
        + " ".join(where)
        + f" ORDER BY {order} LIMIT :"
        + ("window" if ranked else "limit")
    )
    if ranked:
        params["window"] = RANK_WINDOW
        inner = f"SELECT id, created_at FROM ({inner}) AS recent ORDER BY {best} LIMIT :limit"
    statement = (
        text(inner)
        .bindparams(
            *(bindparam(name, expanding=True) for name in ("visible", "revealed") if name in params)
        )
        .columns(column("id", Integer), column("created_at", UTCDateTime()))
    )
    rows = await session.execute(statement, params)
    return [(row[0], row[1]) for row in rows]


__all__ = ["RANK_WINDOW", "Scope", "fts5_query", "search", "tsquery"]
