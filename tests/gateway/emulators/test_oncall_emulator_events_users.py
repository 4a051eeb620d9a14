"""The oncall emulator's event, user, service, search and audit reads (real 2.1.7 shapes)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest

from gateway.emulators.cast import Cast
from tests.gateway.emulators.oncall_support import WEEK, mounted, now_s, open_client


@pytest.fixture
async def http(cast: Cast) -> AsyncIterator[httpx.AsyncClient]:
    async with open_client(mounted(cast)) as client:
        yield client


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


async def test_unfiltered_events_are_grouped_by_team_name(http: httpx.AsyncClient) -> None:
    teams = [e["team"] for e in (await http.get("/events")).json()]
    assert teams[0] == "data-analytics" and teams[-1] == "platform"
    assert teams == sorted(teams)
    ids = [e["id"] for e in (await http.get("/events?team=mobile")).json()]
    assert ids == sorted(ids)


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
    # The stock config's defaults on joining a team: a reminder a day and a week ahead.
    assert [(s["team"], s["time_before"]) for s in settings] == [
        ("platform", 86400),
        ("platform", 604800),
        ("data-analytics", 86400),
        ("data-analytics", 604800),
    ]
    assert settings[0] == {
        "team": "platform",
        "mode": "email",
        "type": "oncall_reminder",
        "time_before": 86400,
        "only_if_involved": None,
        "id": settings[0]["id"],
        "roles": ["primary", "secondary", "shadow", "manager"],
    }
    assert (await http.get("/users/nobody/notifications")).json() == []


# -- services, roles, search, small lists -------------------------------------------------


async def test_services_and_mappings(http: httpx.AsyncClient) -> None:
    services = (await http.get("/services")).json()
    assert services == sorted(services) and len(services) == 7  # alphabetical
    assert services[:3] == ["android-app", "api-gateway", "checkout"]
    assert (await http.get("/services?name__contains=app")).json() == ["android-app", "ios-app"]
    assert (await http.get("/services?id__le=2")).json() == ["api-gateway", "kubernetes"]
    assert (await http.get("/services/warehouse")).json() == {"id": 7, "name": "warehouse"}
    assert (await http.get("/services/nope")).status_code == 404
    assert (await http.get("/services/ledger/teams")).json() == ["payments"]
    pairs = (await http.get("/team_services")).json()
    assert {"team": "data-analytics", "service": "warehouse"} in pairs and len(pairs) == 7
    assert [p["team"] for p in pairs] == sorted(p["team"] for p in pairs)  # by team name
    members = (await http.get("/team_users")).json()
    assert members[0] == {"team": "data-analytics", "user": "alice"}  # by team name, user id
    assert [m["team"] for m in members] == sorted(m["team"] for m in members)


async def test_roles_types_modes_and_timezones(http: httpx.AsyncClient) -> None:
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
    zones = (await http.get("/timezones")).json()  # the stock config's list
    assert zones[0] == "US/Pacific" and zones[-1] == "UTC" and len(zones) == 9


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


async def test_audit_log_holds_each_teams_history(http: httpx.AsyncClient, cast: Cast) -> None:
    rows = (await http.get("/audit", params={"team": "payments"})).json()
    assert [r["action"] for r in rows[:2]] == ["team_created", "roster_created"]
    assert {r["owner"] for r in rows} == {"grace"} and {r["team"] for r in rows} == {"payments"}
    assert set(rows[0]) == {"owner", "team", "action", "timestamp", "context"}
    assert json.loads(rows[0]["context"]) == {"team_id": 6}
    assert rows[0]["timestamp"] < now_s(cast)
    added = (await http.get("/audit?team=payments&action=roster_user_added")).json()
    assert [json.loads(r["context"])["user"] for r in added] == [
        "grace",
        "hiro",
        "ines",
        "jonas",
        "sam.taylor",
        "kofi",
    ]
    both = await http.get("/audit?owner=grace&action=team_created&action=roster_created")
    assert len(both.json()) == 2
    assert (await http.get("/audit?action=team_created,roster_created")).json() == []
    everything = (await http.get("/audit")).json()
    assert len(everything) == 4 * 2 + 6 + 6 + 5 + 6
    first = everything[0]["timestamp"]
    assert (await http.get(f"/audit?start={first + 1}&end={first + 60}")).json()[0][
        "action"
    ] == "roster_created"
