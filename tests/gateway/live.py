"""A gateway on a real socket for subscription tests: uvicorn on a free port, the emulators
behind recording transports (and an outage switch per service), a clock the test moves, and a
small graphql-transport-ws client over the `websockets` library."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
import orjson
import uvicorn
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from gateway.app import create_app
from gateway.emulators import MOUNTS, create_emulator_app
from gateway.emulators.cast import Cast
from gateway.settings import Settings, SubscriptionsSettings
from gateway.subscriptions import Subscriptions
from gateway.subscriptions.hub import Poller
from tests.harness import configured
from tests.recording import CallLog, RecordingTransport
from tests.servers import free_port

ON_CALL = """subscription ($team: ID!) {
  onCallNow(team: $team) { oncallNow { id role user { name } } started { id } ended { id } }
}"""


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


class Outage(httpx.AsyncBaseTransport):
    """Answers 503 while `down`, as an upstream in trouble would."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.down = False
        self.authorizations: list[str | None] = []  # as each request carried it

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.authorizations.append(request.headers.get("authorization"))
        if self.down:
            return httpx.Response(503, json={"error": "emulated outage"})
        return await self.inner.handle_async_request(request)


@dataclass
class Live:
    url: str
    log: CallLog
    clock: Clock
    subscriptions: Subscriptions
    outages: dict[str, Outage] = field(default_factory=dict)

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/graphql"

    def pollers(self) -> list[Poller]:
        return list(self.subscriptions.hub.pollers.values())

    def calls(self, service: str, path: str) -> int:
        return sum(1 for c in self.log.of(service) if c.path == path)

    async def post(self, query: str, **variables: Any) -> dict[str, Any]:
        async with httpx.AsyncClient(base_url=self.url, timeout=10) as http:
            response = await http.post("/graphql", json={"query": query, "variables": variables})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def ws(self, **kwargs: Any) -> Any:
        return connect(self.ws_url, subprotocols=["graphql-transport-ws"], **kwargs)  # type: ignore[list-item]


def live_settings(cast: Cast, *, poll_interval: float = 0.05, **subscriptions: Any) -> Settings:
    """Demo settings with tiny poll intervals, and oncall failing fast (no retries, a circuit
    that never opens) so outages show at once and recoveries too."""
    settings = configured(cast, oncall={"retries": 0, "circuit_failures": 1000})
    table = SubscriptionsSettings(poll_interval=poll_interval, **subscriptions)
    return settings.model_copy(update={"subscriptions": table})


@asynccontextmanager
async def serve_live(cast: Cast, settings: Settings | None = None) -> AsyncIterator[Live]:
    settings = settings or live_settings(cast)
    emulators = create_emulator_app(cast)
    log = CallLog()
    clock = Clock(cast.now)
    outages: dict[str, Outage] = {}

    def transport_for(service: str) -> httpx.AsyncBaseTransport:
        outage = outages[service] = Outage(httpx.ASGITransport(app=emulators))
        return RecordingTransport(outage, service=service, prefix=MOUNTS.get(service, ""), log=log)

    app = create_app(settings, transport_for=transport_for, clock=clock)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.ensure_future(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
        await asyncio.sleep(0.01)
    try:
        yield Live(f"http://127.0.0.1:{port}", log, clock, app.state.subscriptions, outages)
    finally:
        server.should_exit = True
        await task


async def until(condition: Callable[[], bool]) -> None:
    """Wait for `condition` (polled), failing the test after ten seconds."""
    async with asyncio.timeout(10):
        while not condition():  # noqa: ASYNC110 - the hub has no events to wait on
            await asyncio.sleep(0.01)


class Client:
    """graphql-transport-ws, as the `graphql-ws` library speaks it."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection

    async def send(self, message: Mapping[str, Any]) -> None:
        await self.connection.send(orjson.dumps(message).decode())

    async def receive(self) -> dict[str, Any]:
        async with asyncio.timeout(10):
            raw = await self.connection.recv()
        message: dict[str, Any] = orjson.loads(raw)
        return message

    async def init(self, payload: Mapping[str, Any] | None = None) -> dict[str, Any]:
        await self.send({"type": "connection_init", "payload": dict(payload or {})})
        return await self.receive()

    async def subscribe(self, id: str, query: str, **variables: Any) -> None:
        payload = {"query": query, "variables": variables}
        await self.send({"id": id, "type": "subscribe", "payload": payload})

    async def next(self, id: str) -> dict[str, Any]:
        """The next `next` payload of operation `id` (other messages must not come first)."""
        message = await self.receive()
        assert message["type"] == "next" and message["id"] == id, message
        payload: dict[str, Any] = message["payload"]
        return payload

    async def closed_with(self) -> tuple[int | None, str | None]:
        """Read until the server closes the socket (failing on any message); its close code
        and reason."""
        received = await self.until_closed()
        assert received == [], received
        return self.connection.close_code, self.connection.close_reason

    async def until_closed(self) -> list[dict[str, Any]]:
        """Every message until the server closes the socket."""
        received = []
        async with asyncio.timeout(10):
            with contextlib.suppress(ConnectionClosed):
                while True:
                    received.append(orjson.loads(await self.connection.recv()))
        return received


@asynccontextmanager
async def ws_client(live: Live, **kwargs: Any) -> AsyncIterator[Client]:
    async with live.ws(**kwargs) as connection:
        yield Client(connection)
