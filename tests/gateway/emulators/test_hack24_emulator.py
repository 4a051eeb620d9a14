"""The Hack24 emulator's raw JSON:API wire format, mounted where production mounts it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.types import ASGIApp

from gateway.emulators import MOUNTS
from gateway.emulators.cast import Cast, build_cast
from gateway.emulators.faults import Faults
from gateway.emulators.hack24 import MEDIA_TYPE
from tests.conftest import NOW, emulator_http, mounted_emulator

TEAM_IDS = ["platform", "payments", "mobile", "data-analytics"]
JOINED_NOW = "2026-11-23T10:30:00.0000000Z"  # NOW in the documented 7-digit format


def mounted(cast: Cast, *, faults: Faults | None = None) -> ASGIApp:
    return mounted_emulator("hack24", cast, faults=faults)


def http_for(app: ASGIApp, *, headers: dict[str, str] | None = None) -> httpx.AsyncClient:
    base_url = "http://emulator" + MOUNTS["hack24"]
    return emulator_http(app, service="hack24", base_url=base_url, headers=headers)


@pytest.fixture
async def http(cast: Cast) -> AsyncIterator[httpx.AsyncClient]:
    async with http_for(mounted(cast)) as client:
        yield client


def ok(response: httpx.Response, status: int = 200) -> Any:
    """The decoded JSON:API document, after checking the status and the media type."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == MEDIA_TYPE
    return response.json()


def error(response: httpx.Response, status: int, title: str) -> str:
    """The detail of a JSON:API error response, after checking its status and shape."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == MEDIA_TYPE
    (only,) = response.json()["errors"]
    assert only["status"] == str(status)
    assert only["title"] == title
    detail: str = only["detail"]
    return detail


def pointer(response: httpx.Response) -> str:
    """The ``source.pointer`` of a JSON:API error response's one error."""
    (only,) = response.json()["errors"]
    found: str = only["source"]["pointer"]
    return found


def linkage(user_id: str, joined: str) -> dict[str, object]:
    return {"type": "users", "id": user_id, "meta": {"joined": joined}}


def users(*ids: str) -> dict[str, object]:
    """A request body naming users: ``{"data": [{"type": "users", "id"}...]}``."""
    return {"data": [{"type": "users", "id": i} for i in ids]}


def new(kind: str, name: object, **related: object) -> dict[str, object]:
    """A request body creating a resource, with ``related`` as relationship linkage."""
    data: dict[str, object] = {"type": kind, "attributes": {"name": name}}
    if related:
        data["relationships"] = {key: {"data": value} for key, value in related.items()}
    return {"data": data}


def member_ids(body: Any) -> list[str]:
    """The ids in a document's `data` array."""
    return [item["id"] for item in body["data"]]


PLATFORM_MEMBERS = [
    linkage("alice-nguyen", "2024-01-01T12:00:00.0000000Z"),
    linkage("bob-okafor", "2024-02-01T12:00:00.0000000Z"),
    linkage("erin-walsh", "2024-05-01T12:00:00.0000000Z"),
    linkage("farid-haddad", "2024-06-01T12:00:00.0000000Z"),
]

PLATFORM = {
    "type": "teams",
    "id": "platform",
    "attributes": {"name": "Platform"},
    "relationships": {
        "members": {"links": {"self": "/teams/platform/members"}, "data": PLATFORM_MEMBERS}
    },
}


# -- reads ----------------------------------------------------------------------------------


async def test_teams_is_an_array_of_team_resources_with_member_linkage(
    http: httpx.AsyncClient,
) -> None:
    body = ok(await http.get("/teams"))
    assert body["links"] == {"self": "/teams"}
    assert member_ids(body) == TEAM_IDS
    assert body["data"][0] == {**PLATFORM, "links": {"self": "/teams/platform"}}
    assert "included" not in body


async def test_a_user_in_two_cast_teams_is_in_the_first_one_only(
    http: httpx.AsyncClient,
) -> None:
    # The cast lists alice in platform and data; Hack24's to-one `team` keeps platform.
    data = ok(await http.get("/teams/data-analytics"))["data"]
    ids = [m["id"] for m in data["relationships"]["members"]["data"]]
    assert ids == ["quinn-harper", "rosa-delgado", "uma-shah", "victor-lindqvist", "wen-zhao"]


async def test_team_includes_its_users_without_relationships(http: httpx.AsyncClient) -> None:
    body = ok(await http.get("/teams/platform"))
    assert body["links"] == {"self": "/teams/platform"}
    assert body["data"] == PLATFORM
    assert body["included"][0] == {
        "type": "users",
        "id": "alice-nguyen",
        "links": {"self": "/users/alice-nguyen"},
        "attributes": {"name": "Alice Nguyen"},
    }
    assert [u["attributes"]["name"] for u in body["included"]] == [
        "Alice Nguyen",
        "Bob Okafor",
        "Erin Walsh",
        "Farid Haddad",
    ]


async def test_team_members_is_linkage_with_joined_plus_included_users(
    http: httpx.AsyncClient,
) -> None:
    body = ok(await http.get("/teams/payments/members"))
    assert body["links"] == {"self": "/teams/payments/members"}
    assert body["data"][3] == linkage("sam-taylor", "2024-05-04T12:00:00.0000000Z")
    names = {u["id"]: u["attributes"]["name"] for u in body["included"]}
    assert names["ines-costa"] == "Inês Costa"
    assert names["sam-taylor"] == "Sam Taylor"
    assert list(names) == member_ids(body)


