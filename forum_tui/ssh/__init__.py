"""The SSH front end: `forum-tui serve` (server.py) and each session's app process
(session.py, started by child.py)."""
