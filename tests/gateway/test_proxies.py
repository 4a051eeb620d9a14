"""Upstream calls through a forward proxy (gateway/proxies.py): HTTPS_PROXY and the like, as
curl and httpx read them, over both transports, against Debian's tinyproxy on a real socket
(which .ci/run installs; skipped without it locally, a failure in CI, where it must run).
https:// calls go through a CONNECT tunnel with TLS end to end; http:// calls are sent to
the proxy whole; NO_PROXY hosts are called directly; a proxy that refuses or cannot be
reached, or one the gateway cannot speak to, is an error that says so."""

from __future__ import annotations

import asyncio
import base64
import logging
import os
import ssl
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
import trustme

from gateway.addresses import Addresses
from gateway.app import create_app
from gateway.backends import LIMITS, TRANSPORTS
from gateway.cli import main
from gateway.emulators.cast import Cast
from gateway.http1 import Http1Transport
from gateway.proxies import Proxies
from gateway.settings import ConfigError
from tests.gateway.test_cli import running
from tests.gateway.test_transport import Upstream, ok
from tests.harness import configured
from tests.schema.test_team_overview import TEAM_OVERVIEW
from tests.servers import TINYPROXY, Tinyproxy, free_port, free_ports, tinyproxy

USER, PASSWORD = "gateway", "s3cret-pass"  # tinyproxy takes letters, digits, "-", "." and "_"


@pytest.fixture(autouse=True)
def no_proxy_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # The machine's own proxy settings must not reach these tests (nor its other tests).
    for name in list(os.environ):
        if name.lower().endswith("_proxy"):
            monkeypatch.delenv(name)


@pytest.fixture
def proxy(tmp_path: Path) -> Iterator[Tinyproxy]:
    if not Path(TINYPROXY).exists():
        why = f"{TINYPROXY} is missing: apt-get install tinyproxy (as .ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    with tinyproxy(tmp_path, user=USER, password=PASSWORD) as running_proxy:
        yield running_proxy


@pytest.fixture(params=sorted(TRANSPORTS))
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def proxy_url(proxy: Tinyproxy, password: str = PASSWORD) -> str:
    return f"http://{USER}:{password}@127.0.0.1:{proxy.port}"


class TlsUpstream:
    """An https:// upstream named localhost (certificate from a throwaway CA) and a client
    context trusting that CA."""

    def __init__(self) -> None:
        ca = trustme.CA()
        self.served = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("localhost").configure_cert(self.served)
        self.trusting = ssl.create_default_context()
        ca.configure_trust(self.trusting)


@asynccontextmanager
async def upstream_at(*, tls: TlsUpstream | None = None) -> AsyncIterator[tuple[Upstream, str]]:
    async def answer(head: bytes, body: bytes, n: int) -> bytes:
        return ok(b'{"n": %d}' % n)

    upstream = Upstream(answer)
    async with listening(upstream, tls) as port:
        yield upstream, f"{'https' if tls else 'http'}://localhost:{port}"


@asynccontextmanager
async def listening(upstream: Upstream, tls: TlsUpstream | None = None) -> AsyncIterator[int]:
    """`upstream` on a free port; on the way out its connections' handlers are let finish
    (Python 3.11's server does not wait for them, and one cut off leaves a socket unclosed)."""
    server = await asyncio.start_server(
        upstream.handle, "127.0.0.1", 0, ssl=tls.served if tls else None
    )
    async with server:
        yield server.sockets[0].getsockname()[1]
        for _ in range(500):
            if not upstream.open_now:
                break
            await asyncio.sleep(0.01)


async def send(transport: httpx.AsyncBaseTransport, url: str) -> httpx.Response:
    response = await asyncio.wait_for(transport.handle_async_request(httpx.Request("GET", url)), 10)
    await response.aread()
    await response.aclose()
    return response


def through(kind: str, proxies: Proxies, tls: TlsUpstream) -> httpx.AsyncBaseTransport:
    if kind == "http1":
        # localhost resolves for the proxy only: a direct connection would fail the test.
        async def nowhere(host: str, port: int) -> list[tuple[object, ...]]:
            raise OSError(f"the gateway looked up {host}: it should have asked the proxy")

        return Http1Transport(
            LIMITS, ssl_context=tls.trusting, addresses=Addresses(nowhere), proxies=proxies
        )
    return TRANSPORTS[kind](LIMITS, proxies=proxies, ssl_context=tls.trusting)


async def test_https_calls_go_through_a_tunnel_kept_alive(kind: str, proxy: Tinyproxy) -> None:
    tls = TlsUpstream()
    async with upstream_at(tls=tls) as (upstream, base):
        transport = through(kind, Proxies({"https": proxy_url(proxy)}), tls)
        try:
            answers = [await send(transport, f"{base}/x?n={n}") for n in range(3)]
        finally:
            await transport.aclose()
    assert [a.json() for a in answers] == [{"n": 0}, {"n": 1}, {"n": 2}]  # one connection
    port = base.rsplit(":", 1)[1]
    assert proxy.requests() == [f"CONNECT localhost:{port} HTTP/1.1"]  # one tunnel
    assert upstream.connections == 1
    assert [head.split(b"\r\n")[0] for head in upstream.heads] == [
        b"GET /x?n=0 HTTP/1.1", b"GET /x?n=1 HTTP/1.1", b"GET /x?n=2 HTTP/1.1"]  # fmt: skip
    assert not any(b"proxy-authorization" in head.lower() for head in upstream.heads)


