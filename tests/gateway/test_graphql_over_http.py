"""GraphQL over HTTP (the spec's draft of 2025): media types, Accept negotiation, request
parameters, and the status codes for each kind of failure, as the graphql-http audit checks
them, through the ASGI app.

Where the audit (written before the spec settled) and the spec disagree, the spec wins: a
request that is not well-formed (no `query`, `variables` not a map, a body that is not
JSON) is a 400 under both media types, as the spec's examples say.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
import pytest

from gateway.emulators.cast import Cast
from tests.harness import Gateway, configured, open_gateway
from tests.schema.test_team_overview import TEAM_OVERVIEW

NEW = "application/graphql-response+json"
JSON = "application/json"
TYPENAME = {"query": "{ __typename }"}


@pytest.fixture
async def gw(cast: Cast) -> AsyncIterator[Gateway]:
    async with open_gateway(cast) as gateway:
        yield gateway


async def post(
    gw: Gateway, body: object, accept: str | None = NEW, **headers: str
) -> httpx.Response:
    sent = {"content-type": "application/json", **headers}
    if accept is not None:
        sent["accept"] = accept
    content = body if isinstance(body, bytes) else orjson.dumps(body)
    return await gw.http.post("/graphql", content=content, headers=sent)


def media(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (NEW, NEW),
        (JSON, JSON),
        ("*/*", JSON),  # the legacy default, kept: curl and older clients see 200s
        (None, JSON),
        (f"{NEW}, {JSON};q=0.9", NEW),  # what Apollo Client 4 sends
        (f"{NEW}; charset=utf-8, {JSON}; charset=utf-8", NEW),  # the spec's recommendation
        (f"{JSON}, {NEW}", JSON),  # equal q: the client's order
        (f"{NEW};q=0.5, {JSON}", JSON),  # q-values, not order
        (f"{JSON};q=0, */*", NEW),  # the most specific range decides
        ("application/*", JSON),
    ],
)
async def test_the_answer_uses_the_media_type_the_client_ranks_highest(
    gw: Gateway, accept: str | None, expected: str
) -> None:
    response = await post(gw, TYPENAME, accept)
    assert response.status_code == 200, response.text
    assert media(response) == expected
    assert response.headers["content-type"].endswith("; charset=utf-8")
    assert "Accept" in response.headers["vary"].split(", ")
    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize("accept", ["text/plain", f"text/html, {NEW};q=0", "image/png"])
async def test_an_accept_header_allowing_neither_type_is_406(gw: Gateway, accept: str) -> None:
    response = await post(gw, TYPENAME, accept)
    assert response.status_code == 406
    assert media(response) == JSON
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "NOT_ACCEPTABLE"
    assert f"Accept: {NEW}" in error["message"]
    assert gw.log.calls == []


@pytest.mark.parametrize(
    ("content_type", "status"),
    [
        ("application/json", 200),
        ("application/json; charset=utf-8", 200),
        ("application/json;charset=UTF-8", 200),
        ("application/json; charset=utf-16", 415),
        ("application/x-www-form-urlencoded", 415),
        ("text/plain", 415),
        (None, 415),  # the spec: a POST without Content-Type SHOULD get a 4xx
    ],
)
async def test_a_post_body_is_json_in_utf8_and_says_so(
    gw: Gateway, content_type: str | None, status: int
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = await gw.http.post("/graphql", content=orjson.dumps(TYPENAME), headers=headers)
    assert response.status_code == status, response.text
    if status == 415:
        assert response.json()["errors"][0]["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"


async def test_a_post_without_a_body_is_a_400(gw: Gateway) -> None:
    for accept in (NEW, JSON):
        response = await gw.http.post(
            "/graphql", headers={"content-type": "application/json", "accept": accept}
        )
        assert response.status_code == 400 and "errors" in response.json()


INVALID = [{"obj": "ect"}, 0, False, ["array"]]


@pytest.mark.parametrize(
    "body",
    [
        {"notquery": "{ __typename }"},
        {"qeury": "{ __typename }"},
        *({"query": value} for value in INVALID),
        *({"query": "query Q { __typename }", "operationName": v} for v in INVALID),
        *({"query": "{ __typename }", "variables": v} for v in ["string", 0, False, ["a"]]),
        *({"query": "{ __typename }", "extensions": v} for v in ["string", 0, False, ["a"]]),
        b'{ "not a JSON',
    ],
    ids=lambda body: repr(body)[:40],
)
@pytest.mark.parametrize("accept", [NEW, JSON])
async def test_a_request_that_is_not_well_formed_is_a_400_without_data(
    gw: Gateway, body: Any, accept: str
) -> None:
    response = await post(gw, body, accept)
    assert response.status_code == 400, response.text
    assert media(response) == accept
    payload = response.json()
    assert "data" not in payload and payload["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


@pytest.mark.parametrize("parameter", ["variables", "operationName", "extensions"])
@pytest.mark.parametrize("accept", [NEW, JSON])
async def test_null_parameters_are_as_if_absent(gw: Gateway, parameter: str, accept: str) -> None:
    response = await post(gw, {"query": "{ __typename }", parameter: None}, accept)
    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


TYPE_QUERY = "query Type($name: String!) { __type(name: $name) { name } }"


@pytest.mark.parametrize("accept", [NEW, JSON])
async def test_parameters_by_post_and_by_get(gw: Gateway, accept: str) -> None:
    named = await post(gw, {"query": "query Query { __typename }", "operationName": "Query"},
                       accept)  # fmt: skip
    variables = await post(gw, {"query": TYPE_QUERY, "variables": {"name": "Team"},
                                "extensions": {"some": "value"}}, accept)  # fmt: skip
    by_get = await gw.http.get(
        "/graphql",
        params={"query": TYPE_QUERY, "variables": '{"name":"Team"}', "operationName": ""},
        headers={"accept": accept},
    )
    assert named.json() == {"data": {"__typename": "Query"}}
    for response in (variables, by_get):
        assert response.status_code == 200
        assert response.json() == {"data": {"__type": {"name": "Team"}}}


async def test_get_never_runs_a_mutation(gw: Gateway) -> None:
    for accept in (NEW, JSON):
        response = await gw.http.get(
            "/graphql", params={"query": "mutation { __typename }"}, headers={"accept": accept}
        )
        assert response.status_code == 405
        assert response.headers["allow"] == "POST"
        assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


REQUEST_ERRORS = [
    ({"query": "{"}, "GRAPHQL_PARSE_FAILED"),
    ({"query": "{ f8e2c0b5 }"}, "GRAPHQL_VALIDATION_FAILED"),
    ({"query": "query A { __typename } query B { __typename }"}, None),  # which operation?
    ({"query": "query A { __typename }", "operationName": "C"}, None),
    ({"query": "query($k: String!) { team(key: $k) { name } }", "variables": {"k": 1}},
     "BAD_USER_INPUT"),  # variable coercion
    ({"query": "{ " + " ".join(f"a{i}: __typename" for i in range(40)) + " }"},
     "OPERATION_TOO_COMPLEX"),  # a limit
]  # fmt: skip


@pytest.mark.parametrize(("body", "code"), REQUEST_ERRORS, ids=lambda v: repr(v)[:30])
async def test_a_request_error_is_400_under_the_new_type_and_200_under_json(
    gw: Gateway, body: dict[str, Any], code: str | None
) -> None:
    strict = await post(gw, body, NEW)
    legacy = await post(gw, body, JSON)
    assert (strict.status_code, legacy.status_code) == (400, 200)
    for response in (strict, legacy):
        payload = response.json()
        assert "data" not in payload and payload["errors"]
        if code is not None:
            assert payload["errors"][0]["extensions"]["code"] == code
    assert gw.log.calls == []


async def test_field_errors_are_a_200_with_partial_data(gw: Gateway) -> None:
    query = '{ __typename worklogs(from: "2026-11-20", to: "2026-11-01") { id } }'
    for accept in (NEW, JSON):
        response = await post(gw, {"query": query}, accept)
        assert response.status_code == 200
        payload = response.json()
        assert payload["data"] == {"__typename": "Query", "worklogs": None}
        assert payload["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize(("encoding", "used"), [("gzip", "gzip"), ("br", "br")])
async def test_the_new_media_type_is_compressed_too(cast: Cast, encoding: str, used: str) -> None:
    async with open_gateway(cast, settings=configured(cast)) as gateway:
        body = {"query": TEAM_OVERVIEW, "variables": {"from": "2026-11-01", "to": "2026-11-20"}}
        plain = await post(gateway, body, NEW, **{"accept-encoding": "identity"})
        packed = await post(gateway, body, NEW, **{"accept-encoding": encoding})
    assert media(packed) == NEW and packed.headers["content-encoding"] == used
    assert int(packed.headers["content-length"]) < len(plain.content) / 4
    assert packed.json() == plain.json() and "errors" not in plain.json()
