"""Helpers shared by the Tempo emulator tests: an authenticated client and wire-level checks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from starlette.types import ASGIApp

from gateway.emulators import MOUNTS
from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from tests.conftest import mounted_emulator

BASE = "http://emulator" + MOUNTS["tempo"]
JIRA = "https://teamgraph-demo.atlassian.net"
JIRA_USER = f"{JIRA}/rest/api/2/user?accountId="


def mounted(cast: Cast, faults: Faults | None = None) -> ASGIApp:
    return mounted_emulator("tempo", cast, faults=faults)


@asynccontextmanager
async def open_tempo(cast: Cast) -> AsyncIterator[httpx.AsyncClient]:
    """A client of a fresh emulator (the demo cast's state), sending the demo token."""
    headers = {"Authorization": f"Bearer {cast.credentials.tempo_token}"}
    transport = httpx.ASGITransport(app=mounted(cast))
    async with httpx.AsyncClient(transport=transport, base_url=BASE, headers=headers) as client:
        yield client


async def get(http: httpx.AsyncClient, path: str, status: int = 200, /, **params: Any) -> Any:
    response = await http.get(path, params=params)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()


async def send(
    http: httpx.AsyncClient,
    method: str,
    path: str,
    status: int = 200,
    /,
    body: object = None,
    **params: Any,
) -> Any:
    """A write; returns the decoded body, or ``None`` for an empty 204."""
    response = await http.request(method, path, json=body, params=params)
    assert response.status_code == status, response.text
    if status == 204:
        assert response.content == b""
        return None
    return response.json()


def account(cast: Cast, handle: str) -> str:
    tempo = cast.person(handle).tempo
    assert tempo is not None
    return tempo.account_id


def user_ref(cast: Cast, handle: str) -> dict[str, str]:
    tempo = cast.person(handle).tempo
    assert tempo is not None
    return {
        "self": JIRA_USER + tempo.account_id,
        "accountId": tempo.account_id,
        "displayName": tempo.display_name,
    }


def error(*messages: str) -> dict[str, object]:
    return {"errors": [{"message": m} for m in messages]}


async def all_worklogs(http: httpx.AsyncClient, path: str = "/worklogs", **params: Any) -> Any:
    """Every worklog of a list in one page; `path` may carry its own query."""
    url = httpx.URL(path)
    body = await get(http, url.path, **dict(url.params), limit=1000, **params)
    assert "next" not in body["metadata"]
    return body["results"]
