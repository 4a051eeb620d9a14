"""Whole answers kept with `[cache]` on (gateway/answer_cache.py), seen from outside: upstream
calls counted at the transport, the `teamgraph_answer_cache_lookups` counter on /metrics, and
what the answers say after the upstream data changed."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx

from gateway.emulators.cast import Cast
from gateway.settings import CacheSettings, Settings
from tests.faults import FaultTransport, hack24_newcomer
from tests.harness import Gateway, configured, open_gateway

QUERY = "query People { users { key name } hack24 { teams { id name } } }"
NEWCOMER = "Zed Newcomer"


def cached(cast: Cast, *, directory_ttl: float | None = None, **cache: Any) -> Settings:
    settings = configured(cast, directory_ttl=directory_ttl)
    return settings.model_copy(update={"cache": CacheSettings(enabled=True, **cache)})


async def lookups(gw: Gateway) -> dict[str, float]:
    text = (await gw.http.get("/metrics")).text
    found = re.findall(
        r'^teamgraph_answer_cache_lookups_total\{result="(\w+)"\} (\S+)$', text, re.M
    )
    return {result: float(n) for result, n in found}


async def ask(gw: Gateway, **headers: str) -> tuple[dict[str, Any], int]:
    before = gw.log.count()
    response = await gw.http.post("/graphql", json={"query": QUERY}, headers=headers)
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body, gw.log.count() - before


def names(body: dict[str, Any]) -> set[str]:
    return {u["name"] for u in body["data"]["users"]}


async def test_a_repeated_query_is_answered_whole_without_running_it(cast: Cast) -> None:
    async with open_gateway(cast, settings=cached(cast)) as gw:
        first, cold = await ask(gw)
        again, warm = await ask(gw)
        counted = await lookups(gw)
    assert "errors" not in first and again == first
    assert cold > 0 and warm == 0
    assert counted == {"miss": 1.0, "hit": 1.0}


async def test_it_is_kept_no_longer_than_the_upstream_answers_it_rests_on(cast: Cast) -> None:
    fault = hack24_newcomer(cast, NEWCOMER)
    settings = cached(cast, directory_ttl=0.3, ttl={"hack24:/users": 0.3}, stale_while_revalidate=0)
    async with open_gateway(cast, settings=settings, transports={"hack24": fault}) as gw:
        first, _ = await ask(gw)
        kept, _ = await ask(gw)
        await asyncio.sleep(0.4)
        later, calls = await ask(gw)
        counted = await lookups(gw)
    assert kept == first and NEWCOMER not in names(first)
    assert calls > 0 and NEWCOMER in names(later)  # run again, on the new list
    assert counted == {"miss": 2.0, "hit": 1.0}


async def test_a_mutation_drops_every_kept_answer(cast: Cast) -> None:
    create = 'mutation { createHack24User(input: {name: "Yara Written"}) { result { id } } }'
    async with open_gateway(cast, settings=cached(cast)) as gw:
        await ask(gw)
        written = await gw.execute(create)
        after, calls = await ask(gw)
    assert "errors" not in written, written
    assert calls > 0 and "Yara Written" in names(after)


async def test_an_answer_with_errors_is_not_kept(cast: Cast) -> None:
    fault = FaultTransport(cast)

    async def down(request: httpx.Request, _n: int) -> httpx.Response:
        return httpx.Response(503)

    fault.on("/teams", down)
    async with open_gateway(cast, settings=cached(cast), transports={"hack24": fault}) as gw:
        partial, _ = await ask(gw)
        again, calls = await ask(gw)
        counted = await lookups(gw)
    assert partial["errors"] and again["errors"]
    assert calls > 0 and counted == {"miss": 2.0}


async def test_trace_cost_and_no_cache_requests_run_the_query(cast: Cast) -> None:
    async with open_gateway(cast, settings=cached(cast)) as gw:
        await ask(gw)
        traced, _ = await ask(gw, **{"X-Teamgraph-Trace": "1"})
        costed, _ = await ask(gw, **{"X-Teamgraph-Cost": "1"})
        _, fresh_calls = await ask(gw, **{"Cache-Control": "no-cache"})
        counted = await lookups(gw)
    assert traced["extensions"]["upstream"]  # the calls, each a hit of the upstream cache
    assert costed["extensions"]["cost"]["fields"] > 0
    assert fresh_calls > 0
    assert counted == {"miss": 1.0}  # only the first looked; no-cache skips the lookup


async def test_another_callers_credentials_never_get_a_kept_answer(cast: Cast) -> None:
    settings = cached(cast).model_copy(
        update={"backends": configured(
            cast, hack24={"caller_credentials_header": "X-Hack24-Authorization"}
        ).backends}
    )  # fmt: skip
    own = {"X-Hack24-Authorization": f"Bearer {cast.credentials.hack24_token}"}
    async with open_gateway(cast, settings=settings) as gw:
        configured_answer, _ = await ask(gw)
        theirs, _ = await ask(gw, **own)
        counted = await lookups(gw)
    assert theirs == configured_answer  # the same data, but not served from the other key
    assert counted == {"miss": 2.0}


async def test_off_without_the_cache_or_when_asked(cast: Cast) -> None:
    for settings in (configured(cast), cached(cast, answers=False)):
        async with open_gateway(cast, settings=settings) as gw:
            await ask(gw)
            await ask(gw)
            assert await lookups(gw) == {}
