"""Subscriptions over Server-Sent Events (the GraphQL over SSE protocol's distinct connections
mode), read with httpx's streaming client from a real socket."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import orjson

from gateway.auth import hash_key
from gateway.emulators.cast import Cast
from gateway.settings import AuthSettings
from tests.gateway.live import (
    ON_CALL,
    Live,
    live_settings,
    serve_live,
    until,
    ws_client,
)
from tests.servers import free_port

STREAM = {"Accept": "text/event-stream"}


async def events(response: httpx.Response) -> AsyncIterator[tuple[str, Any]]:
    """(event, data) as an EventSource reads them; a comment line is ("comment", None)."""
    name, data = "message", []
    async for line in response.aiter_lines():
        if line.startswith(":"):
            yield "comment", None
        elif line.startswith("event:"):
            name = line.removeprefix("event:").strip()
        elif line.startswith("data:"):
            data.append(line.removeprefix("data:").strip())
        elif line == "" and (data or name != "message"):
            text = "\n".join(data)
            yield name, orjson.loads(text) if text else None
            name, data = "message", []


async def next_event(stream: AsyncIterator[tuple[str, Any]]) -> tuple[str, Any]:
    """The next event that is not a keep-alive comment."""
    async with asyncio.timeout(10):
        while True:
            found = await anext(stream)
            if found[0] != "comment":
                return found


def client(live: Live, **headers: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=live.url, timeout=10, headers=headers)


async def test_events_stream_until_the_client_closes(cast: Cast) -> None:
    body = {"query": ON_CALL, "variables": {"team": "platform"}}
    async with serve_live(cast) as live, client(live) as http:
        async with http.stream("POST", "/graphql", json=body, headers=STREAM) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            assert response.headers["cache-control"] == "no-cache"
            stream = events(response)
            name, first = await next_event(stream)
            assert name == "next" and first["data"]["onCallNow"]["oncallNow"]
            live.clock.advance(timedelta(days=7))
            name, second = await next_event(stream)
            assert name == "next"
            ended = second["data"]["onCallNow"]["ended"]
            assert [e["id"] for e in ended] == [
                e["id"] for e in first["data"]["onCallNow"]["oncallNow"]
            ]
            assert len(live.pollers()) == 1
        await until(lambda: not live.pollers())  # the client hung up: its poll stops
        assert live.subscriptions.count == 0


async def test_websocket_and_sse_subscribers_share_one_poll(cast: Cast) -> None:
    body = {"query": ON_CALL, "variables": {"team": "platform"}}
    async with serve_live(cast) as live, client(live) as http, ws_client(live) as ws:
        await ws.init()
        await ws.subscribe("1", ON_CALL, team="platform")
        over_ws = await ws.next("1")
        async with http.stream("POST", "/graphql", json=body, headers=STREAM) as response:
            _, over_sse = await next_event(events(response))
            (poller,) = live.pollers()
            assert len(poller.listeners) == 2
    assert over_sse == over_ws


async def test_a_browser_event_source_can_subscribe_with_get(cast: Cast) -> None:
    query = 'subscription { actionItemsChanged(team: "mobile") { items { id } } }'
    async with serve_live(cast) as live, client(live) as http:
        params = {"query": query}
        async with http.stream("GET", "/graphql", params=params, headers=STREAM) as response:
            assert response.status_code == 200
            name, first = await next_event(events(response))
    assert name == "next" and first["data"]["actionItemsChanged"]["items"]


async def test_errors_before_the_start_are_a_next_event_then_complete(cast: Cast) -> None:
    """As the protocol asks: a 400 would make an EventSource fail without saying why."""
    cases = {
        "subscription { onCallNow(team: 1) { nope } }": "GRAPHQL_VALIDATION_FAILED",
        "subscription { onCallNow(team: ": "GRAPHQL_PARSE_FAILED",
        ON_CALL: "BAD_USER_INPUT",  # $team is missing
    }
    async with serve_live(cast) as live, client(live) as http:
        for query, code in cases.items():
            response = await http.post("/graphql", json={"query": query}, headers=STREAM)
            assert response.status_code == 200
            (name, data), done = [e async for e in events(response)]
            assert name == "next" and "data" not in data
            assert data["errors"][0]["extensions"]["code"] == code
            assert done == ("complete", None)


async def test_a_team_that_cannot_be_subscribed_to_is_one_event_then_complete(cast: Cast) -> None:
    query = 'subscription { actionItemsChanged(team: "nobody-knows") { items { id } } }'
    async with serve_live(cast) as live, client(live) as http:
        response = await http.post("/graphql", json={"query": query}, headers=STREAM)
    (name, data), done = [e async for e in events(response)]
    assert name == "next" and data["data"] == {"actionItemsChanged": None}
    assert data["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert done == ("complete", None)


async def test_a_subscription_without_a_stream_is_told_how_to_subscribe(cast: Cast) -> None:
    query = 'subscription { onCallNow(team: "platform") { team { key } } }'
    async with serve_live(cast) as live, client(live) as http:
        posted = await http.post("/graphql", json={"query": query})
        got = await http.get("/graphql", params={"query": query})
        # Queries are answered as JSON whatever the Accept.
        plain = await http.post("/graphql", json={"query": "{ teams { key } }"}, headers=STREAM)
    for response in (posted, got):
        assert response.status_code == 400
        (error,) = response.json()["errors"]
        assert error["extensions"]["code"] == "STREAM_REQUIRED"
        assert "graphql-transport-ws" in error["message"]
        assert "text/event-stream" in error["message"]
    assert plain.status_code == 200 and plain.json()["data"]["teams"]


async def test_a_quiet_stream_gets_keep_alive_comments(cast: Cast) -> None:
    settings = live_settings(cast, keepalive=0.05)
    body = {"query": ON_CALL, "variables": {"team": "platform"}}
    async with (
        serve_live(cast, settings) as live,
        client(live) as http,
        http.stream("POST", "/graphql", json=body, headers=STREAM) as response,
    ):
        stream = events(response)
        assert (await next_event(stream))[0] == "next"
        async with asyncio.timeout(10):  # nothing changes: a comment is what comes
            assert await anext(stream) == ("comment", None)


async def test_http_refusals_keep_their_status(cast: Cast) -> None:
    settings = live_settings(cast, max_total=1)
    server = settings.server.model_copy(
        update={"auth": AuthSettings(api_key_sha256=[hash_key("k")])}
    )
    settings = settings.model_copy(update={"server": server})
    body = {"query": ON_CALL, "variables": {"team": "platform"}}
    async with serve_live(cast, settings) as live, client(live) as http:
        anonymous = await http.post("/graphql", json=body, headers=STREAM)
        keyed = {**STREAM, "X-API-Key": "k"}
        async with http.stream("POST", "/graphql", json=body, headers=keyed) as response:
            assert response.status_code == 200
            await next_event(events(response))
            full = await http.post("/graphql", json=body, headers=keyed)
    assert anonymous.status_code == 401
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert full.status_code == 503 and int(full.headers["retry-after"]) >= 1
    assert full.json()["errors"][0]["extensions"]["code"] == "TOO_MANY_SUBSCRIPTIONS"


async def test_stopping_the_server_ends_open_streams() -> None:
    """uvicorn waits for open connections before it stops: `teamgraph serve` ends every
    subscription first, telling its client to subscribe again."""
    port = free_port()
    env = {**os.environ, "TEAMGRAPH_LOG_LEVEL": "warning"}
    command = [sys.executable, "-m", "gateway", "serve", "--port", str(port)]
    process = await asyncio.create_subprocess_exec(*command, env=env)
    url = f"http://127.0.0.1:{port}"
    body = {"query": ON_CALL, "variables": {"team": "platform"}}
    try:
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            async with asyncio.timeout(60):
                while not await _answers(http):
                    assert process.returncode is None, "teamgraph serve exited"
                    await asyncio.sleep(0.1)
            async with http.stream("POST", "/graphql", json=body, headers=STREAM) as response:
                stream = events(response)
                assert (await next_event(stream))[0] == "next"
                process.send_signal(signal.SIGTERM)
                name, last = await next_event(stream)
                assert name == "next"
                assert last["errors"][0]["extensions"]["code"] == "SHUTTING_DOWN"
                assert await next_event(stream) == ("complete", None)
        # uvicorn stops, then raises the signal it caught again: the exit is SIGTERM's.
        async with asyncio.timeout(30):
            assert await process.wait() in (0, -signal.SIGTERM)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def _answers(http: httpx.AsyncClient) -> bool:
    try:
        return (await http.get("/healthz")).status_code == 200
    except httpx.TransportError:
        return False
