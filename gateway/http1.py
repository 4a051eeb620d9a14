"""The upstream transport production uses: HTTP/1.1 on asyncio protocols, parsed by httptools.

Clients speak ``httpx`` (requests, responses, streams, error types); this transport carries
their requests itself. An upstream exchange is one keep-alive GET or write whose answer
mostly arrives in one read, and for that aiohttp's client costs about 100 µs of CPU per call
here against 43 µs for the bare socket work (bench/peers, README "Performance"): its
per-request machinery (tracing hooks, cookie and redirect handling, timers, stream readers)
is most of a call. This module does only what an upstream call needs: a pool of keep-alive
connections per origin, the request written in one piece, the answer parsed by httptools
(llhttp, the parser uvicorn uses for the gateway's own requests), and the body handed to
httpx as it arrives, with reading paused while a slow reader has more than
:data:`HIGH_WATER` bytes waiting (``BaseClient`` applies the size cap while reading).

What base.py relies on each error to mean (tests/gateway/test_transport.py runs the same
tests over this transport and ``gateway.transport.AiohttpTransport``, the configurable
fallback): a refused or failed connect is ``ConnectError`` (never left: retried, even a
write); a kept-alive connection the server closed before answering is
``RemoteProtocolError`` (stale: retried at once, reads only); an answer cut short or not
HTTP/1.1 is ``RemoteProtocolError``; a reset mid-answer ``ReadError``. Host names are
resolved once every few seconds (:mod:`gateway.addresses`); a proxy from the environment
is :mod:`gateway.proxies`' (a CONNECT tunnel for https://). A request cancelled
mid-exchange (its timeout, or the client gone) closes its connection, which never goes back
to the pool half-read. Timeouts are base.py's (lag-aware, around the whole exchange:
:class:`resolvers.backends.resilience.UpstreamDeadlines`).
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import AsyncIterator

import httptools
import httpx

from gateway.addresses import Addresses
from gateway.http1_messages import RequestHeads, answer
from gateway.proxies import Proxies, connect_to, forwarded_head, open_tunnel, refused
from resolvers.backends.wire import ArrivedBody

# A status line or header longer than this, or a head larger than _MAX_HEAD, is refused as
# not HTTP: a misbehaving upstream must not make the gateway buffer without bound.
_MAX_FIELD = 65536
_MAX_HEAD = 1 << 20
# A body read faster than the client consumes it pauses reading past this many bytes.
HIGH_WATER = 1 << 20
_DEFAULT_PORTS = {"http": 80, "https": 443}

Origin = tuple[str, str, int]


class _Connection(asyncio.Protocol):
    """One keep-alive connection, one exchange at a time."""

    def __init__(self, pool: _Pool, origin: Origin) -> None:
        self.pool = pool
        self.origin = origin
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.closed = False
        self.reused = False
        self.idle_since = 0.0
        self._exchange_state(None)

    def _exchange_state(self, head: asyncio.Future[None] | None) -> None:
        self.head = head  # resolved when the answer's head has been read (or it failed)
        self.head_only = False
        self.status = 0
        # As httpx.Headers keeps them: (name as sent, lower-case name, value).
        self.headers: list[tuple[bytes, bytes, bytes]] = []
        self.head_size = 0
        self.arrived = 0  # bytes read before the head was complete
        self.chunks: list[bytes] = []
        self.buffered = 0
        self.complete = False
        self.error: Exception | None = None
        self.waiter: asyncio.Future[None] | None = None
        self.paused = False

    # -- the exchange --------------------------------------------------------------------

    def send(self, data: bytes, *, head_only: bool) -> asyncio.Future[None]:
        transport = self.transport
        if transport is None or transport.is_closing():  # closed since it was pooled: stale
            raise httpx.RemoteProtocolError("the connection closed before the request went out")
        head: asyncio.Future[None] = self.pool.loop.create_future()
        self._exchange_state(head)
        self.head_only = head_only
        transport.write(data)
        return head

    async def body(self) -> AsyncIterator[bytes]:
        while True:
            if self.chunks:
                data = self.chunks[0] if len(self.chunks) == 1 else b"".join(self.chunks)
                self.chunks = []
                self.buffered = 0
                if self.paused and self.transport is not None:
                    self.paused = False
                    self.transport.resume_reading()
                yield data
            elif self.complete:
                return
            elif self.error is not None:
                raise self.error
            else:
                self.waiter = self.pool.loop.create_future()
                await self.waiter

    def _wake(self) -> None:
        waiter = self.waiter
        if waiter is not None:
            self.waiter = None
            if not waiter.done():
                waiter.set_result(None)

    def _fail(self, error: Exception) -> None:
        self.closed = True  # whatever came first, a connection that failed is never reused
        if self.complete or self.error is not None:
            return
        self.error = error
        head = self.head
        if head is not None and not head.done():
            head.set_exception(error)
        self._wake()
        self.abort()

    def usable(self) -> bool:
        """Open, as far as anyone can tell yet (the loop reports a close a pass later)."""
        transport = self.transport
        return not self.closed and transport is not None and not transport.is_closing()

    def abort(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.abort()

    # -- asyncio.Protocol ----------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's is not a subclass

    def data_received(self, data: bytes) -> None:
        if self.head is None or self.complete:
            self.abort()  # nothing was asked (a server's parting 408, say): not reusable
            return
        if not self.status:
            # httptools gathers a header line until it ends: count what arrives before the
            # head is done, or one endless line would be buffered without bound.
            if self.arrived > _MAX_HEAD:
                self._fail(httpx.RemoteProtocolError(f"an answer's head over {_MAX_HEAD} bytes"))
                return
            self.arrived += len(data)
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            cause = exc.__context__ if isinstance(exc.__context__, httpx.HTTPError) else exc
            self._fail(httpx.RemoteProtocolError(f"the answer is not HTTP/1.1: {cause}"))

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.pool.forget(self)
        if self.head is None or self.complete:
            return
        if self.status and not self._framed() and exc is None:
            self._message_done(keep_alive=False)  # no length, not chunked: read to the close
            return
        if self.status:
            detail = f"{exc}" if exc else "the connection closed"
            self._fail(httpx.RemoteProtocolError(f"the answer was cut short: {detail}"))
        elif exc is not None and not self.reused:
            self._fail(httpx.ReadError(f"{type(exc).__name__}: {exc}"))
        else:  # a kept-alive connection the server had closed: stale, safe to retry at once
            self._fail(httpx.RemoteProtocolError("the server closed the connection unanswered"))

    def pause_writing(self) -> None:  # requests are small; the transport buffers them
        pass

    def resume_writing(self) -> None:
        pass

    # -- httptools' callbacks --------------------------------------------------------------

    def on_message_begin(self) -> None:
        if self.complete:  # a second answer, or bytes after the first: the framing is off
            raise httpx.RemoteProtocolError("data after the answer")

    def on_header(self, name: bytes, value: bytes) -> None:
        size = len(name) + len(value)
        self.head_size += size
        if size > _MAX_FIELD or self.head_size > _MAX_HEAD:
            raise httpx.RemoteProtocolError(f"a header over {_MAX_FIELD} bytes")
        self.headers.append((name, name.lower(), value))

    def on_headers_complete(self) -> None:
        status = self.parser.get_status_code()
        if 100 <= status < 200:  # informational (100 Continue): the answer follows
            self.headers = []
            return
        self.status = status
        head = self.head
        if head is not None and not head.done():
            head.set_result(None)
        if self.head_only:  # HEAD: no body follows, whatever the length says
            self._message_done(keep_alive=False)

    def on_body(self, body: bytes) -> None:
        self.chunks.append(body)
        self.buffered += len(body)
        if self.buffered > HIGH_WATER and not self.paused and self.transport is not None:
            self.paused = True
            self.transport.pause_reading()
        self._wake()

    def on_message_complete(self) -> None:
        if self.status and not self.complete:
            self._message_done(keep_alive=self.parser.should_keep_alive())

    def _message_done(self, *, keep_alive: bool) -> None:
        self.complete = True
        if not keep_alive:
            self.closed = True
        self._wake()

    def _framed(self) -> bool:
        """Whether the answer says where its body ends (a length, or chunks)."""
        for _, name, value in self.headers:
            if name == b"content-length" or (
                name == b"transfer-encoding" and b"chunked" in value.lower()
            ):
                return True
        return self.head_only or self.status in (204, 304)


class _Pool:
    """Keep-alive connections per origin, at most `max_connections` exchanges at once."""

    def __init__(
        self,
        limits: httpx.Limits,
        ssl_context: ssl.SSLContext,
        addresses: Addresses,
        proxies: Proxies | None,
    ) -> None:
        self.loop = asyncio.get_running_loop()
        self.addresses = addresses
        self.proxies = proxies
        # httpx's None: idle connections never expire (until the server closes them).
        expiry = limits.keepalive_expiry
        self.expiry = float("inf") if expiry is None else expiry
        # Idle connections kept per origin: as many as may be busy at once. One query fans
        # out to dozens of calls to one service; capped lower (httpx's 50), concurrency 16
        # opened and closed a hundred connections per wave, and CPU per query rose 1.2x.
        self.max_idle = limits.max_connections or 1 << 30
        self.slots = asyncio.Semaphore(limits.max_connections or 1 << 30)
        self.ssl = ssl_context
        self.idle: dict[Origin, list[_Connection]] = {}
        self.open: set[_Connection] = set()

    async def acquire(self, origin: Origin) -> _Connection:
        await self.slots.acquire()
        try:
            idle = self.idle.get(origin)
            now = time.monotonic()
            while idle:
                connection = idle.pop()
                if connection.usable() and now - connection.idle_since < self.expiry:
                    connection.reused = True
                    return connection
                connection.abort()
            return await self._connect(origin)
        except BaseException:
            self.slots.release()
            raise

    async def _connect(self, origin: Origin) -> _Connection:
        scheme, host, port = origin
        tls = self.ssl if scheme == "https" else None
        proxy = self.proxies.of(scheme, host, port) if self.proxies is not None else None
        if proxy is None:
            _, connection = await self.addresses.connect(
                host, port, lambda: _Connection(self, origin), tls=tls, name=host
            )  # certificates name the host
        elif tls is None:  # http:// through the proxy: each request names its URL whole
            _, connection = await connect_to(
                self.addresses, proxy, lambda: _Connection(self, origin)
            )
        else:  # https:// through a tunnel: TLS end to end, the upstream's name verified
            connection = _Connection(self, origin)
            tunnel = await open_tunnel(self.addresses, proxy, host, port)
            try:
                secured = await self.loop.start_tls(tunnel, connection, tls, server_hostname=host)
            except OSError as exc:  # ssl.SSLError is one; so is a handshake that timed out
                tunnel.abort()
                raise httpx.ConnectError(f"{type(exc).__name__}: {exc}") from exc
            assert secured is not None
            connection.connection_made(secured)
        self.open.add(connection)
        return connection

    def release(self, connection: _Connection, *, reusable: bool) -> None:
        """The exchange is over: the slot is free; the connection kept if it can be."""
        self.slots.release()
        # Paused: its body was not read to the end of what arrived (refused on its length).
        if not reusable or connection.paused or not connection.usable():
            connection.abort()
            return
        idle = self.idle.setdefault(connection.origin, [])
        now = time.monotonic()
        while idle and now - idle[0].idle_since >= self.expiry:  # the oldest: reuse is LIFO
            idle.pop(0).abort()
        if len(idle) >= self.max_idle:
            connection.abort()
            return
        connection.idle_since = now
        connection.head = None
        idle.append(connection)

    def forget(self, connection: _Connection) -> None:
        self.open.discard(connection)
        idle = self.idle.get(connection.origin)
        if idle and connection in idle:
            idle.remove(connection)

    def close(self) -> None:
        for connection in list(self.open):
            connection.abort()
        self.idle.clear()


class _Body(ArrivedBody):
    """The answer's body as it arrives, or at once when all of it has (`arrived`); closing
    it gives the connection back to the pool when the body was read in full, and closes it
    otherwise."""

    def __init__(self, pool: _Pool, connection: _Connection) -> None:
        self._pool = pool
        self._connection: _Connection | None = connection

    def __aiter__(self) -> AsyncIterator[bytes]:
        assert self._connection is not None, "the body was closed"
        return self._connection.body()

    def arrived(self) -> bytes | None:
        connection = self._connection
        # Paused: more is waiting in the socket (the iteration resumes reading for it).
        if connection is None or not connection.complete or connection.paused:
            return None
        chunks, connection.chunks, connection.buffered = connection.chunks, [], 0
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def release(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            self._pool.release(connection, reusable=connection.complete)


class Http1Transport(httpx.AsyncBaseTransport):
    """One pool per upstream service, opened in the running loop at its first request."""

    def __init__(
        self,
        limits: httpx.Limits,
        *,
        ssl_context: ssl.SSLContext | None = None,
        addresses: Addresses | None = None,
        proxies: Proxies | None = None,
    ) -> None:
        self._limits = limits
        # https upstreams are verified against this (default: the CA bundle httpx trusts).
        self._ssl_context = ssl_context
        # Host names resolved once every few seconds (gateway/addresses.py).
        self._addresses = addresses or Addresses()
        # Forward proxies (gateway/proxies.py); None when none is set: nothing to look up.
        self._proxies = proxies if proxies else None
        self._pool: _Pool | None = None
        self._heads = RequestHeads()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        scheme = url.scheme
        port = url.port or _DEFAULT_PORTS.get(scheme)
        if port is None or not url.host:
            raise httpx.UnsupportedProtocol(f"{scheme}:// is not HTTP: use http:// or https://")
        origin = (scheme, url.raw_host.decode("ascii"), port)
        proxies = self._proxies
        proxy = proxies.of(*origin) if proxies is not None and scheme == "http" else None
        if proxy is None:
            data = self._heads.head(request, request.content)  # clients send bytes, not streams
        else:
            data = forwarded_head(request, proxy)
        pool = self._pool
        if pool is None:
            tls = self._ssl_context or httpx.create_ssl_context()
            pool = self._pool = _Pool(self._limits, tls, self._addresses, self._proxies)
        connection = await pool.acquire(origin)
        try:
            await connection.send(data, head_only=request.method == "HEAD")
        except BaseException:  # failed, or cancelled mid-exchange: never reused half-read
            pool.release(connection, reusable=False)
            raise
        if proxy is not None and connection.status == 407:  # the proxy's answer, not the upstream's
            pool.release(connection, reusable=False)
            raise refused(proxy, 407, f"{request.method} {url}")
        return answer(connection.status, connection.headers, _Body(pool, connection), request)

    async def aclose(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            pool.close()
            await asyncio.sleep(0)  # let closed connections' transports finish closing
