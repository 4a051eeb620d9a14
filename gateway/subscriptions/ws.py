"""graphql-transport-ws on the `/graphql` WebSocket: the protocol of the `graphql-ws` library
(Apollo Client, urql, GraphiQL), framing what :mod:`gateway.subscriptions.streams` produces.

The client offers the ``graphql-transport-ws`` subprotocol, sends ``connection_init`` (its
payload may carry the same credentials HTTP takes: ``Authorization``, ``X-API-Key``, a
service's caller-credentials header; flat, or under ``headers``), gets ``connection_ack``,
then ``subscribe``s with an id and gets ``next`` events until ``complete`` (or one ``error``
when the request is refused before it starts). ``ping`` gets ``pong``. Only subscriptions are
served: a query or mutation gets an ``error`` saying to POST it.

Closes, as the protocol says: 4400 a message the protocol does not have (or malformed),
4401 ``subscribe`` before the ack, 4403 credentials refused, 4406 without the subprotocol,
4408 no ``connection_init`` in time, 4409 an id already running, 4429 a second
``connection_init``; 1009 a message larger than ``limits.max_body_bytes``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from typing import Any

import orjson
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect

from gateway.auth import CallerAuth, Unauthenticated
from gateway.results import error_body
from gateway.settings import SubscriptionsSettings
from gateway.subscriptions.streams import Subscriptions
from gateway.subscriptions.subscriber import Rejected, Stream
from resolvers.backends.errors import Service

log = logging.getLogger("teamgraph.subscriptions")

PROTOCOL = "graphql-transport-ws"


class GraphQLWebSocket:
    """The ASGI app of the `/graphql` WebSocket route."""

    def __init__(
        self,
        *,
        subscriptions: Subscriptions,
        caller_auth: CallerAuth,
        settings: SubscriptionsSettings,
        max_message_bytes: int,
    ) -> None:
        self.subscriptions = subscriptions
        self.caller_auth = caller_auth
        self.settings = settings
        self.max_message_bytes = max_message_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        websocket = WebSocket(scope, receive, send)
        if PROTOCOL not in scope.get("subprotocols", ()):
            await websocket.accept()
            await websocket.close(4406, f"Subprotocol not acceptable: offer {PROTOCOL}")
            return
        await websocket.accept(subprotocol=PROTOCOL)
        await _Connection(self, websocket).run()


class _Connection:
    def __init__(self, server: GraphQLWebSocket, websocket: WebSocket) -> None:
        self.server = server
        self.websocket = websocket
        self.initialised = False
        self.acknowledged = False
        self.credentials: dict[Service, str] = {}
        self.operations: dict[str, asyncio.Task[None]] = {}
        self.closed = False
        self.lock = asyncio.Lock()

    async def run(self) -> None:
        timer = asyncio.ensure_future(self._expect_init())
        try:
            while not self.closed:
                message = await self.websocket.receive()
                if message["type"] == "websocket.disconnect":
                    break
                raw = message.get("text")
                if raw is None:
                    raw = message.get("bytes") or b""
                await self._handle(raw)
        except WebSocketDisconnect:
            pass
        finally:
            self.closed = True
            timer.cancel()
            running = list(self.operations.values())
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)

    async def _expect_init(self) -> None:
        await asyncio.sleep(self.server.settings.connection_init_timeout)
        if not self.acknowledged:
            await self._close(4408, "Connection initialisation timeout")

    # -- messages ---------------------------------------------------------------------------

    async def _handle(self, raw: str | bytes) -> None:
        if len(raw) > self.server.max_message_bytes:
            await self._close(1009, "Message too big (limits.max_body_bytes)")
            return
        try:
            message = orjson.loads(raw)
        except orjson.JSONDecodeError:
            await self._close(4400, "Invalid message received: not JSON")
            return
        kind = message.get("type") if isinstance(message, dict) else None
        if kind == "connection_init":
            await self._init(message.get("payload"))
        elif kind == "ping":
            await self._send({"type": "pong"})
        elif kind == "pong":
            pass
        elif kind == "subscribe":
            await self._subscribe(message.get("id"), message.get("payload"))
        elif kind == "complete":
            await self._complete(message.get("id"))
        else:
            await self._close(4400, f"Invalid message received: unknown type {str(kind)[:40]!r}")

    async def _init(self, payload: object) -> None:
        if self.initialised:
            await self._close(4429, "Too many initialisation requests")
            return
        self.initialised = True
        if payload is not None and not isinstance(payload, dict):
            await self._close(4400, "Invalid message received: payload must be an object")
            return
        headers = _headers(self.websocket, payload or {})
        try:
            await self.server.caller_auth.authenticate(headers)
        except Unauthenticated as exc:
            # A close reason is at most 123 bytes: the rest of the advice is in the README.
            await self._close(4403, f"Forbidden: {exc}"[:120])
            return
        self.credentials = self.server.subscriptions.caller_credentials(headers)
        self.acknowledged = True
        await self._send({"type": "connection_ack"})

    async def _subscribe(self, id: object, payload: object) -> None:
        if not self.acknowledged:
            await self._close(4401, "Unauthorized")
            return
        request = _operation(payload)
        if not isinstance(id, str) or not id or request is None:
            await self._close(
                4400, "Invalid message received: subscribe needs an id and a payload with a query"
            )
            return
        if id in self.operations:
            await self._close(4409, f"Subscriber for {id[:80]} already exists")
            return
        limit = self.server.settings.max_per_connection
        if len(self.operations) >= limit:
            body = error_body(
                f"this connection already has {limit} subscriptions "
                "(subscriptions.max_per_connection); complete one first, or open another "
                "connection",
                "TOO_MANY_SUBSCRIPTIONS",
            )
            await self._send({"id": id, "type": "error", "payload": body["errors"]})
            return
        self.operations[id] = asyncio.ensure_future(self._run_operation(id, *request))

    async def _complete(self, id: object) -> None:
        if not isinstance(id, str):
            await self._close(4400, "Invalid message received: complete needs an id")
            return
        task = self.operations.pop(id, None)
        if task is not None:
            task.cancel()

    async def _run_operation(
        self,
        id: str,
        query: str,
        variables: Mapping[str, Any] | None,
        operation_name: str | None,
    ) -> None:
        subscriptions = self.server.subscriptions
        stream: Stream | None = None
        try:
            try:
                checked = subscriptions.check(query, variables, operation_name)
                stream = await subscriptions.open(checked, credentials=self.credentials)
            except Rejected as exc:
                await self._send({"id": id, "type": "error", "payload": exc.errors})
                return
            async for body in stream:
                await self._send({"id": id, "type": "next", "payload": body})
            await self._send({"id": id, "type": "complete"})
        except (WebSocketDisconnect, OSError):
            pass  # the client went away: run() cancels the rest
        finally:
            if stream is not None:
                stream.close()
            if self.operations.get(id) is asyncio.current_task():
                del self.operations[id]

    # -- sending --------------------------------------------------------------------------------

    async def _send(self, message: dict[str, Any]) -> None:
        async with self.lock:
            if not self.closed:
                await self.websocket.send_text(orjson.dumps(message).decode())

    async def _close(self, code: int, reason: str) -> None:
        async with self.lock:
            if self.closed:
                return
            self.closed = True
            with contextlib.suppress(WebSocketDisconnect, OSError, RuntimeError):
                await self.websocket.close(code, reason)


def _headers(websocket: WebSocket, payload: Mapping[str, Any]) -> dict[str, str]:
    """The upgrade request's headers, with the connection_init payload's string entries (flat
    or under `headers`) on top: browsers cannot set headers on a WebSocket."""
    found = {k.lower(): v for k, v in websocket.headers.items()}
    nested = payload.get("headers")
    for source in (payload, nested if isinstance(nested, dict) else {}):
        for key, value in source.items():
            if isinstance(key, str) and isinstance(value, str):
                found[key.lower()] = value
    return found


def _operation(
    payload: object,
) -> tuple[str, Mapping[str, Any] | None, str | None] | None:
    """(query, variables, operationName) from a subscribe payload; None when malformed."""
    if not isinstance(payload, dict):
        return None
    query, variables, name = (
        payload.get("query"),
        payload.get("variables"),
        payload.get("operationName"),
    )
    if not isinstance(query, str) or not query.strip():
        return None
    if variables is not None and not isinstance(variables, dict):
        return None
    if name is not None and not isinstance(name, str):
        return None
    return query, variables, name
