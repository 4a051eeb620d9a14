"""Upstream host names resolved once every few seconds, not once per new connection.

Connecting by name asks the system resolver on every new connection (a thread-pool round
trip, and a DNS query where nothing caches it): a burst that opens dozens of connections to
one service asked dozens of times. :class:`Addresses` keeps each name's addresses for
:attr:`Addresses.ttl` seconds (aiohttp's client keeps them 10 s), and forgets them at once
when none of them could be reached, so a service that moved is looked up again on the next
connection rather than after the TTL. IP literals are never looked up.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx

# (host, port) -> what `loop.getaddrinfo(host, port, type=SOCK_STREAM)` answers.
Lookup = Callable[[str, int], Awaitable[list[tuple[Any, ...]]]]
P = TypeVar("P", bound=asyncio.Protocol)


class Addresses:
    """The addresses to connect to for a host, in the resolver's order, kept `ttl` seconds."""

    ttl = 10.0

    def __init__(
        self, lookup: Lookup | None = None, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._lookup = lookup
        self._clock = clock
        self._known: dict[tuple[str, int], tuple[float, list[str]]] = {}

    async def of(self, host: str, port: int) -> list[str]:
        """Raises OSError (socket.gaierror) when the name does not resolve."""
        if _is_ip(host):
            return [host]
        key = (host, port)
        now = self._clock()
        found = self._known.get(key)
        if found is not None and found[0] > now:
            return found[1]
        infos = await (self._lookup or _system_lookup)(host, port)
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))  # order kept
        if not addresses:
            raise socket.gaierror(f"{host} resolved to no address")
        self._known[key] = (now + self.ttl, addresses)
        return addresses

    def forget(self, host: str, port: int) -> None:
        """None of the host's addresses answered: look it up again next time."""
        self._known.pop((host, port), None)

    async def connect(
        self,
        host: str,
        port: int,
        protocol: Callable[[], P],
        *,
        tls: ssl.SSLContext | None = None,
        name: str | None = None,
    ) -> tuple[asyncio.Transport, P]:
        """A connection to the first of the host's addresses that takes it (with TLS for
        `name` when `tls` is given), or httpx.ConnectError: the request never left."""
        try:
            addresses = await self.of(host, port)
        except OSError as exc:  # no such host
            raise httpx.ConnectError(f"{type(exc).__name__}: {exc}") from exc
        loop = asyncio.get_running_loop()
        failed: OSError | None = None
        for address in addresses:  # in the resolver's order, as asyncio tries them
            try:
                transport, made = await loop.create_connection(
                    protocol, address, port, ssl=tls, server_hostname=name if tls else None
                )
            except OSError as exc:  # refused, unreachable, TLS refused
                failed = exc
                continue
            return transport, made
        self.forget(host, port)  # moved, perhaps: look it up again next time
        assert failed is not None
        raise httpx.ConnectError(f"{type(failed).__name__}: {failed}") from failed


async def _system_lookup(host: str, port: int) -> list[tuple[Any, ...]]:
    loop = asyncio.get_running_loop()
    return await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