async def test_users_lists_everyone_with_team_linkage_and_includes_their_teams(
    http: httpx.AsyncClient, cast: Cast
) -> None:
    body = ok(await http.get("/users"))
    assert body["links"] == {"self": "/users"}
    expected = [p.hack24.id for p in cast.people if p.hack24]
    assert member_ids(body) == expected
    assert "hiro" not in " ".join(expected)  # hiro has no Hack24 account
    assert body["data"][0] == {
        "type": "users",
        "id": "alice-nguyen",
        "links": {"self": "/users/alice-nguyen"},
        "attributes": {"name": "Alice Nguyen"},
        "relationships": {
            "team": {
                "data": {
                    "type": "teams",
                    "id": "platform",
                    "meta": {"joined": "2024-01-01T12:00:00.0000000Z"},
                }
            }
        },
    }
    included = body["included"]
    assert [t["id"] for t in included] == member_ids(ok(await http.get("/teams")))
    assert included[0]["relationships"]["members"]["data"] == PLATFORM_MEMBERS


async def test_user_includes_their_team_and_teammates(http: httpx.AsyncClient) -> None:
    body = ok(await http.get("/users/bob-okafor"))
    assert body["links"] == {"self": "/users/bob-okafor"}
    assert body["data"]["attributes"] == {"name": "Bob Okafor"}
    team = body["data"]["relationships"]["team"]["data"]
    joined = "2024-02-01T12:00:00.0000000Z"
    assert team == {"type": "teams", "id": "platform", "meta": {"joined": joined}}
    included = body["included"]
    assert included[0] == {**PLATFORM, "links": {"self": "/teams/platform"}}
    teammates = [u["id"] for u in included[1:]]
    assert teammates == ["alice-nguyen", "erin-walsh", "farid-haddad"]
    assert included[1]["relationships"]["team"]["data"]["id"] == "platform"


async def test_user_team_is_linkage_with_joined_and_the_included_team(
    http: httpx.AsyncClient,
) -> None:
    body = ok(await http.get("/users/wen-zhao/team"))
    assert body == {
        "links": {"self": "/users/wen-zhao/team"},
        "data": {
            "type": "teams",
            "id": "data-analytics",
            "meta": {"joined": "2024-06-10T12:00:00.0000000Z"},
        },
        "included": [
            {
                "links": {"self": "/teams/data-analytics"},
                "type": "teams",
                "id": "data-analytics",
                "attributes": {"name": "Data Analytics"},
            }
        ],
    }


async def test_unknown_resources_and_paths_are_json_api_404s(http: httpx.AsyncClient) -> None:
    assert "nope" in error(await http.get("/teams/nope"), 404, "Not Found")
    assert "nope" in error(await http.get("/teams/nope/members"), 404, "Not Found")
    assert "ghost" in error(await http.get("/users/ghost"), 404, "Not Found")
    assert "ghost" in error(await http.get("/users/ghost/team"), 404, "Not Found")
    assert "/hack24/projects" in error(await http.get("/projects"), 404, "Not Found")


async def test_a_method_the_docs_do_not_list_is_a_json_api_405(http: httpx.AsyncClient) -> None:
    response = await http.delete("/teams/platform")
    assert "GET" in error(response, 405, "Method Not Allowed")
    assert "GET" in response.headers["allow"]


# -- auth and faults ------------------------------------------------------------------------


async def test_no_authorization_is_accepted_and_the_right_bearer_too(cast: Cast) -> None:
    token = cast.credentials.hack24_token
    async with http_for(mounted(cast), headers={"Authorization": f"Bearer {token}"}) as http:
        assert member_ids(ok(await http.get("/teams")))[0] == "platform"


@pytest.mark.parametrize("header", ["Bearer wrong-token", "Basic Z2F0ZXdheTpwdw=="])
async def test_wrong_credentials_get_a_json_api_401(cast: Cast, header: str) -> None:
    async with http_for(mounted(cast), headers={"Authorization": header}) as http:
        response = await http.get("/users")
        assert "bearer token" in error(response, 401, "Unauthorized")
        assert response.headers["www-authenticate"].startswith("Bearer")


async def test_down_answers_503_in_json_api_form(cast: Cast) -> None:
    async with http_for(mounted(cast, faults=Faults(down=True))) as http:
        assert "outage" in error(await http.get("/teams"), 503, "Service Unavailable")


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


async def test_state_belongs_to_one_app_instance(cast: Cast) -> None:
    async with http_for(mounted(cast)) as first, http_for(mounted(cast)) as second:
        await first.patch("/users/bob-okafor/team", json={"data": None})
        assert ok(await first.get("/users/bob-okafor/team"))["data"] is None
        assert ok(await second.get("/users/bob-okafor/team"))["data"]["id"] == "platform"


async def test_a_scaled_cast_keeps_ids_unique() -> None:
    async with http_for(mounted(build_cast(scale=2, now=NOW))) as http:
        teams = member_ids(ok(await http.get("/teams")))
        users = member_ids(ok(await http.get("/users")))
    assert teams == [*TEAM_IDS, *(f"{t}-2" for t in TEAM_IDS)]
    assert len(users) == len(set(users)) == 36
    assert "alice-nguyen-2" in users
