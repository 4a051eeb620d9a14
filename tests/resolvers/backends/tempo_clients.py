"""Helpers shared by the Tempo client tests: clients over the emulator or a canned answer."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
import orjson

from gateway.emulators import MOUNTS
from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from resolvers.backends.tempo import TempoClient, UserRef
from tests.conftest import emulator_http, mounted_emulator
from tests.recording import CallLog

BASE_URL = "http://emulator" + MOUNTS["tempo"]
DOCS = "https://api.tempo.io/core/3"
DOCS_USER = "https://my-cloud-instance.atlassian.net/rest/api/2/user?accountId="
JOHN = {
    "self": DOCS_USER + "1111aaaa2222bbbb3333cccc",
    "accountId": "1111aaaa2222bbbb3333cccc",
    "displayName": "John Brown",
}
JOHN_REF = UserRef(account_id="1111aaaa2222bbbb3333cccc", display_name="John Brown")


def client_for(
    cast: Cast, *, log: CallLog | None = None, faults: Faults | None = None, token: str | None
) -> TempoClient:
    app = mounted_emulator("tempo", cast, faults=faults)
    headers = {"Authorization": f"Bearer {token}"} if token else None
    http = emulator_http(app, service="tempo", base_url=BASE_URL, log=log, headers=headers)
    return TempoClient(http)


@asynccontextmanager
async def open_client(cast: Cast, log: CallLog | None = None) -> AsyncIterator[TempoClient]:
    """A client of a fresh emulator (the demo cast's state), with the demo token."""
    client = client_for(cast, log=log, token=cast.credentials.tempo_token)
    try:
        yield client
    finally:
        await client.http.aclose()


def calls(log: CallLog) -> list[str]:
    return [str(c) for c in log.of("tempo")]


def mock_client(handler: Callable[[httpx.Request], httpx.Response]) -> TempoClient:
    transport = httpx.MockTransport(handler)
    return TempoClient(httpx.AsyncClient(transport=transport, base_url=BASE_URL))


def answering(body: object, status: int = 200) -> TempoClient:
    """A client whose upstream answers every request with this JSON body."""
    content = orjson.dumps(body)
    headers = {"content-type": "application/json"}
    return mock_client(lambda request: httpx.Response(status, content=content, headers=headers))


def ref(cast: Cast, handle: str) -> UserRef:
    tempo = cast.person(handle).tempo
    assert tempo is not None
    return UserRef(account_id=tempo.account_id, display_name=tempo.display_name)


def collection(*results: object) -> dict[str, object]:
    return {"self": f"{DOCS}/x", "metadata": {"count": len(results)}, "results": list(results)}
