"""Every client translates transport failures the same way, naming its service.

One parametrised module instead of a copy per client: the translation lives once, in
`resolvers/backends/base.py`, so it is tested once per client through a real list call.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx
import pytest

from resolvers.backends.base import BaseClient
from resolvers.backends.errors import (
    DeadlinePassed,
    UpstreamBadResponse,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from resolvers.backends.hack24 import Hack24Client
from resolvers.backends.oncall import OncallClient
from resolvers.backends.scope import RequestScope, request_scope
from resolvers.backends.teamoclock import TeamOclockClient
from resolvers.backends.teampulse import TeamPulseClient
from resolvers.backends.tempo import TempoClient

Handler = Callable[[httpx.Request], httpx.Response]

# client class, base URL, a list call that needs a good JSON answer
CLIENTS: list[tuple[type[BaseClient], str, Callable[[BaseClient], Awaitable[object]]]] = [
    (TempoClient, "http://t/core/3", lambda c: c.list_teams()),  # type: ignore[attr-defined]
    (OncallClient, "http://o/api/v0", lambda c: c.list_users()),  # type: ignore[attr-defined]
    (TeamOclockClient, "http://c/api/v2", lambda c: c.list_members()),  # type: ignore[attr-defined]
    (TeamPulseClient, "http://p/api", lambda c: c.list_users()),  # type: ignore[attr-defined]
    (Hack24Client, "http://h", lambda c: c.list_users()),  # type: ignore[attr-defined]
]
IDS = [cls.service for cls, _, _ in CLIENTS]


def mocked(cls: type[BaseClient], base_url: str, handler: Handler) -> BaseClient:
    return cls(httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url=base_url))


def timeout(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("slow", request=request)


def refused(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("[Errno 111] Connection refused", request=request)


def html(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200, content=b"<html>Sign in</html>", headers={"content-type": "text/html"}
    )


def empty(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200)


@pytest.mark.parametrize(("cls", "base_url", "call"), CLIENTS, ids=IDS)
@pytest.mark.parametrize(
    ("handler", "error", "says"),
    [
        (timeout, UpstreamTimeout, "timed out after"),
        (refused, UpstreamUnavailable, "Connection refused; check that the service is running"),
        (html, UpstreamBadResponse, "with a body that is not JSON (text/html)"),
        (empty, UpstreamBadResponse, "answered 200 with an empty body"),
    ],
    ids=["timeout", "refused", "html", "empty"],
)
async def test_transport_failures_become_errors_naming_the_service(
    cls: type[BaseClient],
    base_url: str,
    call: Callable[[BaseClient], Awaitable[object]],
    handler: Handler,
    error: type[Exception],
    says: str,
) -> None:
    client = mocked(cls, base_url, handler)
    with pytest.raises(error) as caught:
        await call(client)
    assert caught.value.service == cls.service  # type: ignore[attr-defined]
    assert str(caught.value).startswith(f"{cls.service}: GET ")
    assert says in str(caught.value)


@pytest.mark.parametrize(("cls", "base_url", "call"), CLIENTS, ids=IDS)
async def test_a_call_after_the_deadline_is_not_sent_and_blames_no_service(
    cls: type[BaseClient], base_url: str, call: Callable[[BaseClient], Awaitable[object]]
) -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=[])

    client = mocked(cls, base_url, answer)
    scope = RequestScope(deadline=asyncio.get_running_loop().time() - 1)
    with request_scope(scope), pytest.raises(DeadlinePassed) as caught:
        await call(client)
    assert sent == []
    assert caught.value.code == "GATEWAY_TIMEOUT"
    assert "not sent: the operation's time (limits.request_timeout) ran out" in str(caught.value)
    assert cls.service not in scope.failed  # later requests and this one's others may use it
