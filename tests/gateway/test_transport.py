"""The network transports (gateway/http1.py, the default, and gateway/transport.py, the
aiohttp fallback) over real sockets: what base.py relies on their errors to mean, what they
send, and that cancelled requests give their connections back.

Every test runs over both (`server.upstream_transport`) and opens the clients the way
production does (`open_backends` with no `transport_for`), pointed at a small raw HTTP/1.1
server whose misbehaviour it controls.
"""

from __future__ import annotations

import asyncio
import gzip
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field

import httpx
import pytest
import trustme

from gateway.backends import LIMITS, TRANSPORTS, open_backends
from gateway.emulators.cast import Cast
from gateway.http1 import HIGH_WATER, Http1Transport
from gateway.http1_messages import answer
from resolvers.backends import Backends
from resolvers.backends.errors import UpstreamBadResponse, UpstreamUnavailable
from resolvers.backends.scope import RequestScope, request_scope
from resolvers.backends.teampulse import TeamPulseClient
from tests.harness import configured

# (request head, request body, connection's request number) -> raw response; None closes
# the connection without answering, HANG answers nothing until the client hangs up
Answer = Callable[[bytes, bytes, int], Awaitable[bytes | None]]
HANG = b""
# In an answer: the server waits a moment here, so what follows arrives in another read.
PAUSE = b"<pause>"


@pytest.fixture(params=sorted(TRANSPORTS))
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def ok(body: bytes = b"[]", *, headers: bytes = b"") -> bytes:
    return (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + headers
        + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )  # fmt: skip


@dataclass
class Upstream:
    answer: Answer
    connections: int = 0
    open_now: int = 0
    peak: int = 0  # most connections open at once
    heads: list[bytes] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.open_now += 1
        self.peak = max(self.peak, self.open_now)
        n = 0
        try:
            with suppress(asyncio.IncompleteReadError, ConnectionError):
                while True:
                    head = await reader.readuntil(b"\r\n\r\n")
                    length = 0
                    for line in head.split(b"\r\n"):
                        name, _, value = line.partition(b":")
                        if name.strip().lower() == b"content-length":
                            length = int(value)
                    body = await reader.readexactly(length)
                    self.heads.append(head)
                    self.bodies.append(body)
                    reply = await self.answer(head, body, n)
                    n += 1
                    if reply is None:
                        return
                    if reply == HANG:
                        while await reader.read(1024):
                            pass
                        return
                    for i, part in enumerate(reply.split(PAUSE)):
                        if i:
                            await asyncio.sleep(0.05)
                        writer.write(part)
                        await writer.drain()
                    if b"connection: close" in reply.lower():
                        return
        finally:
            self.open_now -= 1
            writer.close()


