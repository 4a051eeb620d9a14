"""GET /healthz: the gateway answers, which services are configured, and the shared store.

It stays 200 while the process serves, whatever Redis does: without Redis the gateway still
answers every read correctly (from the upstreams) and every mutation sent without an
idempotency key, so taking replicas out of a load balancer for it would turn a slower
gateway into none at all, and every replica shares the one Redis, so all of them would go at
once. ``"status": "degraded"`` and ``"cache": {"status": "down", ...}`` say it instead.
``/healthz?strict`` answers 503 while the store is down, for monitors that alert on a status
code (not for readiness probes; README "The cache store (Redis) fails").

The store is pinged at most once per call, and not at all while it is being skipped after a
failure, so an idle gateway notices Redis going away and coming back, and a probe never waits
longer than ``cache.redis_timeout``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.settings import Settings
from resolvers.backends import Backends
from resolvers.backends.redis_link import RedisLink

_NO = ("0", "false", "no")


def build_healthz(
    settings: Settings, backends: Callable[[], Backends], link: RedisLink | None
) -> Callable[[Request], Awaitable[JSONResponse]]:
    async def healthz(request: Request) -> JSONResponse:
        store: dict[str, object] = {"backend": "memory", "status": "up"}
        if link is not None:
            await link.check()
            store = link.status()
        down = store["status"] != "up"
        body = {
            "status": "degraded" if down else "ok",
            "demo": settings.demo,
            "services": backends().configured(),
            "cache": store,
        }
        strict = request.query_params.get("strict")
        failing = down and strict is not None and strict.lower() not in _NO
        return JSONResponse(body, status_code=503 if failing else 200)

    return healthz
