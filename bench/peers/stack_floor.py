"""The stack floor: Q1 served by the least a Python gateway on Teamgraph's stack can do.

The floor function (floor.py) is pure CPU over bodies already in memory; this is a server:
uvicorn (as ``teamgraph serve`` runs it: uvloop and httptools when installed) answering a
POST with Q1's data, fetched with Teamgraph's own upstream transport (gateway/http1.py,
httpx requests and responses) as the same 33 GETs at the same paths, joined by the floor's
function and serialised with orjson. No GraphQL, no validation, no identity linking, no
error handling, no telemetry: what it costs per query is what HTTP in and out costs in
this runtime, the part no Python gateway can remove. The
table shows it as a row of its own, and Teamgraph's Q1 as a multiple of it.

    python -m bench.peers.stack_floor --port 18600 --upstream http://127.0.0.1:18484
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from importlib.metadata import version
from typing import Any

import httpx
import orjson
import uvicorn

from bench.peers.floor import LINK_FIELD, ONCALL, TEMPO, Q1Bodies, q1_answer
from gateway.backends import LIMITS
from gateway.http1 import Http1Transport

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

# The readiness probe's answer (procs.wait_graphql sends `{ __typename }`).
_TYPENAME = orjson.dumps({"data": {"__typename": "Query"}})


def describe() -> str:
    return f"uvicorn {version('uvicorn')} + Teamgraph's HTTP/1.1 client + orjson, no GraphQL"


class StackFloor:
    """The ASGI app: every POST is Q1 (or the readiness probe), from `upstream`."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.transport = Http1Transport(LIMITS)
        self.urls: dict[str, httpx.URL] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        answer = _TYPENAME if b"__typename" in body else await self.q1()
        headers = [(b"content-type", b"application/json"),
                   (b"content-length", str(len(answer)).encode())]  # fmt: skip
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": answer})

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.transport.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _get(self, path: str) -> bytes:
        url = self.urls.get(path)
        if url is None:  # parsed once per path, as Teamgraph's clients keep their targets
            url = self.urls[path] = httpx.URL(self.upstream + path)
        request = httpx.Request("GET", url)
        response = await self.transport.handle_async_request(request)
        try:
            await response.aread()
        finally:
            await response.aclose()
        return response.raise_for_status().content

    async def q1(self) -> bytes:
        teams = await self._get(f"{TEMPO}/teams")
        listed = orjson.loads(teams)["results"]
        ids = [t["id"] for t in listed]
        links = [t[LINK_FIELD] for t in listed if t.get(LINK_FIELD)]
        bodies = await asyncio.gather(
            *(self._get(f"{TEMPO}/teams/{i}/members") for i in ids),
            *(self._get(f"{ONCALL}/teams/{name}") for name in links),
        )
        members = dict(zip(ids, bodies[: len(ids)], strict=True))
        oncall = dict(zip(links, bodies[len(ids) :], strict=True))
        return orjson.dumps({"data": q1_answer(Q1Bodies(teams, members, oncall))})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--upstream", required=True, help="the snapshot server's base URL")
    args = parser.parse_args()
    uvicorn.run(StackFloor(args.upstream), host="127.0.0.1", port=args.port,
                log_level="warning", access_log=False)  # fmt: skip


if __name__ == "__main__":
    main()
