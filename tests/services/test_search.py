"""Search: what each member finds (private groups, hidden content), snippets, filters, paging,
and hostile input (the shared corpus) on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from forum_tui.domain.errors import NotFound
from forum_tui.domain.moderation import TargetKind
from forum_tui.domain.search import ResultKind, snippet_text, terms_of
from forum_tui.services import Services
from tests.conftest import FakeClock, add_member
from tests.corpus import load_cases
from tests.services.moderation_world import ROLES, World, make_world


def found(page) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    return [(r.kind.value, r.id) for r in page.items]


@pytest.fixture
async def world(services: Services, clock: FakeClock) -> World:
    w = await make_world(services, clock)
    # Sleep is private (ann, bob, cat, dan, eve; led by lee). Respite is open, led by lee.
    await services.groups.add_to_group("respite", "ann")
    clock.advance(minutes=1)
    w.respite_thread = await services.threads.start_thread(  # type: ignore[attr-defined]
        w.ann.id, w.respite.id, "Respite breaks at night", "Night sitters helped with respite."
    )
    clock.advance(minutes=1)
    return w


async def test_a_reply_is_found_with_its_words_marked(world: World) -> None:
    s = world.s
    page = await s.search.search(world.ann.id, "else 3am")
    assert found(page) == [("post", world.post.id - 2)]
    result = page.items[0]
    assert result.thread_id == world.thread.id and result.post_id == world.post.id - 2
    assert result.title == "Night shifts" and result.place == "Sleep"
    assert result.author_handle == "bob"
    assert snippet_text(result.snippet) == "Who *else* is up at *3am*?"


async def test_threads_posts_and_ideas_newest_first(world: World) -> None:
    s = world.s
    idea = await s.ideas.add_idea(world.ann.id, world.cmht.id, "Night respite", "Sitters at night")
    page = await s.search.search(world.ann.id, "night")
    kinds = [kind for kind, _ in found(page)]
    assert found(page)[0] == ("idea", idea.id)
    assert set(kinds) == {"idea", "thread", "post"}
    assert [r.created_at for r in page.items] == sorted(
        (r.created_at for r in page.items), reverse=True
    )
    stems = await s.search.search(world.ann.id, "nights")  # stemmed: "night" finds "nights"
    assert {r.id for r in stems.items} == {r.id for r in page.items}


@pytest.mark.parametrize("role", ROLES)
async def test_a_private_group_is_searched_by_its_members_only(world: World, role: str) -> None:
    member = world.by_role(role)
    page = await world.s.search.search(member.id, "3am")
    sees = role in ("carer", "leader of this group", "admin")
    assert found(page) == ([("post", world.post.id - 2)] if sees else [])
    # The open group is everyone's.
    assert found(await world.s.search.search(member.id, "sitters")) != []


async def test_an_outsider_cannot_filter_on_a_private_group(world: World) -> None:
    with pytest.raises(NotFound):
        await world.s.search.search(world.lou.id, "night", group_id=world.sleep.id)


@pytest.mark.parametrize("role", ROLES)
async def test_hidden_posts_are_found_only_by_their_moderators(world: World, role: str) -> None:
    s = world.s
    await s.moderation.hide(world.lee.id, TargetKind.POST, world.post.id, "Unkind")
    member = world.by_role(role)
    page = await s.search.search(member.id, "unkind")
    moderates = role in ("leader of this group", "admin")
    assert found(page) == ([("post", world.post.id)] if moderates else [])
    if moderates:
        assert page.items[0].hidden
    # ann wrote nothing hidden; bob, the author, does not find his hidden post either.
    assert found(await s.search.search(world.bob.id, "unkind")) == []


async def test_a_hidden_thread_hides_its_title_and_posts(world: World) -> None:
    s = world.s
    await s.moderation.hide(world.lee.id, TargetKind.THREAD, world.thread.id, "Off topic")
    assert found(await s.search.search(world.ann.id, "shifts")) == []
    assert set(found(await s.search.search(world.ann.id, "nights"))) == {
        ("thread", world.respite_thread.id),  # type: ignore[attr-defined]
        ("post", world.post.id + 1),
    }
    assert found(await s.search.search(world.lee.id, "shifts")) == [("thread", world.thread.id)]


@pytest.mark.parametrize("role", ROLES)
async def test_hidden_ideas_are_found_only_by_the_boards_staff(world: World, role: str) -> None:
    s = world.s
    await s.moderation.hide(world.sam.id, TargetKind.IDEA, world.idea.id, "Duplicate wording")
    page = await s.search.search(world.by_role(role).id, "evening")
    assert found(page) == ([("idea", world.idea.id)] if role in ("staff", "admin") else [])


async def test_filters_group_board_ideas_and_author(world: World) -> None:
    s = world.s
    respite = world.respite_thread  # type: ignore[attr-defined]
    in_group = await s.search.search(world.ann.id, "night", group_id=world.respite.id)
    assert {r.group_id for r in in_group.items} == {world.respite.id}
    assert ("thread", respite.id) in found(in_group)
    await s.ideas.add_idea(world.ann.id, world.cmht.id, "Night respite", "Sitters at night")
    ideas = await s.search.search(world.ann.id, "night", ideas_only=True)
    assert {r.kind for r in ideas.items} == {ResultKind.IDEA}
    on_board = await s.search.search(world.ann.id, "night", board_id=world.cmht.id)
    assert found(on_board) == found(ideas)
    by_bob = await s.search.search(world.ann.id, "night", author="@bob")
    assert {r.author_handle for r in by_bob.items} == {"bob"}
    assert found(by_bob) == [("thread", world.thread.id)]
    with pytest.raises(NotFound):
        await s.search.search(world.ann.id, "night", author="nobody_here")


async def test_a_phrase_needs_its_words_together(world: World) -> None:
    s = world.s
    assert found(await s.search.search(world.ann.id, '"night sitters"')) != []
    assert found(await s.search.search(world.ann.id, '"sitters night"')) == []
    assert found(await s.search.search(world.ann.id, "sitters night")) != []


async def test_keyset_pages_cover_every_match_once(services: Services, clock: FakeClock) -> None:
    ann = await add_member(services, "ann")
    group = await services.groups.add_group("sleep", "Sleep")
    await services.groups.add_to_group("sleep", "ann")
    board = await services.boards.add_board("cmht", "CMHT")
    expected = set()
    for n in range(7):
        thread = await services.threads.start_thread(ann.id, group.id, f"Tired {n}", "tired")
        expected |= {("thread", thread.id), ("post", thread.id)}
        clock.advance(minutes=1)
        idea = await services.ideas.add_idea(ann.id, board.id, f"Less tired {n}", "tired")
        expected.add(("idea", idea.id))
        clock.advance(minutes=1)
    seen: list[tuple[str, int]] = []
    after = None
    for _ in range(20):
        page = await services.search.search(ann.id, "tired", after=after, limit=4)
        assert len(page.items) <= 4
        seen += [(r.kind.value, r.id) for r in page.items]
        after = page.after
        if after is None:
            break
    assert len(seen) == len(set(seen)) == 21
    assert {kind for kind, _ in seen} == {"thread", "post", "idea"}


CORPUS = [case for case in load_cases() if isinstance(case.value, str)]


async def test_the_bad_input_corpus_searches_without_error(world: World) -> None:
    s = world.s
    for case in CORPUS:
        for typed in (case.value, f'"{case.value}"', f"night {case.value}"):
            page = await s.search.search(world.ann.id, typed)
            assert all(r.kind in ResultKind for r in page.items), case.id


@pytest.mark.parametrize("typed", ['"NEAR( * OR', "100%_", '"', "*", "OR", "(", "' OR 1=1 --"])
async def test_query_syntax_is_searched_as_words(world: World, typed: str) -> None:
    page = await world.s.search.search(world.ann.id, typed)
    assert page.items == () or all(r.kind in ResultKind for r in page.items)


async def test_nothing_to_search_finds_nothing() -> None:
    assert terms_of("  %_*( ") is None
    assert terms_of('"respite care"') is not None
