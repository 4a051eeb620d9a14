"""Builds one client per configured service, over one pooled httpx.AsyncClient each.

This is the only place clients are constructed. The transport is injectable: demo mode and
tests hand in an in-process transport to the emulators; a faster transport (httpx-aiohttp,
say) is a one-line change in `_default_transport`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager

import httpx

from gateway.settings import Settings
from resolvers.backends import Backends
from resolvers.backends.hack24 import Hack24Client
from resolvers.backends.oncall import OncallClient, OncallHmacAuth
from resolvers.backends.teamoclock import TeamOclockClient
from resolvers.backends.teampulse import TeamPulseClient
from resolvers.backends.tempo import TempoClient

# service name -> the transport to use for it (None: a real network transport)
TransportFor = Callable[[str], httpx.AsyncBaseTransport | None]

LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=30)
USER_AGENT = "teamgraph/0.1"


def _default_transport() -> httpx.AsyncBaseTransport:
    return httpx.AsyncHTTPTransport(limits=LIMITS, retries=0)


def _http(
    url: str,
    timeout: float,
    transport: httpx.AsyncBaseTransport | None,
    *,
    auth: httpx.Auth | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=url,
        timeout=httpx.Timeout(timeout),
        transport=transport or _default_transport(),
        auth=auth,
        headers={"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})},
        follow_redirects=False,
    )


@asynccontextmanager
async def open_backends(
    settings: Settings, *, transport_for: TransportFor | None = None
) -> AsyncIterator[Backends]:
    """Clients for every configured backend, closed (connections and all) on exit."""
    pick = transport_for or (lambda _service: None)
    b = settings.backends
    async with AsyncExitStack() as stack:

        async def opened(http: httpx.AsyncClient) -> httpx.AsyncClient:
            return await stack.enter_async_context(http)

        tempo = oncall = teamoclock = teampulse = hack24 = None
        if b.tempo:
            tempo = TempoClient(await opened(_http(
                str(b.tempo.url), b.tempo.timeout, pick("tempo"),
                headers={"Authorization": f"Bearer {b.tempo.token}"},
            )))  # fmt: skip
        if b.oncall:
            auth = (
                OncallHmacAuth(b.oncall.app_name, b.oncall.app_key)
                if b.oncall.app_name and b.oncall.app_key
                else None
            )
            oncall = OncallClient(
                await opened(_http(str(b.oncall.url), b.oncall.timeout, pick("oncall"), auth=auth))
            )
        if b.teamoclock:
            teamoclock = TeamOclockClient(await opened(_http(
                str(b.teamoclock.url), b.teamoclock.timeout, pick("teamoclock"),
                auth=httpx.BasicAuth(b.teamoclock.org, b.teamoclock.key),
            )))  # fmt: skip
        if b.teampulse:
            teampulse = TeamPulseClient(await opened(_http(
                str(b.teampulse.url), b.teampulse.timeout, pick("teampulse"),
                auth=httpx.BasicAuth(b.teampulse.username, b.teampulse.password),
            )))  # fmt: skip
        if b.hack24:
            headers = {"Authorization": f"Bearer {b.hack24.token}"} if b.hack24.token else None
            hack24 = Hack24Client(await opened(_http(
                str(b.hack24.url), b.hack24.timeout, pick("hack24"), headers=headers,
            )))  # fmt: skip
        yield Backends(
            tempo=tempo, oncall=oncall, teamoclock=teamoclock, teampulse=teampulse, hack24=hack24
        )