async def test_http_calls_are_sent_to_the_proxy_whole(kind: str, proxy: Tinyproxy) -> None:
    async with upstream_at() as (upstream, base):
        base = base.replace("localhost", "127.0.0.1")
        transport = TRANSPORTS[kind](LIMITS, proxies=Proxies({"http": proxy_url(proxy)}))
        try:
            answer = await send(transport, f"{base}/users?a=1&b=%2F")
        finally:
            await transport.aclose()
    assert answer.json() == {"n": 0}
    assert proxy.requests() == [f"GET {base}/users?a=1&b=%2F HTTP/1.1"]
    assert upstream.heads[0].startswith(b"GET /users?a=1&b=%2F HTTP/1.")  # as the proxy sends it


async def test_no_proxy_hosts_are_called_directly(kind: str, proxy: Tinyproxy) -> None:
    proxies = Proxies({"http": proxy_url(proxy), "all": proxy_url(proxy), "no": "127.0.0.1"})
    async with upstream_at() as (upstream, base):
        base = base.replace("localhost", "127.0.0.1")
        transport = TRANSPORTS[kind](LIMITS, proxies=proxies)
        try:
            assert (await send(transport, f"{base}/x")).json() == {"n": 0}
        finally:
            await transport.aclose()
    assert proxy.requests() == [] and len(upstream.heads) == 1
    # Names and domain suffixes, as curl reads NO_PROXY; "*" for every host.
    suffixes = Proxies({"https": "proxy.corp:3128", "no": ".example.com, api.tempo.io"})
    assert suffixes.of("https", "tempo.example.com", 443) is None
    assert suffixes.of("https", "api.tempo.io", 443) is None
    found = suffixes.of("https", "api.teamoclock.com", 443)
    assert found is not None and (found.host, found.port) == ("proxy.corp", 3128)
    assert suffixes.of("http", "api.teamoclock.com", 80) is None  # HTTPS_PROXY: https only
    assert Proxies({"all": "http://p:1", "no": "*"}).of("https", "a.b", 443) is None


@pytest.mark.parametrize("secure", [True, False])
async def test_a_proxy_asking_for_credentials_says_what_to_check(kind: str, secure: bool) -> None:
    # A proxy answering 407 (tinyproxy answers 401 instead: the next test): to CONNECT, and
    # to an http:// request, where the 407 is the proxy's, not the upstream's.
    async def proxy_answer(head: bytes, body: bytes, n: int) -> bytes:
        return (b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                b'Proxy-Authenticate: Basic realm="corp"\r\nContent-Length: 0\r\n\r\n')  # fmt: skip

    proxy = Upstream(proxy_answer)
    target = f"{'https' if secure else 'http'}://upstream.example:8443/x"
    async with listening(proxy) as port:
        url = f"http://{USER}:s3cret%2Fp%40ss@127.0.0.1:{port}"  # "/" and "@" percent-encoded
        proxies = Proxies({"https": url} if secure else {"http": url})
        transport = TRANSPORTS[kind](LIMITS, proxies=proxies)
        try:
            with pytest.raises(httpx.ProxyError) as refused:
                await send(transport, target)
        finally:
            await transport.aclose()
    asked = "CONNECT upstream.example:8443" if secure else f"GET {target}"
    name = "HTTPS_PROXY" if secure else "HTTP_PROXY"
    assert str(refused.value) == (
        f"the proxy http://127.0.0.1:{port} ({name}) answered 407 to {asked}; "
        "check the user and password in its URL"
    )
    line, *fields = proxy.heads[0].decode().split("\r\n")
    assert line == f"{asked} HTTP/1.1"
    credentials = base64.b64encode(f"{USER}:s3cret/p@ss".encode()).decode()  # sent decoded
    assert f"Proxy-Authorization: Basic {credentials}".lower() in [f.lower() for f in fields]


@pytest.mark.parametrize(
    ("reply", "said"),
    [
        (b"SSH-2.0-OpenSSH_9.2\r\n\r\n", "the proxy's answer to CONNECT is not HTTP"),
        (None, "the proxy closed the connection unanswered"),
        (b"HTTP/1.1 200 OK\r\nX-Pad: " + b"x" * 70000, "answer to CONNECT is over 65536 bytes"),
    ],
)
async def test_a_proxy_answering_nonsense_to_connect_is_a_proxy_error(
    reply: bytes | None, said: str
) -> None:
    async def proxy_answer(head: bytes, body: bytes, n: int) -> bytes | None:
        return reply

    proxy = Upstream(proxy_answer)
    async with listening(proxy) as port:
        transport = Http1Transport(LIMITS, proxies=Proxies({"https": f"127.0.0.1:{port}"}))
        try:
            with pytest.raises(httpx.ProxyError, match=said):
                await send(transport, "https://upstream.example/x")
        finally:
            await transport.aclose()


