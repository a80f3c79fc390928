"""SQLAlchemy models, engines and queries. Never imports Textual; never commits on its own."""
