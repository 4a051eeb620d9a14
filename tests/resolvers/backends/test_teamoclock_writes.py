"""TeamOclockClient writes and single pages, against the emulator and a recording mock."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest

from gateway.emulators.cast import Cast
from gateway.emulators.cast_build import build_cast
from resolvers.backends.base import Slice
from resolvers.backends.errors import UpstreamBadResponse, UpstreamNotFound, UpstreamRejected
from resolvers.backends.teamoclock import (
    ActionItem,
    ActiveMeeting,
    Member,
    MemberRef,
    Team,
    TeamOclockClient,
    TeamRef,
    TimelineRetro,
)
from tests.conftest import NOW
from tests.recording import CallLog
from tests.resolvers.backends.test_teamoclock_client import (
    BASE_URL,
    PLATFORM,
    answering,
    calls,
    client_for,
    mock_client,
)

MOBILE = TeamRef(name="Mobile", slug="mobile")
REJECTED = "answered 400: Invalid request: Enter a valid json body"


@pytest.fixture
async def client(cast: Cast, call_log: CallLog) -> AsyncIterator[TeamOclockClient]:
    client = client_for(cast, log=call_log)
    yield client
    await client.http.aclose()


async def team_usernames(client: TeamOclockClient, slug: str) -> list[str]:
    return [m.username for m in await client.list_team_members(slug)]


# -- members ----------------------------------------------------------------------------------


async def test_members_are_created_updated_and_deleted(client: TeamOclockClient) -> None:
    zoe = await client.create_member("zoe", first_name="Zoe", last_name="Park")
    assert zoe == Member(username="zoe", first_name="Zoe", last_name="Park", role="member")
    assert await client.get_member("zoe") == zoe
    bob = await client.update_member("bob", last_name="Builder", role="manager")
    assert (bob.full_name, bob.role) == ("Bob Builder", "manager")
    assert bob.email == "bob@teamgraph.example"  # the fields not given stay
    platform = {m.username: m for m in await client.list_team_members("platform")}
    assert platform["bob"] == bob
    await client.delete_member("alice")
    assert await client.get_member("alice") is None
    assert "alice" not in await team_usernames(client, "platform")
    assert "alice" not in {m.username for m in await client.list_members()}


async def test_member_writes_the_api_refuses(client: TeamOclockClient) -> None:
    with pytest.raises(UpstreamRejected) as raised:
        await client.create_member("alice")
    assert raised.value.status == 400 and REJECTED in raised.value.message
    with pytest.raises(UpstreamNotFound):
        await client.update_member("nobody", first_name="No")
    with pytest.raises(UpstreamNotFound):
        await client.delete_member("nobody")


# -- teams ------------------------------------------------------------------------------------


async def test_teams_are_created_renamed_and_deleted(client: TeamOclockClient) -> None:
    security = await client.create_team("Security", "security", mood_enabled=True)
    assert security == Team(name="Security", slug="security", video_url=None, mood_enabled=True)
    assert [t.slug for t in await client.list_teams()][-1] == "security"
    assert await client.list_team_members("security") == []
    renamed = await client.update_team("platform", name="Core Platform")
    assert renamed.name == "Core Platform" and renamed.video_url == "https://meet.example/platform"
    (standup,) = await client.list_standups(team="platform")
    assert standup.name == "Core Platform standup"
    await client.delete_team("payments")
    assert await client.get_team("payments") is None
    assert [s.id for s in await client.list_standups()] == ["platform"]
    with pytest.raises(UpstreamRejected):
        await client.create_team("Again", "platform")
    with pytest.raises(UpstreamNotFound):
        await client.update_team("payments", name="Gone")


async def test_team_membership(client: TeamOclockClient) -> None:
    await client.add_team_members("mobile", ["alice", "lena"])
    mobile = await team_usernames(client, "mobile")
    assert mobile[-1] == "alice" and mobile.count("lena") == 1
    await client.remove_team_members("mobile", ["alice", "lena"])
    assert "alice" not in await team_usernames(client, "mobile")
    assert "lena" not in await team_usernames(client, "mobile")
    with pytest.raises(UpstreamRejected):
        await client.add_team_members("mobile", ["nobody"])
    with pytest.raises(UpstreamNotFound):
        await client.remove_team_members("nope", ["alice"])


async def test_membership_bodies_are_lists_of_usernames() -> None:
    sent: list[tuple[str, bytes, object]] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append((request.method, request.url.raw_path, json.loads(request.content)))
        return httpx.Response(204)

    client = mock_client(record)
    await client.add_team_members("a/b", iter(["joe", "ann"]))
    await client.remove_team_members("acme", ["joe"])
    assert sent == [
        ("POST", b"/teamoclock/api/v2/teams/a%2Fb/members",
         {"data": [{"username": "joe"}, {"username": "ann"}]}),
        ("DELETE", b"/teamoclock/api/v2/teams/acme/members", {"data": [{"username": "joe"}]}),
    ]  # fmt: skip


async def test_updates_send_only_the_fields_given() -> None:
    bodies: list[object] = []
    member = {"username": "joe", "first_name": "Joe", "role": "manager"}
    item = {"id": "A1", "text": "Old", "resolved": False}

    def record(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        return httpx.Response(200, json={"data": member if "members" in request.url.path else item})

    client = mock_client(record)
    assert (await client.update_member("joe", role="manager")).role == "manager"
    assert (await client.update_action_item("A1", resolved=False)).text == "Old"
    assert bodies == [{"data": {"role": "manager"}}, {"data": {"resolved": False}}]


# -- meetings ---------------------------------------------------------------------------------


async def test_standups_say_whether_they_were_created(client: TeamOclockClient) -> None:
    running = await client.create_standup("platform")
    assert isinstance(running, ActiveMeeting) and running.created is False
    assert running.meeting == (await client.list_standups(team="platform"))[0]
    started = await client.create_standup("mobile")
    assert started.created is True and started.meeting.id == "mobile"
    assert started.meeting.team == MOBILE and started.meeting.name == "Mobile standup"
    assert await client.create_standup("mobile") == ActiveMeeting(
        meeting=started.meeting, created=False
    )
    await client.delete_standup("mobile")
    assert await client.get_standup("mobile") is None
    with pytest.raises(UpstreamNotFound):
        await client.create_standup("nope")


async def test_planning_pokers_and_their_tasks(client: TeamOclockClient) -> None:
    started = await client.create_planpoker("payments", facilitator="kofi")
    assert started.created is True and started.meeting.id == "payments"
    detail = await client.get_planpoker("payments")
    assert detail is not None and detail.state.facilitator == MemberRef(username="kofi")
    again = await client.create_planpoker("payments", facilitator="grace")
    assert again.created is False
    detail = await client.get_planpoker("payments")
    assert detail is not None and detail.state.facilitator == MemberRef(username="kofi")
    task = await client.create_planpoker_task("payments", "Export reports as CSV")
    assert task.status == "active" and task.voters == [] and task.avg_vote is None
    assert await client.list_planpoker_tasks("payments") == [task]
    assert await client.get_planpoker_task("payments", task.id) == task
    await client.delete_planpoker_task("payments", task.id)
    assert await client.list_planpoker_tasks("payments") == []
    with pytest.raises(UpstreamRejected):
        await client.create_planpoker_task("payments", "")
    await client.delete_planpoker("payments")
    assert [p.id for p in await client.list_planpokers()] == ["mobile", "data-analytics"]


async def test_every_retro_create_is_a_new_retro(client: TeamOclockClient) -> None:
    first = await client.create_retro("mobile", facilitator="lena")
    second = await client.create_retro("mobile")
    assert first.id != second.id and first.name == "Mobile retrospective"
    assert [r.id for r in await client.list_retros(team="mobile")] == [first.id, second.id]
    detail = await client.get_retro(second.id)
    assert detail is not None and detail.state.stage == "gather" and detail.state.notes == []
    assert detail.state.facilitator is not None
    assert detail.state.facilitator.username in await team_usernames(client, "mobile")
    await client.delete_retro(first.id)
    assert await client.get_retro(first.id) is None
    with pytest.raises(UpstreamNotFound):
        await client.delete_retro(first.id)


# -- action items and the timeline -------------------------------------------------------------


async def test_action_items_are_created_resolved_and_deleted(client: TeamOclockClient) -> None:
    item = await client.create_action_item("mobile", "Write the runbook")
    assert item == ActionItem(id="A129", text="Write the runbook", resolved=False, team=MOBILE)
    assert (await client.list_action_items(team="mobile", status="open"))[0] == item
    resolved = await client.update_action_item("A129", resolved=True)
    assert resolved == item.model_copy(update={"resolved": True})
    assert item not in await client.list_action_items(status="open")
    assert await client.get_action_item("A129") == resolved
    await client.delete_action_item("A128")
    assert await client.get_action_item("A128") is None
    retro = await client.get_timeline_entry("R136")
    assert isinstance(retro, TimelineRetro)
    assert [a.id for a in retro.action_items] == ["A125", "A126", "A127"]
    with pytest.raises(UpstreamNotFound):
        await client.create_action_item("nope", "Orphan")


async def test_one_page_at_a_time(client: TeamOclockClient, call_log: CallLog) -> None:
    first = await client.list_action_items_page()
    assert isinstance(first, Slice) and len(first.items) == 100 and first.next == "28"
    assert first.items[0].id == "A128" and first.total is None
    last = await client.list_action_items_page(after=first.next)
    assert [i.id for i in last.items] == [f"A{n}" for n in range(28, 0, -1)] and last.next is None
    open_platform = await client.list_action_items_page(team="platform", status="open")
    assert open_platform.next is None
    assert all(i.team == PLATFORM and not i.resolved for i in open_platform.items)
    records = await client.list_timeline_page(type="standup")
    assert len(records.items) == 80 and records.next is None
    timeline = await client.list_timeline_page()
    assert len(timeline.items) == 100 and timeline.next == "36"
    rest = await client.list_timeline_page(after=timeline.next)
    assert len(rest.items) == 36 and rest.next is None
    assert calls(call_log) == [
        "teamoclock GET /actionitems",
        "teamoclock GET /actionitems?cursor=28",
        "teamoclock GET /actionitems?filter[status]=open&filter[team]=platform",
        "teamoclock GET /timeline?filter[type]=standup",
        "teamoclock GET /timeline",
        "teamoclock GET /timeline?cursor=36",
    ]


async def test_later_pages_keep_the_filters(call_log: CallLog) -> None:
    client = client_for(build_cast(scale=2, now=NOW), log=call_log)
    resolved = await client.list_action_items(status="resolved")
    assert len(resolved) > 100 and all(i.resolved for i in resolved)
    assert len({i.id for i in resolved}) == len(resolved)
    first = await client.list_action_items_page(status="resolved")
    assert first.next is not None and first.items == resolved[:100]
    second = await client.list_action_items_page(status="resolved", after=first.next)
    assert second.items == resolved[100:]
    asked = calls(call_log)
    assert asked[1] == f"teamoclock GET /actionitems?cursor={first.next}&filter[status]=resolved"
    assert asked[-1] == asked[1]


async def test_a_next_link_without_a_cursor_is_a_bad_response() -> None:
    page = {"data": [], "links": {"next": f"{BASE_URL}/actionitems?page=2"}}
    with pytest.raises(UpstreamBadResponse, match="without a cursor"):
        await answering(page).list_action_items_page()


async def test_a_page_link_to_another_host_is_refused() -> None:
    page = {"data": [], "links": {"next": "https://evil.example/api/v2/timeline?cursor=1"}}
    with pytest.raises(UpstreamBadResponse, match="leaves the configured base URL"):
        await answering(page).list_timeline_page()


async def test_timeline_records_can_be_deleted(client: TeamOclockClient) -> None:
    await client.delete_timeline_entry("S1")
    assert await client.get_timeline_entry("S1") is None
    assert len(await client.list_timeline()) == 135
    with pytest.raises(UpstreamNotFound):
        await client.delete_timeline_entry("S1")
