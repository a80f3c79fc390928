"""Groups: what each member sees in their list, joining and leaving, and setting groups up."""

from __future__ import annotations

import pytest

from forum_tui.domain.enums import GroupRole, Role, Visibility
from forum_tui.domain.errors import NotFound, PermissionDenied, ValidationError
from forum_tui.domain.models import Group
from forum_tui.services import Services
from tests.conftest import add_member


def by_slug(groups: list[Group]) -> dict[str, Group]:
    return {group.slug: group for group in groups}


async def test_my_groups_count_unread_posts(services: Services) -> None:
    ann = await add_member(services, "ann")
    bob = await add_member(services, "bob")
    sleep = await services.groups.add_group("sleep", "Sleep")
    for handle in ("ann", "bob"):
        await services.groups.add_to_group("sleep", handle)

    thread = await services.threads.start_thread(ann.id, sleep.id, "Night shifts", "Anyone up?")
    mine, _ = await services.groups.list_groups(ann.id)
    assert by_slug(mine)["sleep"].unread == 0  # a thread I started is not news to me
    assert by_slug(mine)["sleep"].thread_count == 1
    mine, _ = await services.groups.list_groups(bob.id)
    assert by_slug(mine)["sleep"].unread == 1

    await services.threads.open_thread(bob.id, thread.id)
    mine, _ = await services.groups.list_groups(bob.id)
    assert by_slug(mine)["sleep"].unread == 0

    await services.threads.reply(ann.id, thread.id, "Me, again.")
    await services.threads.reply(ann.id, thread.id, "And again.")
    mine, _ = await services.groups.list_groups(bob.id)
    assert by_slug(mine)["sleep"].unread == 2
    mine, _ = await services.groups.list_groups(ann.id)
    assert by_slug(mine)["sleep"].unread == 0  # my own replies are not unread either

    await services.threads.reply(bob.id, thread.id, "Here too.")
    mine, _ = await services.groups.list_groups(bob.id)
    assert by_slug(mine)["sleep"].unread == 0  # replying means I saw the thread
    mine, _ = await services.groups.list_groups(ann.id)
    assert by_slug(mine)["sleep"].unread == 1


async def test_open_groups_i_am_not_in_are_offered_to_join(services: Services) -> None:
    ann = await add_member(services, "ann")
    await services.groups.add_group("sleep", "Sleep")
    await services.groups.add_group("young-carers", "Young carers")
    await services.groups.add_to_group("sleep", "ann")

    mine, others = await services.groups.list_groups(ann.id)
    assert [group.slug for group in mine] == ["sleep"]
    assert mine[0].my_role is GroupRole.MEMBER
    assert [group.slug for group in others] == ["young-carers"]
    assert others[0].my_role is None
    assert others[0].unread == 0


async def test_a_private_group_does_not_exist_for_outsiders(services: Services) -> None:
    lead = await add_member(services, "lead")
    ann = await add_member(services, "ann")
    staff = await add_member(services, "jo-staff", role=Role.STAFF)
    hidden = await services.groups.add_group("dads", "Dads who care", visibility=Visibility.PRIVATE)
    await services.groups.set_leader("dads", "lead")
    thread = await services.threads.start_thread(lead.id, hidden.id, "Welcome", "Hello dads")

    with pytest.raises(NotFound) as missing_group:
        await services.groups.get_group(ann.id, 999_999)
    with pytest.raises(NotFound) as missing_thread:
        await services.threads.open_thread(ann.id, 999_999)

    for outsider in (ann, staff):
        mine, others = await services.groups.list_groups(outsider.id)
        assert "dads" not in by_slug(mine) | by_slug(others)
        with pytest.raises(NotFound) as refused:
            await services.groups.get_group(outsider.id, hidden.id)
        assert str(refused.value) == str(missing_group.value)
        with pytest.raises(NotFound) as refused:
            await services.threads.list_threads(outsider.id, hidden.id)
        assert str(refused.value) == str(missing_group.value)
        with pytest.raises(NotFound) as refused:
            await services.threads.open_thread(outsider.id, thread.id)
        assert str(refused.value) == str(missing_thread.value)


async def test_a_private_group_is_visible_to_its_members_and_to_admins(
    services: Services,
) -> None:
    lead = await add_member(services, "lead")
    ann = await add_member(services, "ann")
    admin = await add_member(services, "operator-sam", role=Role.ADMIN)
    hidden = await services.groups.add_group("dads", "Dads who care", visibility=Visibility.PRIVATE)
    await services.groups.set_leader("dads", "lead")
    await services.groups.add_to_group("dads", "ann")
    thread = await services.threads.start_thread(lead.id, hidden.id, "Welcome", "Hello dads")

    mine, _ = await services.groups.list_groups(ann.id)
    assert by_slug(mine)["dads"].my_role is GroupRole.MEMBER
    assert by_slug(mine)["dads"].unread == 1
    assert (await services.groups.get_group(ann.id, hidden.id)).thread_count == 1
    view = await services.threads.open_thread(ann.id, thread.id)
    assert view.posts.items[0].body == "Hello dads"

    _, others = await services.groups.list_groups(admin.id)
    assert by_slug(others)["dads"].visibility is Visibility.PRIVATE
    assert (await services.groups.get_group(admin.id, hidden.id)).name == "Dads who care"
    page = await services.threads.list_threads(admin.id, hidden.id)
    assert [t.title for t in page.items] == ["Welcome"]


