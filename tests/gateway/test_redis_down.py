"""When Redis (the cache store) is refused, hangs or goes away, through the real ASGI app:
reads stay correct from the upstreams, a hung Redis is tried once per back-off and not once
per request, mutations with an idempotency key are refused before any upstream call (and a
write whose record could not be stored is not lost), APQ falls back to the full text,
/healthz says so and sees Redis come back, and `teamgraph check` names it."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import tomli_w

from gateway.cli import main
from gateway.emulators.cast import Cast
from gateway.settings import CacheSettings, ConfigError, Settings, parse_settings
from tests.faults import FaultTransport
from tests.gateway.test_cache import USERS, calls_for
from tests.gateway.test_cache import redis_url as redis_url  # the module's redis-server
from tests.gateway.test_cli import running
from tests.gateway.test_persisted import apq, send
from tests.harness import Gateway, configured, open_gateway
from tests.redis_proxy import RedisProxy
from tests.servers import free_port, free_ports, redis_server

CREATE_ROLE = """mutation($name: String!, $key: String) {
  createTempoRole(input: {name: $name}, idempotencyKey: $key) {
    result { id name } userErrors { message } replayed } }"""
ROLES = "{ tempo { roles { name } } }"


def on_redis(cast: Cast, url: str, *, enabled: bool = True, **options: Any) -> Settings:
    cache = CacheSettings(enabled=enabled, backend="redis", redis_url=url, **options)
    # No directory kept between requests: the people lists are read through the cache each time.
    return configured(cast, directory_ttl=0).model_copy(update={"cache": cache})


def closed_url() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there


@pytest.fixture
async def proxy(redis_url: str) -> AsyncIterator[RedisProxy]:
    """A breakable path to the module's redis-server, flushed."""
    import redis.asyncio as redis

    client = redis.from_url(redis_url)
    await client.flushdb()
    await client.aclose()
    port = int(redis_url.rsplit(":", 1)[1].split("/")[0])
    found = await RedisProxy(port).start()
    yield found
    await found.close()


async def store_status(gw: Gateway, *, strict: bool = False) -> tuple[int, dict[str, Any]]:
    response = await gw.http.get("/healthz", params={"strict": "1"} if strict else None)
    cache: dict[str, Any] = response.json()["cache"]
    return response.status_code, cache


