"""OncallClient against the oncall emulator, plus the docs' shape variants and failures."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from gateway.emulators import MOUNTS
from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from gateway.emulators.oncall import create_app
from resolvers.backends.errors import (
    UpstreamBadResponse,
    UpstreamNotFound,
    UpstreamRejected,
    UpstreamUnauthorized,
    UpstreamUnavailable,
)
from resolvers.backends.oncall import (
    Contacts,
    OncallClient,
    OncallEntry,
    OncallHmacAuth,
    Roster,
    TeamDetail,
)
from tests.conftest import NOW, emulator_http
from tests.recording import CallLog

BASE = "http://emulator" + MOUNTS["oncall"]
WEEK = timedelta(weeks=1)
MONDAY = datetime(2026, 11, 23, tzinfo=UTC)  # NOW is a Monday; shifts turn over at 00:00


def mounted(cast: Cast, **options: object) -> Starlette:
    app = create_app(cast, **options)  # type: ignore[arg-type]
    return Starlette(routes=[Mount(MOUNTS["oncall"], app=app)])


@pytest.fixture
async def oncall(cast: Cast, call_log: CallLog) -> AsyncIterator[OncallClient]:
    async with emulator_http(mounted(cast), service="oncall", base_url=BASE, log=call_log) as http:
        yield OncallClient(http)


def calls(log: CallLog) -> list[str]:
    return [str(c).removeprefix("oncall ") for c in log.of("oncall")]


def mock_client(handler: Callable[[httpx.Request], httpx.Response]) -> OncallClient:
    return OncallClient(httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url=BASE))


def answering(body: object, status: int = 200) -> OncallClient:
    """A client whose server answers every request with `body` (JSON) and `status`."""
    raw = json.dumps(body).replace("/", "\\/").encode()
    return mock_client(lambda request: httpx.Response(status, content=raw))


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
    assert team.users["alice"].id == alice.id
    assert team.users["alice"].contacts.email == alice.email
    assert team.users["alice"].time_zone == "Europe/Berlin"
    assert team.admins == ["alice"]
    assert team.services == ["api-gateway", "kubernetes"]
    [roster] = team.rosters
    assert (roster.name, roster.id) == ("platform-rotation", 50)
    assert [u.name for u in roster.users if not u.in_rotation] == ["erin"]
    assert [(s.role, s.events[0].duration) for s in roster.schedules] == [
        ("primary", WEEK),
        ("secondary", WEEK),
    ]
    assert roster.schedules[0].events[0].start == timedelta(days=1)  # Monday 00:00
    assert roster.schedules[0].scheduler == "default"


async def test_get_team_fields_encoding_and_404(oncall: OncallClient, call_log: CallLog) -> None:
    trimmed = await oncall.get_team("mobile", fields=["services", "admins"])
    assert trimmed is not None
    assert (trimmed.admins, trimmed.users, trimmed.rosters) == (["lena"], {}, [])
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
    assert [s.id for s in single.schedules] == [7, 8]
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
    assert [s.id for s in roster.schedules] == [1]


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


async def test_schedule_404_is_none_but_upstreams_500_is_unavailable(
    oncall: OncallClient,
) -> None:
    assert await answering({"title": "404 Not Found"}, 404).get_schedule(3) is None
    with pytest.raises(UpstreamUnavailable):
        await oncall.get_schedule(999)  # 2.1.7 answers an unknown schedule with 500


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


# -- events --------------------------------------------------------------------------------


async def test_list_events_maps_its_filters(oncall: OncallClient, call_log: CallLog) -> None:
    now = int(NOW.timestamp())
    on_now = await oncall.list_events(team="mobile", start_before=NOW, end_after=NOW)
    assert [(e.role, e.user, e.full_name) for e in on_now] == [
        ("primary", "omar", "Omar Farouk"),
        ("secondary", "samuel.taylor", "Sam Taylor"),
    ]
    assert on_now[0].start == MONDAY and on_now[0].schedule_id == 5
    window = await oncall.list_events(
        role="primary", start_after=MONDAY - WEEK, end_before=MONDAY + WEEK
    )
    assert {e.team for e in window} == {"platform", "payments", "mobile", "data-analytics"}
    assert all(e.role == "primary" for e in window) and len(window) == 8
    bobs = await oncall.list_events(user="bob")
    assert bobs and {e.user for e in bobs} == {"bob"}
    assert len(await oncall.list_events()) == 40
    assert calls(call_log) == [
        f"GET /events?end__gt={now}&start__lt={now}&team=mobile",
        f"GET /events?end__le={now - now % 86400 + 7 * 86400}&role=primary"
        f"&start__ge={now - now % 86400 - 7 * 86400}",
        "GET /events?user=bob",
        "GET /events",
    ]


async def test_get_event(oncall: OncallClient) -> None:
    event = await oncall.get_event(1)
    assert event is not None
    assert (event.id, event.team, event.user, event.full_name) == (
        1,
        "platform",
        "farid",
        "Farid Haddad",
    )
    assert event.start == MONDAY - 2 * WEEK and event.start.tzinfo is not None
    assert (event.link_id, event.note) == (None, None)
    assert await oncall.get_event(99999) is None


async def test_event_writes_round_trip(oncall: OncallClient) -> None:
    start = NOW + timedelta(hours=1)
    event_id = await oncall.create_event(
        start=start,
        end=start + timedelta(hours=2),
        user="bob",
        team="platform",
        role="shadow",
        note="cover",
    )
    assert event_id == 41
    await oncall.update_event(
        event_id, start=start, end=start + timedelta(hours=3), user="carmen", note="moved"
    )
    stored = await oncall.get_event(event_id)
    assert stored is not None
    assert (stored.user, stored.note, stored.end) == ("carmen", "moved", start + timedelta(hours=3))
    await oncall.delete_event(event_id)
    assert await oncall.get_event(event_id) is None
    with pytest.raises(UpstreamNotFound):
        await oncall.delete_event(event_id)


async def test_swap_and_override(oncall: OncallClient) -> None:
    primary, secondary = await oncall.list_events(
        team="payments", start_after=MONDAY + WEEK, end_before=MONDAY + 2 * WEEK
    )
    await oncall.swap_events(primary.id, secondary.id)
    swapped = await oncall.get_event(primary.id)
    assert swapped is not None and swapped.user == secondary.user
    events = await oncall.override_events(
        [primary.id], start=primary.start, end=primary.start + timedelta(days=1), user="grace"
    )
    assert [(e.user, e.start, e.end) for e in events] == [
        (secondary.user, primary.start + timedelta(days=1), primary.end),
        ("grace", primary.start, primary.start + timedelta(days=1)),
    ]


async def test_rejected_writes_carry_the_apis_message(oncall: OncallClient) -> None:
    with pytest.raises(UpstreamRejected) as caught:
        await oncall.create_event(start=NOW, end=NOW, user="bob", team="platform", role="primary")
    assert "Invalid event: Event must start before it ends" in caught.value.message
    assert caught.value.status == 400
    with pytest.raises(UpstreamRejected, match='IntegrityError: role "boss" not found'):
        await oncall.create_event(
            start=NOW, end=NOW + WEEK, user="bob", team="platform", role="boss"
        )


# -- users ---------------------------------------------------------------------------------


async def test_users(oncall: OncallClient, cast: Cast, call_log: CallLog) -> None:
    users = await oncall.list_users()
    assert [u.name for u in users] == [p.oncall.name for p in cast.people if p.oncall]
    assert calls(call_log) == ["GET /users"]  # everyone in ONE call
    dmitri = await oncall.get_user("dmitri.k")
    assert dmitri is not None
    assert (dmitri.id, dmitri.full_name, dmitri.active, dmitri.god) == (
        6,
        "Dmitri Kuznetsov",
        True,
        False,
    )
    assert dmitri.contacts == Contacts(
        email="dmitri@teamgraph.example",
        sms="+1 555-001-0003",
        call="+1 555-001-0003",
        slack="dmitri.k",
    )
    assert await oncall.get_user("Dmitri.K") is None
    assert len(await oncall.list_users(active=True)) == len(users)
    assert calls(call_log)[-1] == "GET /users?active=1"


async def test_user_shape_variants() -> None:
    docs = {
        "active": 1,
        "contacts": {"call": "+1", "email": "jdoe@example.com", "im": "jdoe", "sms": "+1"},
        "full_name": "John Doe",
        "id": 1234,
        "name": "jdoe",
        "photo_url": "image.example.com",
        "time_zone": "US/Pacific",
    }
    user = await answering(docs).get_user("jdoe")
    assert user is not None and user.contacts.im == "jdoe" and user.time_zone == "US/Pacific"
    bare = {
        "id": 6,
        "name": "smoke_user",
        "full_name": None,
        "time_zone": None,
        "photo_url": None,
        "destination": None,
        "active": 1,
        "god": 0,
        "contacts": {},
    }
    [smoke] = await answering([bare]).list_users()
    assert (smoke.name, smoke.full_name, smoke.contacts) == ("smoke_user", None, Contacts())


async def test_user_teams_upcoming_and_notifications(oncall: OncallClient) -> None:
    assert await oncall.list_user_teams("alice") == ["platform", "data-analytics"]
    assert await oncall.list_user_teams("nobody") == []
    upcoming = await oncall.list_upcoming("carmen")
    assert upcoming and all(s.start > NOW and s.user == "carmen" for s in upcoming)
    assert upcoming[0].num_events == 0
    assert len(await oncall.list_upcoming("carmen", limit=1)) == 1
    assert await oncall.list_upcoming("carmen", role="shadow") == []
    day, week = await oncall.list_user_notifications("bob")
    assert (day.team, day.type, day.time_before, week.time_before) == (
        "platform",
        "oncall_reminder",
        86400,
        604800,
    )
    assert day.roles == ["primary", "secondary", "shadow", "manager"]
    assert day.only_if_involved is None


async def test_upcoming_linked_set_counts_once() -> None:
    body = [
        {
            "end": 1496264400,
            "full_name": "John Doe",
            "id": 169877,
            "link_id": "7b3b96279bb24de8ac3fb7dbf06e5d1e",
            "num_events": 7,
            "role": "primary",
            "schedule_id": 1788,
            "start": 1496221200,
            "team": "team-foo",
            "user": "jdoe",
        }
    ]
    [shift] = await answering(body).list_upcoming("jdoe")
    assert (shift.num_events, shift.link_id) == (7, "7b3b96279bb24de8ac3fb7dbf06e5d1e")


# -- services, roles, search ---------------------------------------------------------------


async def test_services_and_roles(oncall: OncallClient) -> None:
    services = await oncall.list_services()
    assert services[:2] == ["android-app", "api-gateway"] and "warehouse" in services
    service = await oncall.get_service("warehouse")
    assert service is not None and (service.id, service.name) == (7, "warehouse")
    assert await oncall.get_service("nope") is None
    assert await oncall.list_service_teams("warehouse") == ["data-analytics"]
    roles = await oncall.list_roles()
    assert [r.name for r in roles][:3] == ["primary", "secondary", "shadow"]
    assert roles[3].display_order == 4
    types = await oncall.list_notification_types()
    assert {t.name for t in types if t.is_reminder} == {"oncall_reminder", "offcall_reminder"}


async def test_search(oncall: OncallClient, call_log: CallLog) -> None:
    found = await oncall.search("a")
    assert "payments" in found.teams
    assert found.services == {
        "api-gateway": ["platform"],
        "ios-app": ["mobile"],
        "android-app": ["mobile"],
        "warehouse": ["data-analytics"],
    }
    assert [u.name for u in found.users] == ["alice"]
    users = await oncall.search("Sam", fields=["users"])
    assert [(u.name, u.full_name) for u in users.users] == [
        ("sam.taylor", "Sam Taylor"),
        ("samuel.taylor", "Sam Taylor"),
    ]
    assert calls(call_log)[-1] == "GET /search?fields=users&keyword=Sam"


async def test_search_accepts_older_shapes() -> None:
    docs = {
        "services": [{"service-key": "team-foo"}, {"service-key2": "team-bar"}],
        "teams": ["team-key"],
        "users": ["jdoe"],
    }
    result = await answering(docs).search("key")
    assert result.services == {"service-key": ["team-foo"], "service-key2": ["team-bar"]}
    assert [u.name for u in result.users] == ["jdoe"]
    merged = await answering({"services": {"svc": "team-a"}}).search("svc")
    assert merged.services == {"svc": ["team-a"]}


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
    assert team.admins == ["jdoe"] and team.users["jdoe"].contacts.im == "jdoe"
    assert team.rosters[0].name == "roster-foo"
    assert team.rosters[0].schedules[0].auto_populate_threshold == 21
    assert team.description is None and team.slack_channel_notifications is None
    strings = await answering({"id": 1, "name": "t", "admins": ["a", "b"]}).get_team("t")
    assert strings is not None and strings.admins == ["a", "b"]


# -- failures ------------------------------------------------------------------------------


async def test_unsigned_calls_to_a_locked_server_are_unauthorized(cast: Cast) -> None:
    app = mounted(cast, require_auth=True)
    async with emulator_http(app, service="oncall", base_url=BASE) as http:
        with pytest.raises(UpstreamUnauthorized) as caught:
            await OncallClient(http).list_team_names()
    assert caught.value.service == "oncall" and caught.value.status == 401
    assert "Unauthorized: User must be logged in" in caught.value.message


async def test_hmac_auth_opens_a_locked_server(cast: Cast) -> None:
    creds = cast.credentials
    auth = OncallHmacAuth(creds.oncall_app, creds.oncall_app_key)
    app = mounted(cast, require_auth=True)
    async with emulator_http(app, service="oncall", base_url=BASE, auth=auth) as http:
        oncall = OncallClient(http)
        assert (await oncall.list_team_names())[0] == "platform"
        assert len(await oncall.list_events(team="platform", role="primary")) == 5
        assert await oncall.list_team_users("no such team") == []
        event_id = await oncall.create_event(
            start=NOW, end=NOW + WEEK, user="alice", team="platform", role="manager"
        )
        assert event_id == 41
    wrong = OncallHmacAuth(creds.oncall_app, "not-the-key")
    async with emulator_http(app, service="oncall", base_url=BASE, auth=wrong) as http:
        with pytest.raises(UpstreamUnauthorized, match="Authentication failure: Wrong digest"):
            await OncallClient(http).list_roles()


def test_hmac_digest_matches_the_documented_recipe() -> None:
    auth = OncallHmacAuth("teamgraph", "k", clock=lambda: 1_000_000_004.9)
    request = httpx.Request(
        "POST", "http://h/api/v0/teams/Test%20Team/users?x=a%20b", content=b'{"name":"jdoe"}'
    )
    signed = next(auth.auth_flow(request))
    message = b'200000000 POST /api/v0/teams/Test Team/users?x=a%20b {"name":"jdoe"}'
    digest = base64.urlsafe_b64encode(hmac.new(b"k", message, hashlib.sha512).digest()).decode()
    assert signed.headers["Authorization"] == f"hmac teamgraph:{digest}"


async def test_outage_is_unavailable(cast: Cast) -> None:
    app = mounted(cast, faults=Faults(down=True))
    async with emulator_http(app, service="oncall", base_url=BASE) as http:
        with pytest.raises(UpstreamUnavailable) as caught:
            await OncallClient(http).get_team("platform")
    assert caught.value.service == "oncall" and caught.value.status == 503
    assert "answered 503: Service Unavailable (emulated outage)" in caught.value.message


async def test_garbage_bodies_are_bad_responses() -> None:
    html = mock_client(lambda request: httpx.Response(200, content=b"<html>oops</html>"))
    with pytest.raises(UpstreamBadResponse) as caught:
        await html.list_team_names()
    assert caught.value.service == "oncall"
    with pytest.raises(UpstreamBadResponse, match="does not match"):
        await answering({"teams": "not a list"}).list_team_names()
    with pytest.raises(UpstreamBadResponse):
        await answering([{"id": "x", "start": "soon"}]).list_events()


async def test_error_detail_handles_bare_titles_and_non_json() -> None:
    client = answering({"title": "404 Not Found"}, 404)
    with pytest.raises(UpstreamNotFound, match=r"answered 404: 404 Not Found$"):
        await client.list_roles()
    plain = mock_client(lambda request: httpx.Response(502, content=b"Bad gateway"))
    with pytest.raises(UpstreamUnavailable, match=r"answered 502$"):
        await plain.list_roles()
