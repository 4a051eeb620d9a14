"""oncall users through GraphQL over the ASGI app: the mapping, the links both ways, and
exactly which upstream calls each field costs over many users."""

from __future__ import annotations

from typing import Any

from gateway.emulators.cast import Cast
from gateway.emulators.cast_build import build_cast
from tests.conftest import NOW
from tests.harness import Gateway, open_gateway

ALICE = {
    "name": "alice", "id": 3, "fullName": "Alice Nguyen", "timeZone": "Europe/Berlin",
    "photoUrl": None, "active": True, "god": False,
    "contacts": {"email": "alice@teamgraph.example", "sms": "+1 555-001-0000",
                 "call": "+1 555-001-0000", "slack": "alice", "im": None,
                 "teamsMessenger": None},
}  # fmt: skip
PROFILE = "name id fullName timeZone photoUrl active god "
PROFILE += "contacts { email sms call slack im teamsMessenger }"


def oncall_calls(gw: Gateway) -> list[str]:
    return sorted(f"{c.method} {c.path}" for c in gw.log.of("oncall"))


async def run(cast: Cast, query: str) -> tuple[dict[str, Any], Gateway]:
    async with open_gateway(cast) as gw:
        result = await gw.execute(query)
    assert "errors" not in result, result["errors"]
    data: dict[str, Any] = result["data"]
    return data, gw


async def test_a_user_as_oncall_has_them(cast: Cast) -> None:
    data, gw = await run(cast, f"""{{ oncall {{
        user(name: "alice") {{ {PROFILE} }}
        nobody: user(name: "Alice") {{ name }} }} }}""")  # fmt: skip
    assert data["oncall"]["user"] == ALICE
    assert data["oncall"]["nobody"] is None  # usernames match case-sensitively
    # The lookup's own answer serves the details: no user list.
    assert oncall_calls(gw) == ["GET /users/Alice", "GET /users/alice"]


async def test_the_user_list_by_id(cast: Cast) -> None:
    data, gw = await run(cast, f"{{ oncall {{ users {{ {PROFILE} }} }} }}")
    found = data["oncall"]["users"]
    assert [u["id"] for u in found] == sorted(u["id"] for u in found)
    assert next(u for u in found if u["name"] == "alice") == ALICE
    expected = {p.oncall.name for p in cast.people if p.oncall}
    assert {u["name"] for u in found} == expected
    assert oncall_calls(gw) == ["GET /users"]


async def test_teams_notifications_and_upcoming_shifts(cast: Cast) -> None:
    data, _ = await run(cast, """{ oncall {
        alice: user(name: "alice") { teams { name } notifications {
          id team { name } roles mode type timeBefore onlyIfInvolved } }
        carmen: user(name: "carmen") {
          upcoming { id start end role team { name } user { name } scheduleId numEvents }
          primary: upcoming(role: "secondary") { id }
          first: upcoming(limit: 1) { id } }
        direct: userTeams(user: "alice") { name }
        unknown: userTeams(user: "nobody") { name } } }""")  # fmt: skip
    o = data["oncall"]
    assert o["alice"]["teams"] == [{"name": "data-analytics"}, {"name": "platform"}]
    assert o["direct"] == o["alice"]["teams"]  # the bulk mapping answers as the row does
    assert o["unknown"] == []
    settings = o["alice"]["notifications"]
    assert [(s["id"], s["team"]["name"], s["timeBefore"]) for s in settings] == [
        (1, "platform", 86400), (2, "platform", 604800),
        (45, "data-analytics", 86400), (46, "data-analytics", 604800),
    ]  # fmt: skip
    assert settings[0] | {"id": 0, "team": None} == {
        "id": 0, "team": None, "roles": ["primary", "secondary", "shadow", "manager"],
        "mode": "email", "type": "oncall_reminder", "timeBefore": 86400, "onlyIfInvolved": None,
    }  # fmt: skip
    upcoming = o["carmen"]["upcoming"]
    assert [u["id"] for u in upcoming] == [7]  # primary next week; none further seeded
    assert upcoming[0] == {
        "id": 7, "start": "2026-11-30T00:00:00+00:00", "end": "2026-12-07T00:00:00+00:00",
        "role": "primary", "team": {"name": "platform"}, "user": {"name": "carmen"},
        "scheduleId": 1, "numEvents": 0,
    }  # fmt: skip
    assert o["carmen"]["primary"] == [] and o["carmen"]["first"] == [{"id": 7}]


