"""forum-tui: peer support and "you said, we did" for unpaid carers, in a terminal."""

__version__ = "0.1.0"
