"""Upstream host names are resolved once every few seconds (gateway/addresses.py), over real
connections to a local upstream; the resolver is a stand-in that names the addresses, so the
test decides what a name resolves to and counts how often it is asked."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

import httpx
import pytest

from gateway.addresses import Addresses
from gateway.http1 import Http1Transport

# Every exchange on a new connection: each one needs the host's addresses.
NO_REUSE = httpx.Limits(max_connections=4, keepalive_expiry=0)


class Resolver:
    def __init__(self, *addresses: str) -> None:
        self.addresses = list(addresses)
        self.asked: list[str] = []

    async def __call__(self, host: str, port: int) -> list[tuple[Any, ...]]:
        self.asked.append(host)
        if not self.addresses:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in self.addresses]


@asynccontextmanager
async def upstream() -> AsyncIterator[int]:
    """An upstream on 127.0.0.1 answering `[]` to everything; yields its port."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            with suppress(asyncio.IncompleteReadError, ConnectionError):
                while await reader.readuntil(b"\r\n\r\n"):
                    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]")
                    await writer.drain()
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    async with server:
        yield server.sockets[0].getsockname()[1]


async def get(transport: Http1Transport, url: str) -> bytes:
    response = await asyncio.wait_for(transport.handle_async_request(httpx.Request("GET", url)), 10)
    try:
        return await response.aread()
    finally:
        await response.aclose()


async def test_a_name_is_looked_up_once_per_ttl() -> None:
    now = [0.0]
    resolver = Resolver("127.0.0.1")
    transport = Http1Transport(NO_REUSE, addresses=Addresses(resolver, clock=lambda: now[0]))
    async with upstream() as port:
        for _ in range(3):
            assert await get(transport, f"http://upstream.test:{port}/x") == b"[]"
        assert resolver.asked == ["upstream.test"]  # three connections, one lookup
        now[0] += Addresses.ttl + 1
        assert await get(transport, f"http://upstream.test:{port}/x") == b"[]"
        assert resolver.asked == ["upstream.test"] * 2
        assert await get(transport, f"http://127.0.0.1:{port}/x") == b"[]"
        assert len(resolver.asked) == 2  # an IP literal is never looked up
    await transport.aclose()


async def test_an_address_that_refuses_is_skipped_and_a_name_none_answer_for_forgotten() -> None:
    # 127.0.0.2 is loopback too, but nothing listens there: connecting is refused at once.
    resolver = Resolver("127.0.0.2", "127.0.0.1")
    transport = Http1Transport(NO_REUSE, addresses=Addresses(resolver))
    async with upstream() as port:
        assert await get(transport, f"http://upstream.test:{port}/x") == b"[]"
        resolver.addresses = ["127.0.0.1"]
        assert await get(transport, f"http://upstream.test:{port}/x") == b"[]"
        assert len(resolver.asked) == 1  # still the kept addresses, refused one first
        moved = Resolver("127.0.0.2")
        elsewhere = Http1Transport(NO_REUSE, addresses=Addresses(moved))
        with pytest.raises(httpx.ConnectError, match="ConnectionRefusedError"):
            await get(elsewhere, f"http://upstream.test:{port}/x")
        moved.addresses = ["127.0.0.1"]  # the service came back at another address
        assert await get(elsewhere, f"http://upstream.test:{port}/x") == b"[]"
        assert len(moved.asked) == 2  # forgotten after none answered, so asked again
    await transport.aclose()
    await elsewhere.aclose()


async def test_a_name_that_does_not_resolve_is_a_connect_error() -> None:
    transport = Http1Transport(NO_REUSE, addresses=Addresses(Resolver()))
    with pytest.raises(httpx.ConnectError, match="gaierror"):
        await get(transport, "http://nowhere.test/x")
    await transport.aclose()