async def test_user_and_user_oncall_link_both_ways(cast: Cast) -> None:
    data, _ = await run(cast, """{
        oncall { user(name: "dmitri.k") { user { key name email } } }
        user(key: "dmitri.k") { oncall { name fullName } }
        contractor: users { key oncall { name } } }""")  # fmt: skip
    assert data["oncall"]["user"]["user"] == {
        "key": "dmitri.k", "name": "Dmitri Kuznetsov", "email": "dmitri@teamgraph.example",
    }  # fmt: skip
    assert data["user"]["oncall"] == {"name": "dmitri.k", "fullName": "Dmitri Kuznetsov"}
    # Someone oncall does not know (Uma has no oncall account) has no oncall side.
    oncall_names = {p.handle: p.oncall.name for p in cast.people if p.oncall}
    by_key = {u["key"]: u["oncall"] for u in data["contractor"]}
    assert by_key["dmitri.k"] == {"name": "dmitri.k"}
    assert by_key["uma"] is None and "uma" not in oncall_names
    assert sorted(o["name"] for o in by_key.values() if o) == sorted(oncall_names.values())


async def test_a_username_anywhere_reaches_the_user(cast: Cast) -> None:
    data, gw = await run(cast, """{ oncall {
        teamAdmins(team: "payments") { name fullName user { key } }
        event(id: 1) { user { name fullName contacts { email } } } } }""")  # fmt: skip
    (admin,) = data["oncall"]["teamAdmins"]
    assert admin == {"name": "grace", "fullName": "Grace Liu", "user": {"key": "grace"}}
    shift_user = data["oncall"]["event"]["user"]
    assert shift_user == {"name": "farid", "fullName": "Farid Haddad",
                          "contacts": {"email": "farid@teamgraph.example"}}  # fmt: skip
    # The user list once for both, shared with identity (which the link needed anyway).
    assert oncall_calls(gw).count("GET /users") == 1


# -- calls: every per-user field batched over the scaled cast's users -------------------------

SCALED = build_cast(scale=3, now=NOW)


async def test_per_user_fields_cost_one_call_per_user_each() -> None:
    data, gw = await run(SCALED, """{ oncall { users {
        name fullName contacts { email } teams { name }
        notifications { id } upcoming { id } soon: upcoming(limit: 1) { id } } } }""")  # fmt: skip
    users = [u["name"] for u in data["oncall"]["users"]]
    assert len(users) > 10
    assert all(u["notifications"] for u in data["oncall"]["users"] if u["teams"])
    assert oncall_calls(gw) == sorted(
        ["GET /users", "GET /team_users", "GET /teams"]
        + [f"GET /users/{u}/notifications" for u in users]
        + [f"GET /users/{u}/upcoming" for u in users] * 2  # two distinct argument sets
    )
    assert gw.log.count() == gw.log.count("oncall")


async def test_user_oncall_adds_no_calls_to_unified_user_fields() -> None:
    unified = "users { key email timeZone contacts { email } teams { key } }"
    mixed = unified.removesuffix("}") + """ oncall {
        name id fullName timeZone contacts { email slack } teams { name team { key } }
        user { key } } }"""  # fmt: skip
    _, alone = await run(SCALED, "{ " + unified + " }")
    data, both = await run(SCALED, "{ " + mixed + " }")
    assert oncall_calls(both) == oncall_calls(alone) == ["GET /team_users", "GET /teams",
                                                         "GET /users"]  # fmt: skip
    linked = [u for u in data["users"] if u["oncall"] is not None]
    assert len(linked) > 10
    for user in linked:
        assert user["oncall"]["user"]["key"] == user["key"]
        assert user["oncall"]["timeZone"] == user["timeZone"]
        assert user["oncall"]["contacts"]["email"] == user["contacts"]["email"]
        oncall_teams = {t["team"]["key"] for t in user["oncall"]["teams"]}
        assert oncall_teams <= {t["key"] for t in user["teams"]}