async def until_up(gw: Gateway, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while (await store_status(gw))[1]["status"] != "up":
        assert time.monotonic() < deadline, "redis did not come back"
        await asyncio.sleep(0.05)


# -- reads ----------------------------------------------------------------------------------


async def test_reads_answer_from_the_upstreams_while_redis_refuses(cast: Cast) -> None:
    async with open_gateway(cast) as plain:
        expected, uncached = await calls_for(plain, USERS)
    async with open_gateway(cast, settings=on_redis(cast, closed_url())) as gw:
        first, first_calls = await calls_for(gw, USERS)
        again, again_calls = await calls_for(gw, USERS, **{"X-Teamgraph-Trace": "1"})
    assert "errors" not in first and "errors" not in again
    assert first["data"] == again["data"] == expected["data"]
    # Nothing is cached, so every read asks its upstream, as without a cache.
    assert first_calls == again_calls == uncached >= 5
    assert {c.get("cache", "miss") for c in again["extensions"]["upstream"]} == {"miss"}


async def test_a_hanging_redis_is_tried_once_per_back_off_not_per_request(cast: Cast) -> None:
    hung = await RedisProxy().start()  # accepts, never answers
    settings = on_redis(cast, hung.url, redis_timeout=0.1, redis_backoff=300)
    try:
        async with open_gateway(cast, settings=settings) as gw:
            first, _ = await calls_for(gw, USERS)
            tried = hung.connections  # the first request's concurrent reads, at most
            answers = [await calls_for(gw, USERS) for _ in range(10)]
            health, store = await store_status(gw)
    finally:
        await hung.close()
    assert "errors" not in first and 1 <= tried <= 10
    assert all(a == first["data"] for a, _ in ((a["data"], n) for a, n in answers))
    assert hung.connections == tried  # ten more requests, /healthz too: Redis not touched
    assert health == 200
    assert store["status"] == "down" and store["reason"] == "no answer within 0.1 s"


async def test_a_corrupt_entry_is_a_miss(cast: Cast, redis_url: str) -> None:
    import redis.asyncio as redis

    client = redis.from_url(redis_url)
    await client.flushdb()
    async with open_gateway(cast, settings=on_redis(cast, redis_url)) as gw:
        cold, cold_calls = await calls_for(gw, USERS)
        for name in await client.keys("teamgraph:cache:*"):
            await client.set(name, b'{"s": "not a status"}')
        broken, broken_calls = await calls_for(gw, USERS)
        warm, warm_calls = await calls_for(gw, USERS)  # the misses stored fresh entries
    await client.aclose()
    assert broken["data"] == warm["data"] == cold["data"] and "errors" not in broken
    assert broken_calls == cold_calls and warm_calls == 0


async def test_a_write_while_redis_is_cut_is_seen_by_the_next_read(
    cast: Cast, proxy: RedisProxy
) -> None:
    # Redis keeps the old answer while the gateway cannot reach it to drop it.
    async with open_gateway(cast, settings=on_redis(cast, proxy.url, redis_backoff=0)) as gw:
        before = await gw.execute(ROLES)
        proxy.switch("refuse")
        made = await gw.execute(CREATE_ROLE, {"name": "Ops"})
        proxy.switch("pass")
        after = await gw.execute(ROLES)
    assert made["data"]["createTempoRole"]["result"]["name"] == "Ops"
    assert "Ops" not in str(before["data"]) and "Ops" in str(after["data"])


# -- idempotency keys -----------------------------------------------------------------------


async def test_a_mutation_with_a_key_is_refused_and_calls_nothing(cast: Cast) -> None:
    async with open_gateway(cast, settings=on_redis(cast, closed_url(), enabled=False)) as gw:
        keyed = await gw.execute(CREATE_ROLE, {"name": "Ops", "key": "k-1"})
        keyed_writes = [str(c) for c in gw.log.calls if c.method != "GET"]
        plain = await gw.execute(CREATE_ROLE, {"name": "Ops"})
        writes = [str(c) for c in gw.log.calls if c.method != "GET"]
    [error] = keyed["errors"]
    assert keyed["data"] is None and error["path"] == ["createTempoRole"]
    assert error["extensions"] == {"code": "IDEMPOTENCY_UNAVAILABLE", "retryAfter": 5}
    assert "(Redis) cannot be reached" in error["message"]
    assert "without idempotencyKey" in error["message"] and "retry" in error["message"]
    assert keyed_writes == []
    assert plain["data"]["createTempoRole"]["result"]["name"] == "Ops"
    assert writes == ["tempo POST /roles"]


async def test_a_write_whose_record_could_not_be_stored_is_not_run_twice(
    cast: Cast, proxy: RedisProxy, redis_url: str
) -> None:
    import redis.asyncio as redis

    tempo = FaultTransport(cast)

    async def cut_redis(request: httpx.Request, _n: int) -> None:
        proxy.switch("refuse")  # Redis goes away while the write is on its way
        return None

    tempo.on("/roles", cut_redis)
    settings = on_redis(cast, proxy.url, enabled=False, redis_backoff=0)
    async with open_gateway(cast, settings=settings, transports={"tempo": tempo}) as gw:
        first = await gw.execute(CREATE_ROLE, {"name": "Ops", "key": "k-9"})
        again = await gw.execute(CREATE_ROLE, {"name": "Ops", "key": "k-9"})  # Redis still cut
        proxy.switch("pass")
        await gw.execute(CREATE_ROLE, {"name": "Other", "key": "k-10"})  # saves k-9's record
    client = redis.from_url(redis_url)
    kept = await client.get("teamgraph:idempotency:anonymous:-:k-9")
    await client.aclose()
    made = first["data"]["createTempoRole"]
    assert made["replayed"] is False and made["result"]["name"] == "Ops"  # the write stands
    assert again["data"]["createTempoRole"] == {**made, "replayed": True}
    assert tempo.rules[0].seen == 2  # Ops once, Other once
    assert kept is not None and b'"state":"done"' in kept


# -- APQ ------------------------------------------------------------------------------------


async def test_apq_asks_for_the_text_and_runs_it_while_redis_is_down(cast: Cast) -> None:
    async with open_gateway(cast, settings=on_redis(cast, closed_url(), enabled=False)) as gw:
        hashed, _ = await send(gw, {"extensions": apq(ROLES)})
        full, calls = await send(gw, {"query": ROLES, "extensions": apq(ROLES)})
        by_id, _ = await send(gw, {"documentId": "sha256:" + apq(ROLES)["persistedQuery"][
            "sha256Hash"]})  # fmt: skip
    assert hashed.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert full.json()["data"]["tempo"]["roles"] and calls == 1
    assert by_id.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


# -- /healthz, recovery and the log ---------------------------------------------------------


async def test_redis_down_then_started_then_restarted(
    cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="teamgraph.redis")
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    settings = on_redis(cast, url, redis_timeout=0.2, redis_backoff=0.2)
    async with open_gateway(cast, settings=settings) as gw:
        await calls_for(gw, USERS)
        await calls_for(gw, USERS)
        down, store = await store_status(gw)
        strict, _ = await store_status(gw, strict=True)
        body = (await gw.http.get("/healthz")).json()
        with redis_server(port):
            await until_up(gw)
            up_strict, up_store = await store_status(gw, strict=True)
            _, filled = await calls_for(gw, USERS)
            _, hits = await calls_for(gw, USERS)  # the cache is used again
        # Stopped: pooled connections are dead now. Started again: they are replaced.
        answer, while_down = await calls_for(gw, USERS)
        with redis_server(port):
            await until_up(gw)
            _, refilled = await calls_for(gw, USERS)
            _, hits_again = await calls_for(gw, USERS)
    assert down == 200 and strict == 503 and body["status"] == "degraded"
    assert store["status"] == "down" and store["reason"] == "cannot connect"
    assert str(port) not in str(body)  # /healthz is public: no address
    assert up_strict == 200 and up_store == {"backend": "redis", "status": "up"}
    assert filled >= 5 and hits == 0
    assert "errors" not in answer and while_down == filled
    assert refilled == filled and hits_again == 0
    lines = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "teamgraph.redis"]
    assert [level for level, _ in lines] == ["WARNING", "INFO", "WARNING", "INFO"]
    assert f"redis at redis://127.0.0.1:{port}/0 failed" in lines[0][1]
    assert "is back after" in lines[1][1]


