"""oncall teams through GraphQL over the ASGI app: the mapping, the links both ways, and
exactly which upstream calls each field costs."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.emulators.cast import Cast
from gateway.emulators.cast_build import build_cast
from tests.conftest import NOW
from tests.harness import Gateway, open_gateway

SHIFT_START, SHIFT_END = "2026-11-23T00:00:00+00:00", "2026-11-30T00:00:00+00:00"
PLATFORM_USERS = ["alice", "bob", "carmen", "dmitri.k", "erin", "farid"]  # by user id


def oncall_calls(gw: Gateway) -> list[str]:
    return sorted(f"{c.method} {c.path}" for c in gw.log.of("oncall"))


async def run(cast: Cast, query: str) -> tuple[dict[str, Any], Gateway]:
    async with open_gateway(cast) as gw:
        result = await gw.execute(query)
    assert "errors" not in result, result["errors"]
    data: dict[str, Any] = result["data"]
    return data, gw


async def test_a_team_is_its_detail(cast: Cast) -> None:
    data, gw = await run(cast, """{ oncall { team(name: "platform") {
        name id email slackChannel slackChannelNotifications schedulingTimezone description
        irisPlan irisEnabled overridePhoneNumber apiManagedRoster
        users { name id fullName } admins { name } services { name }
        rosters { name id users { user { name } inRotation rosterPriority }
                  schedules { id role roster team { name } timezone scheduler autoPopulateThreshold
                              advancedMode events { startSeconds durationSeconds } } }
        schedules { id role } } } }""")  # fmt: skip
    team = data["oncall"]["team"]
    assert {k: v for k, v in team.items() if not isinstance(v, list)} == {
        "name": "platform", "id": 5, "email": "platform@teamgraph.example",
        "slackChannel": "#platform", "slackChannelNotifications": "#platform-alerts",
        "schedulingTimezone": "UTC", "description": "The platform on-call team",
        "irisPlan": None, "irisEnabled": False, "overridePhoneNumber": None,
        "apiManagedRoster": False,
    }  # fmt: skip
    assert [u["name"] for u in team["users"]] == PLATFORM_USERS
    assert [u["id"] for u in team["users"]] == [3, 4, 5, 6, 7, 8]
    assert team["users"][0]["fullName"] == "Alice Nguyen"
    assert team["admins"] == [{"name": "alice"}]
    assert team["services"] == [{"name": "api-gateway"}, {"name": "kubernetes"}]
    (roster,) = team["rosters"]
    assert (roster["name"], roster["id"]) == ("platform-rotation", 50)
    assert [m["user"]["name"] for m in roster["users"]] == PLATFORM_USERS
    assert [m["user"]["name"] for m in roster["users"] if not m["inRotation"]] == ["erin"]
    assert {m["rosterPriority"] for m in roster["users"]} == {None}  # only a single roster's
    weekly = [{"startSeconds": 86400, "durationSeconds": 604800}]  # Monday 00:00, one week
    assert roster["schedules"] == [
        {"id": 1, "role": "primary", "roster": "platform-rotation", "team": {"name": "platform"},
         "timezone": "UTC", "scheduler": "default", "autoPopulateThreshold": 21,
         "advancedMode": False, "events": weekly},
        {"id": 2, "role": "secondary", "roster": "platform-rotation", "team": {"name": "platform"},
         "timezone": "UTC", "scheduler": "default", "autoPopulateThreshold": 21,
         "advancedMode": False, "events": weekly},
    ]  # fmt: skip
    assert team["schedules"] == [{"id": 1, "role": "primary"}, {"id": 2, "role": "secondary"}]
    # One call: everything above is the detail, and the members' details are in it.
    assert oncall_calls(gw) == ["GET /teams/platform"]
    assert gw.log.count() == gw.log.count("oncall")


async def test_an_unknown_team_is_null(cast: Cast) -> None:
    data, gw = await run(cast, '{ oncall { team(name: "Platform") { name email } } }')
    assert data["oncall"]["team"] is None  # names match case-sensitively
    assert oncall_calls(gw) == ["GET /teams/Platform"]


async def test_summary_and_who_is_on_call_now(cast: Cast) -> None:
    data, _ = await run(cast, """{ oncall { team(name: "platform") {
        summary { current { role start end user { name } userId fullName contacts { email } }
                  next { role start user { name } } }
        oncallNow(role: "primary") { role start end fullName user { name } team { name }
                                     contacts { email sms slack } } } } }""")  # fmt: skip
    team = data["oncall"]["team"]
    current = team["summary"]["current"]
    assert [(e["role"], e["user"]["name"], e["userId"]) for e in current] == [
        ("primary", "bob", 4), ("secondary", "carmen", 5),
    ]  # fmt: skip
    assert current[0] | {"user": None} == {
        "role": "primary", "start": SHIFT_START, "end": SHIFT_END, "user": None, "userId": 4,
        "fullName": "Bob Okafor", "contacts": {"email": "bob@teamgraph.example"},
    }  # fmt: skip
    nxt = team["summary"]["next"]
    assert [(e["role"], e["user"]["name"], e["start"]) for e in nxt] == [
        ("primary", "carmen", SHIFT_END), ("secondary", "dmitri.k", SHIFT_END),
    ]  # fmt: skip
    assert team["oncallNow"] == [
        {"role": "primary", "start": SHIFT_START, "end": SHIFT_END, "fullName": "Bob Okafor",
         "user": {"name": "bob"}, "team": {"name": "platform"},
         "contacts": {"email": "bob@teamgraph.example", "sms": "+1 555-001-0001",
                      "slack": "bob"}},
    ]  # fmt: skip


def names(items: list[dict[str, Any]]) -> list[str]:
    return [i["name"] for i in items]


async def test_a_teams_parts_read_alone(cast: Cast) -> None:
    data, gw = await run(cast, """{ oncall {
        teamAdmins(team: "platform") { name }
        teamUsers(team: "platform") { name }
        teamServices(team: "platform") { name }
        teamRosters(team: "platform") { name users { user { name } } schedules { id } }
        teamRoster(team: "platform", roster: "platform-rotation") {
          name id users { user { name } inRotation rosterPriority } schedules { id } }
        missing: teamRoster(team: "platform", roster: "nope") { name }
        out: rosterUsers(team: "platform", roster: "platform-rotation", inRotation: false) { name }
        all: rosterUsers(team: "platform", roster: "platform-rotation") { name }
        rosterSchedules(team: "platform", roster: "platform-rotation") { id role }
        nobody: teamUsers(team: "nope") { name } } }""")  # fmt: skip
    o = data["oncall"]
    assert names(o["teamAdmins"]) == ["alice"]
    assert names(o["teamUsers"]) == PLATFORM_USERS
    assert names(o["teamServices"]) == ["api-gateway", "kubernetes"]
    assert [r["name"] for r in o["teamRosters"]] == ["platform-rotation"]
    assert [m["user"]["name"] for m in o["teamRosters"][0]["users"]] == PLATFORM_USERS
    roster = o["teamRoster"]
    assert (roster["name"], roster["id"]) == ("platform-rotation", None)  # 2.1.7 sends no id
    assert [(m["user"]["name"], m["rosterPriority"]) for m in roster["users"]] == [
        (n, i) for i, n in enumerate(PLATFORM_USERS)
    ]
    assert roster["users"][4] == {"user": {"name": "erin"}, "inRotation": False,
                                  "rosterPriority": 4}  # fmt: skip
    assert roster["schedules"] == [{"id": 1}, {"id": 2}]
    assert o["missing"] is None
    assert names(o["out"]) == ["erin"] and names(o["all"]) == PLATFORM_USERS
    assert o["rosterSchedules"] == [{"id": 1, "role": "primary"}, {"id": 2, "role": "secondary"}]
    assert o["nobody"] == []
    rotation = "/teams/platform/rosters/platform-rotation"
    assert oncall_calls(gw) == sorted([
        "GET /teams/platform/admins", "GET /teams/platform/users", "GET /teams/nope/users",
        "GET /teams/platform/services", "GET /teams/platform/rosters", f"GET {rotation}",
        "GET /teams/platform/rosters/nope", f"GET {rotation}/users", f"GET {rotation}/users",
        f"GET {rotation}/schedules",
    ])  # fmt: skip


async def test_team_and_team_oncall_link_both_ways(cast: Cast) -> None:
    data, _ = await run(cast, """{
        oncall { team(name: "data-analytics") { team { key name accounts { service id } } } }
        team(key: "data-analytics") { oncall { name email } } }""")  # fmt: skip
    linked = data["oncall"]["team"]["team"]
    assert linked["key"] == "data-analytics"
    assert {"service": "ONCALL", "id": "data-analytics"} in linked["accounts"]
    assert data["team"]["oncall"] == {
        "name": "data-analytics", "email": "data-analytics@teamgraph.example",
    }  # fmt: skip


# -- calls: every per-key field batched over 12 teams -----------------------------------------

SCALED = build_cast(scale=3, now=NOW)
TEAMS = sorted(t.oncall.name for t in SCALED.teams if t.oncall)


def test_the_scaled_cast_has_more_than_ten_teams() -> None:
    assert len(TEAMS) == 12


async def test_per_team_fields_cost_one_call_per_team_each() -> None:
    data, gw = await run(SCALED, """{ oncall { teams {
        name email rosters { name } users { name } admins { name } services { name }
        summary { current { role } } oncallNow(role: "primary") { user { name } }
        again: oncallNow(role: "primary") { start } secondary: oncallNow(role: "secondary") {
          start } } } }""")  # fmt: skip
    teams = data["oncall"]["teams"]
    assert [t["name"] for t in teams] == TEAMS
    assert all(t["summary"]["current"] and t["oncallNow"] and t["rosters"] for t in teams)
    assert oncall_calls(gw) == sorted(
        ["GET /teams"]
        + [f"GET /teams/{n}" for n in TEAMS]  # the detail: columns, users, admins, rosters
        + [f"GET /teams/{n}/summary" for n in TEAMS]
        + [f"GET /teams/{n}/oncall/primary" for n in TEAMS]  # asked twice, fetched once
        + [f"GET /teams/{n}/oncall/secondary" for n in TEAMS]
    )
    assert gw.log.count() == gw.log.count("oncall") == 1 + 4 * 12  # no identity needed


@pytest.mark.parametrize("scale", [1, 3])
async def test_oncall_fields_next_to_unified_ones_add_no_calls(scale: int) -> None:
    cast = build_cast(scale=scale, now=NOW)
    unified = """teams { key email slackChannel schedulingTimezone services
                         rosters { name members { inRotation user { key } } }
                         memberships(service: ONCALL) { role user { key } } }"""
    mixed = unified.removesuffix("}") + """ oncall {
        name id email description users { name fullName contacts { email } } admins { name }
        services { name } rosters { name users { user { name } } } schedules { id }
        team { key } } }"""  # fmt: skip
    _, alone = await run(cast, "{ " + unified + " }")
    data, both = await run(cast, "{ " + mixed + " }")
    assert oncall_calls(both) == oncall_calls(alone)
    t = len(cast.teams)
    assert len(oncall_calls(both)) == t + 2  # /teams, /users (identity) and each detail
    for team in data["teams"]:
        assert team["oncall"]["team"]["key"] == team["key"]
        assert team["oncall"]["email"] == team["email"]
        assert [s["name"] for s in team["oncall"]["services"]] == sorted(team["services"])
