"""Hack24Client against the Hack24 emulator, plus the documented payload variants."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import httpx
import orjson
import pytest

from gateway.emulators import MOUNTS
from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from resolvers.backends.errors import (
    UpstreamBadResponse,
    UpstreamNotFound,
    UpstreamRejected,
    UpstreamUnauthorized,
    UpstreamUnavailable,
)
from resolvers.backends.hack24 import Hack24Client, MemberLink, Team, User
from tests.conftest import emulator_http, mounted_emulator
from tests.recording import CallLog

BASE_URL = "http://emulator" + MOUNTS["hack24"]


def noon(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


def client_for(
    cast: Cast,
    *,
    log: CallLog | None = None,
    faults: Faults | None = None,
    token: str | None = None,
) -> Hack24Client:
    app = mounted_emulator("hack24", cast, faults=faults)
    headers = {"Authorization": f"Bearer {token}"} if token else None
    http = emulator_http(app, service="hack24", base_url=BASE_URL, log=log, headers=headers)
    return Hack24Client(http)


@pytest.fixture
async def client(cast: Cast, call_log: CallLog) -> AsyncIterator[Hack24Client]:
    client = client_for(cast, log=call_log, token=cast.credentials.hack24_token)
    yield client
    await client.http.aclose()


def calls(log: CallLog) -> list[str]:
    return [str(c) for c in log.of("hack24")]


def mock_client(handler: Callable[[httpx.Request], httpx.Response]) -> Hack24Client:
    return Hack24Client(
        httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url=BASE_URL)
    )


def answering(body: object, status: int = 200) -> Hack24Client:
    """A client whose upstream answers every request with this JSON:API document."""
    content = orjson.dumps(body)
    headers = {"content-type": "application/vnd.api+json"}
    return mock_client(lambda request: httpx.Response(status, content=content, headers=headers))


PLATFORM = Team(
    id="platform",
    name="Platform",
    members=[
        MemberLink(id="alice-nguyen", joined=noon(2024, 1, 1)),
        MemberLink(id="bob-okafor", joined=noon(2024, 2, 1)),
        MemberLink(id="erin-walsh", joined=noon(2024, 5, 1)),
        MemberLink(id="farid-haddad", joined=noon(2024, 6, 1)),
    ],
)

# -- payloads quoted from the docs ----------------------------------------------------------


def _doc_team(team_id: str, name: str, members: list[tuple[str, str]]) -> dict[str, object]:
    return {
        "type": "teams",
        "id": team_id,
        "attributes": {"name": name},
        "relationships": {
            "members": {
                "links": {"self": f"/teams/{team_id}/members"},
                "data": [
                    {"type": "users", "id": u, "meta": {"joined": f"{day}T12:00:00.0000000Z"}}
                    for u, day in members
                ],
            }
        },
    }


REFACTOR_TRACTOR = _doc_team(
    "refactor-tractor", "Refactor Tractor", [("barry", "2016-01-23"), ("mary", "2016-01-21")]
)
CODE_MONKEYS = _doc_team(
    "code-monkeys", "Code Monkeys", [("adam", "2016-01-21"), ("zack", "2016-01-12")]
)

DOC_GET_TEAMS = {"links": {"self": "/teams/refactor-tractor"}, "data": REFACTOR_TRACTOR}

DOC_GET_MEMBERS = {
    "links": {"self": "/teams/refactor-tractor/members"},
    "data": [
        {"type": "users", "id": "barry", "meta": {"joined": "2016-01-45T12:00:00.0000000Z"}},
        {"type": "users", "id": "mary", "meta": {"joined": "2016-01-45T12:00:00.0000000Z"}},
    ],
    "included": [
        {"links": {"self": "/users/barry"}, "type": "users", "id": "barry",
         "attributes": {"name": "Barry"}},
        {"links": {"self": "/users/mary"}, "type": "users", "id": "mary",
         "attributes": {"name": "Mary"}},
    ],
}  # fmt: skip


def _doc_user(user_id: str, name: str, team_id: str, day: str) -> dict[str, object]:
    joined = f"{day}T12:00:00.0000000Z"
    return {
        "links": {"self": f"/users/{user_id}"},
        "type": "users",
        "id": user_id,
        "attributes": {"name": name},
        "relationships": {
            "team": {"data": {"type": "teams", "id": team_id, "meta": {"joined": joined}}}
        },
    }


DOC_GET_USERS = {
    "links": {"self": "/users"},
    "data": [
        _doc_user("adam", "Adam", "code-monkeys", "2016-01-21"),
        _doc_user("barry", "Barry", "refactor-tractor", "2016-01-23"),
        _doc_user("mary", "Mary", "refactor-tractor", "2016-01-21"),
        _doc_user("zack", "Zack", "code-monkeys", "2016-01-12"),
    ],
    "included": [REFACTOR_TRACTOR, CODE_MONKEYS],
}

DOC_GET_USER_TEAM = {
    "links": {"self": "/users/barry/team"},
    "data": {
        "type": "teams",
        "id": "refactor-tractor",
        "meta": {"joined": "2016-01-23T12:00:00.0000000Z"},
    },
    "included": [
        {
            "links": {"self": "/team/refactor-tractor"},
            "type": "teams",
            "id": "refactor-tractor",
            "attributes": {"name": "Refactor Tractor"},
        }
    ],
}


# -- reads against the emulator -------------------------------------------------------------


async def test_list_teams_is_one_call_with_member_linkage(
    client: Hack24Client, call_log: CallLog
) -> None:
    teams = await client.list_teams()
    assert [t.id for t in teams] == ["platform", "payments", "mobile", "data-analytics"]
    assert teams[0] == PLATFORM
    assert teams[3].name == "Data Analytics"
    assert calls(call_log) == ["hack24 GET /teams"]


async def test_get_team_returns_the_team_or_none(client: Hack24Client, call_log: CallLog) -> None:
    assert await client.get_team("platform") == PLATFORM
    assert await client.get_team("nope") is None
    assert calls(call_log) == ["hack24 GET /teams/platform", "hack24 GET /teams/nope"]


async def test_list_team_members_gives_names_and_join_dates(client: Hack24Client) -> None:
    members = await client.list_team_members("payments")
    assert members[1] == User(
        id="ines-costa", name="Inês Costa", team_id="payments", joined=noon(2024, 3, 4)
    )
    assert [m.name for m in members] == [
        "Grace Liu",
        "Inês Costa",
        "Jonas Berg",
        "Sam Taylor",
        "Kofi Mensah",
    ]
    with pytest.raises(UpstreamNotFound) as caught:
        await client.list_team_members("nope")
    assert "No team with id 'nope'" in str(caught.value)


async def test_list_users_is_one_call_with_teams_and_join_dates(
    client: Hack24Client, call_log: CallLog, cast: Cast
) -> None:
    users = await client.list_users()
    assert calls(call_log) == ["hack24 GET /users"]
    assert [u.id for u in users] == [p.hack24.id for p in cast.people if p.hack24]
    by_id = {u.id: u for u in users}
    # alice is in two cast teams; Hack24 keeps the first.
    assert by_id["alice-nguyen"] == User(
        id="alice-nguyen", name="Alice Nguyen", team_id="platform", joined=noon(2024, 1, 1)
    )
    assert by_id["samuel-taylor"].name == "Sam Taylor"
    assert by_id["samuel-taylor"].team_id == "mobile"


async def test_get_user_returns_the_user_or_none(client: Hack24Client) -> None:
    assert await client.get_user("wen-zhao") == User(
        id="wen-zhao", name="Wen Zhao", team_id="data-analytics", joined=noon(2024, 6, 10)
    )
    assert await client.get_user("ghost") is None


async def test_get_user_team_reads_the_included_team(
    client: Hack24Client, call_log: CallLog
) -> None:
    team = await client.get_user_team("bob-okafor")
    # The documented answer carries no member linkage for the team.
    assert team == Team(id="platform", name="Platform", members=[])
    assert await client.get_user_team("ghost") is None
    assert calls(call_log) == ["hack24 GET /users/bob-okafor/team", "hack24 GET /users/ghost/team"]


async def test_get_user_team_is_none_for_a_user_without_a_team(client: Hack24Client) -> None:
    await client.set_user_team("bob-okafor", None)
    assert await client.get_user_team("bob-okafor") is None
    bob = await client.get_user("bob-okafor")
    assert bob is not None
    assert (bob.team_id, bob.joined) == (None, None)


# -- errors ---------------------------------------------------------------------------------


async def test_wrong_token_is_unauthorized_with_the_api_detail(cast: Cast) -> None:
    client = client_for(cast, token="stolen")
    with pytest.raises(UpstreamUnauthorized) as caught:
        await client.list_users()
    assert caught.value.service == "hack24"
    assert caught.value.status == 401
    assert "bearer token" in str(caught.value)


async def test_no_token_is_fine_because_the_api_documents_no_auth(cast: Cast) -> None:
    client = client_for(cast)
    assert (await client.list_teams())[0] == PLATFORM


async def test_an_outage_is_unavailable(cast: Cast) -> None:
    client = client_for(cast, faults=Faults(down=True))
    with pytest.raises(UpstreamUnavailable) as caught:
        await client.get_team("platform")
    assert caught.value.service == "hack24"
    assert caught.value.status == 503
    assert "emulated outage" in str(caught.value)


async def test_a_document_of_the_wrong_shape_is_a_bad_response() -> None:
    with pytest.raises(UpstreamBadResponse) as caught:
        await answering({"data": [{"id": "platform"}]}).list_teams()
    assert "data" in str(caught.value)
    # A timestamp that is not even a string is not the documented shape either.
    team = {"data": {"id": "t", "meta": {"joined": 5}}}
    user = {"data": {"id": "x", "attributes": {"name": "X"}, "relationships": {"team": team}}}
    with pytest.raises(UpstreamBadResponse):
        await answering(user).get_user("x")


async def test_error_detail_falls_back_to_the_title() -> None:
    client = answering({"errors": [{"status": "409", "title": "Conflict"}]}, status=409)
    with pytest.raises(UpstreamRejected) as caught:
        await client.create_user("Anyone")
    assert str(caught.value).endswith("answered 409: Conflict")


async def test_error_detail_joins_every_error_after_its_source() -> None:
    errors = [
        {"status": "400", "detail": "Too long.", "source": {"pointer": "/data/attributes/name"}},
        {"status": "400", "title": "Bad Request", "source": {"parameter": "include"}},
        {"status": "400", "detail": "Odd.", "source": {}},
    ]
    with pytest.raises(UpstreamRejected) as caught:
        await answering({"errors": errors}, status=400).create_user("Anyone")
    assert str(caught.value).endswith(
        "answered 400: /data/attributes/name: Too long.; include: Bad Request; Odd."
    )


# -- documented variants --------------------------------------------------------------------


async def test_list_teams_accepts_the_documented_single_object() -> None:
    teams = await answering(DOC_GET_TEAMS).list_teams()
    assert teams == [
        Team(
            id="refactor-tractor",
            name="Refactor Tractor",
            members=[
                MemberLink(id="barry", joined=noon(2016, 1, 23)),
                MemberLink(id="mary", joined=noon(2016, 1, 21)),
            ],
        )
    ]


async def test_an_impossible_join_date_is_unknown_not_fatal() -> None:
    members = await answering(DOC_GET_MEMBERS).list_team_members("refactor-tractor")
    assert members == [
        User(id="barry", name="Barry", team_id="refactor-tractor", joined=None),
        User(id="mary", name="Mary", team_id="refactor-tractor", joined=None),
    ]


async def test_members_missing_from_included_is_a_bad_response() -> None:
    doc = {**DOC_GET_MEMBERS, "included": DOC_GET_MEMBERS["included"][:1]}  # type: ignore[index]
    with pytest.raises(UpstreamBadResponse) as caught:
        await answering(doc).list_team_members("refactor-tractor")
    assert "mary" in str(caught.value)


async def test_list_users_reads_the_documented_example() -> None:
    users = await answering(DOC_GET_USERS).list_users()
    assert users[0] == User(
        id="adam", name="Adam", team_id="code-monkeys", joined=noon(2016, 1, 21)
    )
    assert [(u.id, u.team_id) for u in users[1:]] == [
        ("barry", "refactor-tractor"),
        ("mary", "refactor-tractor"),
        ("zack", "code-monkeys"),
    ]


async def test_get_user_team_reads_the_documented_example() -> None:
    team = await answering(DOC_GET_USER_TEAM).get_user_team("barry")
    assert team == Team(id="refactor-tractor", name="Refactor Tractor", members=[])


async def test_get_user_team_without_included_fetches_the_team() -> None:
    paths: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path)
        if request.url.path.endswith("/team"):
            return httpx.Response(200, json={**DOC_GET_USER_TEAM, "included": []})
        return httpx.Response(200, json={"data": REFACTOR_TRACTOR, "included": []})

    team = await mock_client(handler).get_user_team("barry")
    assert team is not None
    assert [m.id for m in team.members] == ["barry", "mary"]
    assert paths == ["/hack24/users/barry/team", "/hack24/teams/refactor-tractor"]


@pytest.mark.parametrize(
    ("joined", "expected"),
    [
        ("2016-01-23T12:00:00.0000000Z", noon(2016, 1, 23)),
        ("2016-01-23T12:00:00.1234567Z", noon(2016, 1, 23).replace(microsecond=123456)),
        ("2016-01-23T12:00:00", noon(2016, 1, 23)),  # no zone: the API speaks UTC
        ("2016-01-23T13:00:00+01:00", noon(2016, 1, 23)),
        ("yesterday", None),
        (None, None),
    ],
)
def test_join_timestamps(joined: str | None, expected: datetime | None) -> None:
    link = MemberLink.model_validate({"type": "users", "id": "x", "meta": {"joined": joined}})
    assert link.joined == expected
    if link.joined is not None:
        assert link.joined.tzinfo is UTC
