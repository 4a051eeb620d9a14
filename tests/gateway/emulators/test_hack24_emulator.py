"""The Hack24 emulator's raw JSON:API wire format, mounted where production mounts it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.types import ASGIApp

from gateway.emulators import MOUNTS
from gateway.emulators.cast import Cast
from gateway.emulators.cast_build import build_cast
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
