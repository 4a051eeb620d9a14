"""The Hack24 emulator's writes: statuses, bodies, errors and their effect on later reads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from gateway.emulators.cast import Cast
from gateway.emulators.hack24 import MEDIA_TYPE
from tests.gateway.emulators.test_hack24_emulator import (
    JOINED_NOW,
    PLATFORM_MEMBERS,
    TEAM_IDS,
    error,
    http_for,
    linkage,
    member_ids,
    mounted,
    new,
    ok,
    pointer,
    users,
)


@pytest.fixture
async def http(cast: Cast) -> AsyncIterator[httpx.AsyncClient]:
    async with http_for(mounted(cast)) as client:
        yield client


# -- writes ---------------------------------------------------------------------------------


async def test_post_teams_creates_a_team_with_a_slug_id_and_moves_members(
    http: httpx.AsyncClient,
) -> None:
    bob = users("bob-okafor")["data"]
    body = ok(await http.post("/teams", json=new("teams", "Refactor Tractor", members=bob)), 201)
    assert body == {
        "links": {"self": "/teams/refactor-tractor"},
        "data": {
            "type": "teams",
            "id": "refactor-tractor",
            "attributes": {"name": "Refactor Tractor"},
            "relationships": {
                "members": {
                    "links": {"self": "/teams/refactor-tractor/members"},
                    "data": [linkage("bob-okafor", JOINED_NOW)],
                }
            },
        },
    }
    assert "bob-okafor" not in member_ids(ok(await http.get("/teams/platform/members")))
    user = ok(await http.get("/users/bob-okafor"))["data"]
    assert user["relationships"]["team"]["data"]["id"] == "refactor-tractor"


async def test_post_teams_rejects_duplicates_bad_bodies_and_unknown_members(
    http: httpx.AsyncClient,
) -> None:
    assert "platform" in error(
        await http.post("/teams", json=new("teams", "Platform!")), 409, "Conflict"
    )
    error(await http.post("/teams", json=new("teams", "")), 400, "Bad Request")
    error(await http.post("/teams", json=new("teams", None)), 400, "Bad Request")
    error(await http.post("/teams", json=new("teams", "---")), 400, "Bad Request")
    error(await http.post("/teams", content=b"{not json"), 400, "Bad Request")
    error(await http.post("/teams", json={"team": "x"}), 400, "Bad Request")
    error(await http.post("/teams", json=new("users", "X")), 409, "Conflict")
    ghost = new("teams", "Ghosts", members=users("nobody")["data"])
    assert "nobody" in error(await http.post("/teams", json=ghost), 404, "Not Found")
    # Nothing was created by the failed requests.
    assert member_ids(ok(await http.get("/teams"))) == TEAM_IDS


async def test_post_members_adds_returns_the_whole_list_and_moves_the_user(
    http: httpx.AsyncClient,
) -> None:
    response = await http.post(
        "/teams/platform/members",
        json=users("wen-zhao", "bob-okafor"),
    )
    body = ok(response, 200)
    assert body["links"] == {"self": "/teams/platform/members"}
    # bob was already a member: he keeps his original join date.
    assert body["data"] == [*PLATFORM_MEMBERS, linkage("wen-zhao", JOINED_NOW)]
    assert body["included"][-1]["attributes"] == {"name": "Wen Zhao"}
    assert "wen-zhao" not in member_ids(ok(await http.get("/teams/data-analytics/members")))


async def test_patch_members_replaces_the_list(http: httpx.AsyncClient) -> None:
    body = ok(
        await http.patch(
            "/teams/platform/members",
            json=users("erin-walsh", "uma-shah"),
        )
    )
    assert body["data"] == [PLATFORM_MEMBERS[2], linkage("uma-shah", JOINED_NOW)]
    team = ok(await http.get("/users/alice-nguyen/team"))
    assert team["data"] is None
    assert team["included"] == []


async def test_delete_members_removes_the_listed_users(http: httpx.AsyncClient) -> None:
    response = await http.request(
        "DELETE",
        "/teams/platform/members",
        json=users("alice-nguyen", "wen-zhao"),
    )
    assert response.status_code == 204
    assert response.content == b""
    assert response.headers["content-type"] == MEDIA_TYPE
    assert member_ids(ok(await http.get("/teams/platform/members"))) == [
        "bob-okafor",
        "erin-walsh",
        "farid-haddad",
    ]
    # wen was not a member: the request ignores her and leaves her team alone.
    assert "wen-zhao" in member_ids(ok(await http.get("/teams/data-analytics/members")))


async def test_member_writes_validate_their_linkage(http: httpx.AsyncClient) -> None:
    path = "/teams/platform/members"
    error(await http.post(path, json={"data": {"type": "users", "id": "x"}}), 400, "Bad Request")
    error(
        await http.post(path, json={"data": [{"type": "teams", "id": "mobile"}]}), 409, "Conflict"
    )
    error(await http.patch(path, json={"data": [{"type": "users"}]}), 400, "Bad Request")
    assert "ghost" in error(await http.post(path, json=users("ghost")), 404, "Not Found")
    error(await http.post("/teams/nope/members", json={"data": []}), 404, "Not Found")
    assert ok(await http.get(path))["data"] == PLATFORM_MEMBERS


async def test_post_users_creates_a_user_in_a_team(http: httpx.AsyncClient) -> None:
    steven = new("users", "Steven", team={"type": "teams", "id": "mobile"})
    body = ok(await http.post("/users", json=steven), 201)
    assert body == {
        "links": {"self": "/users/steven"},
        "data": {
            "type": "users",
            "id": "steven",
            "attributes": {"name": "Steven"},
            "relationships": {
                "team": {"data": {"type": "teams", "id": "mobile", "meta": {"joined": JOINED_NOW}}}
            },
        },
    }
    assert member_ids(ok(await http.get("/teams/mobile/members")))[-1] == "steven"


async def test_post_users_without_a_team_and_its_conflicts(http: httpx.AsyncClient) -> None:
    solo = new("users", "Zoë Solo")
    body = ok(await http.post("/users", json=solo), 201)
    assert body["data"]["id"] == "zoe-solo"
    assert body["data"]["relationships"] == {"team": {"data": None}}
    assert "zoe-solo" in error(await http.post("/users", json=solo), 409, "Conflict")
    lost = new("users", "Lost", team={"type": "teams", "id": "atlantis"})
    assert "atlantis" in error(await http.post("/users", json=lost), 404, "Not Found")
    assert "lost" not in member_ids(ok(await http.get("/users")))


async def test_patch_user_team_moves_the_user_or_clears_the_team(
    http: httpx.AsyncClient,
) -> None:
    move = {"data": {"type": "teams", "id": "mobile"}}
    response = await http.patch("/users/alice-nguyen/team", json=move)
    assert response.status_code == 204
    assert response.headers["content-type"] == MEDIA_TYPE
    moved = ok(await http.get("/users/alice-nguyen/team"))["data"]
    assert moved == {"type": "teams", "id": "mobile", "meta": {"joined": JOINED_NOW}}
    assert "alice-nguyen" not in member_ids(ok(await http.get("/teams/platform/members")))

    assert (await http.patch("/users/alice-nguyen/team", json={"data": None})).status_code == 204
    assert ok(await http.get("/users/alice-nguyen"))["included"] == []
    nowhere = {"data": {"type": "teams", "id": "x"}}
    error(await http.patch("/users/alice-nguyen/team", json=nowhere), 404, "Not Found")


async def test_write_errors_point_at_the_member_they_are_about(http: httpx.AsyncClient) -> None:
    cases = [
        (await http.post("/teams", json=new("teams", "")), 400, "/data/attributes/name"),
        (await http.post("/teams", json=new("teams", "Platform")), 409, "/data/attributes/name"),
        (await http.post("/teams", json=new("users", "X")), 409, "/data/type"),
        (await http.post("/teams", json={"team": "x"}), 400, "/data"),
        (
            await http.post("/teams", json=new("teams", "Ghosts", members=users("nobody")["data"])),
            404,
            "/data/relationships/members/data/0/id",
        ),
        (
            await http.post("/teams/platform/members", json=users("bob-okafor", "ghost")),
            404,
            "/data/1/id",
        ),
        (
            await http.patch("/teams/platform/members", json={"data": [{"type": "teams"}]}),
            400,
            "/data/0",
        ),
        (
            await http.post("/users", json=new("users", "Lost", team={"type": "users", "id": "x"})),
            409,
            "/data/relationships/team/data/type",
        ),
        (
            await http.patch("/users/bob-okafor/team", json={"data": {"type": "teams", "id": "x"}}),
            404,
            "/data/id",
        ),
    ]
    for response, status, where in cases:
        assert (response.status_code, pointer(response)) == (status, where), response.text
    assert "is not JSON" in error(await http.post("/teams", content=b"{"), 400, "Bad Request")
    assert "source" not in (await http.post("/teams", content=b"{")).json()["errors"][0]


async def test_request_media_types(http: httpx.AsyncClient) -> None:
    body = b'{"data": {"type": "teams", "attributes": {"name": "Night Shift"}}}'
    sent = await http.post("/teams", content=body, headers={"content-type": MEDIA_TYPE})
    assert ok(sent, 201)["data"]["id"] == "night-shift"
    with_params = {"content-type": f"{MEDIA_TYPE}; charset=utf-8"}
    refused = await http.post("/teams", content=body, headers=with_params)
    assert "without media type parameters" in error(refused, 415, "Unsupported Media Type")
    assert member_ids(ok(await http.get("/teams"))) == [*TEAM_IDS, "night-shift"]


async def test_a_moved_user_shows_in_both_teams_and_in_their_own_relationship(
    http: httpx.AsyncClient,
) -> None:
    move = {"data": {"type": "teams", "id": "mobile"}}
    assert (await http.patch("/users/bob-okafor/team", json=move)).status_code == 204

    def member_linkage(team: Any) -> list[str]:
        return [m["id"] for m in team["relationships"]["members"]["data"]]

    assert "bob-okafor" not in member_linkage(ok(await http.get("/teams/platform"))["data"])
    mobile = ok(await http.get("/teams/mobile"))
    assert member_linkage(mobile["data"])[-1] == "bob-okafor"
    assert mobile["included"][-1]["attributes"] == {"name": "Bob Okafor"}
    bob = ok(await http.get("/users/bob-okafor"))
    assert bob["data"]["relationships"]["team"]["data"] == {
        "type": "teams", "id": "mobile", "meta": {"joined": JOINED_NOW}
    }  # fmt: skip
    assert bob["included"][0]["id"] == "mobile"
    assert "priya-raman" in {u["id"] for u in bob["included"][1:]}  # new teammates
    everyone = ok(await http.get("/users"))
    teams = {t["id"]: member_linkage(t) for t in everyone["included"]}
    assert "bob-okafor" in teams["mobile"] and "bob-okafor" not in teams["platform"]

    gone = await http.request("DELETE", "/teams/mobile/members", json=users("bob-okafor"))
    assert gone.status_code == 204
    bob = ok(await http.get("/users/bob-okafor"))
    assert bob["data"]["relationships"]["team"]["data"] is None and bob["included"] == []
    assert "bob-okafor" not in member_linkage(ok(await http.get("/teams/mobile"))["data"])
    everyone = ok(await http.get("/users"))
    assert not any("bob-okafor" in member_linkage(t) for t in everyone["included"])
