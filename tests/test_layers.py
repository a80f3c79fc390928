"""The layer boundary (design.md §3): everything below the UI works without Textual.

The CLI, the SSH server and the tests call services directly; if importing them pulled in
Textual, a UI change could break `forum-tui db upgrade` and every headless use.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HEADLESS = (
    "forum_tui.domain",
    "forum_tui.store",
    "forum_tui.services",
    "forum_tui.services.demo",
    "forum_tui.cli",
)

CHECK = f"""
import sys
import {", ".join(HEADLESS)}
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
assert not loaded, "Textual was imported: " + ", ".join(loaded[:5])
"""


def test_the_layers_below_the_ui_do_not_import_textual() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
