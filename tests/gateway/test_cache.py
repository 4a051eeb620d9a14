"""The shared upstream cache, through the real ASGI app, for both stores: the in-process one
and Redis (a real redis-server, which `.ci/run` installs; the tests start their own on a free
port). Freshness, stale-while-revalidate, stale-if-error, coalescing, bypass, invalidation
by writes, credentials in every key, and the trace."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from gateway.emulators.cast import Cast
from gateway.settings import CacheSettings, Settings
from tests.faults import FaultTransport
from tests.harness import Gateway, configured, open_gateway
from tests.servers import free_port, redis_server

USERS = "{ users { key } }"
TEAMS = "{ hack24 { teams { id name } } }"


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    port = free_port()
    with redis_server(port):
        yield f"redis://127.0.0.1:{port}/0"


@pytest.fixture(params=["memory", "redis"])
def store(request: pytest.FixtureRequest) -> str:
    backend: str = request.param
    if backend == "redis":
        url: str = request.getfixturevalue("redis_url")
        return url
    return "memory"


def cached(cast: Cast, store: str, **cache: Any) -> Settings:
    # No directory kept between requests: the cache is what serves the people lists again.
    settings = configured(cast, directory_ttl=0)
    chosen = (
        {"backend": "redis", "redis_url": store} if store != "memory" else {"backend": "memory"}
    )
    options = CacheSettings(enabled=True, **chosen, **cache)
    if store != "memory":  # each test its own namespace: the server is shared by the module
        options = options.model_copy(update={"redis_url": store})
    return settings.model_copy(update={"cache": options})


@pytest.fixture
async def flush(store: str) -> AsyncIterator[None]:
    if store != "memory":
        import redis.asyncio as redis

        client = redis.from_url(store)
        await client.flushdb()
        await client.aclose()
    yield


async def calls_for(gw: Gateway, query: str, **headers: str) -> tuple[dict[str, Any], int]:
    before = gw.log.count()
    response = await gw.http.post("/graphql", json={"query": query}, headers=headers)
    return response.json(), gw.log.count() - before


@pytest.mark.usefixtures("flush")
async def test_a_warm_cache_answers_without_upstream_calls(cast: Cast, store: str) -> None:
    async with open_gateway(cast, settings=cached(cast, store)) as gw:
        cold, cold_calls = await calls_for(gw, USERS)
        warm, warm_calls = await calls_for(gw, USERS, **{"X-Teamgraph-Trace": "1"})
        fresh, bypass_calls = await calls_for(gw, USERS, **{"Cache-Control": "no-cache"})
    assert cold_calls >= 5 and warm_calls == 0 and bypass_calls == cold_calls
    assert warm["data"] == cold["data"] == fresh["data"]
    assert {c["cache"] for c in warm["extensions"]["upstream"]} == {"hit"}


@pytest.mark.usefixtures("flush")
async def test_concurrent_requests_share_one_call(cast: Cast, store: str) -> None:
    fault = FaultTransport(cast)

    async def slow(request: httpx.Request, _n: int) -> None:
        await asyncio.sleep(0.2)
        return None

    rule = fault.on("/teams", slow)
    settings = cached(cast, store)
    async with open_gateway(cast, settings=settings, transports={"hack24": fault}) as gw:
        answers = await asyncio.gather(
            *(gw.http.post("/graphql", json={"query": TEAMS}, headers={"X-Teamgraph-Trace": "1"})
              for _ in range(5))
        )  # fmt: skip
    assert rule.seen == 1
    hows = sorted(
        c.get("cache", "miss")
        for a in answers
        for c in a.json()["extensions"]["upstream"]
        if c["path"].endswith("/teams")
    )
    assert hows == ["coalesced"] * 4 + ["miss"]
    assert len({str(a.json()["data"]) for a in answers}) == 1


@pytest.mark.usefixtures("flush")
async def test_stale_answers_are_served_while_one_call_refreshes(cast: Cast, store: str) -> None:
    settings = cached(cast, store, ttl={"hack24:/teams": 0.2}, stale_while_revalidate=30)
    async with open_gateway(cast, settings=settings) as gw:
        await calls_for(gw, TEAMS)
        await asyncio.sleep(0.3)  # past its TTL, within stale-while-revalidate
        stale, _ = await calls_for(gw, TEAMS, **{"X-Teamgraph-Trace": "1"})
        await asyncio.sleep(0.1)  # the background refresh lands
        teams_calls = [c for c in gw.log.of("hack24") if c.path == "/teams"]
    (call,) = [c for c in stale["extensions"]["upstream"] if c["path"].endswith("/teams")]
    assert call["cache"] == "stale"
    assert len(teams_calls) == 2  # the first fill, then one refresh in the background


@pytest.mark.usefixtures("flush")
async def test_the_last_good_answer_is_served_when_the_upstream_fails(
    cast: Cast, store: str
) -> None:
    fault = FaultTransport(cast)
    down = {"now": False}

    async def maybe_down(request: httpx.Request, _n: int) -> httpx.Response | None:
        return httpx.Response(503) if down["now"] else None

    fault.on("/teams", maybe_down)
    settings = cached(cast, store, ttl={"hack24:/teams": 0.1}, stale_while_revalidate=0)
    async with open_gateway(cast, settings=settings, transports={"hack24": fault}) as gw:
        good, _ = await calls_for(gw, TEAMS)
        down["now"] = True
        await asyncio.sleep(0.2)
        served, _ = await calls_for(gw, TEAMS)
    assert served["data"] == good["data"]
    (warning,) = served["errors"]
    assert warning["extensions"]["code"] == "STALE_DATA"
    assert warning["extensions"]["service"] == "hack24"
    assert warning["extensions"]["ageSeconds"] >= 0
    assert "GET /hack24/teams" in warning["message"] and "503" in warning["message"]


@pytest.mark.usefixtures("flush")
async def test_a_write_drops_what_its_service_cached(cast: Cast, store: str) -> None:
    async with open_gateway(cast, settings=cached(cast, store)) as gw:
        await calls_for(gw, TEAMS)
        client = gw.app.state.endpoint.backends().require("hack24")
        await client.create_team("Night Shift")  # a write through the same client
        after, calls = await calls_for(gw, TEAMS)
    assert calls == 1  # asked again
    assert "Night Shift" in str(after["data"])


@pytest.mark.usefixtures("flush")
async def test_each_callers_credentials_have_their_own_entries(cast: Cast, store: str) -> None:
    settings = cached(cast, store)
    backends = settings.backends.model_copy(
        update={"hack24": settings.backends.hack24.model_copy(  # type: ignore[union-attr]
            update={"caller_credentials_header": "X-Hack24-Authorization"})}
    )  # fmt: skip
    settings = settings.model_copy(update={"backends": backends})
    mine = {"X-Hack24-Authorization": f"Bearer {cast.credentials.hack24_token}"}
    async with open_gateway(cast, settings=settings) as gw:
        _, configured_calls = await calls_for(gw, TEAMS)
        _, caller_calls = await calls_for(gw, TEAMS, **mine)
        _, caller_again = await calls_for(gw, TEAMS, **mine)
        _, configured_again = await calls_for(gw, TEAMS)
    # The caller's answers never come from what the configured credentials fetched.
    assert configured_calls == caller_calls == 1
    assert caller_again == configured_again == 0
