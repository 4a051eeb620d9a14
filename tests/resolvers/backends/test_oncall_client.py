"""OncallClient's team, roster and on-call reads against the emulator, plus the docs' shapes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from gateway.emulators.cast import Cast
from resolvers.backends.errors import UpstreamUnavailable
from resolvers.backends.oncall import Contacts, OncallClient, OncallEntry, Roster, TeamDetail
from tests.conftest import emulator_http
from tests.recording import CallLog
from tests.resolvers.backends.oncall_support import (
    BASE,
    MONDAY,
    WEEK,
    answering,
    calls,
    mock_client,
    mounted,
)


@pytest.fixture
async def oncall(cast: Cast, call_log: CallLog) -> AsyncIterator[OncallClient]:
    async with emulator_http(mounted(cast), service="oncall", base_url=BASE, log=call_log) as http:
        yield OncallClient(http)


# -- teams ---------------------------------------------------------------------------------


async def test_team_names_and_ids(oncall: OncallClient, cast: Cast, call_log: CallLog) -> None:
    assert await oncall.list_team_names() == ["platform", "payments", "mobile", "data-analytics"]
    ids = await oncall.list_team_ids()
    assert ids == {t.oncall.name: t.oncall.id for t in cast.teams if t.oncall}
    assert calls(call_log) == ["GET /teams", "GET /teams?get_id=true"]


async def test_team_ids_fall_back_on_servers_without_get_id() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/teams"):
            return httpx.Response(200, json=["team-foo", "team bar"])
        name = request.url.path.rsplit("/", 1)[-1]
        return httpx.Response(200, json={"id": len(name), "name": name})

    assert await mock_client(handler).list_team_ids() == {"team-foo": 8, "team bar": 8}


async def test_get_team(oncall: OncallClient, cast: Cast) -> None:
    team = await oncall.get_team("platform")
    assert team is not None
    alice = cast.person("alice").oncall
    assert alice is not None
    assert (team.id, team.name, team.email) == (5, "platform", "platform@teamgraph.example")
    assert team.slack_channel_notifications == "#platform-alerts"
    assert team.users.get()["alice"].id == alice.id
    assert team.users.get()["alice"].contacts.email == alice.email
    assert team.users.get()["alice"].time_zone == "Europe/Berlin"
    assert team.admins == ["alice"]
    assert team.services == ["api-gateway", "kubernetes"]
    [roster] = team.rosters
    assert (roster.name, roster.id) == ("platform-rotation", 50)
    assert [u.name for u in roster.users if not u.in_rotation] == ["erin"]
    assert [(s.role, s.events[0].duration) for s in roster.schedules.get()] == [
        ("primary", WEEK),
        ("secondary", WEEK),
    ]
    assert roster.schedules.get()[0].events[0].start == timedelta(days=1)  # Monday 00:00
    assert roster.schedules.get()[0].scheduler == "default"


async def test_get_team_fields_encoding_and_404(oncall: OncallClient, call_log: CallLog) -> None:
    trimmed = await oncall.get_team("mobile", fields=["services", "admins"])
    assert trimmed is not None
    assert (trimmed.admins, trimmed.users.get(), trimmed.rosters) == (["lena"], {}, [])
    assert await oncall.get_team("Mobile") is None  # names are case-exact
    assert await oncall.get_team("no such/team?") is None
    assert calls(call_log) == [
        "GET /teams/mobile?fields=admins&fields=services",
        "GET /teams/Mobile",
        "GET /teams/no such/team?",
    ]
    sent = call_log.calls[-1]
    assert sent.params == ()  # the '?' stayed in the path: it was percent-encoded


async def test_team_member_lists(oncall: OncallClient) -> None:
    assert await oncall.list_team_users("payments") == [
        "grace",
        "hiro",
        "ines",
        "jonas",
        "sam.taylor",
        "kofi",
    ]
    assert await oncall.list_team_admins("payments") == ["grace"]
    assert await oncall.list_team_services("payments") == ["checkout", "ledger"]
    assert await oncall.list_team_users("nope") == []


async def test_rosters(oncall: OncallClient) -> None:
    [roster] = await oncall.list_rosters("data-analytics")
    assert (roster.name, roster.id) == ("data-analytics-rotation", 80)
    assert ("alice", False) in [(u.name, u.in_rotation) for u in roster.users]
    assert await oncall.list_rosters("nope") == []  # a 422 upstream
    single = await oncall.get_roster("data-analytics", "data-analytics-rotation")
    assert single is not None
    assert (single.name, single.id) == ("data-analytics-rotation", None)
    # Listed by user id: alice (id 3) first, out of rotation and last in priority.
    assert (single.users[0].name, single.users[0].in_rotation) == ("alice", False)
    assert (single.users[1].name, single.users[1].roster_priority) == ("quinn", 0)
    assert [s.id for s in single.schedules.get()] == [7, 8]
    assert await oncall.get_roster("data-analytics", "nope") is None
    names = await oncall.list_roster_users("data-analytics", "data-analytics-rotation")
    assert names[:3] == ["alice", "quinn", "rosa"]
    schedules = await oncall.list_roster_schedules("payments", "payments-rotation")
    assert [(s.id, s.role, s.team_id, s.timezone) for s in schedules] == [
        (3, "primary", 6, "UTC"),
        (4, "secondary", 6, "UTC"),
    ]
    schedule = await oncall.get_schedule(4)
    assert schedule is not None and schedule.roster == "payments-rotation"


async def test_single_roster_keeps_only_its_own_schedules() -> None:
    body = {
        "users": [{"name": "jdoe", "in_rotation": 1, "roster_priority": 0}],
        "schedules": [
            {"id": 1, "role": "primary", "roster": "Test Roster", "events": []},
            {"id": 2, "role": "primary", "roster": "Other Roster", "events": []},
        ],
    }
    roster = await answering(body).get_roster("Test Team", "Test Roster")
    assert roster is not None
    assert [s.id for s in roster.schedules.get()] == [1]


async def test_single_roster_in_the_docs_wrapper() -> None:
    body = {
        "Managers": {
            "id": 2730,
            "users": [{"in_rotation": True, "name": "foo"}],
            "schedules": [
                {
                    "auto_populate_threshold": 0,
                    "roster": "Managers",
                    "advanced_mode": 0,
                    "role": "manager",
                    "team": "foo-sre",
                    "events": [{"duration": 604800, "start": 367200}],
                    "id": 1704,
                }
            ],
        }
    }
    roster = await answering(body).get_roster("foo-sre", "Managers")
    assert roster == Roster(
        name="Managers",
        id=2730,
        users=[{"name": "foo", "in_rotation": True}],
        schedules=[
            {
                "id": 1704,
                "role": "manager",
                "roster": "Managers",
                "team": "foo-sre",
                "auto_populate_threshold": 0,
                "events": [{"start": 367200, "duration": 604800}],
            }
        ],
    )


async def test_an_unknown_schedule_is_none_as_404_or_as_2_1_7s_500(
    oncall: OncallClient,
) -> None:
    assert await answering({"title": "404 Not Found"}, 404).get_schedule(3) is None
    assert await oncall.get_schedule(999) is None  # 2.1.7 answers an unknown schedule with 500
    with pytest.raises(UpstreamUnavailable):  # a service that is down is still down
        await answering({"title": "503 Service Unavailable"}, 503).get_schedule(3)


# -- who is on call ------------------------------------------------------------------------


async def test_list_oncall(oncall: OncallClient, cast: Cast, call_log: CallLog) -> None:
    entries = await oncall.list_oncall("platform")
    assert sorted((e.role, e.user) for e in entries) == [
        ("primary", "bob"),
        ("secondary", "carmen"),
    ]
    bob = next(e for e in entries if e.user == "bob")
    person = cast.person("bob").oncall
    assert person is not None
    assert (bob.full_name, bob.team, bob.contacts.call) == ("Bob Okafor", "platform", person.phone)
    assert (bob.start, bob.end) == (MONDAY, MONDAY + WEEK)
    [primary] = await oncall.list_oncall("mobile", "primary")
    assert (primary.user, primary.role) == ("omar", "primary")
    assert await oncall.list_oncall("nope") == []
    assert calls(call_log)[1:] == ["GET /teams/mobile/oncall/primary", "GET /teams/nope/oncall"]


async def test_list_oncall_accepts_the_docs_shape() -> None:
    body = [
        {
            "user": "foo",
            "start": 1487426400,
            "end": 1487469600,
            "full_name": "Foo Icecream",
            "contacts": {
                "im": "foo",
                "sms": "+1 123-456-7890",
                "email": "foo@example.com",
                "call": "+1 123-456-7890",
            },
        }
    ]
    [entry] = await answering(body).list_oncall("team_ops", "primary")
    assert entry == OncallEntry(
        user="foo",
        full_name="Foo Icecream",
        start=datetime(2017, 2, 18, 14, tzinfo=UTC),
        end=datetime(2017, 2, 19, 2, tzinfo=UTC),
        role="primary",
        team="team_ops",
        contacts=Contacts(
            im="foo", sms="+1 123-456-7890", email="foo@example.com", call="+1 123-456-7890"
        ),
    )


async def test_service_oncall_real_and_docs_shapes(oncall: OncallClient) -> None:
    [entry] = await oncall.list_service_oncall("checkout", "primary")
    assert (entry.user, entry.full_name, entry.team, entry.role) == (
        "hiro",
        "Hiro Tanaka",
        "payments",
        "primary",
    )
    docs = [
        {
            "contacts": {"call": "+1 111-111-1111", "email": "jdoe@example.com", "im": "jdoe"},
            "end": 1495695600,
            "start": 1495263600,
            "user": "John Doe",
        }
    ]
    [old] = await answering(docs).list_service_oncall("service-foo", "primary")
    assert (old.user, old.full_name, old.role, old.contacts.im) == (
        None,
        "John Doe",
        "primary",
        "jdoe",
    )


async def test_team_summary(oncall: OncallClient) -> None:
    summary = await oncall.get_team_summary("payments")
    assert summary is not None
    [current] = summary.current["primary"]
    assert (current.user, current.full_name, current.start) == ("hiro", "Hiro Tanaka", MONDAY)
    assert current.contacts.email == "hiro@teamgraph.example"  # wire key: user_contacts
    [nxt] = summary.next["secondary"]
    assert nxt.start == MONDAY + WEEK and nxt.user_id is not None
    assert await oncall.get_team_summary("nope") is None


async def test_bulk_mappings(oncall: OncallClient, call_log: CallLog) -> None:
    memberships = await oncall.list_team_memberships()
    assert ("data-analytics", "alice") in memberships and ("platform", "alice") in memberships
    assert len(memberships) == 6 + 6 + 5 + 6
    assignments = await oncall.list_service_assignments()
    assert ("payments", "ledger") in assignments and len(assignments) == 7
    assert calls(call_log) == ["GET /team_users", "GET /team_services"]


# -- shape variants of team detail ---------------------------------------------------------


async def test_team_detail_in_the_docs_shape() -> None:
    docs = {
        "admins": [{"name": "jdoe"}],
        "email": "foo@example.com",
        "id": 5501,
        "iris_plan": None,
        "name": "team-foo",
        "rosters": {
            "roster-foo": {
                "id": 4186,
                "schedules": [
                    {
                        "advanced_mode": 0,
                        "auto_populate_threshold": "21",
                        "events": [{"duration": 604800, "start": 7200}],
                        "id": 2222,
                        "role": "primary",
                        "role_id": 1,
                        "roster": "roster-foo",
                        "roster_id": 4186,
                        "team": "team-foo",
                        "team_id": 5501,
                        "timezone": "US/Pacific",
                    }
                ],
                "users": [{"in_rotation": True, "name": "jdoe"}],
            }
        },
        "scheduling_timezone": "US/Pacific",
        "services": ["service-foo"],
        "slack_channel": "#foo",
        "users": {
            "jdoe": {
                "active": 1,
                "contacts": {"call": "+1", "email": "jdoe@example.com", "im": "jdoe"},
                "full_name": "John Doe",
                "id": 1234,
                "name": "jdoe",
                "photo_url": "image.example.com",
                "time_zone": "US/Pacific",
            }
        },
    }
    team = await answering(docs).get_team("team-foo")
    assert isinstance(team, TeamDetail)
    assert team.admins == ["jdoe"] and team.users.get()["jdoe"].contacts.im == "jdoe"
    assert team.rosters[0].name == "roster-foo"
    assert team.rosters[0].schedules.get()[0].auto_populate_threshold == 21
    assert team.description is None and team.slack_channel_notifications is None
    strings = await answering({"id": 1, "name": "t", "admins": ["a", "b"]}).get_team("t")
    assert strings is not None and strings.admins == ["a", "b"]
