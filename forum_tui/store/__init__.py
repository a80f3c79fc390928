"""SQLAlchemy models, engines and queries. Never imports Textual; never commits on its own."""

from forum_tui.store import ids as _ids  # noqa: F401  (every engine: out-of-range ids are NotFound)