@asynccontextmanager
async def teampulse_at(
    cast: Cast, kind: str, answer: Answer
) -> AsyncIterator[tuple[Upstream, Backends]]:
    upstream = Upstream(answer)
    server = await asyncio.start_server(upstream.handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    settings = configured(
        cast,
        server={"upstream_transport": kind},
        teampulse={"url": f"http://127.0.0.1:{port}/api", "retries": 0},
    )
    async with server, open_backends(settings) as backends:
        yield upstream, backends


def teampulse(backends: Backends) -> TeamPulseClient:
    assert backends.teampulse is not None
    return backends.teampulse


async def test_requests_reuse_one_connection_and_send_each_header_once(
    cast: Cast, kind: str
) -> None:
    async def answer(head: bytes, body: bytes, n: int) -> bytes:
        return ok()

    async with teampulse_at(cast, kind, answer) as (upstream, backends):
        for _ in range(3):
            assert await teampulse(backends).list_users() == []
    assert upstream.connections == 1  # kept alive
    lines = [line.lower() for line in upstream.heads[0].split(b"\r\n")[1:] if line]
    names = [line.partition(b":")[0] for line in lines]
    assert sorted(names) == sorted(set(names))  # no header twice
    assert b"host: 127.0.0.1:" in b"\n".join(lines)
    assert any(line.startswith(b"user-agent: teamgraph/") for line in lines)
    assert any(line.startswith(b"authorization: basic ") for line in lines)
    assert upstream.heads[0].startswith(b"GET /api/users")


async def test_a_stale_keep_alive_connection_is_retried_on_a_fresh_one(
    cast: Cast, kind: str
) -> None:
    async def answer(head: bytes, body: bytes, n: int) -> bytes | None:
        return ok() if n == 0 else None  # keep-alive ends as the next request arrives

    async with teampulse_at(cast, kind, answer) as (upstream, backends):
        for _ in range(3):
            assert await teampulse(backends).list_users() == []
    assert upstream.connections >= 3  # each reuse met a closed connection and got a new one


async def test_a_refused_connection_is_unavailable(cast: Cast, kind: str) -> None:
    async def answer(head: bytes, body: bytes, n: int) -> bytes:
        return ok()

    async with teampulse_at(cast, kind, answer) as (_, backends):
        client = teampulse(backends)
        client.requests.base = "http://127.0.0.1:9/api"  # nothing listens on the discard port
        with pytest.raises(UpstreamUnavailable, match="ConnectError"):
            await client.list_users()


async def test_a_body_cut_short_and_a_bad_encoding_are_bad_responses(cast: Cast, kind: str) -> None:
    async def answer(head: bytes, body: bytes, n: int) -> bytes:
        if b"/users" in head:  # promises 100 bytes, sends 2, hangs up
            return b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n[]"
        return ok(b"not gzip at all", headers=b"Content-Encoding: gzip\r\n")

    async with teampulse_at(cast, kind, answer) as (_, backends):
        client = teampulse(backends)
        with pytest.raises(UpstreamUnavailable, match="RemoteProtocolError"):
            await client.list_users()
        with pytest.raises(UpstreamBadResponse, match="Content-Encoding"):
            await client.list_projects()


async def test_gzip_is_decoded_and_the_size_cap_holds_without_a_length(
    cast: Cast, kind: str
) -> None:
    big = b"[" + b",".join(b'"%d"' % i for i in range(5000)) + b"]"

    async def answer(head: bytes, body: bytes, n: int) -> bytes:
        if b"/users" in head:
            return ok(gzip.compress(b"[]"), headers=b"Content-Encoding: gzip\r\n")
        chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(big), big)
        return b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked

    async with teampulse_at(cast, kind, answer) as (_, backends):
        client = teampulse(backends)
        client.policy.max_response_bytes = 1000
        assert await client.list_users() == []
        with pytest.raises(UpstreamBadResponse, match="more than 1000 bytes"):
            await client.list_projects()


async def test_a_write_sends_its_body(cast: Cast, kind: str) -> None:
    async def answer(head: bytes, body: bytes, n: int) -> bytes:
        return ok(b"{}")

    async with teampulse_at(cast, kind, answer) as (upstream, backends):
        await teampulse(backends).send("POST", "/timeentries", json={"a": 1}, expect=(200,))
    assert upstream.bodies == [b'{"a":1}']
    assert b"content-type: application/json" in upstream.heads[0].lower()


async def test_cancelled_requests_give_their_connections_back(cast: Cast, kind: str) -> None:
    async def answer(head: bytes, body: bytes, n: int) -> bytes:
        return HANG if b"/projects" in head else ok()

    async with teampulse_at(cast, kind, answer) as (upstream, backends):
        client = teampulse(backends)
        for _ in range(3):
            hung = [asyncio.ensure_future(client.list_projects()) for _ in range(64)]
            while len(upstream.heads) < 64:  # noqa: ASYNC110 - all 64 are at the upstream
                await asyncio.sleep(0.01)
            for task in hung:
                task.cancel()
            await asyncio.gather(*hung, return_exceptions=True)
            upstream.heads.clear()
        for _ in range(100):
            if upstream.open_now == 0:
                break
            await asyncio.sleep(0.02)
        assert upstream.open_now == 0  # every cancelled exchange's connection was closed
        # The pool is not wedged: a burst as wide as the bursts cancelled still goes out.
        results = await asyncio.wait_for(
            asyncio.gather(*(client.list_users() for _ in range(64))), timeout=10
        )
    assert results == [[]] * 64


