"""The oncall emulator speaks the real 2.1.7 server's raw wire format (oncall-real-server.md)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import AsyncIterator
from urllib.parse import quote

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from gateway.emulators import MOUNTS
from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from gateway.emulators.oncall import create_app

BASE = "http://oncall.test" + MOUNTS["oncall"]
PREFIX = MOUNTS["oncall"]
WEEK = 7 * 24 * 3600
CLOCK = 1_800_000_000.0  # the wall clock HMAC windows are checked against in these tests


def mounted(cast: Cast, **options: object) -> Starlette:
    return Starlette(routes=[Mount(PREFIX, app=create_app(cast, clock=lambda: CLOCK, **options))])  # type: ignore[arg-type]


def open_client(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE)


@pytest.fixture
async def http(cast: Cast) -> AsyncIterator[httpx.AsyncClient]:
    async with open_client(mounted(cast)) as client:
        yield client


def sign(
    method: str,
    target: str,
    body: bytes = b"",
    *,
    key: str = "oncall-demo-key",
    app: str = "teamgraph",
    window: int | None = None,
) -> str:
    """The Authorization header for `target` (the full path as received, plus ?query)."""
    window = int(CLOCK) // 5 if window is None else window
    message = f"{window} {method} {target} ".encode() + body
    digest = base64.urlsafe_b64encode(hmac.new(key.encode(), message, hashlib.sha512).digest())
    return f"hmac {app}:{digest.decode()}"


def now_s(cast: Cast) -> int:
    return int(cast.now.timestamp())


# -- teams ---------------------------------------------------------------------------------


async def test_teams_lists_names_and_ids(http: httpx.AsyncClient, cast: Cast) -> None:
    expected = [t.oncall.name for t in cast.teams if t.oncall]
    assert (await http.get("/teams")).json() == expected
    pairs = (await http.get("/teams", params={"get_id": "true"})).json()
    assert pairs == [[t.oncall.name, t.oncall.id] for t in cast.teams if t.oncall]
    assert (await http.get("/teams", params={"name__startswith": "pay"})).json() == ["payments"]
    assert (await http.get("/teams", params={"name": "Payments"})).json() == []  # case-exact
    assert (await http.get("/teams", params={"active": "0"})).json() == []
    assert (await http.get("/teams", params={"name__in": "platform,mobile"})).json() == expected


async def test_team_detail_has_the_real_servers_shape(http: httpx.AsyncClient, cast: Cast) -> None:
    response = await http.get("/teams/platform")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    team = response.json()
    oncall = cast.teams[0].oncall
    assert oncall is not None
    assert team["id"] == oncall.id
    assert team["slack_channel"] == "#platform"
    assert team["scheduling_timezone"] == "UTC"
    assert {
        "slack_channel_notifications",
        "iris_enabled",
        "api_managed_roster",
        "description",
    } <= set(team)
    alice = cast.person("alice").oncall
    assert alice is not None
    assert team["users"]["alice"]["id"] == alice.id
    assert team["users"]["alice"]["contacts"]["email"] == alice.email
    assert team["users"]["dmitri.k"]["full_name"] == "Dmitri Kuznetsov"
    assert team["admins"] == [{"name": "alice"}]
    assert team["services"] == ["api-gateway", "kubernetes"]
    roster = team["rosters"]["platform-rotation"]
    assert {"name": "erin", "in_rotation": False} in roster["users"]
    assert [s["role"] for s in roster["schedules"]] == ["primary", "secondary"]
    assert roster["schedules"][0]["scheduler"] == {"name": "default"}
    assert roster["schedules"][0]["events"] == [{"start": 86400, "duration": WEEK}]


async def test_team_fields_trim_the_nested_parts(http: httpx.AsyncClient) -> None:
    trimmed = (await http.get("/teams/platform?fields=admins&fields=services")).json()
    assert trimmed["admins"] == [{"name": "alice"}]
    assert "users" not in trimmed and "rosters" not in trimmed
    base = (await http.get("/teams/platform?fields=bogus")).json()
    assert base["name"] == "platform" and "admins" not in base and "users" not in base


async def test_unknown_team_and_path_give_bare_404_titles(http: httpx.AsyncClient) -> None:
    for path in ("/teams/Platform", "/nope", "/events/99999", "/events/abc", "/users/nobody"):
        response = await http.get(path)
        assert (response.status_code, response.json()) == (404, {"title": "404 Not Found"}), path
    assert (await http.get("/teams/nope/summary")).status_code == 404
    assert (await http.delete("/teams")).status_code == 405


async def test_trailing_slash_is_stripped_and_slashes_escaped(http: httpx.AsyncClient) -> None:
    response = await http.get("/users/alice/")
    assert response.status_code == 200
    assert b'"time_zone":"Europe\\/Berlin"' in response.content
    ines = await http.get("/users/ines")
    assert b"In\\u00eas Costa" in ines.content and ines.json()["full_name"] == "Inês Costa"


async def test_team_lists_and_unknown_team_quirks(http: httpx.AsyncClient) -> None:
    users = (await http.get("/teams/mobile/users")).json()
    assert users == ["lena", "mateo", "nadia", "omar", "samuel.taylor"]  # priya has no oncall
    assert (await http.get("/teams/mobile/admins")).json() == ["lena"]
    assert (await http.get("/teams/mobile/services")).json() == ["ios-app", "android-app"]
    for part in ("users", "admins", "services", "oncall"):
        assert (await http.get(f"/teams/nope/{part}")).json() == []
    rosters = await http.get("/teams/nope/rosters")
    assert rosters.status_code == 422
    assert rosters.json() == {"title": "IntegrityError", "description": 'team "nope" not found'}


async def test_rosters_and_the_single_roster_quirks(http: httpx.AsyncClient) -> None:
    rosters = (await http.get("/teams/data-analytics/rosters")).json()
    assert list(rosters) == ["data-analytics-rotation"]
    assert rosters["data-analytics-rotation"]["id"] == 80
    single = (await http.get("/teams/data-analytics/rosters/data-analytics-rotation")).json()
    assert set(single) == {"users", "schedules"}  # no wrapper, no id
    assert single["users"][0] == {"name": "quinn", "in_rotation": 1, "roster_priority": 0}
    assert {"name": "alice", "in_rotation": 0, "roster_priority": 5} in single["users"]
    assert (await http.get("/teams/data-analytics/rosters/nope")).status_code == 404
    names = (await http.get("/teams/data-analytics/rosters/data-analytics-rotation/users")).json()
    assert names[:2] == ["quinn", "rosa"]
    schedules = await http.get("/teams/payments/rosters/payments-rotation/schedules?role=secondary")
    assert [(s["id"], s["team"]) for s in schedules.json()] == [(4, "payments")]
    schedule = (await http.get("/schedules/4")).json()
    assert (schedule["role"], schedule["roster"], schedule["team_id"]) == (
        "secondary",
        "payments-rotation",
        6,
    )
    missing = await http.get("/schedules/999")
    assert (missing.status_code, missing.json()) == (500, {"title": "500 Internal Server Error"})


# -- who is on call ------------------------------------------------------------------------


async def test_every_team_has_a_primary_and_a_secondary_now(
    http: httpx.AsyncClient, cast: Cast
) -> None:
    for team in cast.teams:
        assert team.oncall is not None
        rows = (await http.get(f"/teams/{team.oncall.name}/oncall")).json()
        assert sorted(r["role"] for r in rows) == ["primary", "secondary"], team.handle
        rotating = {
            cast.person(m.person).oncall.name  # type: ignore[union-attr]
            for m in team.members
            if m.in_rotation and cast.person(m.person).oncall
        }
        assert {r["user"] for r in rows} <= rotating
        assert all(r["start"] <= now_s(cast) <= r["end"] for r in rows)


async def test_team_oncall_rows_carry_contacts(http: httpx.AsyncClient, cast: Cast) -> None:
    rows = (await http.get("/teams/platform/oncall/primary")).json()
    bob = cast.person("bob").oncall
    assert bob is not None
    assert rows == [
        {
            "full_name": "Bob Okafor",
            "start": 1795392000,
            "end": 1795392000 + WEEK,
            "user": "bob",
            "team": "platform",
            "role": "primary",
            "contacts": {"email": bob.email, "sms": bob.phone, "call": bob.phone, "slack": "bob"},
        }
    ]


async def test_summary_current_and_next_have_their_own_keys(http: httpx.AsyncClient) -> None:
    summary = (await http.get("/teams/platform/summary")).json()
    current = summary["current"]["primary"][0]
    assert current["user"] == "bob" and current["user_contacts"]["slack"] == "bob"
    assert "role_id" not in current and "team" in current
    nxt = summary["next"]["secondary"][0]
    assert nxt["start"] == 1795392000 + WEEK and nxt["role_id"] == 2 and "team" not in nxt


async def test_service_oncall_uses_the_owning_teams(http: httpx.AsyncClient) -> None:
    rows = (await http.get("/services/checkout/oncall/primary")).json()
    assert [(r["user"], r["full_name"], r["team"]) for r in rows] == [
        ("hiro", "Hiro Tanaka", "payments")
    ]
    assert len((await http.get("/services/checkout/oncall")).json()) == 2
    assert (await http.get("/services/nope/oncall")).json() == []


# -- events --------------------------------------------------------------------------------


async def test_events_filter_like_the_real_server(http: httpx.AsyncClient, cast: Cast) -> None:
    now = now_s(cast)
    everything = (await http.get("/events")).json()
    assert len(everything) == 4 * 5 * 2  # teams x weeks x roles
    assert set(everything[0]) == {
        "id",
        "start",
        "end",
        "role",
        "team",
        "user",
        "full_name",
        "schedule_id",
        "link_id",
        "note",
    }
    on_now = (await http.get(f"/events?start__le={now}&end__gt={now}&team=mobile")).json()
    assert [(e["role"], e["user"], e["full_name"]) for e in on_now] == [
        ("primary", "omar", "Omar Farouk"),
        ("secondary", "samuel.taylor", "Sam Taylor"),
    ]
    assert min(e["start"] for e in everything) <= now - 14 * 86400
    assert max(e["end"] for e in everything) >= now + 14 * 86400
    ranged = (await http.get("/events?id__ge=3&id__le=5&fields=id&fields=user")).json()
    assert [set(e) for e in ranged] == [{"id", "user"}] * 3 and [e["id"] for e in ranged] == [
        3,
        4,
        5,
    ]
    assert len((await http.get("/events?start__gt=abc")).json()) == 40  # MySQL casts 'abc' to 0
    assert len((await http.get("/events?fields=id,team&include_subscribed=false")).json()[0]) == 10
    assert (await http.get("/events?team=mobile&team=payments&role__startswith=sec")).json()[0][
        "team"
    ] == "payments"
    assert len((await http.get("/events?team__endswith=ments&user__contains=a")).json()) > 0


async def test_events_reject_unknown_keys(http: httpx.AsyncClient) -> None:
    response = await http.get("/events?team__in=platform,mobile")
    assert (response.status_code, response.json()) == (400, {"title": "Bad constraint param"})


async def test_event_by_id(http: httpx.AsyncClient) -> None:
    event = (await http.get("/events/1")).json()
    assert event == {
        "id": 1,
        "start": 1795392000 - 2 * WEEK,
        "end": 1795392000 - WEEK,
        "role": "primary",
        "team": "platform",
        "user": "farid",
        "full_name": "Farid Haddad",
        "schedule_id": 1,
        "link_id": None,
        "note": None,
    }
    assert (await http.get("/events/1?fields=team")).json() == {"team": "platform"}


# -- users ---------------------------------------------------------------------------------


async def test_users_list_everyone_with_contacts(http: httpx.AsyncClient, cast: Cast) -> None:
    users = (await http.get("/users")).json()
    assert [u["name"] for u in users] == [p.oncall.name for p in cast.people if p.oncall]
    dmitri = next(u for u in users if u["name"] == "dmitri.k")
    assert dmitri == {
        "id": 6,
        "name": "dmitri.k",
        "full_name": "Dmitri Kuznetsov",
        "time_zone": "Europe/Berlin",
        "photo_url": None,
        "active": 1,
        "god": 0,
        "contacts": {
            "email": "dmitri@teamgraph.example",
            "sms": "+1 555-001-0003",
            "call": "+1 555-001-0003",
            "slack": "dmitri.k",
        },
    }
    assert [u["name"] for u in (await http.get("/users?name__startswith=sam")).json()] == [
        "sam.taylor",
        "samuel.taylor",
    ]
    assert (await http.get("/users?full_name=Sam Taylor&id__gt=14")).json()[0][
        "name"
    ] == "samuel.taylor"
    assert (await http.get("/users?name__in=alice,bob")).json() == users  # unknown key ignored
    assert (await http.get("/users?id=abc")).json() == []


async def test_user_fields_and_their_errors(http: httpx.AsyncClient) -> None:
    assert (await http.get("/users/alice?fields=name&fields=time_zone")).json() == {
        "name": "alice",
        "time_zone": "Europe/Berlin",
    }
    bad = await http.get("/users/alice?fields=name,full_name")
    assert (bad.status_code, bad.json()) == (
        400,
        {"title": "Bad fields", "description": "One or more invalid fields"},
    )
    twice = await http.get("/users?name=alice&name=bob")
    assert twice.status_code == 500


async def test_user_teams_upcoming_and_notifications(http: httpx.AsyncClient, cast: Cast) -> None:
    assert (await http.get("/users/alice/teams")).json() == ["platform", "data-analytics"]
    assert (await http.get("/users/nobody/teams")).status_code == 404
    upcoming = (await http.get("/users/carmen/upcoming")).json()
    assert upcoming and all(e["start"] > now_s(cast) and e["user"] == "carmen" for e in upcoming)
    assert [e["start"] for e in upcoming] == sorted(e["start"] for e in upcoming)
    assert "num_events" not in upcoming[0]
    assert len((await http.get("/users/carmen/upcoming?limit=1")).json()) == 1
    assert (await http.get("/users/nobody/upcoming")).json() == []
    assert (await http.get("/users/carmen/upcoming?limit=x")).status_code == 400
    settings = (await http.get("/users/alice/notifications")).json()
    assert [s["team"] for s in settings] == ["platform", "data-analytics"]
    assert settings[0]["type"] == "oncall_reminder" and settings[0]["time_before"] == 86400


# -- services, roles, search, small lists -------------------------------------------------


async def test_services_and_mappings(http: httpx.AsyncClient) -> None:
    services = (await http.get("/services")).json()
    assert services[:3] == ["api-gateway", "kubernetes", "checkout"] and len(services) == 7
    assert (await http.get("/services?name__contains=app")).json() == ["ios-app", "android-app"]
    assert (await http.get("/services/warehouse")).json() == {"id": 7, "name": "warehouse"}
    assert (await http.get("/services/nope")).status_code == 404
    assert (await http.get("/services/ledger/teams")).json() == ["payments"]
    pairs = (await http.get("/team_services")).json()
    assert {"team": "data-analytics", "service": "warehouse"} in pairs and len(pairs) == 7
    members = (await http.get("/team_users")).json()
    assert {"team": "data-analytics", "user": "alice"} in members


async def test_roles_types_modes_and_health(http: httpx.AsyncClient) -> None:
    roles = (await http.get("/roles")).json()
    assert [r["name"] for r in roles] == [
        "primary",
        "secondary",
        "shadow",
        "manager",
        "vacation",
        "unavailable",
    ]
    assert roles[0] == {"id": 1, "name": "primary", "display_order": 1}
    assert (await http.get("/roles?name__startswith=s")).json()[1]["name"] == "shadow"
    types = (await http.get("/notification_types")).json()
    assert {"name": "oncall_reminder", "is_reminder": 1} in types
    assert "slack" in (await http.get("/modes")).json()
    assert (await http.get("/timezones")).json() == ["UTC"]
    health = await http.get("/healthcheck")
    assert (health.status_code, health.text) == (200, "GOOD")


async def test_search(http: httpx.AsyncClient) -> None:
    found = (await http.get("/search?keyword=pay")).json()
    assert found == {"teams": ["payments"], "services": {}, "users": []}
    services = (await http.get("/search?keyword=app&fields=services")).json()
    assert services == {"services": {"ios-app": ["mobile"], "android-app": ["mobile"]}}
    users = (await http.get("/search?keyword=Sam&fields=users")).json()["users"]
    assert users == [
        {"full_name": "Sam Taylor", "name": "sam.taylor"},
        {"full_name": "Sam Taylor", "name": "samuel.taylor"},
    ]
    team_users = await http.get("/search?keyword=o&fields=team_users&team=mobile")
    assert team_users.json() == {"users": [{"full_name": "Omar Farouk", "name": "omar"}]}
    missing = await http.get("/search")
    assert missing.status_code == 400
    assert missing.json() == {
        "title": "Missing parameter",
        "description": 'The "keyword" parameter is required.',
    }


# -- auth ----------------------------------------------------------------------------------


async def test_mode_a_reads_ignore_credentials_and_writes_check_them(cast: Cast) -> None:
    async with open_client(mounted(cast)) as http:
        assert (
            await http.get("/teams", headers={"Authorization": "hmac junk:junk"})
        ).status_code == 200
        body = (
            b'{"start":1795430000,"end":1795440000,"user":"bob","team":"platform","role":"shadow"}'
        )
        cases = {
            "Basic abc": "Invalid digest format",
            "hmac other:x": "Application not found",
            "hmac teamgraph:x": "Wrong digest",
        }
        for header, description in cases.items():
            denied = await http.post("/events", content=body, headers={"Authorization": header})
            assert denied.status_code == 401
            assert denied.json() == {"title": "Authentication failure", "description": description}
        signed = sign("POST", f"{PREFIX}/events", body)
        created = await http.post("/events", content=body, headers={"Authorization": signed})
        assert (created.status_code, created.json()) == (201, 41)
        anonymous = await http.post("/events", content=body)  # runs as test_user in mode A
        assert (anonymous.status_code, anonymous.json()) == (201, 42)


async def test_mode_c_needs_a_signature_everywhere(cast: Cast) -> None:
    async with open_client(mounted(cast, require_auth=True)) as http:
        for path in ("/teams", "/healthcheck"):
            denied = await http.get(path)
            assert denied.status_code == 401
            assert denied.json() == {
                "title": "Unauthorized",
                "description": "User must be logged in",
            }
        ok = await http.get("/teams", headers={"Authorization": sign("GET", f"{PREFIX}/teams")})
        assert ok.json()[0] == "platform"
        target = f"{PREFIX}/events?team=platform&role=primary"
        with_query = await http.get(
            "/events?team=platform&role=primary", headers={"Authorization": sign("GET", target)}
        )
        assert len(with_query.json()) == 5
        previous = sign("GET", f"{PREFIX}/roles", window=int(CLOCK) // 5 - 1)
        assert (await http.get("/roles", headers={"Authorization": previous})).status_code == 200
        coarse = sign("GET", f"{PREFIX}/roles", window=int(CLOCK) // 30)
        assert (await http.get("/roles", headers={"Authorization": coarse})).status_code == 200
        stale = sign("GET", f"{PREFIX}/roles", window=int(CLOCK) // 5 - 2)
        assert (await http.get("/roles", headers={"Authorization": stale})).status_code == 401
        wrong_query = sign("GET", f"{PREFIX}/events?team=platform")
        assert (
            await http.get("/events?team=mobile", headers={"Authorization": wrong_query})
        ).status_code == 401
        sso = await http.get("/users/alice", headers={"SSO-DEBUG-HEADER": "alice"})
        assert sso.json()["name"] == "alice"


async def test_signature_covers_the_decoded_or_quoted_path(cast: Cast) -> None:
    async with open_client(mounted(cast, require_auth=True)) as http:
        decoded = f"{PREFIX}/teams/no such team/users"
        for target in (decoded, quote(decoded)):
            response = await http.get(
                "/teams/no%20such%20team/users", headers={"Authorization": sign("GET", target)}
            )
            assert (response.status_code, response.json()) == (200, [])


async def test_real_clock_is_the_default(cast: Cast) -> None:
    app = Starlette(routes=[Mount(PREFIX, app=create_app(cast, require_auth=True))])
    async with open_client(app) as http:
        header = sign("GET", f"{PREFIX}/roles", window=int(time.time()) // 5)
        assert (await http.get("/roles", headers={"Authorization": header})).status_code == 200


async def test_faults_answer_in_the_apis_error_format(cast: Cast) -> None:
    async with open_client(mounted(cast, faults=Faults(down=True))) as http:
        response = await http.get("/teams")
        assert response.status_code == 503
        assert response.json()["title"] == "503 Service Unavailable"


# -- writes --------------------------------------------------------------------------------


async def test_create_event_and_its_validation(http: httpx.AsyncClient, cast: Cast) -> None:
    now = now_s(cast)
    good = {
        "start": now + 3600,
        "end": now + 7200,
        "user": "bob",
        "team": "platform",
        "role": "shadow",
        "note": "cover",
    }
    created = await http.post("/events", json=good)
    assert (created.status_code, created.json()) == (201, 41)
    stored = (await http.get("/events/41")).json()
    assert (stored["user"], stored["role"], stored["note"], stored["full_name"]) == (
        "bob",
        "shadow",
        "cover",
        "Bob Okafor",
    )
    failures = [
        ({**good, "end": good["start"]}, 400, "Invalid event", "Event must start before it ends"),
        (
            {**good, "start": now - 2 * 86400},
            400,
            "Invalid event",
            "Creating events in the past not allowed",
        ),
        ({**good, "user": "grace"}, 400, "Invalid event", "User must be part of the team"),
        ({**good, "team": "nope"}, 400, "Invalid event", "User must be part of the team"),
        ({**good, "role": "bogus"}, 422, "IntegrityError", 'role "bogus" not found'),
    ]
    for body, status, title, description in failures:
        response = await http.post("/events", json=body)
        assert (response.status_code, response.json()) == (
            status,
            {"title": title, "description": description},
        )
    assert (await http.post("/events", json={"end": now + 60})).status_code == 500
    garbage = await http.post("/events", content=b"not json")
    assert garbage.status_code == 400 and garbage.json()["title"] == "invalid JSON"


async def test_update_and_delete_event(http: httpx.AsyncClient, cast: Cast) -> None:
    now = now_s(cast)
    current = (
        await http.get(f"/events?team=platform&role=primary&start__le={now}&end__gt={now}")
    ).json()[0]
    edit = {"start": current["start"], "end": current["end"], "user": "carmen", "note": "swapped"}
    updated = await http.put(f"/events/{current['id']}", json=edit)
    assert (updated.status_code, updated.content) == (200, b"")
    after = (await http.get(f"/events/{current['id']}")).json()
    assert (after["user"], after["note"]) == ("carmen", "swapped")
    assert (
        await http.put(f"/events/{current['id']}", json={"end": current["end"]})
    ).status_code == 500
    bad_key = await http.put(f"/events/{current['id']}", json={"start": 1, "colour": "red"})
    assert bad_key.json() == {"title": "Invalid event update", "description": "Invalid column"}
    outsider = await http.put(
        f"/events/{current['id']}", json={"start": current["start"], "user": "grace"}
    )
    assert outsider.json()["description"] == "Event user must be part of the team"
    assert (await http.put("/events/999", json={"start": 1})).status_code == 404
    future = (await http.get(f"/events?team=platform&start__gt={now}")).json()[0]["id"]
    assert (await http.delete(f"/events/{future}")).status_code == 200
    assert (await http.delete(f"/events/{future}")).status_code == 404
    past = await http.delete("/events/1")
    assert past.json()["description"] == "Deleting events in the past not allowed"


async def test_swap_override_and_linked_events(http: httpx.AsyncClient, cast: Cast) -> None:
    now = now_s(cast)
    nxt = (await http.get(f"/events?team=payments&start__gt={now}&start__lt={now + WEEK}")).json()
    primary, secondary = nxt
    swap = await http.post(
        "/events/swap",
        json={
            "events": [
                {"id": primary["id"], "linked": False},
                {"id": secondary["id"], "linked": False},
            ]
        },
    )
    assert swap.status_code == 200
    assert (await http.get(f"/events/{primary['id']}")).json()["user"] == secondary["user"]
    assert (await http.post("/events/swap", json={"events": []})).status_code == 400
    override = await http.post(
        "/events/override",
        json={
            "event_ids": [primary["id"]],
            "start": primary["start"] + 3600,
            "end": primary["start"] + 7200,
            "user": "grace",
        },
    )
    rows = override.json()
    assert override.status_code == 200
    assert [(r["user"], r["start"], r["end"]) for r in rows] == [
        (secondary["user"], primary["start"], primary["start"] + 3600),
        (secondary["user"], primary["start"] + 7200, primary["end"]),
        ("grace", primary["start"] + 3600, primary["start"] + 7200),
    ]
    linked = await http.post(
        "/events/link",
        json=[
            {
                "start": now + 10 * WEEK + h * 3600,
                "end": now + 10 * WEEK + (h + 1) * 3600,
                "user": "grace",
                "team": "payments",
                "role": "shadow",
            }
            for h in range(3)
        ],
    )
    assert linked.status_code == 201 and len(linked.json()) == 3
    upcoming = (await http.get("/users/grace/upcoming?role=shadow")).json()
    assert len(upcoming) == 1 and upcoming[0]["num_events"] == 3
