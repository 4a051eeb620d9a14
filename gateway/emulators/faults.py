"""Fault switches shared by every emulator: added latency and "this service is down"."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send


@dataclass(frozen=True, slots=True)
class Faults:
    latency_ms: float = 0.0  # added before every response
    down: bool = False  # answer 503 to everything


# Renders a status and a message as the emulated API's own error response.
ErrorRenderer = Callable[[int, str], Response]


class FaultMiddleware:
    """Applies :class:`Faults` in front of an emulator, in that API's own error format."""

    def __init__(self, app: ASGIApp, *, faults: Faults, render_error: ErrorRenderer) -> None:
        self.app = app
        self.faults = faults
        self.render_error = render_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.faults.latency_ms:
            await asyncio.sleep(self.faults.latency_ms / 1000)
        if self.faults.down:
            response = self.render_error(503, "Service Unavailable (emulated outage)")
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
