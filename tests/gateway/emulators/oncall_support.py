"""What the oncall emulator tests share: the server mounted as `teamgraph emulate` mounts it
(the API at MOUNTS["oncall"], the root app above it), a pinned HMAC clock and a signer."""

from __future__ import annotations

import base64
import hashlib
import hmac

import httpx
from starlette.applications import Starlette
from starlette.routing import Mount

from gateway.emulators import MOUNTS, ROOT_MOUNTS
from gateway.emulators.cast import Cast
from gateway.emulators.oncall import create_app, create_root_app

ORIGIN = "http://oncall.test"
BASE = ORIGIN + MOUNTS["oncall"]
PREFIX = MOUNTS["oncall"]
WEEK = 7 * 24 * 3600
DAY = 24 * 3600
CLOCK = 1_800_000_000.0  # the wall clock HMAC windows are checked against in these tests


def mounted(cast: Cast, **options: object) -> Starlette:
    api = create_app(cast, clock=lambda: CLOCK, **options)  # type: ignore[arg-type]
    root = Mount(ROOT_MOUNTS["oncall"], app=create_root_app(api))
    return Starlette(routes=[Mount(PREFIX, app=api), root])


def open_client(app: Starlette, base_url: str = BASE) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url)


def sign(
    method: str,
    target: str,
    body: bytes = b"",
    *,
    key: str = "oncall-demo-key",
    app: str = "teamgraph",
    window: int | None = None,
) -> str:
    """The Authorization header for `target` (the full path as received, plus ?query)."""
    window = int(CLOCK) // 5 if window is None else window
    message = f"{window} {method} {target} ".encode() + body
    digest = base64.urlsafe_b64encode(hmac.new(key.encode(), message, hashlib.sha512).digest())
    return f"hmac {app}:{digest.decode()}"


def now_s(cast: Cast) -> int:
    return int(cast.now.timestamp())


async def audit(http: httpx.AsyncClient, **params: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = (await http.get("/audit", params=params)).json()
    return rows
