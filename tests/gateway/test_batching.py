"""Batched requests through HTTP: a JSON array answered in order, off unless configured, and
never more than one operation to admission, cost, deadline and upstream budget."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from gateway.emulators.cast import Cast
from gateway.settings import Settings
from tests.faults import FaultTransport, hang
from tests.gateway.test_persisted import apq
from tests.harness import Gateway, configured, open_gateway

TEAMS = "{ hack24 { teams { id name } } }"
USER = "query User($key: String!) { user(key: $key) { key name } }"
ITEMS = '{ team(key: "mobile") { teamoclock { actionItems(first: 100) { nodes { id text } } } } }'
CREATE = """mutation Create($text: String!) {
  createActionItem(team: "mobile", text: $text) { result { id text } }
}"""


def batching(cast: Cast, *, limits: dict[str, Any] | None = None, **server: Any) -> Settings:
    # Each operation lists everyone (no directory kept between them): calls compare 1:1.
    return configured(cast, limits=limits, server={"batching": True, **server}, directory_ttl=0)


async def send(gw: Gateway, body: object, **headers: str) -> tuple[httpx.Response, int]:
    before = gw.log.count()
    response = await gw.http.post("/graphql", json=body, headers=headers)
    return response, gw.log.count() - before


def code(answer: dict[str, Any]) -> str:
    found: str = answer["errors"][0]["extensions"]["code"]
    return found


async def test_batching_is_off_unless_configured(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        response, calls = await send(gw, [{"query": TEAMS}])
    assert response.status_code == 400 and calls == 0
    assert code(response.json()) == "BAD_REQUEST"
    message = response.json()["errors"][0]["message"]
    assert "(server.batching)" in message and "one operation per request" in message


async def test_a_batch_is_answered_in_order(cast: Cast) -> None:
    async with open_gateway(cast, settings=batching(cast)) as gw:
        alone = [
            (await send(gw, {"query": USER, "variables": {"key": k}})) for k in ("bob", "alice")
        ]
        teams, teams_calls = await send(gw, {"query": TEAMS})
        batch = [
            {"query": USER, "variables": {"key": "bob"}},
            {"query": TEAMS},
            {"query": USER, "variables": {"key": "alice"}, "operationName": "User"},
        ]
        response, calls = await send(gw, batch, accept="application/graphql-response+json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/graphql-response+json")
    assert response.json() == [alone[0][0].json(), teams.json(), alone[1][0].json()]
    assert calls == alone[0][1] + teams_calls + alone[1][1]


@pytest.mark.parametrize("size", [0, 4])
async def test_an_empty_or_oversized_batch_is_a_400_naming_the_key(cast: Cast, size: int) -> None:
    async with open_gateway(cast, settings=batching(cast, max_batch_size=3)) as gw:
        response, calls = await send(gw, [{"query": TEAMS}] * size)
    assert response.status_code == 400 and calls == 0
    assert "server.max_batch_size" in response.json()["errors"][0]["message"]


async def test_each_operation_fails_alone(cast: Cast) -> None:
    batch = [
        {"query": TEAMS},
        {"qeury": TEAMS},
        "{ teams { key } }",
        {"query": "{ nope }"},
        {"extensions": apq("{ y: __typename }")},
        {"query": "{ y: __typename }", "extensions": apq("{ y: __typename }")},
        {"extensions": apq("{ y: __typename }")},
        {"query": "query($k: String!) { user(key: $k) { key } }", "variables": {"k": 1}},
    ]
    async with open_gateway(cast, settings=batching(cast, max_batch_size=10)) as gw:
        response, calls = await send(gw, batch)
    answers = response.json()
    assert response.status_code == 200 and len(answers) == len(batch)
    assert answers[0]["data"]["hack24"]["teams"] and calls == 1
    assert [code(a) for a in answers[1:3]] == ["BAD_REQUEST", "BAD_REQUEST"]
    assert code(answers[3]) == "GRAPHQL_VALIDATION_FAILED"
    assert code(answers[4]) == "PERSISTED_QUERY_NOT_FOUND"  # then registered by the next
    assert answers[5] == answers[6] == {"data": {"y": "Query"}}
    assert code(answers[7]) == "BAD_USER_INPUT"


async def test_operations_run_in_order_and_see_earlier_mutations(cast: Cast) -> None:
    batch = [
        {"query": ITEMS},
        {"query": CREATE, "variables": {"text": "first"}},
        {"query": CREATE, "variables": {"text": "second"}},
        {"query": ITEMS},
    ]
    async with open_gateway(cast, settings=batching(cast)) as gw:
        response, _ = await send(gw, batch)
    before, first, second, after = response.json()
    made = [
        first["data"]["createActionItem"]["result"],
        second["data"]["createActionItem"]["result"],
    ]
    assert [m["text"] for m in made] == ["first", "second"]
    assert int(made[0]["id"].lstrip("A")) < int(made[1]["id"].lstrip("A"))  # created in order
    assert not any(m in nodes(before) for m in made)
    assert all(m in nodes(after) for m in made)


def nodes(answer: dict[str, Any]) -> list[dict[str, str]]:
    found: list[dict[str, str]] = answer["data"]["team"]["teamoclock"]["actionItems"]["nodes"]
    return found


async def test_a_batch_takes_one_admission_slot_and_runs_one_operation_at_a_time(
    cast: Cast,
) -> None:
    fault = FaultTransport(cast)
    inside, release = asyncio.Event(), asyncio.Event()
    seen: list[tuple[int, int]] = []  # (operations admitted, hack24 calls under way)
    running = 0

    async def watch(request: httpx.Request, _n: int) -> None:
        nonlocal running
        running += 1
        seen.append((gw.app_endpoint().admission.in_flight, running))
        inside.set()
        await release.wait()
        running -= 1
        return None

    fault.on("/teams", watch)
    settings = batching(cast, limits={"max_in_flight": 1, "max_queue": 0})
    async with open_gateway(cast, settings=settings, transports={"hack24": fault}) as gw:
        batch = asyncio.create_task(send(gw, [{"query": TEAMS}] * 3))
        await inside.wait()
        shed, shed_calls = await send(gw, {"query": "{ __typename }"})  # the slot is taken
        release.set()
        response, calls = await batch
    assert shed.status_code == 503 and code(shed.json()) == "OVERLOADED" and shed_calls == 0
    assert [a["data"]["hack24"]["teams"] != [] for a in response.json()] == [True] * 3
    assert calls == 3 and seen == [(1, 1)] * 3


async def test_a_batch_is_held_to_one_operations_cost(cast: Cast) -> None:
    async with open_gateway(cast) as probe:
        one = (await probe.http.post("/graphql", json={"query": TEAMS},
                                     headers={"X-Teamgraph-Cost": "1"})).json()  # fmt: skip
    cost = one["extensions"]["cost"]["fields"]
    settings = batching(cast, limits={"max_cost": 2 * cost + 1})
    async with open_gateway(cast, settings=settings) as gw:
        two, _ = await send(gw, [{"query": TEAMS}] * 2)
        three, calls = await send(gw, [{"query": TEAMS}] * 3)
    assert two.status_code == 200 and len(two.json()) == 2
    assert three.status_code == 400 and calls == 0
    error = three.json()["errors"][0]
    assert error["extensions"] == {"code": "OPERATION_TOO_COMPLEX", "limit": 2 * cost + 1,
                                   "measured": 3 * cost, "setting": "limits.max_cost"}  # fmt: skip
    assert "send fewer operations per batch" in error["message"]


async def test_a_batch_shares_one_upstream_budget(cast: Cast) -> None:
    settings = batching(cast, limits={"max_upstream_calls": 2})
    async with open_gateway(cast, settings=settings) as gw:
        response, calls = await send(gw, [{"query": TEAMS}] * 3)
        alone, _ = await send(gw, {"query": TEAMS})
    first, second, third = response.json()
    assert first == second == alone.json() and calls == 2
    assert third["data"] == {"hack24": {"teams": None}}
    assert code(third) == "UPSTREAM_BUDGET_EXCEEDED"
    assert "the batch used its 2 upstream calls" in third["errors"][0]["message"]


async def test_a_batch_shares_one_deadline(cast: Cast) -> None:
    fault = FaultTransport(cast)
    fault.on("/teams", hang())
    settings = batching(cast, limits={"request_timeout": 0.3})
    async with open_gateway(cast, settings=settings, transports={"hack24": fault}) as gw:
        response, calls = await send(gw, [{"query": TEAMS}, {"query": "{ __typename }"}])
    first, second = response.json()
    assert response.status_code == 200 and calls == 1
    assert code(first) == code(second) == "GATEWAY_TIMEOUT"
    assert "not run: the batch did not finish within 0.3s" in second["errors"][0]["message"]
