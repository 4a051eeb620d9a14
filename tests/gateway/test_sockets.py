"""What only real sockets show: a client that hangs up cancels its request, and a pooled
connection the upstream already closed is retried on a fresh one."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

import httpx
import uvicorn

from gateway.app import create_app
from gateway.emulators.cast import Cast
from resolvers.backends.resilience import ClientPolicy
from resolvers.backends.teampulse import TeamPulseClient
from tests.faults import FaultTransport, hang
from tests.harness import configured
from tests.servers import free_port


@asynccontextmanager
async def serving(app: object, port: int) -> AsyncIterator[str]:
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", lifespan="on")  # type: ignore[arg-type]
    server = uvicorn.Server(config)
    task = asyncio.ensure_future(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


class Watched(FaultTransport):
    """Hangs on `/events` and notes when that hang is cancelled."""

    cancelled: asyncio.Event

    def __post_init__(self) -> None:
        super().__post_init__()
        self.cancelled = asyncio.Event()
        waiting = hang()

        async def answer(request: httpx.Request, n: int) -> httpx.Response | None:
            try:
                return await waiting(request, n)
            except asyncio.CancelledError:
                self.cancelled.set()
                raise

        self.on("/events", answer)


async def test_a_client_that_disconnects_cancels_its_request(cast: Cast) -> None:
    watched = Watched(cast)
    settings = configured(cast, oncall={"timeout": 60})
    port = free_port()
    others = FaultTransport(cast)
    app = create_app(settings, transport_for=lambda s: watched if s == "oncall" else others)
    async with serving(app, port) as url:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        body = b'{"query": "{ teams { name oncallNow { role } } }"}'
        writer.write(
            b"POST /graphql HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
        )
        await writer.drain()
        await asyncio.sleep(0.3)  # the operation is now waiting on the hung upstream
        writer.close()  # the client gives up
        await asyncio.wait_for(watched.cancelled.wait(), timeout=5)
        async with httpx.AsyncClient(base_url=url, timeout=5) as http:
            after = await http.post("/graphql", json={"query": "{ teams { name } }"})
    assert after.status_code == 200 and after.json()["data"]["teams"]


async def stale_after_first_response(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    """An upstream whose keep-alive ended just as the next request arrived: it answers the
    first request on a connection, then closes the connection on the next one unanswered."""
    answered = 0
    while True:
        head = await reader.readuntil(b"\r\n\r\n")
        if not head:
            break
        if answered:
            writer.close()
            return
        body = b"[]"
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: keep-alive\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
        )
        await writer.drain()
        answered += 1


async def test_a_stale_keep_alive_connection_is_retried_on_a_fresh_one() -> None:
    connections = 0

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        try:
            with suppress(asyncio.IncompleteReadError, ConnectionError):
                await stale_after_first_response(reader, writer)
        finally:
            writer.close()

    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with (
        server,
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}/api", timeout=5) as http,
    ):
        # No jittered retries: only the at-once retry of a stale connection may save it.
        client = TeamPulseClient(http, policy=ClientPolicy(retries=0))
        assert await client.list_users() == []
        assert await client.list_users() == []  # the pooled connection is dead: retried
        assert await client.list_users() == []
    assert connections == 3  # one per request after the first: each reuse met a closed one
