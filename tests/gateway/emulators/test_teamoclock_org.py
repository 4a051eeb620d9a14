"""The Team O'clock emulator's member, team and team-membership writes, and what they change."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from gateway.emulators.cast import Cast
from tests.gateway.emulators.test_teamoclock_emulator import (
    AUTH,
    BAD_REQUEST,
    NOT_FOUND,
    ROOT,
    all_pages,
    data,
    http_for,
    mounted,
)

PLATFORM = ["alice", "bob", "carmen", "Dmitri.K", "erin", "farid"]


@pytest.fixture
async def http(cast: Cast) -> AsyncIterator[httpx.AsyncClient]:
    async with http_for(mounted(cast), auth=AUTH) as client:
        yield client


async def usernames(http: httpx.AsyncClient, path: str) -> list[str]:
    return [m["username"] for m in await data(http, path)]


async def send(http: httpx.AsyncClient, method: str, path: str, body: object) -> httpx.Response:
    """A request with a JSON body (DELETE included, as `/teams/{slug}/members` needs)."""
    return await http.request(method, path, json=body)


def assert_error(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.json() == {400: BAD_REQUEST, 404: NOT_FOUND}[status]


# -- members ----------------------------------------------------------------------------------


async def test_creating_a_member(http: httpx.AsyncClient) -> None:
    body = {"data": {"username": "zoe", "first_name": "Zoe", "last_name": "Park",
                     "email": "zoe@teamgraph.example"}}  # fmt: skip
    created = await send(http, "POST", "/members", body)
    assert created.status_code == 201
    assert created.json()["data"] == {
        "username": "zoe",
        "first_name": "Zoe",
        "last_name": "Park",
        "email": "zoe@teamgraph.example",
        "role": "member",  # the documented default; the avatar was not given, so is absent
        "links": {"self": f"{ROOT}/members/zoe"},
    }
    assert (await usernames(http, "/members"))[-1] == "zoe"
    assert await data(http, "/members/zoe") == {
        k: v for k, v in created.json()["data"].items() if k != "links"
    }
    admin = {"data": {"username": "yan", "role": "administrator", "avatar": "yan.png"}}
    assert (await send(http, "POST", "/members", admin)).json()["data"]["role"] == "administrator"


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"username": ""},
        {"username": "alice"},
        {"username": "a/b"},
        {"username": "zoe", "role": "owner"},
        {"username": "zoe", "email": 7},
        {"username": 42},
    ],
    ids=["no username", "empty", "taken", "slash", "role", "email type", "username type"],
)
async def test_bad_member_bodies_get_400(http: httpx.AsyncClient, fields: object) -> None:
    assert_error(await send(http, "POST", "/members", {"data": fields}), 400)
    assert len(await data(http, "/members")) == 22


async def test_updating_a_member_shows_everywhere(http: httpx.AsyncClient) -> None:
    patched = await send(http, "PATCH", "/members/bob", {"data": {"last_name": "Builder",
                                                                   "role": "manager"}})  # fmt: skip
    assert patched.status_code == 200
    bob = patched.json()["data"]
    assert "links" not in bob and bob["last_name"] == "Builder" and bob["role"] == "manager"
    assert bob["first_name"] == "Bob" and bob["username"] == "bob"
    listed = {m["username"]: m for m in await data(http, "/teams/platform/members")}
    assert listed["bob"]["last_name"] == "Builder"
    assert (await data(http, "/members/bob"))["role"] == "manager"
    same_name = await send(http, "PATCH", "/members/bob", {"data": {"username": "bob"}})
    assert same_name.status_code == 200


@pytest.mark.parametrize(
    ("path", "fields", "status"),
    [
        ("/members/bob", {"username": "robert"}, 400),
        ("/members/bob", {"role": "boss"}, 400),
        ("/members/bob", {"first_name": None}, 400),
        ("/members/nobody", {"first_name": "No"}, 404),
    ],
    ids=["rename", "role", "null", "unknown"],
)
async def test_bad_member_updates(
    http: httpx.AsyncClient, path: str, fields: object, status: int
) -> None:
    assert_error(await send(http, "PATCH", path, {"data": fields}), status)
    assert (await data(http, "/members/bob"))["last_name"] != "robert"


async def test_deleting_a_member_removes_them_from_every_team(http: httpx.AsyncClient) -> None:
    standup_before = await data(http, "/standup/platform")
    response = await http.delete("/members/alice")
    assert response.status_code == 204 and response.content == b""
    assert "alice" not in await usernames(http, "/members")
    assert_error(await http.get("/members/alice"), 404)
    assert await usernames(http, "/teams/platform/members") == PLATFORM[1:]
    for team in await data(http, "/teams"):
        assert "alice" not in await usernames(http, f"/teams/{team['slug']}/members")
    # What she said in today's standup is the meeting's record and stays.
    assert await data(http, "/standup/platform") == standup_before
    assert_error(await http.delete("/members/alice"), 404)
    taken_again = await send(http, "POST", "/members", {"data": {"username": "alice"}})
    assert taken_again.status_code == 201
    assert "alice" not in await usernames(http, "/teams/platform/members")


# -- teams ------------------------------------------------------------------------------------


async def test_creating_a_team(http: httpx.AsyncClient) -> None:
    body = {"data": {"name": "Security", "slug": "security", "mood_enabled": True}}
    created = await send(http, "POST", "/teams", body)
    assert created.status_code == 201
    assert created.json()["data"] == {
        "name": "Security",
        "slug": "security",
        "mood_enabled": True,
        "links": {"self": f"{ROOT}/teams/security"},
    }
    assert [t["slug"] for t in await data(http, "/teams")][-1] == "security"
    assert await data(http, "/teams/security") == {
        "name": "Security",
        "slug": "security",
        "mood_enabled": True,
    }
    assert await data(http, "/teams/security/members") == []


@pytest.mark.parametrize(
    "fields",
    [
        {"slug": "security"},
        {"name": "Security"},
        {"name": "Security", "slug": "platform"},
        {"name": "Security", "slug": "sec/ops"},
        {"name": "Security", "slug": "security", "mood_enabled": "yes"},
        {"name": ["Security"], "slug": "security"},
    ],
    ids=["no name", "no slug", "taken", "slash", "mood type", "name type"],
)
async def test_bad_team_bodies_get_400(http: httpx.AsyncClient, fields: object) -> None:
    assert_error(await send(http, "POST", "/teams", {"data": fields}), 400)
    assert len(await data(http, "/teams")) == 4


async def test_renaming_a_team_shows_everywhere(http: httpx.AsyncClient) -> None:
    changes = {"name": "Core Platform", "video_url": "https://meet.example/core"}
    patched = await send(http, "PATCH", "/teams/platform", {"data": changes})
    assert patched.status_code == 200
    assert patched.json()["data"] == {
        "name": "Core Platform",
        "slug": "platform",
        "video_url": "https://meet.example/core",
        "mood_enabled": True,
    }
    core = {"name": "Core Platform", "slug": "platform"}
    assert (await data(http, "/teams"))[0]["name"] == "Core Platform"
    (standup,) = await data(http, "/standup", **{"filter[team]": "platform"})
    assert standup["name"] == "Core Platform standup" and standup["team"] == core
    items = await all_pages(http, "/actionitems", **{"filter[team]": "platform"})
    assert {tuple(i["team"].items()) for i in items} == {tuple(core.items())}
    entry = next(r for r in await all_pages(http, "/timeline") if r["team"]["slug"] == "platform")
    assert entry["team"] == core
    assert (await data(http, f"/timeline/{entry['id']}"))["team"] == {
        "slug": "platform",
        "name": "Core Platform",
    }
    for fields, status in (({"slug": "core"}, 400), ({"name": ""}, 400), ({"name": 1}, 400)):
        assert_error(await send(http, "PATCH", "/teams/platform", {"data": fields}), status)
    assert_error(await send(http, "PATCH", "/teams/nope", {"data": {"name": "x"}}), 404)


async def test_deleting_a_team_ends_its_meetings_and_keeps_its_history(
    http: httpx.AsyncClient,
) -> None:
    assert (await http.delete("/teams/platform")).status_code == 204
    assert [t["slug"] for t in await data(http, "/teams")] == [
        "payments",
        "mobile",
        "data-analytics",
    ]
    for path in ("/teams/platform", "/teams/platform/members", "/standup/platform"):
        assert_error(await http.get(path), 404)
    assert [s["id"] for s in await data(http, "/standup")] == ["payments"]
    assert [r["team"]["slug"] for r in await data(http, "/retro")] == ["data-analytics"]
    items = await all_pages(http, "/actionitems", **{"filter[team]": "platform"})
    assert len(items) == 32 and items[0]["team"] == {"name": "Platform", "slug": "platform"}
    assert "alice" in await usernames(http, "/members")  # people stay in the organisation
    again = await send(http, "POST", "/standup", {"data": {"team": {"slug": "platform"}}})
    assert_error(again, 404)
    assert_error(await http.delete("/teams/platform"), 404)


# -- team membership --------------------------------------------------------------------------


async def test_adding_and_removing_team_members(http: httpx.AsyncClient) -> None:
    add = {"data": [{"username": "grace"}, {"username": "alice"}, {"username": "lena"}]}
    response = await send(http, "POST", "/teams/platform/members", add)
    assert response.status_code == 204 and response.content == b""
    assert await usernames(http, "/teams/platform/members") == [*PLATFORM, "grace", "lena"]
    assert "grace" in await usernames(http, "/teams/payments/members")  # still there too
    remove = {"data": [{"username": "grace"}, {"username": "bob"}, {"username": "nobody"}]}
    assert (await send(http, "DELETE", "/teams/platform/members", remove)).status_code == 204
    assert await usernames(http, "/teams/platform/members") == [
        "alice",
        "carmen",
        "Dmitri.K",
        "erin",
        "farid",
        "lena",
    ]
    assert "bob" in await usernames(http, "/members")  # out of the team, not the organisation


@pytest.mark.parametrize("method", ["POST", "DELETE"])
@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/teams/platform/members", {"data": {"username": "grace"}}, 400),
        ("/teams/platform/members", {"data": ["grace"]}, 400),
        ("/teams/platform/members", [{"username": "grace"}], 400),
        ("/teams/nope/members", {"data": [{"username": "grace"}]}, 404),
    ],
    ids=["not a list", "not objects", "no data", "unknown team"],
)
async def test_bad_team_member_requests(
    http: httpx.AsyncClient, method: str, path: str, body: object, status: int
) -> None:
    assert_error(await send(http, method, path, body), status)
    assert await usernames(http, "/teams/platform/members") == PLATFORM


async def test_only_organisation_members_can_join_a_team(http: httpx.AsyncClient) -> None:
    body = {"data": [{"username": "erin"}, {"username": "nobody"}]}
    assert_error(await send(http, "POST", "/teams/mobile/members", body), 400)
    assert "erin" not in await usernames(http, "/teams/mobile/members")


# -- facilitators of a new team ---------------------------------------------------------------


async def start_poker(cast: Cast) -> dict[str, Any]:
    """A new team of three, then a planning poker without a facilitator, in a fresh app."""
    async with http_for(mounted(cast), auth=AUTH) as http:
        team = {"data": {"name": "Security", "slug": "security"}}
        assert (await send(http, "POST", "/teams", team)).status_code == 201
        people = {"data": [{"username": u} for u in ("hiro", "lena", "carmen")]}
        assert (await send(http, "POST", "/teams/security/members", people)).status_code == 204
        body = {"data": {"team": {"slug": "security"}}}
        assert (await send(http, "POST", "/planpoker", body)).status_code == 201
        state: dict[str, Any] = (await data(http, "/planpoker/security"))["state"]
        return state


async def test_a_missing_facilitator_is_the_same_team_member_every_run(cast: Cast) -> None:
    first, second = await start_poker(cast), await start_poker(cast)
    assert first["facilitator"] == second["facilitator"]
    assert first["facilitator"]["username"] in {"hiro", "lena", "carmen"}


async def test_a_team_without_members_gets_no_facilitator(http: httpx.AsyncClient) -> None:
    team = {"data": {"name": "Security", "slug": "security"}}
    assert (await send(http, "POST", "/teams", team)).status_code == 201
    body = {"data": {"team": {"slug": "security"}}}
    created = await send(http, "POST", "/retro", body)
    assert created.status_code == 201
    retro = await data(http, f"/retro/{created.json()['data']['id']}")
    assert retro["state"]["facilitator"] is None and retro["state"]["stage"] == "gather"
