"""Partial indexes for the hidden list (services.hiding): only hidden rows are in them, so
listing what is hidden reads a handful of index entries instead of scanning every post at
1 M posts, and costs nothing for the rows that are not hidden (migration 0007)."""

from __future__ import annotations

from sqlalchemy import Index

from forum_tui.store.board_tables import IdeaRow
from forum_tui.store.tables import PostRow, ThreadRow


def _hidden_index(name: str, column: object) -> Index:
    condition = column.is_not(None)  # type: ignore[attr-defined]
    return Index(name, column, sqlite_where=condition, postgresql_where=condition)


HIDDEN_INDEXES = (
    _hidden_index("ix_posts_hidden", PostRow.hidden_at),
    _hidden_index("ix_threads_hidden", ThreadRow.hidden_at),
    _hidden_index("ix_ideas_hidden", IdeaRow.hidden_at),
)
