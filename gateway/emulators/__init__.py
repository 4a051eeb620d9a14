"""The registry of emulators: where each one is mounted, and the one app that serves them all.

Demo mode talks to :func:`create_emulator_app` in-process; ``teamgraph emulate`` serves the
same app on a port. Each emulator module exposes ``create_app(cast, *, faults=None)`` and
speaks only its API's raw JSON: nothing here imports ``schema`` or ``resolvers``.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterable, Mapping

from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults

# Service name -> mount path in the combined app, shaped like each API's real base path.
MOUNTS: dict[str, str] = {
    "tempo": "/tempo/core/3",
    "oncall": "/oncall/api/v0",
    "teamoclock": "/teamoclock/api/v2",
    "teampulse": "/teampulse/api",
    "hack24": "/hack24",
}
# Emulators that also answer at their server's root, above the API base: oncall serves
# /healthcheck, /login and /logout there (its module's create_root_app shares the API's state).
ROOT_MOUNTS: dict[str, str] = {"oncall": "/oncall"}

log = logging.getLogger("teamgraph.emulate")


def create_service_app(service: str, cast: Cast, *, faults: Faults | None = None) -> ASGIApp:
    """One emulator, unmounted (its routes start at the API's base path)."""
    if service not in MOUNTS:
        raise ValueError(f"unknown service {service!r}; choose one of {', '.join(MOUNTS)}")
    module = importlib.import_module(f"gateway.emulators.{service}")
    app: ASGIApp = module.create_app(cast, faults=faults)
    return app


def create_emulator_app(
    cast: Cast,
    *,
    faults: Mapping[str, Faults] | None = None,
    services: Iterable[str] | None = None,
    log_requests: bool = False,
) -> ASGIApp:
    """All emulators (or `services`) in one app, each under its path in :data:`MOUNTS`."""
    faults = faults or {}
    chosen = list(services) if services is not None else list(MOUNTS)
    routes = []
    for name in chosen:
        api = create_service_app(name, cast, faults=faults.get(name))
        routes.append(Mount(MOUNTS[name], app=api))
        if name in ROOT_MOUNTS:  # after the API mount, which must match first
            module = importlib.import_module(f"gateway.emulators.{name}")
            routes.append(Mount(ROOT_MOUNTS[name], app=module.create_root_app(api)))
    app: ASGIApp = Starlette(routes=routes)
    if log_requests:
        app = RequestLogMiddleware(app)
    return app


class RequestLogMiddleware:
    """One log line per request: service, method, path, status."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        mounts = [*MOUNTS.items(), *ROOT_MOUNTS.items()]
        service = next((n for n, m in mounts if path.startswith(m)), "-")
        status = 0

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            query = scope.get("query_string", b"").decode("latin-1")
            log.info(
                "%s %s %s%s %s",
                service,
                scope["method"],
                path,
                f"?{query}" if query else "",
                status or 500,
            )