async def test_header_values_reach_the_upstream_as_sent(cast: Cast, kind: str) -> None:
    """ASCII headers are passed on as they are; one that is not ASCII goes through httpx's
    own decoding (UTF-8 here) and reaches the upstream as the same bytes."""

    async def answer(head: bytes, body: bytes, n: int) -> bytes:
        return ok()

    upstream = Upstream(answer)
    server = await asyncio.start_server(upstream.handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    transport = TRANSPORTS[kind](LIMITS)
    try:
        async with server:
            for value in (b"plain", "J\u00f6rg".encode()):
                request = httpx.Request(
                    "GET", f"http://127.0.0.1:{port}/x", headers=[(b"X-Name", value)]
                )
                response = await transport.handle_async_request(request)
                await response.aread()
                await response.aclose()
    finally:
        await transport.aclose()
    lines = [line.partition(b": ") for head in upstream.heads for line in head.split(b"\r\n")]
    sent = [value for name, _, value in lines if name.lower() == b"x-name"]
    assert sent == [b"plain", b"J\xc3\xb6rg"]


@asynccontextmanager
async def served(
    kind: str, answer: Answer, limits: httpx.Limits = LIMITS
) -> AsyncIterator[tuple[Upstream, httpx.AsyncBaseTransport, str]]:
    """An upstream answering with `answer`, a bare transport of `kind`, and the upstream's URL."""
    upstream = Upstream(answer)
    server = await asyncio.start_server(upstream.handle, "127.0.0.1", 0)
    transport = TRANSPORTS[kind](limits)
    try:
        async with server:
            yield upstream, transport, f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    finally:
        await transport.aclose()


@asynccontextmanager
async def transport_at(
    kind: str, answer: Answer, limits: httpx.Limits = LIMITS
) -> AsyncIterator[tuple[Upstream, Callable[..., Awaitable[httpx.Response]]]]:
    """A bare transport of `kind` and a function sending one request through it, read."""
    async with served(kind, answer, limits) as (upstream, transport, base):

        async def send(method: str = "GET", path: str = "/x", **kwargs: object) -> httpx.Response:
            request = httpx.Request(method, base + path, **kwargs)  # type: ignore[arg-type]
            response = await asyncio.wait_for(transport.handle_async_request(request), 10)
            try:
                await asyncio.wait_for(response.aread(), 10)  # a hang fails the test
            finally:
                await response.aclose()
            return response

        yield upstream, send


async def test_an_answer_without_a_length_ends_with_its_connection(kind: str) -> None:
    async def answer(head: bytes, body: bytes, n: int) -> bytes:
        return b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n[1," + PAUSE + b" 2]"  # closed: done

    async with transport_at(kind, answer) as (upstream, send):
        assert (await send()).content == b"[1, 2]"
        assert (await send()).content == b"[1, 2]"
    assert upstream.connections == 2  # a closed connection is not reused


async def test_informational_answers_are_skipped_and_head_has_no_body(kind: str) -> None:
    async def answer(head: bytes, body: bytes, n: int) -> bytes:
        if head.startswith(b"HEAD"):
            return b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"  # the length GET has
        return b"HTTP/1.1 100 Continue\r\n\r\n" + PAUSE + ok(b"[3]")

    async with transport_at(kind, answer) as (upstream, send):
        assert (await send()).content == b"[3]"
        assert (await send()).content == b"[3]"
        head = await send("HEAD")
        assert (head.status_code, head.content) == (200, b"")
        assert (await send()).content == b"[3]"
    assert len(upstream.heads) == 4


async def test_a_header_past_the_size_limit_is_not_http(cast: Cast, kind: str) -> None:
    async def answer(head: bytes, body: bytes, n: int) -> bytes:
        return ok(headers=b"X-Big: " + b"a" * 70_000 + b"\r\n")

    async with teampulse_at(cast, kind, answer) as (_, backends):
        with pytest.raises(UpstreamUnavailable, match="RemoteProtocolError"):
            await teampulse(backends).list_users()


async def test_a_big_body_read_slowly_arrives_whole(kind: str) -> None:
    big = bytes(range(256)) * (5 * 4096)  # 5 MiB: reading pauses and resumes on the way

    async def answer(head: bytes, body: bytes, n: int) -> bytes:
        return ok(big)

    async with served(kind, answer) as (_, transport, base):
        response = await transport.handle_async_request(httpx.Request("GET", base + "/x"))
        chunks = []

        async def read_slowly() -> None:
            async for chunk in response.aiter_raw():
                chunks.append(chunk)
                await asyncio.sleep(0.001)

        await asyncio.wait_for(read_slowly(), 20)  # reading stopped for good: fails
        await response.aclose()
    assert b"".join(chunks) == big


async def test_idle_connections_expire_and_the_pool_bounds_connections(kind: str) -> None:
    async def answer(head: bytes, body: bytes, n: int) -> bytes:
        await asyncio.sleep(0.02)
        return ok()

    limits = httpx.Limits(max_connections=2, max_keepalive_connections=2, keepalive_expiry=0.2)
    async with transport_at(kind, answer, limits) as (upstream, send):
        await asyncio.gather(*(send() for _ in range(6)))
        assert upstream.peak == 2  # six requests at once, two connections
        await send()
        assert upstream.connections == 2  # kept alive
        await asyncio.sleep(0.5)
        await send()
        assert upstream.connections == 3  # idle past keepalive_expiry: a new one


@pytest.mark.parametrize(
    ("header", "refused"),
    [
        ((b"X-Name", b"a\r\nX-Injected: 1"), "line break"),
        ((b"X-Name", b"a\nX-Injected: 1"), "line break"),
        ((b"X-Name", b"a\rb"), "line break"),
        ((b"X-Name", b"a\0b"), "NUL"),
        ((b"X Name", b"a"), "not a token"),
    ],
)
async def test_a_header_that_would_inject_is_refused_unsent(
    header: tuple[bytes, bytes], refused: str
) -> None:
    async def answer(head: bytes, body: bytes, n: int) -> bytes:
        return ok()

    async with transport_at("http1", answer) as (upstream, send):
        with pytest.raises(httpx.LocalProtocolError, match=refused):
            await send(headers=[header])
        assert (await send()).status_code == 200
        # A body may hold anything: only the head is checked.
        assert (await send("POST", content=b"a\r\nb\0")).status_code == 200
    assert len(upstream.heads) == 2


async def test_each_request_sends_its_own_head_though_heads_are_kept(kind: str) -> None:
    # gateway/http1_messages.py keeps the heads it built: the same request again is the same
    # bytes, any other header value, path, method or body is its own.
    async def answer(head: bytes, body: bytes, n: int) -> bytes:
        return ok()

    sent = [("GET", "/x", b"a"), ("GET", "/x", b"a"), ("GET", "/x", b"b"),
            ("GET", "/y", b"a"), ("POST", "/x", b"a"), ("GET", "/x", b"a")]  # fmt: skip
    async with transport_at(kind, answer) as (upstream, send):
        for method, path, value in sent:
            content = b"[1]" if method == "POST" else None
            await send(method, path, headers=[(b"X-Name", value)], content=content)
        if kind == "http1":  # a kept head's checks still hold for a new one (aiohttp: its own)
            with pytest.raises(httpx.LocalProtocolError, match="line break"):
                await send(headers=[(b"X-Name", b"a\r\nX-Injected: 1")])
    seen = []
    for head in upstream.heads:
        line, *fields = head.split(b"\r\n")
        verb, target, _ = line.split(b" ")
        value = next(v for n, _, v in (f.partition(b": ") for f in fields) if n == b"X-Name")
        seen.append((verb.decode(), target.decode(), value))
    assert seen == sent
    assert upstream.bodies == [b"", b"", b"", b"", b"[1]", b""]


async def test_a_callers_credentials_are_sent_and_their_head_is_not_kept(cast: Cast) -> None:
    # Heads are kept between calls (gateway/http1_messages.RequestHeads); one carrying a
    # caller's own token is built for its call only, while the configured one is kept.
    async def answer(head: bytes, body: bytes, n: int) -> bytes:
        return ok()

    async with teampulse_at(cast, "http1", answer) as (upstream, backends):
        client = teampulse(backends)
        transport = client.http._transport
        assert isinstance(transport, Http1Transport)
        for token in ("Bearer caller-one", "Bearer caller-two", "Bearer caller-one"):
            with request_scope(RequestScope(credentials={"teampulse": token})):
                assert await client.list_users() == []
        await client.list_users()  # configured credentials
        kept = b"".join(vars(transport._heads)["_heads"].values())
    sent = [line for head in upstream.heads for line in head.split(b"\r\n")]
    authorizations = [line for line in sent if line.lower().startswith(b"authorization: ")]
    assert authorizations[:3] == [b"Authorization: Bearer caller-one",
                                  b"Authorization: Bearer caller-two",
                                  b"Authorization: Bearer caller-one"]  # fmt: skip
    assert authorizations[3].lower().startswith(b"authorization: basic ")
    assert b"caller-" not in kept and authorizations[3] in kept


def test_answers_are_what_httpx_builds() -> None:
    # gateway/http1_messages.answer makes them without httpx's constructor.
    request = httpx.Request("GET", "http://upstream.example/x")
    parsed = [(b"Content-Type", b"content-type", b"application/json"), (b"ETag", b"etag", b"1")]
    stream = httpx.ByteStream(b"[]")
    got = answer(200, list(parsed), stream, request)
    want = httpx.Response(
        200,
        headers=[(name, value) for name, _, value in parsed],
        stream=stream,
        request=request,
        extensions={"http_version": b"HTTP/1.1"},
    )
    assert sorted(vars(got)) == sorted(vars(want))
    for name, value in vars(want).items():
        assert getattr(got, name) == value, name
    assert got.headers.raw == want.headers.raw and got.headers.encoding == want.headers.encoding
    assert got.request is request and not got.is_closed


async def test_https_upstreams_are_verified() -> None:
    async def answer(head: bytes, body: bytes, n: int) -> bytes:
        return ok()

    ca = trustme.CA()
    served = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(served)
    trusting = ssl.create_default_context()
    ca.configure_trust(trusting)
    upstream = Upstream(answer)
    server = await asyncio.start_server(upstream.handle, "127.0.0.1", 0, ssl=served)
    url = f"https://localhost:{server.sockets[0].getsockname()[1]}/x"
    trusted, default = Http1Transport(LIMITS, ssl_context=trusting), Http1Transport(LIMITS)
    try:
        async with server:
            response = await trusted.handle_async_request(httpx.Request("GET", url))
            await response.aread()
            await response.aclose()
            assert response.content == b"[]"
            with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
                await default.handle_async_request(httpx.Request("GET", url))  # unknown CA
    finally:
        await trusted.aclose()
        await default.aclose()
    assert len(upstream.heads) == 1


async def test_idle_connections_without_an_expiry_are_reused(kind: str) -> None:
    async def answer(head: bytes, body: bytes, n: int) -> bytes:
        return ok()

    limits = httpx.Limits(max_connections=4, keepalive_expiry=None)  # httpx's "never"
    async with transport_at(kind, answer, limits) as (upstream, send):
        for _ in range(3):
            await send()
    assert upstream.connections == 1


async def test_bytes_after_an_answer_end_its_connection(kind: str) -> None:
    async def answer(head: bytes, body: bytes, n: int) -> bytes:
        if b"/two" in head:  # a second answer in the same read
            return ok(b"[1]") + ok(b"[2]")
        if b"/extra" in head:  # a length counted short
            return ok(b"[3]") + b"XYZ"
        return ok()

    async with transport_at(kind, answer) as (upstream, send):
        assert (await send(path="/two")).content == b"[1]"
        assert (await send()).content == b"[]"
        if kind == "http1":
            assert (await send(path="/extra")).content == b"[3]"
        else:  # llhttp reads the extra bytes as the next answer's status line, at once
            with pytest.raises(httpx.RemoteProtocolError, match="Bad status line"):
                await send(path="/extra")
        assert (await send()).content == b"[]"
    assert upstream.connections == 3  # neither connection was used again


async def test_an_endless_header_line_is_refused(kind: str) -> None:
    async def answer(head: bytes, body: bytes, n: int) -> bytes:
        return b"HTTP/1.1 200 OK\r\nX-Endless: " + b"a" * (3 << 20) + PAUSE + HANG

    async with transport_at(kind, answer) as (_, send):
        with pytest.raises(httpx.RemoteProtocolError):
            await send()


async def test_an_answer_closed_unread_is_not_reused(kind: str) -> None:
    # Just over what is buffered before reading pauses: the last read completes the answer
    # and pauses reading at once.
    big = b"[" + b"0," * (HIGH_WATER // 2) + b"0]"

    async def answer(head: bytes, body: bytes, n: int) -> bytes:
        return ok(big)

    async with served(kind, answer) as (upstream, transport, base):
        response = await transport.handle_async_request(httpx.Request("GET", base + "/x"))
        await asyncio.sleep(0.3)  # all of it arrives; none is read (refused on its length)
        await response.aclose()
        request = httpx.Request("GET", base + "/x")
        again = await asyncio.wait_for(transport.handle_async_request(request), 10)
        assert await asyncio.wait_for(again.aread(), 10) == big
        await again.aclose()
    assert upstream.connections == 2


async def test_a_transfer_coding_other_than_chunked_is_read_to_the_close() -> None:
    packed = gzip.compress(b"[4]")

    async def answer(head: bytes, body: bytes, n: int) -> bytes:
        return b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nConnection: close\r\n\r\n" + packed

    async with transport_at("http1", answer) as (_, send):
        assert (await send()).content == packed  # the transfer coding is the caller's to undo
