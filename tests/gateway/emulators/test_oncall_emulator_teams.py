"""Team and roster writes on the oncall emulator, and what they change in later reads."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest

from gateway.emulators.cast import Cast
from tests.gateway.emulators.oncall_support import ORIGIN, audit, mounted, open_client


@pytest.fixture
async def http(cast: Cast) -> AsyncIterator[httpx.AsyncClient]:
    async with open_client(mounted(cast)) as client:
        yield client


async def new_team(http: httpx.AsyncClient, name: str = "sre", admin: str = "bob") -> None:
    """Create a team as a logged-in ``admin`` would (a session makes them its admin)."""
    login = await http.post(
        f"{ORIGIN}/oncall/login", content=f"username={admin}&password=x".encode()
    )
    assert login.status_code == 200
    body = {"name": name, "scheduling_timezone": "US/Pacific", "slack_channel": "#sre",
            "email": "sre@example.com", "description": "Site reliability"}  # fmt: skip
    created = await http.post(
        "/teams", json=body, headers={"X-CSRF-TOKEN": login.json()["csrf_token"]}
    )
    assert (created.status_code, created.content) == (201, b"")
    await http.post(f"{ORIGIN}/oncall/logout")


async def test_create_team_shows_everywhere(http: httpx.AsyncClient) -> None:
    await new_team(http)
    assert (await http.get("/teams")).json()[-1] == "sre"
    team = (await http.get("/teams/sre")).json()
    assert (team["id"], team["scheduling_timezone"], team["slack_channel"]) == (9, "US/Pacific",
                                                                                "#sre")  # fmt: skip
    assert (team["users"]["bob"]["name"], team["admins"]) == ("bob", [{"name": "bob"}])
    assert (team["rosters"], team["services"], team["slack_channel_notifications"]) == (
        {},
        [],
        None,
    )
    assert (await http.get("/users/bob/teams")).json() == ["platform", "sre"]
    settings = (await http.get("/users/bob/notifications")).json()
    assert [s["team"] for s in settings] == ["platform", "platform", "sre", "sre"]
    [row] = await audit(http, team="sre")
    assert (row["owner"], row["action"], json.loads(str(row["context"]))) == (
        "bob",
        "team_created",
        {"team_id": 9},
    )


async def test_create_team_validation(http: httpx.AsyncClient) -> None:
    good = {"name": "sre", "scheduling_timezone": "UTC", "admin": "bob"}
    failures = [
        ({"scheduling_timezone": "UTC"}, 400, "400 Bad Request",
         "name attribute missing from request"),
        ({"name": "sre"}, 400, "400 Bad Request",
         "scheduling_timezone attribute missing from request"),
        ({**good, "name": "a/b"}, 400, "invalid team name",
         'team name contains invalid character "/"'),
        ({**good, "slack_channel": "sre"}, 400, "invalid slack channel",
         "slack channel name needs to start with #"),
        ({**good, "name": "platform"}, 422, "IntegrityError",
         'team name "platform" already exists'),
    ]  # fmt: skip
    for body, status, title, description in failures:
        response = await http.post("/teams", json=body)
        assert (response.status_code, response.json()) == (
            status,
            {"title": title, "description": description},
        ), body
    garbage = await http.post("/teams", content=b"not json")
    assert garbage.json() == {
        "title": "invalid JSON",
        "description": "failed to decode json: Unexpected character found when decoding 'null'",
    }


async def test_update_team(http: httpx.AsyncClient) -> None:
    edit = await http.put("/teams/mobile", json={"email": "apps@example.com", "iris_enabled": True})
    assert (edit.status_code, edit.content) == (200, b"")
    team = (await http.get("/teams/mobile")).json()
    assert (team["email"], team["iris_enabled"]) == ("apps@example.com", 1)
    renamed = await http.put("/teams/mobile", json={"name": "apps"})
    assert renamed.status_code == 200
    assert (await http.get("/teams/mobile")).status_code == 404
    assert (await http.get("/teams/apps/rosters")).json()["mobile-rotation"]["id"] == 70
    assert (await http.get("/events?team=apps")).json()[0]["team"] == "apps"
    assert (await http.put("/teams/nope", json={"email": "x"})).status_code == 200  # no-op
    failures = [
        ({"scheduling_timezone": "Mars/Olympus"}, "invalid payload"),
        ({"iris_enabled": 1}, "invalid payload"),
        ({"name": ""}, "invalid team name"),
        ({"name": "a#b"}, "invalid team name"),
    ]
    for body, title in failures:
        response = await http.put("/teams/apps", json=body)
        assert (response.status_code, response.json()["title"]) == (400, title), body
    clash = await http.put("/teams/apps", json={"name": "payments"})
    assert clash.json() == {
        "title": "IntegrityError",
        "description": "A team named 'payments' already exists",
    }
    assert (await http.put("/teams/apps", json={"colour": "red"})).status_code == 500
    assert [r["action"] for r in await audit(http, action="team_edited")] == ["team_edited"] * 3


async def test_delete_team_removes_its_rosters_schedules_and_events(
    http: httpx.AsyncClient,
) -> None:
    deleted = await http.delete("/teams/payments")
    assert (deleted.status_code, deleted.content) == (200, b"")
    assert (await http.get("/teams/payments")).status_code == 404
    assert "payments" not in (await http.get("/teams")).json()
    [[renamed, team_id]] = (await http.get("/teams?active=0&get_id=true")).json()
    assert team_id == 6 and len(renamed) == 36  # a uuid, as upstream renames it
    assert (await http.get(f"/teams/{renamed}?active=0")).json()["rosters"] == {}
    assert (await http.get("/teams/payments/rosters")).status_code == 422
    assert (await http.get("/events?team_id=6")).json() == []
    assert (await http.get("/schedules/3")).status_code == 500  # gone, like any unknown id
    assert "payments" not in (await http.get("/users/grace/teams")).json()
    assert (await http.delete("/teams/payments")).status_code == 404
    assert [r["action"] for r in await audit(http, team="payments")][-1] == "team_deleted"
    await new_team(http, "payments", admin="grace")  # the name is free again
    assert (await http.get("/teams/payments")).json()["id"] == 9


async def test_team_admins_users_and_services(http: httpx.AsyncClient) -> None:
    added = await http.post("/teams/mobile/admins", json={"name": "grace"})
    assert added.status_code == 201 and added.json()["name"] == "grace"
    assert (await http.get("/teams/mobile/admins")).json() == ["grace", "lena"]  # by user id
    assert "grace" in (await http.get("/teams/mobile/users")).json()
    again = await http.post("/teams/mobile/admins", json={"name": "grace"})
    assert again.json()["description"] == 'user name "grace" is already an admin of team mobile'
    assert (await http.post("/teams/mobile/admins", json={})).json() == {
        "title": "name attribute missing from request"
    }
    unknown = await http.post("/teams/mobile/admins", json={"name": "nobody"})
    assert (unknown.status_code, unknown.json()["description"]) == (422, "invalid team or user")
    # Dropping an admin who is in no roster takes them out of the team (and its reminders).
    assert (await http.delete("/teams/mobile/admins/grace")).status_code == 200
    assert "grace" not in (await http.get("/teams/mobile/users")).json()
    assert "mobile" not in [
        s["team"] for s in (await http.get("/users/grace/notifications")).json()
    ]
    assert (await http.delete("/teams/mobile/admins/grace")).status_code == 404
    # The deprecated member endpoint adds membership only.
    member = await http.post("/teams/mobile/users", json={"name": "hiro"})
    assert (member.status_code, member.json()["name"]) == (201, "hiro")
    assert (await http.post("/teams/mobile/users", json={"name": "hiro"})).json()[
        "description"
    ] == 'user name "hiro" is already in team mobile'
    assert (await http.post("/teams/mobile/users", json={"name": "nobody"})).json()[
        "description"
    ] == "user nobody not found"
    assert (await http.delete("/teams/mobile/users/hiro")).status_code == 200
    assert (await http.delete("/teams/mobile/users/hiro")).status_code == 404
    # Services: one team each.
    claimed = await http.post("/teams/mobile/services", json={"name": "ledger"})
    assert claimed.json() == {
        "title": "IntegrityError",
        "description": 'service "ledger" already claimed by team "payments"',
    }
    assert (await http.delete("/teams/payments/services/ledger")).status_code == 200
    assert (await http.post("/teams/mobile/services", json={"name": "ledger"})).status_code == 201
    assert (await http.get("/services/ledger/teams")).json() == ["mobile"]
    # listed by service id, as the mapping table's key orders them
    assert (await http.get("/teams/mobile/services")).json() == ["ledger", "ios-app", "android-app"]
    missing = await http.post("/teams/mobile/services", json={"name": "nope"})
    assert missing.json()["description"] == 'service "nope" not found'
    assert (await http.delete("/teams/mobile/services/nope")).status_code == 404


async def test_rosters_create_rename_reorder_delete(http: httpx.AsyncClient) -> None:
    created = await http.post("/teams/platform/rosters", json={"name": "weekend"})
    assert (created.status_code, created.content) == (201, b"")
    dup = await http.post("/teams/platform/rosters", json={"name": "weekend"})
    assert dup.json()["description"] == 'roster name "weekend" already exists for team platform'
    bad = await http.post("/teams/platform/rosters", json={"name": "a.b"})
    assert bad.json() == {
        "title": "invalid roster name",
        "description": 'roster name contains invalid character "."',
    }
    for user in ("erin", "bob"):
        added = await http.post("/teams/platform/rosters/weekend/users", json={"name": user})
        assert added.status_code == 201
    roster = "/teams/platform/rosters/weekend"
    assert (await http.get(f"{roster}/users")).json() == ["bob", "erin"]  # by user id
    priorities = {u["name"]: u["roster_priority"] for u in (await http.get(roster)).json()["users"]}
    assert priorities == {"erin": 0, "bob": 1}
    order = await http.put(roster, json={"roster_order": ["bob", "erin"]})
    assert order.status_code == 200
    users = (await http.get(roster)).json()["users"]
    assert [(u["name"], u["roster_priority"]) for u in users] == [("bob", 0), ("erin", 1)]
    partial = await http.put(roster, json={"roster_order": ["bob"]})
    assert partial.json()["description"] == "Roster order must include all roster members"
    assert (await http.put(roster, json={})).json()["description"] == (
        "missing roster name or order"
    )
    assert (await http.put(roster, json={"name": "platform-rotation"})).status_code == 422
    assert (await http.put(roster, json={"name": "weekends"})).status_code == 200
    assert "weekends" in (await http.get("/teams/platform/rosters")).json()
    assert (await http.delete("/teams/platform/rosters/weekends")).status_code == 200
    assert (await http.delete("/teams/platform/rosters/weekends")).status_code == 404
    assert list((await http.get("/teams/platform/rosters")).json()) == ["platform-rotation"]
    actions = [r["action"] for r in await audit(http, team="platform")][-5:]
    assert actions == ["roster_created", "roster_user_added", "roster_user_added",
                       "roster_edited", "roster_deleted"]  # fmt: skip


async def test_roster_users(http: httpx.AsyncClient) -> None:
    roster = "/teams/mobile/rosters/mobile-rotation"
    added = await http.post(f"{roster}/users", json={"name": "hiro", "in_rotation": False})
    assert added.status_code == 201 and added.json()["contacts"]["slack"] == "hiro"
    assert "hiro" in (await http.get("/teams/mobile/users")).json()
    assert "mobile" in [s["team"] for s in (await http.get("/users/hiro/notifications")).json()]
    assert "hiro" in (await http.get(f"{roster}/users?in_rotation=false")).json()
    again = await http.post(f"{roster}/users", json={"name": "hiro"})
    assert again.json()["description"] == 'user "hiro" is already in the roster'
    assert (await http.post(f"{roster}/users", json={})).json() == {
        "title": "incomplete data",
        "description": 'missing field "name"',
    }
    put = await http.put(f"{roster}/users/hiro", json={"in_rotation": True})
    assert (put.status_code, put.json()) == (200, [])
    assert "hiro" in (await http.get(f"{roster}/users?in_rotation=true")).json()
    assert (await http.put(f"{roster}/users/hiro", json={})).json()["description"] == (
        'missing field "in_rotation"'
    )
    gone = await http.delete(f"{roster}/users/hiro")
    assert (gone.status_code, gone.json()) == (200, [])
    assert "hiro" not in (await http.get("/teams/mobile/users")).json()
    assert (await http.delete("/teams/mobile/rosters/nope/users/hiro")).status_code == 404
    # The admin stays in the team when leaving the roster.
    assert (await http.delete(f"{roster}/users/lena")).status_code == 200
    assert "lena" in (await http.get("/teams/mobile/users")).json()
