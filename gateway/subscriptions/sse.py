"""Subscriptions over Server-Sent Events: the GraphQL over SSE protocol's "distinct
connections mode", on the same `/graphql` as queries.

A subscription sent with ``Accept: text/event-stream`` (POST with a JSON body, or GET with
the query string, which a browser's ``EventSource`` can do) is answered ``200
text/event-stream``: one ``event: next`` per change, each ``data`` a response body, and
``event: complete`` when the stream ends; the client ends it by closing the connection. As
the protocol asks, errors found before it starts (parse, validation, variables) come as a
``next`` event too; only what HTTP itself refuses (credentials, a malformed body, the
gateway full) is a JSON error with its status. A comment line every
``subscriptions.keepalive`` seconds keeps proxies from closing a quiet stream.

A subscription sent without ``Accept: text/event-stream`` gets a 400 saying how to subscribe.
Queries and mutations are answered as JSON whatever the ``Accept``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from typing import Any

import orjson
from graphql import OperationType
from starlette.types import Receive, Scope, Send

from gateway.http_input import EVENT_STREAM, GraphQLRequest, HttpError
from gateway.subscriptions.streams import Subscriptions
from gateway.subscriptions.subscriber import Rejected, Stream


def wants_event_stream(headers: Mapping[str, str]) -> bool:
    return EVENT_STREAM in headers.get("accept", "").lower()


class EventStreams:
    """The SSE side of `/graphql`; the HTTP endpoint hands it every request first."""

    def __init__(self, subscriptions: Subscriptions, *, keepalive: float) -> None:
        self.subscriptions = subscriptions
        self.keepalive = keepalive

    async def handle(
        self,
        request: GraphQLRequest,
        headers: Mapping[str, str],
        scope: Scope,
        receive: Receive,
        send: Send,
    ) -> bool:
        """Serve `request` if it is a subscription (or asks for a stream); False to leave it
        to the JSON path. Raises HttpError for what HTTP refuses."""
        subscriptions = self.subscriptions
        prepared = subscriptions.operations.prepare(request.query, request.operation_name)
        is_subscription = prepared.operation == OperationType.SUBSCRIPTION
        if not wants_event_stream(headers):
            if is_subscription and not prepared.errors:
                raise HttpError(
                    400,
                    "a subscription needs a stream: open a WebSocket to /graphql with the "
                    "graphql-transport-ws subprotocol, or send it with Accept: "
                    "text/event-stream for Server-Sent Events",
                    "STREAM_REQUIRED",
                )
            return False
        if not is_subscription and not prepared.errors:
            return False  # a query or mutation: answered as JSON
        try:
            checked = subscriptions.check(request.query, request.variables, request.operation_name)
            stream = await subscriptions.open(
                checked, credentials=subscriptions.caller_credentials(headers)
            )
        except Rejected as exc:
            if exc.status != 400:
                retry = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
                first = exc.errors[0]
                raise HttpError(
                    exc.status, first["message"], first["extensions"]["code"], headers=retry
                ) from None
            await _respond(send)
            await _event(send, "next", {"errors": exc.errors})
            await _event(send, "complete", None, last=True)
            return True
        await self._stream(stream, receive, send)
        return True

    async def _stream(self, stream: Stream, receive: Receive, send: Send) -> None:
        gone = asyncio.ensure_future(_disconnected(receive))
        following: asyncio.Future[dict[str, Any]] | None = None
        try:
            await _respond(send)
            while True:
                if following is None:
                    following = asyncio.ensure_future(anext(stream))
                waiting: set[asyncio.Future[Any]] = {following, gone}
                done, _ = await asyncio.wait(
                    waiting, timeout=self.keepalive, return_when=asyncio.FIRST_COMPLETED
                )
                if gone in done:
                    return
                if following not in done:
                    await send({"type": "http.response.body", "body": b":\n\n", "more_body": True})
                    continue
                try:
                    body = following.result()
                except StopAsyncIteration:
                    await _event(send, "complete", None, last=True)
                    return
                following = None
                await _event(send, "next", body)
        finally:
            for task in (following, gone):
                if task is not None:
                    task.cancel()
            stream.close()


async def _respond(send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"text/event-stream; charset=utf-8"),
                (b"cache-control", b"no-cache"),
                # nginx buffers proxied answers unless told not to.
                (b"x-accel-buffering", b"no"),
            ],
        }
    )


async def _event(send: Send, name: str, data: object, *, last: bool = False) -> None:
    payload = b"" if data is None else orjson.dumps(data)
    chunk = b"event: " + name.encode() + b"\ndata: " + payload + b"\n\n"
    await send({"type": "http.response.body", "body": chunk, "more_body": not last})


async def _disconnected(receive: Receive) -> None:
    with contextlib.suppress(Exception):
        while (await receive())["type"] != "http.disconnect":
            pass
