"""A fault-injecting transport: the emulators, except where a rule answers instead.

A rule sees the request and how many times its rule has fired, and returns a response, raises
(a transport error, say), or returns None to let the emulator answer. Each rule counts the
calls it saw, so tests can assert how often an upstream was really asked.
"""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx
import orjson

from gateway.emulators import create_emulator_app
from gateway.emulators.cast import Cast

Answer = Callable[[httpx.Request, int], Awaitable[httpx.Response | None]]


@dataclass
class Rule:
    path: str  # matched as a suffix of the request path
    answer: Answer
    seen: int = 0


@dataclass
class FaultTransport(httpx.AsyncBaseTransport):
    cast: Cast
    rules: list[Rule] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.inner = httpx.ASGITransport(app=create_emulator_app(self.cast))

    def on(self, path: str, answer: Answer) -> Rule:
        rule = Rule(path, answer)
        self.rules.append(rule)
        return rule

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        for rule in self.rules:
            if request.url.path.endswith(rule.path):
                rule.seen += 1
                found = await rule.answer(request, rule.seen)
                if found is not None:
                    return found
                break
        return await self.inner.handle_async_request(request)


def always(response: Callable[[httpx.Request], httpx.Response]) -> Answer:
    async def answer(request: httpx.Request, _n: int) -> httpx.Response:
        return response(request)

    return answer


def first(times: int, error: Exception | Callable[[httpx.Request], httpx.Response]) -> Answer:
    """The first `times` calls fail (raise `error`, or answer with it); then the emulator."""

    async def answer(request: httpx.Request, n: int) -> httpx.Response | None:
        if n > times:
            return None
        if isinstance(error, Exception):
            raise error
        return error(request)

    return answer


def hang() -> Answer:
    async def answer(request: httpx.Request, _n: int) -> httpx.Response:
        await asyncio.sleep(3600)
        raise AssertionError("unreachable")

    return answer


def echo_authorization(status: int = 500) -> Answer:
    """An upstream that puts the request's Authorization header into its error body."""

    async def answer(request: httpx.Request, _n: int) -> httpx.Response:
        said = request.headers.get("authorization", "none")
        return httpx.Response(status, json={"error": f"rejected Authorization: {said}"})

    return answer


def not_gzip() -> Answer:
    async def answer(request: httpx.Request, _n: int) -> httpx.Response:
        return httpx.Response(
            200, content=b"{not gzip at all", headers={"content-encoding": "gzip"}
        )

    return answer


def gzip_bomb(size: int) -> Answer:
    async def answer(request: httpx.Request, _n: int) -> httpx.Response:
        body = gzip.compress(b"[" + b"0," * (size // 2) + b"0]")
        return httpx.Response(200, content=body, headers={"content-encoding": "gzip"})

    return answer


def hack24_newcomer(cast: Cast, name: str) -> FaultTransport:
    """Hack24, where `name` joins after the first `GET /users` (a change the gateway did not
    make, so nothing but time or `Cache-Control: no-cache` makes it show)."""
    fault = FaultTransport(cast)

    async def users(request: httpx.Request, n: int) -> httpx.Response | None:
        if n == 1:
            return None
        answer = await fault.inner.handle_async_request(request)
        body = orjson.loads(await answer.aread())
        body["data"].append({"type": "users", "id": "zed-newcomer", "attributes": {"name": name}})
        kind = {"content-type": answer.headers["content-type"]}
        return httpx.Response(200, json=body, headers=kind)

    fault.on("/users", users)
    return fault
