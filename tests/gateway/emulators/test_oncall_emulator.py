"""The oncall emulator's reads speak the real 2.1.7 server's wire format (oncall-real-server.md)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from gateway.emulators import MOUNTS
from gateway.emulators.cast import Cast
from tests.conftest import mounted_emulator
from tests.gateway.emulators.oncall_support import ORIGIN, WEEK, mounted, now_s, open_client


@pytest.fixture
async def http(cast: Cast) -> AsyncIterator[httpx.AsyncClient]:
    async with open_client(mounted(cast)) as client:
        yield client


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


async def test_members_are_listed_by_user_id(http: httpx.AsyncClient) -> None:
    # alice (id 3) joined data-analytics last and is out of rotation, yet comes first.
    users = (await http.get("/teams/data-analytics/users")).json()
    assert users == ["alice", "quinn", "rosa", "tariq", "victor", "wen"]
    detail = (await http.get("/teams/data-analytics")).json()
    assert list(detail["users"]) == users
    assert [u["id"] for u in detail["users"].values()] == sorted(
        u["id"] for u in detail["users"].values()
    )
    assert (await http.get("/teams/data-analytics/users?active=0")).json() == []


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
    # Listed by user id: alice (id 3, out of rotation, last in priority) comes first.
    assert rosters["data-analytics-rotation"]["users"][:2] == [
        {"name": "alice", "in_rotation": False},
        {"name": "quinn", "in_rotation": True},
    ]
    single = (await http.get("/teams/data-analytics/rosters/data-analytics-rotation")).json()
    assert set(single) == {"users", "schedules"}  # no wrapper, no id
    assert single["users"][0] == {"name": "alice", "in_rotation": 0, "roster_priority": 5}
    assert single["users"][1] == {"name": "quinn", "in_rotation": 1, "roster_priority": 0}
    assert (await http.get("/teams/data-analytics/rosters/nope")).status_code == 404
    roster = "/teams/data-analytics/rosters/data-analytics-rotation"
    names = (await http.get(f"{roster}/users")).json()
    assert names[:3] == ["alice", "quinn", "rosa"]
    assert (await http.get(f"{roster}/users?in_rotation=false")).json() == ["alice"]
    assert "alice" not in (await http.get(f"{roster}/users?in_rotation=1")).json()
    bad = await http.get(f"{roster}/users?in_rotation=maybe")
    assert (bad.status_code, bad.json()["title"]) == (400, "Invalid parameter")
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


async def test_schedule_fields_and_the_changes_bug(http: httpx.AsyncClient) -> None:
    trimmed = (await http.get("/schedules/1?fields=role&fields=events")).json()
    assert trimmed == {
        "id": 1,
        "role": "primary",
        "role_id": 1,
        "events": [{"start": 86400, "duration": WEEK}],
    }
    bad = await http.get("/schedules/1?fields=colour")
    assert (bad.status_code, bad.json()["title"]) == (400, "Bad fields")
    listed = await http.get("/teams/mobile/rosters/mobile-rotation/schedules?fields=team")
    assert listed.json() == [
        {"id": 5, "team": "mobile", "team_id": 7},
        {"id": 6, "team": "mobile", "team_id": 7},
    ]
    changes = await http.get("/teams/mobile/changes")
    assert (changes.status_code, changes.json()) == (500, {"title": "500 Internal Server Error"})


async def test_health_is_at_the_server_root(cast: Cast) -> None:
    async with open_client(mounted(cast), base_url=ORIGIN) as http:
        health = await http.get("/oncall/healthcheck")
        assert (health.status_code, health.text) == (200, "GOOD")
        assert health.headers["content-type"].startswith("text/plain")
        assert (await http.get("/oncall/api/v0/healthcheck")).status_code == 404


async def test_the_registry_mounts_the_root_app_next_to_the_api(cast: Cast) -> None:
    app = mounted_emulator("oncall", cast)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=ORIGIN) as http:
        assert (await http.get("/oncall/healthcheck")).text == "GOOD"
        assert (await http.get(f"{MOUNTS['oncall']}/teams")).json()[0] == "platform"
        login = await http.post("/oncall/login", content=b"username=bob&password=x")
        assert login.json()["name"] == "bob"
