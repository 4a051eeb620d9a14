"""Hack24's per-service fields share the unified graph's loaders, stay one call each over
many parents, deduplicate per-key reads, and fail alone when Hack24 does."""

from __future__ import annotations

from typing import Any

from gateway.emulators.cast import Cast
from gateway.emulators.cast_build import build_cast
from gateway.emulators.faults import Faults
from tests.conftest import NOW
from tests.harness import Gateway, configured, open_gateway


def hack24_calls(gw: Gateway) -> list[str]:
    return sorted(f"{c.method} {c.path}" for c in gw.log.of("hack24"))


def ok(result: dict[str, Any]) -> dict[str, Any]:
    assert "errors" not in result, result["errors"]
    data: dict[str, Any] = result["data"]
    return data


UNIFIED = """{
  teams { key members { key } memberships(service: HACK24) { from user { key } } }
  users { key teams { key } }
}"""

MIXED = """{
  teams {
    key members { key } memberships(service: HACK24) { from user { key } }
    hack24 { id name team { key } members { id joined user { key } team { id } } }
  }
  users { key teams { key } hack24 { id joined user { key } team { name members { id } } } }
  hack24 { teams { members { id } } users { id team { id } user { key } } }
}"""


async def test_mixing_unified_and_hack24_fields_costs_no_extra_call() -> None:
    cast = build_cast(scale=3, now=NOW)
    # Both queries list everyone (no directory kept between them): their calls compare.
    async with open_gateway(cast, settings=configured(cast, directory_ttl=0)) as gw:
        ok(await gw.execute(UNIFIED))
        alone = sorted(str(c) for c in gw.log.calls)
        gw.log.clear()
        data = ok(await gw.execute(MIXED))
        both = sorted(str(c) for c in gw.log.calls)
    # Team.hack24, User.hack24, their members and teams read the very lists identity and
    # the unified memberships loaded: every service's calls are exactly the same.
    assert both == alone
    assert hack24_calls(gw) == ["GET /teams", "GET /users"]
    teams = data["teams"]
    assert len(teams) == 12 and all(t["hack24"] for t in teams)
    for t in teams:
        # The per-service members are the unified Hack24 memberships, in joining order.
        via_memberships = [(m["user"]["key"], m["from"]) for m in t["memberships"]]
        via_hack24 = [(m["user"]["key"], m["joined"][:10]) for m in t["hack24"]["members"]]
        assert sorted(via_hack24) == sorted(via_memberships)
        assert t["hack24"]["team"] == {"key": t["key"]}
    people = [u for u in data["users"] if u["hack24"]]
    assert len(people) == sum(1 for p in cast.people if p.hack24) == 54
    assert all(u["hack24"]["user"] == {"key": u["key"]} for u in people)


async def test_members_and_teams_over_twelve_teams_cost_one_call_each() -> None:
    cast = build_cast(scale=3, now=NOW)
    query = """{ hack24 { teams { id members { id team { id members { id } } } } } }"""
    async with open_gateway(cast) as gw:
        data = ok(await gw.execute(query))["hack24"]
    assert hack24_calls(gw) == ["GET /teams", "GET /users"]
    assert len(data["teams"]) == 12
    for team in data["teams"]:
        assert team["members"], team["id"]
        assert all(m["team"]["id"] == team["id"] for m in team["members"])
        assert all(m["team"]["members"] == [{"id": x["id"]} for x in team["members"]]
                   for m in team["members"])  # fmt: skip


async def test_per_key_reads_are_deduplicated_and_bounded_to_what_was_asked() -> None:
    cast = build_cast(scale=3, now=NOW)
    ids = [t.hack24.id for t in cast.teams if t.hack24][:8]  # 28 aliases: under the limit
    fields = " ".join(
        f'a{i}: team(id: "{t}") {{ id }} b{i}: team(id: "{t}") {{ name }} '
        f'm{i}: teamMembers(team: "{t}") {{ id }}'
        for i, t in enumerate(ids)
    )
    query = f"""{{ hack24 {{ {fields}
      u: user(id: "bob-okafor") {{ id }} v: user(id: "bob-okafor") {{ name }}
      t: userTeam(user: "bob-okafor") {{ id }} s: userTeam(user: "bob-okafor") {{ name }}
    }} }}"""
    async with open_gateway(cast) as gw:
        result = await gw.execute(query)
    assert ok(result)
    assert hack24_calls(gw) == sorted(
        [f"GET /teams/{t}" for t in ids]
        + [f"GET /teams/{t}/members" for t in ids]
        + ["GET /users/bob-okafor", "GET /users/bob-okafor/team"]
    )


async def test_hack24_down_fails_only_its_fields(cast: Cast) -> None:
    query = """{
      tempo { roles { name } }
      hack24 { teams { id } user(id: "bob-okafor") { id } }
      team(key: "platform") { key hack24 { id } memberships(service: TEMPO) { role } }
    }"""
    async with open_gateway(cast, faults={"hack24": Faults(down=True)}) as gw:
        result = await gw.execute(query)
    data = result["data"]
    assert data["tempo"]["roles"]
    assert data["hack24"] == {"teams": None, "user": None}
    platform = data["team"]
    assert platform["key"] == "platform" and platform["hack24"] is None
    assert len(platform["memberships"]) == 6
    assert result["errors"]
    assert {e["extensions"]["service"] for e in result["errors"]} == {"hack24"}
    assert {e["extensions"]["code"] for e in result["errors"]} == {"UPSTREAM_UNAVAILABLE"}
    failed = {tuple(e["path"]) for e in result["errors"] if "path" in e}
    assert {("hack24", "teams"), ("hack24", "user"), ("team", "hack24")} <= failed


async def test_hack24_not_configured_says_how_to_configure_it(cast: Cast) -> None:
    async with open_gateway(cast, only=["tempo", "oncall", "teamoclock", "teampulse"]) as gw:
        result = await gw.execute('{ hack24 { users { id } team(id: "platform") { id } } }')
    assert result["data"] == {"hack24": {"users": None, "team": None}}
    assert {e["extensions"]["code"] for e in result["errors"]} == {"SERVICE_NOT_CONFIGURED"}
