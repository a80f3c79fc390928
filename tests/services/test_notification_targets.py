"""Issue 8 §4, service side: an edit that brings in crisis language is signposted like a new
post, and every notification names what it is about (the thread and post, the idea, the
outcome, the group) so the app can open it. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

from forum_tui.domain.boards import NotificationKind
from forum_tui.domain.moderation import ReportReason, TargetKind
from forum_tui.services import Services
from tests.conftest import FakeClock
from tests.services.moderation_world import make_world
from tests.services.test_safety import crisis_world, fresh_safety, signpost_rows  # noqa: F401

EDITED = (
    "A post by ann in Sleep › “Nights” was edited and may now mention someone at risk. They "
    "were shown helplines; you may want to check in with them."
)


async def test_an_edit_that_brings_in_crisis_words_is_signposted_like_a_new_post(
    services: Services,
) -> None:
    ann, bob, leo, lou, thread_id = await crisis_world(services)
    post = await services.threads.reply(ann, thread_id, "Rough night again.")
    assert post.signposting is None and await signpost_rows(services) == []

    edited = await services.threads.edit_post(
        ann, post.id, "Rough night. I want to kill myself.", version=post.version
    )
    assert edited.signposting is not None  # the author's helplines, for the screen to show
    rows = await signpost_rows(services)
    assert [(row.member_id, row.text) for row in rows] == [(leo, EDITED), (lou, EDITED)]
    assert {(row.thread_id, row.post_id) for row in rows} == {(thread_id, post.id)}
    # Bob started the thread, so he hears of the reply, but of nothing else: the alert is
    # for the leaders only, and the author sees the helplines on screen, not as a notice.
    told_bob = await services.notifications.list_notifications(bob)
    assert [n.kind for n in told_bob] == [NotificationKind.REPLY]
    assert await services.notifications.list_notifications(ann) == []

    # Edited again, still with crisis words: the leaders already know; nobody is told twice.
    await services.threads.edit_post(
        ann, post.id, "I want to kill myself, honestly.", version=edited.version
    )
    assert len(await signpost_rows(services)) == 2


async def test_an_ordinary_edit_tells_nobody(services: Services) -> None:
    ann, _bob, _leo, _lou, thread_id = await crisis_world(services)
    post = await services.threads.reply(ann, thread_id, "Rough night again.")
    edited = await services.threads.edit_post(
        ann, post.id, "I'm dying for a cup of tea.", version=post.version
    )
    assert edited.signposting is None
    assert await signpost_rows(services) == []


async def test_crisis_alerts_on_replies_and_new_threads_point_at_the_post(
    services: Services,
) -> None:
    ann, _bob, leo, _lou, thread_id = await crisis_world(services)
    post = await services.threads.reply(ann, thread_id, "I'm scared he'll kill himself.")
    group = await services.groups.find_group("sleep")
    thread = await services.threads.start_thread(ann, group.id, "Overdose", "Again tonight.")
    view = await services.threads.open_thread(leo, thread.id)
    first = view.posts.items[0].id
    got = [(n.thread_id, n.post_id) for n in await services.notifications.list_notifications(leo)]
    assert got == [(thread.id, first), (thread_id, post.id)]  # newest first


async def test_every_moderation_notice_names_its_subject(
    services: Services, clock: FakeClock
) -> None:
    w = await make_world(services, clock)
    s, m = w.s, w.s.moderation

    async def latest(member_id: int) -> tuple[NotificationKind, dict[str, int | None]]:
        n = (await s.notifications.list_notifications(member_id))[0]
        ids = {"idea": n.idea_id, "outcome": n.outcome_id, "thread": n.thread_id}
        return n.kind, ids | {"post": n.post_id, "group": n.group_id}

    none = {"idea": None, "outcome": None, "thread": None, "post": None, "group": None}
    # A report reaches the leader as a queue item: the post and its thread.
    await m.report(w.cat.id, TargetKind.POST, w.post.id, ReportReason.UNKIND)
    on_post = none | {"thread": w.thread.id, "post": w.post.id}
    assert await latest(w.lee.id) == (NotificationKind.REPORT, on_post)
    await m.hide(w.lee.id, TargetKind.POST, w.post.id, "unkind words")
    assert await latest(w.bob.id) == (NotificationKind.MODERATION, on_post)
    assert await latest(w.cat.id) == (NotificationKind.REPORT_RESOLVED, on_post)
    await m.report(w.cat.id, TargetKind.THREAD, w.thread.id, ReportReason.UNKIND)
    assert await latest(w.lee.id) == (NotificationKind.REPORT, none | {"thread": w.thread.id})
    await m.report(w.cat.id, TargetKind.IDEA, w.idea.id, ReportReason.UNKIND)
    assert await latest(w.sam.id) == (NotificationKind.REPORT, none | {"idea": w.idea.id})
    # Group-wide acts open the group.
    until = clock() + timedelta(days=1)
    await m.silence(w.lee.id, w.sleep.id, "bob", until, "cool off")
    assert await latest(w.bob.id) == (NotificationKind.MODERATION, none | {"group": w.sleep.id})
    await m.unsilence(w.lee.id, w.sleep.id, "bob")
    assert await latest(w.bob.id) == (NotificationKind.MODERATION, none | {"group": w.sleep.id})
    # Ideas and outcomes, as before.
    await s.ideas.support_idea(w.ann.id, w.idea.id)
    outcome = await s.outcomes.record_outcome(
        w.sam.id, w.cmht.id, "Evening group", "Tuesdays 7pm.", date(2026, 10, 1), [w.idea.id]
    )
    assert await latest(w.ann.id) == (NotificationKind.OUTCOME_CREDIT, none | {
        "outcome": outcome.id, "idea": None})  # fmt: skip
