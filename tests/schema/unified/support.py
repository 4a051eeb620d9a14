"""What the unified mutation tests share: running an operation, the upstream writes it made,
and an upstream whose one write fails."""

from __future__ import annotations

from typing import Any

import httpx

from gateway.emulators.cast import Cast
from tests.faults import FaultTransport
from tests.harness import Gateway

WRITES = ("POST", "PUT", "PATCH", "DELETE")


async def run(gw: Gateway, document: str, variables: dict[str, Any] | None = None) -> Any:
    """The answer's `data`, failing on any error."""
    answer = await gw.execute(document, variables)
    assert "errors" not in answer, answer["errors"]
    return answer["data"]


def writes(gw: Gateway) -> list[str]:
    """Every upstream write the gateway made, as "service METHOD path status"."""
    return [
        f"{c.service} {c.method} {c.path} {c.status}" for c in gw.log.calls if c.method in WRITES
    ]


def failing(cast: Cast, method: str, path: str, *, status: int = 503) -> FaultTransport:
    """The emulators, except that `method` on a path ending in `path` answers `status`."""
    transport = FaultTransport(cast)

    async def answer(request: httpx.Request, _n: int) -> httpx.Response | None:
        if request.method != method:
            return None
        return httpx.Response(status, json={"error": "emulated outage"})

    transport.on(path, answer)
    return transport