async def test_healthz_without_redis_reports_the_memory_store(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        response = await gw.http.get("/healthz", params={"strict": "1"})
    assert response.status_code == 200
    assert response.json()["cache"] == {"backend": "memory", "status": "up"}


# -- the command line ------------------------------------------------------------------------


def test_check_names_redis_and_fails_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (port, gateway_port), url = free_ports(2), closed_url()
    path = tmp_path / "c.toml"
    emulate = ["emulate", "--port", str(port), "--write-config", str(path)]
    with running(*emulate, url=f"http://127.0.0.1:{port}/hack24/teams"):
        extra = {"cache": {"enabled": True, "backend": "redis", "redis_url": url},
                 "server": {"port": gateway_port}}  # fmt: skip
        path.write_text(path.read_text() + "\n" + tomli_w.dumps(extra))
        assert main(["check", "--config", str(path)]) == 1
        checked = capsys.readouterr()
        serve = ["serve", "--config", str(path)]
        with running(*serve, url=f"http://127.0.0.1:{gateway_port}/healthz"):
            assert main(["health", "--config", str(path)]) == 0  # degraded is still alive
        health = capsys.readouterr().out
    assert f"redis       FAIL cannot connect to {url} (" in checked.out
    assert "the cache, idempotency keys and APQ will not work" in checked.out
    assert checked.out.count("reachable, credentials accepted") == 5  # reads still work
    assert "Traceback" not in checked.out + checked.err
    assert "/healthz: 200\ndegraded: the cache store (redis) is down since" in health


def test_the_redis_keys_are_checked_when_the_config_is_read() -> None:
    with pytest.raises(ConfigError) as bad:
        parse_settings(
            {"cache": {"backend": "redis", "redis_url": "redis://:s3cret@h:63x9/0",
                       "redis_timout": 1, "redis_backoff": -1}}
        )  # fmt: skip
    message = str(bad.value)
    assert "cache.redis_url: Value error, the port is not a number" in message
    assert "cache.redis_timout: unknown key; did you mean 'redis_timeout'?" in message
    assert "cache.redis_backoff: Input should be greater than or equal to 0" in message
    assert "s3cret" not in message
