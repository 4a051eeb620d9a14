"""OncallClient's auth and failures: HMAC, locked servers, outages, garbage answers."""

from __future__ import annotations

import base64
import hashlib
import hmac

import httpx
import pytest

from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from resolvers.backends.errors import (
    UpstreamBadResponse,
    UpstreamNotFound,
    UpstreamUnauthorized,
    UpstreamUnavailable,
)
from resolvers.backends.oncall import OncallClient, OncallHmacAuth
from tests.conftest import NOW, emulator_http
from tests.resolvers.backends.oncall_support import BASE, WEEK, answering, mock_client, mounted

# -- failures ------------------------------------------------------------------------------


async def test_unsigned_calls_to_a_locked_server_are_unauthorized(cast: Cast) -> None:
    app = mounted(cast, require_auth=True)
    async with emulator_http(app, service="oncall", base_url=BASE) as http:
        with pytest.raises(UpstreamUnauthorized) as caught:
            await OncallClient(http).list_team_names()
    assert caught.value.service == "oncall" and caught.value.status == 401
    assert "Unauthorized: User must be logged in" in caught.value.message


async def test_hmac_auth_opens_a_locked_server(cast: Cast) -> None:
    creds = cast.credentials
    auth = OncallHmacAuth(creds.oncall_app, creds.oncall_app_key)
    app = mounted(cast, require_auth=True)
    async with emulator_http(app, service="oncall", base_url=BASE, auth=auth) as http:
        oncall = OncallClient(http)
        assert (await oncall.list_team_names())[0] == "platform"
        assert len(await oncall.list_events(team="platform", role="primary")) == 5
        assert await oncall.list_team_users("no such team") == []
        event_id = await oncall.create_event(
            start=NOW, end=NOW + WEEK, user="alice", team="platform", role="manager"
        )
        assert event_id == 41
    wrong = OncallHmacAuth(creds.oncall_app, "not-the-key")
    async with emulator_http(app, service="oncall", base_url=BASE, auth=wrong) as http:
        with pytest.raises(UpstreamUnauthorized, match="Authentication failure: Wrong digest"):
            await OncallClient(http).list_roles()


def test_hmac_digest_matches_the_documented_recipe() -> None:
    auth = OncallHmacAuth("teamgraph", "k", clock=lambda: 1_000_000_004.9)
    request = httpx.Request(
        "POST", "http://h/api/v0/teams/Test%20Team/users?x=a%20b", content=b'{"name":"jdoe"}'
    )
    signed = next(auth.auth_flow(request))
    message = b'200000000 POST /api/v0/teams/Test Team/users?x=a%20b {"name":"jdoe"}'
    digest = base64.urlsafe_b64encode(hmac.new(b"k", message, hashlib.sha512).digest()).decode()
    assert signed.headers["Authorization"] == f"hmac teamgraph:{digest}"


def test_a_signature_is_reused_only_inside_its_window() -> None:
    # Signing is the costly part of building an oncall request: the same message in the same
    # 5-second window reuses its header, and a new window (or another message) signs anew.
    now = [1_000_000_000.0]
    auth = OncallHmacAuth("teamgraph", "k", clock=lambda: now[0])

    def header(path: str) -> str:
        return next(auth.auth_flow(httpx.Request("GET", f"http://h{path}"))).headers[
            "Authorization"
        ]

    def expected(window: int, path: str) -> str:
        message = f"{window} GET {path} ".encode()
        digest = hmac.new(b"k", message, hashlib.sha512).digest()
        return f"hmac teamgraph:{base64.urlsafe_b64encode(digest).decode()}"

    first = header("/api/v0/teams")
    assert first == expected(200_000_000, "/api/v0/teams") == header("/api/v0/teams")
    assert header("/api/v0/roles") == expected(200_000_000, "/api/v0/roles")
    now[0] += 5
    assert header("/api/v0/teams") == expected(200_000_001, "/api/v0/teams") != first
    auth.max_signed = 1  # a full table starts over rather than growing
    assert header("/api/v0/services") == expected(200_000_001, "/api/v0/services")
    assert header("/api/v0/teams") == expected(200_000_001, "/api/v0/teams")


async def test_outage_is_unavailable(cast: Cast) -> None:
    app = mounted(cast, faults=Faults(down=True))
    async with emulator_http(app, service="oncall", base_url=BASE) as http:
        with pytest.raises(UpstreamUnavailable) as caught:
            await OncallClient(http).get_team("platform")
    assert caught.value.service == "oncall" and caught.value.status == 503
    assert "answered 503: Service Unavailable (emulated outage)" in caught.value.message


async def test_garbage_bodies_are_bad_responses() -> None:
    html = mock_client(lambda request: httpx.Response(200, content=b"<html>oops</html>"))
    with pytest.raises(UpstreamBadResponse) as caught:
        await html.list_team_names()
    assert caught.value.service == "oncall"
    with pytest.raises(UpstreamBadResponse, match="does not match"):
        await answering({"teams": "not a list"}).list_team_names()
    with pytest.raises(UpstreamBadResponse):
        await answering([{"id": "x", "start": "soon"}]).list_events()


async def test_error_detail_handles_bare_titles_and_non_json() -> None:
    client = answering({"title": "404 Not Found"}, 404)
    with pytest.raises(UpstreamNotFound, match=r"answered 404: 404 Not Found$"):
        await client.list_roles()
    plain = mock_client(lambda request: httpx.Response(502, content=b"Bad gateway"))
    with pytest.raises(UpstreamUnavailable, match=r"answered 502$"):
        await plain.list_roles()
