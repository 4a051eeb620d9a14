"""`hack24 { ... }`: every read, mapped from Hack24's JSON:API documents as the client parses
them, and linked into the unified graph both ways, through the real ASGI app."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

import httpx

from gateway.emulators import MOUNTS, create_emulator_app
from gateway.emulators.cast import Cast
from tests.harness import Gateway, open_gateway


async def hack24(gw: Gateway, selection: str) -> Any:
    """Run `{ hack24 { <selection> } }` and return its data, failing on any error."""
    result = await gw.execute(f"{{ hack24 {{ {selection} }} }}")
    assert "errors" not in result, result["errors"]
    return result["data"]["hack24"]


def joins(cast: Cast) -> dict[str, list[tuple[str, str]]]:
    """Team id -> (user id, joined) as the demo seeds Hack24: each person in the first cast
    team listing them, joined at noon UTC of their membership start, in joining order."""
    placed: set[str] = set()
    found: dict[str, list[tuple[str, str]]] = {}
    for team in cast.teams:
        assert team.hack24 is not None
        found[team.hack24.id] = []
        for m in team.members:
            account = cast.person(m.person).hack24
            if account and account.id not in placed:
                placed.add(account.id)
                moment = datetime.combine(m.since, time(12), tzinfo=UTC)
                found[team.hack24.id].append((account.id, moment.isoformat()))
    return {t: sorted(ms, key=lambda m: (m[1], m[0])) for t, ms in found.items()}


# -- reads -----------------------------------------------------------------------------------


async def test_teams_and_users_as_hack24_shows_them(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        data = await hack24(gw, "teams { id name } users { id name teamId joined }")
    assert data["teams"] == [
        {"id": "platform", "name": "Platform"},
        {"id": "payments", "name": "Payments"},
        {"id": "mobile", "name": "Mobile"},
        {"id": "data-analytics", "name": "Data Analytics"},
    ]
    team_of = {u: (t, j) for t, ms in joins(cast).items() for u, j in ms}
    expected = [
        {"id": a.id, "name": a.name, "teamId": team_of[a.id][0], "joined": team_of[a.id][1]}
        for p in cast.people
        if (a := p.hack24)
    ]
    assert data["users"] == expected
    # Sam Taylor the developer keeps the id Hack24 made from the name he signed up with.
    assert {"id": "samuel-taylor", "name": "Sam Taylor"}.items() <= next(
        u for u in data["users"] if u["id"] == "samuel-taylor"
    ).items()


async def test_one_team_its_members_one_user_and_their_team(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        data = await hack24(
            gw,
            'team(id: "payments") { id name } noTeam: team(id: "nope") { id } '
            'teamMembers(team: "payments") { id name teamId joined } '
            'noMembers: teamMembers(team: "nope") { id } '
            'user(id: "grace-liu") { id name teamId joined } noUser: user(id: "nope") { id } '
            'userTeam(user: "grace-liu") { id name } noUserTeam: userTeam(user: "nope") { id }',
        )
        calls = sorted(f"{c.method} {c.path} {c.status}" for c in gw.log.of("hack24"))
    assert calls == [
        "GET /teams/nope 404", "GET /teams/nope/members 404", "GET /teams/payments 200",
        "GET /teams/payments/members 200", "GET /users/grace-liu 200",
        "GET /users/grace-liu/team 200", "GET /users/nope 404", "GET /users/nope/team 404",
    ]  # fmt: skip
    assert data["team"] == {"id": "payments", "name": "Payments"}
    assert data["userTeam"] == {"id": "payments", "name": "Payments"}
    # Hack24 lists members in joining order, each with the moment they joined.
    assert [(u["id"], u["joined"]) for u in data["teamMembers"]] == joins(cast)["payments"]
    assert {u["teamId"] for u in data["teamMembers"]} == {"payments"}
    grace = data["teamMembers"][0]
    assert grace == {**data["user"], "name": "Grace Liu"}
    assert all(data[k] is None for k in ("noTeam", "noMembers", "noUser", "noUserTeam"))


async def test_an_id_that_is_no_slug_names_nothing_and_calls_nothing(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        data = await hack24(
            gw,
            'a: team(id: "../users") { id } b: user(id: "bob?x=1") { id } '
            'c: teamMembers(team: "") { id } d: userTeam(user: "a/b") { id }',
        )
        assert gw.log.of("hack24") == []
    assert data == {"a": None, "b": None, "c": None, "d": None}


async def test_members_from_the_users_list_match_each_teams_own_members(cast: Cast) -> None:
    ids = [t.hack24.id for t in cast.teams if t.hack24]
    own = " ".join(f'm{i}: teamMembers(team: "{t}") {{ id joined }}' for i, t in enumerate(ids))
    async with open_gateway(cast) as gw:
        data = await hack24(gw, f"teams {{ id members {{ id joined }} }} {own}")
    for i, team in enumerate(data["teams"]):
        assert team["id"] == ids[i]
        assert team["members"] == data[f"m{i}"] != []


async def test_a_user_in_no_team(cast: Cast) -> None:
    # Everyone in the demo is in a team: add someone who is not, through the emulator.
    emulators = create_emulator_app(cast, services=["hack24"])
    body = {"data": {"type": "users", "attributes": {"name": "Zoe Loner"}}}
    headers = {"Content-Type": "application/vnd.api+json"}
    transport = httpx.ASGITransport(app=emulators)
    async with httpx.AsyncClient(transport=transport, base_url="http://e" + MOUNTS["hack24"]) as h:
        assert (await h.post("/users", json=body, headers=headers)).status_code == 201
    async with open_gateway(cast, transports={"hack24": transport}) as gw:
        data = await hack24(
            gw,
            'user(id: "zoe-loner") { id teamId joined team { id } } '
            'userTeam(user: "zoe-loner") { id } users { id teamId team { id } }',
        )
    zoe = {"id": "zoe-loner", "teamId": None, "joined": None, "team": None}
    assert data["user"] == zoe
    assert data["userTeam"] is None
    assert data["users"][-1] == {"id": "zoe-loner", "teamId": None, "team": None}


# -- links both ways -------------------------------------------------------------------------


async def test_team_and_user_reach_hack24_and_back(cast: Cast) -> None:
    query = """{
      data: team(key: "data-analytics") { key hack24 { id name team { key }
        members { id joined user { key } team { id } } } }
      bob: user(key: "bob") { hack24 { id name teamId team { id team { key } } user { key } } }
      dmitri: user(key: "dmitri.k") { hack24 { id } }
      hack24 { users { id user { key hack24 { id } } } }
    }"""
    async with open_gateway(cast) as gw:
        result = await gw.execute(query)
    assert "errors" not in result, result["errors"]
    data = result["data"]
    team = data["data"]["hack24"]
    assert (team["id"], team["name"], team["team"]) == (
        "data-analytics", "Data Analytics", {"key": "data-analytics"},
    )  # fmt: skip
    assert [(m["id"], m["joined"]) for m in team["members"]] == joins(cast)["data-analytics"]
    assert [m["user"]["key"] for m in team["members"]] == ["quinn", "rosa", "uma", "victor", "wen"]
    assert {m["team"]["id"] for m in team["members"]} == {"data-analytics"}
    bob = data["bob"]["hack24"]
    assert bob == {
        "id": "bob-okafor", "name": "Bob Okafor", "teamId": "platform",
        "team": {"id": "platform", "team": {"key": "platform"}}, "user": {"key": "bob"},
    }  # fmt: skip
    assert data["dmitri"] == {"hack24": None}  # Dmitri has no Hack24 account
    # Every Hack24 user is a linked person whose Hack24 side is that same user.
    assert all(u["user"]["hack24"]["id"] == u["id"] for u in data["hack24"]["users"])
