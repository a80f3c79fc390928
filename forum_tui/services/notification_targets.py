"""What a notification is about, as the ids ``notify`` stores, so Enter on it opens that thing
(issue 8 §4): an idea, the thread at a post, a thread, or (``group_id=``) a group."""

from __future__ import annotations

from forum_tui.domain.moderation import TargetKind


def about(kind: TargetKind, item_id: int, thread_id: int | None) -> dict[str, int | None]:
    """``notify`` keywords for a post (its thread and itself), a thread, or an idea."""
    if kind is TargetKind.IDEA:
        return {"idea_id": item_id}
    if kind is TargetKind.POST:
        return {"thread_id": thread_id, "post_id": item_id}
    if kind is TargetKind.THREAD:
        return {"thread_id": item_id}
    return {}