async def test_a_real_proxy_refusing_the_tunnel_says_so(kind: str, proxy: Tinyproxy) -> None:
    tls = TlsUpstream()
    async with upstream_at(tls=tls) as (upstream, base):
        wrong = Proxies({"https": proxy_url(proxy, password="wrong")})
        transport = TRANSPORTS[kind](LIMITS, proxies=wrong, ssl_context=tls.trusting)
        try:
            with pytest.raises(httpx.ProxyError) as refused:
                await send(transport, f"{base}/x")
        finally:
            await transport.aclose()
    assert str(refused.value) == (
        f"the proxy http://127.0.0.1:{proxy.port} (HTTPS_PROXY) answered 401 to CONNECT "
        f"localhost:{base.rsplit(':', 1)[1]}; check the user and password in its URL"
    )
    assert "wrong" not in str(refused.value) and upstream.connections == 0


@pytest.mark.parametrize("scheme", ["https", "http"])
async def test_a_proxy_that_cannot_be_reached_is_named(kind: str, scheme: str) -> None:
    port = free_port()  # nothing listens
    name = f"{scheme.upper()}_PROXY"
    transport = TRANSPORTS[kind](LIMITS, proxies=Proxies({scheme: f"127.0.0.1:{port}"}))
    try:
        with pytest.raises(httpx.ConnectError, match=rf"^the proxy http://127.0.0.1:{port} "
                           rf"\({name}\) cannot be reached: "):  # fmt: skip
            await send(transport, f"{scheme}://localhost:1/x")
    finally:
        await transport.aclose()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("socks5://127.0.0.1:1080", "HTTPS_PROXY is a socks5:// proxy: the gateway speaks to "
         "http:// proxies only"),
        ("https://proxy.corp:3128", "HTTPS_PROXY is a https:// proxy"),
        ("http://proxy.corp:port", "HTTPS_PROXY has a port that is not one"),
        ("http://:3128", "HTTPS_PROXY names no host; set it to http://host:port"),
    ],
)  # fmt: skip
def test_a_proxy_the_gateway_cannot_use_stops_it_at_once(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    value: str,
    message: str,
) -> None:
    with pytest.raises(ConfigError, match=message):
        Proxies({"https": value})
    config = tmp_path / "c.toml"
    config.write_text(f'[backends.hack24]\nurl = "https://127.0.0.1:{free_port()}"\n')
    monkeypatch.setenv("HTTPS_PROXY", value)
    assert main(["check", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.startswith("teamgraph: ")


def test_the_gateway_reaches_every_service_through_the_proxy(
    proxy: Tinyproxy,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # `teamgraph check` and `teamgraph serve` with HTTP_PROXY set: their calls all go
    # through tinyproxy to the emulators on their real socket, and check says so.
    config = tmp_path / "c.toml"
    emulator_port, gateway_port = free_ports(2)
    emulate = ["emulate", "--port", str(emulator_port), "--write-config", str(config)]
    env = {"HTTP_PROXY": proxy_url(proxy)}
    with running(*emulate, url=f"http://127.0.0.1:{emulator_port}/hack24/teams"):
        with monkeypatch.context() as patched:
            patched.setenv("HTTP_PROXY", proxy_url(proxy))
            assert main(["check", "--config", str(config)]) == 0
        shown = f"http://127.0.0.1:{proxy.port} (HTTP_PROXY)"
        lines = capsys.readouterr().out.splitlines()
        assert f"proxies: http:// through {shown}" in lines
        services = [line for line in lines if " ok   reachable" in line]
        assert len(services) == 5
        assert all(line.endswith(f" (through the proxy {shown})") for line in services)
        checked = len(proxy.requests())
        assert checked >= 5
        serve = ["serve", "--config", str(config), "--port", str(gateway_port)]
        with running(*serve, url=f"http://127.0.0.1:{gateway_port}/healthz", env=env):
            answer = httpx.post(
                f"http://127.0.0.1:{gateway_port}/graphql",
                json={
                    "query": TEAM_OVERVIEW,
                    "variables": {"from": "2026-01-01", "to": "2026-12-31"},
                },
                timeout=60,
            ).json()
    assert "errors" not in answer and answer["data"]["teams"]
    assert len(proxy.requests()) > checked
    through_proxy = {line.split("/")[3] for line in proxy.requests()}  # the emulator's path
    assert through_proxy == {"tempo", "oncall", "teamoclock", "teampulse", "hack24"}
    assert all(f"http://127.0.0.1:{emulator_port}/" in line for line in proxy.requests())


def test_the_proxies_in_use_are_logged_at_start_up(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://gateway:pw-secret@proxy.corp:3128")
    monkeypatch.setenv("no_proxy", "localhost,.internal")
    with caplog.at_level(logging.INFO, logger="teamgraph"):
        create_app(configured(cast))
    assert (
        "upstream calls: https:// through http://proxy.corp:3128 (HTTPS_PROXY); "
        "NO_PROXY hosts directly (localhost,.internal)"
    ) in caplog.messages
    assert "pw-secret" not in caplog.text
