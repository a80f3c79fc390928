"""The demo is made once; a first run that was interrupted is reported, not left half made."""

from __future__ import annotations

import pytest

from forum_tui import demo_content
from forum_tui.domain.errors import StoreError
from forum_tui.services import Services
from forum_tui.services.demo import seed_demo


async def test_an_interrupted_first_run_is_reported_not_skipped(services: Services) -> None:
    group = demo_content.GROUPS[0]
    # What a first run stopped after creating the first group leaves behind: the group, with
    # none of its threads.
    await services.groups.add_group(group.slug, group.name)

    with pytest.raises(StoreError, match="interrupted") as refused:
        await seed_demo(services)

    assert f"0 of {len(group.threads)}" in str(refused.value)
