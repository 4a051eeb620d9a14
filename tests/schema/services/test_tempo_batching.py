"""Tempo's per-key fields asked of many parents: exactly one call per distinct key (never
one per asking field), and a failing read failing only its own field.

`build_cast(scale=3)` has 12 Tempo teams, 66 people Tempo knows (69 memberships of them in
teams) and 25 accounts of 12 customers.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx
import pytest

from gateway.emulators import create_emulator_app
from gateway.emulators.cast import Cast
from gateway.emulators.cast_build import build_cast
from gateway.emulators.faults import Faults
from tests.conftest import NOW
from tests.harness import Gateway, open_gateway


@pytest.fixture
def big() -> Cast:
    return build_cast(scale=3, now=NOW)


# Path segments that name an endpoint; every other segment is a key ("/teams/3/links" is
# "/teams/{}/links").
_NAMES = {
    "teams", "members", "memberships", "permissions", "links", "timesheet-approvals", "team",
    "user", "reviewers", "worklogs", "plans", "user-schedule", "accounts", "customers",
}  # fmt: skip


def calls(gw: Gateway) -> Counter[str]:
    """Tempo calls by endpoint, each key shown as {}."""
    shapes: Counter[str] = Counter()
    for c in gw.log.of("tempo"):
        parts = [p if not p or p in _NAMES else "{}" for p in c.path.split("/")]
        shapes[f"{c.method} {'/'.join(parts)}"] += 1
    return shapes


def distinct(gw: Gateway) -> bool:
    """No call was made twice (same path and query)."""
    asked = [c.as_asked() for c in gw.log.of("tempo")]
    return len(asked) == len(set(asked))


async def run(gw: Gateway, query: str) -> Any:
    result = await gw.execute(query)
    assert "errors" not in result, result["errors"]
    return result["data"]


def tempo_people(cast: Cast) -> int:
    return sum(1 for p in cast.people if p.tempo)


async def test_team_fields_over_twelve_teams_cost_one_call_per_team(big: Cast) -> None:
    query = """{ tempo { teams {
      id members { active { id } }
      m1: members { member { displayName } }
      permissions { key } permission(key: "tempo.planner.plan.permission") { key }
      links { id } timesheetApprovals { status { key } }
      worklogs(from: "2026-11-16", to: "2026-11-22", first: 2) { totalCount }
      member(accountId: "nobody") { teamId }
    } } }"""
    async with open_gateway(big) as gw:
        data = await run(gw, query)
        teams = len(data["tempo"]["teams"])
        assert teams == 12
        assert calls(gw) == {
            "GET /teams": 1,
            "GET /teams/{}/members": teams,  # asked twice per team, fetched once
            "GET /teams/{}/permissions": teams,
            "GET /teams/{}/permissions/{}": teams,
            "GET /teams/{}/links": teams,
            "GET /timesheet-approvals/team/{}": teams,
            "GET /worklogs/team/{}": teams,
            "GET /teams/{}/members/{}": teams,
        }
        assert distinct(gw)


async def test_memberships_over_every_member_cost_one_call_per_member(big: Cast) -> None:
    query = "{ tempo { teams { members { memberships { id } again: memberships { to } } } } }"
    async with open_gateway(big) as gw:
        data = await run(gw, query)
        members = sum(len(t["members"]) for t in data["tempo"]["teams"])
        assert members == 69
        assert calls(gw) == {
            "GET /teams": 1,
            "GET /teams/{}/members": 12,
            "GET /teams/{}/members/{}/memberships": members,
        }
        assert distinct(gw)


# Two operations: all five in one would pass the default budget of 300 upstream calls.
USER_READS = [
    (
        """{ users { key tempo { user { key }
          plans(from: "2026-11-01", to: "2026-11-30") { id }
          schedule(from: "2026-11-16", to: "2026-11-22") { date }
          again: schedule(from: "2026-11-16", to: "2026-11-22") { type }
          timesheetApproval { status { key } } } } }""",
        ["/plans/user/{}", "/user-schedule/{}", "/timesheet-approvals/user/{}"],
    ),
    (
        """{ users { key tempo { user { key }
          timesheetReviewers { accountId } worklogs(first: 1) { totalCount } } } }""",
        ["/timesheet-approvals/user/{}/reviewers", "/worklogs/user/{}"],
    ),
]


@pytest.mark.parametrize(("query", "paths"), USER_READS)
async def test_user_tempo_reads_over_every_person_cost_one_call_per_person(
    big: Cast, query: str, paths: list[str]
) -> None:
    async with open_gateway(big) as gw:
        data = await run(gw, query)
        linked = [u for u in data["users"] if u["tempo"]]
        assert len(linked) == tempo_people(big) == 66
        assert all(u["tempo"]["user"]["key"] == u["key"] for u in linked)
        # The linked directory (Tempo's teams and their members), then one call per person.
        expected = {"GET /teams": 1, "GET /teams/{}/members": 12}
        assert calls(gw) == expected | {f"GET {p}": len(linked) for p in paths}
        assert distinct(gw)


async def test_customer_accounts_cost_one_call_per_distinct_customer(big: Cast) -> None:
    query = "{ tempo { accounts { key customer { key accounts { key } } } } }"
    async with open_gateway(big) as gw:
        data = await run(gw, query)
        accounts = data["tempo"]["accounts"]
        customers = {a["customer"]["key"] for a in accounts if a["customer"]}
        assert (len(accounts), len(customers)) == (25, 12)
        assert calls(gw) == {"GET /accounts": 1, "GET /customers/{}/accounts": 12}
        for account in accounts:
            if account["customer"]:
                assert {"key": account["key"]} in account["customer"]["accounts"]


async def test_team_tempo_over_twelve_teams_costs_nothing_beyond_the_directory(
    big: Cast,
) -> None:
    query = "{ teams { key tempo { name lead { user { key } } team { key } } } }"
    async with open_gateway(big) as gw:
        data = await run(gw, query)
        linked = [t for t in data["teams"] if t["tempo"]]
        assert len(linked) == 12
        assert all(t["tempo"]["team"]["key"] == t["key"] for t in linked)
        assert calls(gw) == {"GET /teams": 1, "GET /teams/{}/members": 12}


class GarbledPath(httpx.AsyncBaseTransport):
    """The emulators, except that one path answers a body of the wrong shape. (A 5xx, 401
    or 403 would mark all of Tempo down for the rest of the request, by design: see
    `RequestScope.failed`.)"""

    def __init__(self, inner: httpx.AsyncBaseTransport, path: str) -> None:
        self.inner = inner
        self.path = path

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith(self.path):
            return httpx.Response(200, json={"unexpected": True})
        return await self.inner.handle_async_request(request)


async def test_one_teams_failing_read_fails_only_that_field(cast: Cast) -> None:
    inner = httpx.ASGITransport(app=create_emulator_app(cast))
    failing = {"tempo": GarbledPath(inner, "/teams/2/permissions")}
    query = "{ tempo { teams { id name permissions { key } links { id } } } }"
    async with open_gateway(cast, transports=failing) as gw:
        result = await gw.execute(query)
    teams = result["data"]["tempo"]["teams"]
    assert [t["id"] for t in teams] == [1, 2, 3, 4]
    assert teams[1]["permissions"] is None and teams[1]["links"]
    assert all(t["permissions"] for t in teams if t["id"] != 2)
    (error,) = result["errors"]
    assert error["path"] == ["tempo", "teams", 1, "permissions"]
    assert error["extensions"]["service"] == "tempo"
    assert error["extensions"]["code"] == "UPSTREAM_BAD_RESPONSE"


async def test_tempo_down_fails_only_the_tempo_fields(cast: Cast) -> None:
    query = """{ teams { key tempo { name } hack24 { id } }
      user(key: "alice") { key tempo { worklogs(first: 1) { totalCount } } } }"""
    async with open_gateway(cast, faults={"tempo": Faults(down=True)}) as gw:
        result = await gw.execute(query)
    data = result["data"]
    platform = next(t for t in data["teams"] if t["key"] == "platform")
    assert platform["tempo"] is None and platform["hack24"] is not None
    assert data["user"]["key"] == "alice"
    errors = result["errors"]
    assert errors and {e["extensions"]["service"] for e in errors} == {"tempo"}
    assert {e["extensions"]["code"] for e in errors} == {"UPSTREAM_UNAVAILABLE"}
