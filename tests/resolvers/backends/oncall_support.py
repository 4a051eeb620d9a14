"""What the oncall client tests share: the emulator mounted as the registry mounts it, clients
over it or over canned answers, and the recorded call list in a readable form."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
from starlette.applications import Starlette
from starlette.routing import Mount

from gateway.emulators import MOUNTS, ROOT_MOUNTS
from gateway.emulators.cast import Cast
from gateway.emulators.oncall import create_app, create_root_app
from resolvers.backends.oncall import OncallClient
from tests.recording import CallLog

BASE = "http://emulator" + MOUNTS["oncall"]
WEEK = timedelta(weeks=1)
MONDAY = datetime(2026, 11, 23, tzinfo=UTC)  # NOW is a Monday; shifts turn over at 00:00


def mounted(cast: Cast, **options: object) -> Starlette:
    """The API at MOUNTS["oncall"] and its root app above it, with emulator ``options``."""
    api = create_app(cast, **options)  # type: ignore[arg-type]
    root = Mount(ROOT_MOUNTS["oncall"], app=create_root_app(api))
    return Starlette(routes=[Mount(MOUNTS["oncall"], app=api), root])


def calls(log: CallLog) -> list[str]:
    return [str(c).removeprefix("oncall ") for c in log.of("oncall")]


def mock_client(handler: Callable[[httpx.Request], httpx.Response]) -> OncallClient:
    return OncallClient(httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url=BASE))


def answering(body: object, status: int = 200) -> OncallClient:
    """A client whose server answers every request with `body` (JSON) and `status`."""
    raw = json.dumps(body).replace("/", "\\/").encode()
    return mock_client(lambda request: httpx.Response(status, content=raw))