async def test_joining_an_open_group(services: Services) -> None:
    ann = await add_member(services, "ann")
    sleep = await services.groups.add_group("sleep", "Sleep")
    joined = await services.groups.join_group(ann.id, sleep.id)
    assert joined.my_role is GroupRole.MEMBER
    again = await services.groups.join_group(ann.id, sleep.id)  # a second press changes nothing
    assert again.my_role is GroupRole.MEMBER
    mine, others = await services.groups.list_groups(ann.id)
    assert [group.slug for group in mine] == ["sleep"]
    assert others == []


async def test_joining_a_private_group_is_refused(services: Services) -> None:
    ann = await add_member(services, "ann")
    admin = await add_member(services, "operator-sam", role=Role.ADMIN)
    hidden = await services.groups.add_group("dads", "Dads who care", visibility=Visibility.PRIVATE)

    with pytest.raises(NotFound):  # an outsider cannot even see it
        await services.groups.join_group(ann.id, hidden.id)
    with pytest.raises(PermissionDenied, match="invite"):  # an admin sees it, but must be invited
        await services.groups.join_group(admin.id, hidden.id)
    for member in (ann, admin):
        mine, _ = await services.groups.list_groups(member.id)
        assert mine == []


async def test_leaving_a_group(services: Services) -> None:
    ann = await add_member(services, "ann")
    sleep = await services.groups.add_group("sleep", "Sleep")
    await services.groups.join_group(ann.id, sleep.id)
    await services.groups.leave_group(ann.id, sleep.id)
    mine, others = await services.groups.list_groups(ann.id)
    assert mine == []
    assert [group.slug for group in others] == ["sleep"]
    with pytest.raises(PermissionDenied, match="Join"):
        await services.threads.start_thread(ann.id, sleep.id, "Still here?", "Hello")


async def test_the_last_leader_cannot_leave(services: Services) -> None:
    lead = await add_member(services, "lead")
    await add_member(services, "second")
    sleep = await services.groups.add_group("sleep", "Sleep")
    await services.groups.set_leader("sleep", "lead")

    with pytest.raises(PermissionDenied, match="only leader"):
        await services.groups.leave_group(lead.id, sleep.id)
    mine, _ = await services.groups.list_groups(lead.id)
    assert by_slug(mine)["sleep"].my_role is GroupRole.LEADER

    await services.groups.set_leader("sleep", "second")
    await services.groups.leave_group(lead.id, sleep.id)
    mine, _ = await services.groups.list_groups(lead.id)
    assert mine == []


async def test_only_admins_and_the_operator_set_up_groups(services: Services) -> None:
    carer = await add_member(services, "ann")
    leader_to_be = await add_member(services, "lead")
    admin = await add_member(services, "operator-sam", role=Role.ADMIN)

    with pytest.raises(PermissionDenied):
        await services.groups.add_group("sleep", "Sleep", actor_id=carer.id)
    with pytest.raises(NotFound):
        await services.groups.find_group("sleep")

    made_by_admin = await services.groups.add_group("sleep", "Sleep", actor_id=admin.id)
    made_by_operator = await services.groups.add_group("young-carers", "Young carers")
    assert (await services.groups.find_group("sleep")).id == made_by_admin.id
    assert (await services.groups.find_group("young-carers")).id == made_by_operator.id

    with pytest.raises(PermissionDenied):
        await services.groups.set_leader("sleep", "lead", actor_id=carer.id)
    mine, _ = await services.groups.list_groups(leader_to_be.id)
    assert mine == []

    await services.groups.set_leader("sleep", "lead", actor_id=admin.id)
    await services.groups.set_leader("young-carers", "lead")
    mine, _ = await services.groups.list_groups(leader_to_be.id)
    assert {group.slug: group.my_role for group in mine} == {
        "sleep": GroupRole.LEADER,
        "young-carers": GroupRole.LEADER,
    }


@pytest.mark.parametrize("slug", ["", "young carers", "-young", "young-", "a" * 41, "café", "a_b"])
async def test_a_bad_slug_is_refused(services: Services, slug: str) -> None:
    with pytest.raises(ValidationError, match="slug"):
        await services.groups.add_group(slug, "Young carers")
    _, others = await services.groups.list_groups((await add_member(services, "ann")).id)
    assert others == []


async def test_a_slug_is_unique(services: Services) -> None:
    await services.groups.add_group("sleep", "Sleep")
    with pytest.raises(ValidationError, match="already"):
        await services.groups.add_group("Sleep", "Sleep again")
