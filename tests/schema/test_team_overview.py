"""The TeamOverview query from the issue: its data, and exactly which upstream calls it costs.

The call count is part of the contract (README, "Upstream calls"). It may grow with the number
of teams T only where an API has no bulk form: Tempo team members, oncall team detail and
Team O'clock team members, one call per team each.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from gateway.emulators.cast import Cast
from gateway.emulators.cast_build import build_cast
from gateway.graphiql.examples import TEAM_OVERVIEW as TEAM_OVERVIEW
from tests.conftest import NOW
from tests.harness import open_gateway


def week() -> dict[str, str]:
    return {"from": str(NOW.date() - timedelta(days=6)), "to": str(NOW.date())}


def expected_calls(cast: Cast) -> dict[str, list[str]]:
    """Every call TeamOverview should make, as "METHOD path" (query strings aside)."""
    tempo_ids = sorted(t.tempo.id for t in cast.teams if t.tempo)
    oncall_names = sorted(t.oncall.name for t in cast.teams if t.oncall)
    slugs = sorted(t.teamoclock.slug for t in cast.teams if t.teamoclock)
    return {
        "tempo": sorted(
            ["GET /teams", "GET /worklogs"] + [f"GET /teams/{i}/members" for i in tempo_ids]
        ),
        "oncall": sorted(
            ["GET /teams", "GET /users", "GET /events"] + [f"GET /teams/{n}" for n in oncall_names]
        ),
        "teamoclock": sorted(
            ["GET /teams", "GET /members", "GET /standup", "GET /planpoker", "GET /retro"]
            + [f"GET /teams/{s}/members" for s in slugs]
        ),
        "teampulse": ["GET /timeentries", "GET /users"],
        "hack24": ["GET /teams", "GET /users"],
    }


@pytest.mark.parametrize("scale", [1, 3])
async def test_team_overview_costs_the_documented_upstream_calls(scale: int) -> None:
    cast = build_cast(scale=scale, now=NOW)
    async with open_gateway(cast) as gw:
        result = await gw.execute(TEAM_OVERVIEW, week())
    assert "errors" not in result, result.get("errors")
    t = len(cast.teams)
    assert len(result["data"]["teams"]) == t
    made = {s: sorted(f"{c.method} {c.path}" for c in gw.log.of(s)) for s in expected_calls(cast)}
    assert made == expected_calls(cast)
    # The formula the README documents, per service, for T teams.
    assert {s: len(v) for s, v in made.items()} == {
        "tempo": t + 2, "oncall": t + 3, "teamoclock": t + 5, "teampulse": 2, "hack24": 2,
    }  # fmt: skip


# Calls only the linked directory needs; a repeat within `[identity] directory_ttl` skips them.
DIRECTORY_ONLY = {
    "tempo": ["GET /teams"],
    "oncall": ["GET /teams", "GET /users"],
    "teamoclock": ["GET /members", "GET /teams"],
    "teampulse": ["GET /users"],
    "hack24": ["GET /teams"],
}


@pytest.mark.parametrize("scale", [1, 3])
async def test_a_repeat_costs_the_documented_calls_without_the_directorys(scale: int) -> None:
    cast = build_cast(scale=scale, now=NOW)
    async with open_gateway(cast) as gw:
        first = await gw.execute(TEAM_OVERVIEW, week())
        gw.log.clear()
        again = await gw.execute(TEAM_OVERVIEW, week())
    assert again == first and "errors" not in again
    made = {s: sorted(f"{c.method} {c.path}" for c in gw.log.of(s)) for s in DIRECTORY_ONLY}
    expected = {
        s: sorted(set(calls) - set(DIRECTORY_ONLY[s])) for s, calls in expected_calls(cast).items()
    }
    assert made == expected
    t = len(cast.teams)
    assert {s: len(v) for s, v in made.items()} == {
        "tempo": t + 1, "oncall": t + 1, "teamoclock": t + 3, "teampulse": 1, "hack24": 1,
    }  # fmt: skip


async def test_range_endpoints_are_asked_for_exactly_the_window(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        await gw.execute(TEAM_OVERVIEW, week())
    now = int(NOW.timestamp())
    (worklogs,) = [c for c in gw.log.of("tempo") if c.path == "/worklogs"]
    assert dict(worklogs.params)["from"] == week()["from"]
    assert dict(worklogs.params)["to"] == week()["to"]
    assert dict(worklogs.params)["limit"] == "1000"
    (entries,) = [c for c in gw.log.of("teampulse") if c.path == "/timeentries"]
    assert dict(entries.params) == {"startDate": week()["from"], "endDate": week()["to"]}
    (events,) = [c for c in gw.log.of("oncall") if c.path == "/events"]
    assert dict(events.params) == {"start__lt": str(now), "end__gt": str(now)}


def by_key(teams: list[dict[str, Any]], key: str) -> dict[str, Any]:
    return next(t for t in teams if t["key"] == key)


async def test_team_overview_joins_all_five_services(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        result = await gw.execute(TEAM_OVERVIEW, week())
    assert "errors" not in result, result.get("errors")
    teams = result["data"]["teams"]
    assert sorted(t["key"] for t in teams) == ["data-analytics", "mobile", "payments", "platform"]

    platform = by_key(teams, "platform")
    assert {a["service"] for a in platform["accounts"]} == {
        "TEMPO", "ONCALL", "TEAMOCLOCK", "HACK24",
    }  # fmt: skip
    # Tempo memberships, each linked to a unified user.
    lead = next(m for m in platform["memberships"] if m["role"] == "Team Lead")
    assert lead["user"]["name"] == "Alice Nguyen"
    assert lead["user"]["email"] == "alice@teamgraph.example"
    assert lead["commitmentPercent"] == 80
    assert lead["from"] == "2024-01-01"
    assert len(platform["memberships"]) == 6
    # oncall roster and who is on call right now.
    (roster,) = platform["rosters"]
    rotation = {m["user"]["name"] for m in roster["members"] if m["inRotation"]}
    assert "Erin Walsh" not in rotation and "Alice Nguyen" in rotation
    roles = {s["role"] for s in platform["oncallNow"]}
    assert "primary" in roles
    for shift in platform["oncallNow"]:
        assert shift["start"] <= NOW.isoformat() < shift["end"]
        assert shift["user"]["name"] in rotation
    # Members carry worklogs from both Tempo and TeamPulse.
    bob = next(m for m in platform["members"] if m["name"] == "Bob Okafor")
    assert {w["service"] for w in bob["worklogs"]} == {"TEMPO", "TEAMPULSE"}
    for w in bob["worklogs"]:
        assert week()["from"] <= w["date"] <= week()["to"]
        assert w["durationSeconds"] > 0
    # Today's Team O'clock meetings.
    assert sorted(m["kind"] for m in platform["meetings"]) == ["RETROSPECTIVE", "STANDUP"]

    data = by_key(teams, "data-analytics")
    # "Data & Analytics" (Tempo), "Data and Analytics" (Team O'clock), "Data Analytics"
    # (Hack24) and data-analytics (oncall) are one team.
    assert {a["service"] for a in data["accounts"]} == {"TEMPO", "ONCALL", "TEAMOCLOCK", "HACK24"}
    # alice is in two teams: her Tempo membership here is 20%.
    alice = next(m for m in data["memberships"] if m["user"]["name"] == "Alice Nguyen")
    assert alice["commitmentPercent"] == 20


async def test_every_team_has_someone_on_call_now(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        result = await gw.execute("{ teams { key oncallNow { role user { key } } } }")
    assert "errors" not in result
    for team in result["data"]["teams"]:
        assert any(s["role"] == "primary" and s["user"] for s in team["oncallNow"]), team
