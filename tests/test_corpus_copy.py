"""The suite's copy of the bad-input corpus is the shared one, while the shared one is beside us.

The tests read only ``tests/bad_inputs/`` (a fresh clone has nothing beside it). Where the shared
corpus is beside the checkout, as in CI, this fails as soon as the two differ, so a case added
to ``../shared/bad-inputs/`` cannot go untested: copy it in.
"""

from __future__ import annotations

import json

import pytest

from tests.corpus import CORPUS_PATH, SHARED_CORPUS_PATH, load_cases


def test_the_copy_is_complete_and_loads() -> None:
    loaded = load_cases()
    raw = json.loads(CORPUS_PATH.read_text(encoding="utf-8"))
    assert len(loaded) == len(raw) > 0
    assert {case.channel for case in loaded} >= {"post", "name", "search", "ssh"}


@pytest.mark.skipif(
    not SHARED_CORPUS_PATH.exists(),
    reason="no ../shared/bad-inputs beside this checkout: nothing to compare the copy with",
)
def test_the_copy_matches_the_shared_corpus() -> None:
    shared = json.loads(SHARED_CORPUS_PATH.read_text(encoding="utf-8"))
    ours = json.loads(CORPUS_PATH.read_text(encoding="utf-8"))
    missing = sorted({case["id"] for case in shared} - {case["id"] for case in ours})
    assert not missing, f"copy ../shared/bad-inputs/* into tests/bad_inputs/: missing {missing}"
    assert ours == shared, "tests/bad_inputs/cases.json differs from ../shared/bad-inputs"
