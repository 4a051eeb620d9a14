"""The gateway app over the emulators, with every upstream request recorded.

`Gateway` runs the real ASGI app (lifespan included) and sends GraphQL over HTTP, so tests see
exactly what a client sees: status codes, `data`, `errors`, `extensions`.

With ``TEAMGRAPH_DIFFERENTIAL=1`` every operation a test sends through :meth:`Gateway.post`
also runs on a twin gateway executing with graphql-core instead of the compiled plans, over
its own emulators of the same cast (so writes keep both in step, and the twin's upstream
calls never show in the test's call log), and the two answers must be identical: the whole
suite then checks the compiled executor against the reference. Gateways given faults have no
twin: fault transports are stateful, and timing faults make answers depend on the clock.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from opentelemetry.sdk.trace.export import SpanExporter
from starlette.applications import Starlette

from gateway.app import create_app
from gateway.emulators import MOUNTS, create_emulator_app
from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from gateway.endpoint import GraphQLEndpoint
from gateway.settings import Settings, demo_settings
from tests.recording import CallLog, RecordingTransport

DIFFERENTIAL = os.environ.get("TEAMGRAPH_DIFFERENTIAL", "") == "1"


@dataclass
class Gateway:
    http: httpx.AsyncClient
    log: CallLog
    cast: Cast
    app: Starlette
    twin: Gateway | None = None

    def app_endpoint(self) -> GraphQLEndpoint:
        endpoint: GraphQLEndpoint = self.app.state.endpoint
        return endpoint

    async def post(
        self, query: str, variables: Mapping[str, Any] | None = None, *, trace: bool = False
    ) -> httpx.Response:
        headers = {"X-Teamgraph-Trace": "1"} if trace else {}
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = dict(variables)
        response = await self.http.post("/graphql", json=body, headers=headers)
        if self.twin is not None:
            logging.disable(logging.CRITICAL)  # the test counts its own gateway's log lines
            try:
                reference = await self.twin.post(query, variables, trace=trace)
            finally:
                logging.disable(logging.NOTSET)
            assert_same_answer(response, reference, query)
        return response

    async def execute(
        self, query: str, variables: Mapping[str, Any] | None = None, *, trace: bool = False
    ) -> dict[str, Any]:
        response = await self.post(query, variables, trace=trace)
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result


@asynccontextmanager
async def open_gateway(
    cast: Cast,
    *,
    faults: Mapping[str, Faults] | None = None,
    settings: Settings | None = None,
    transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
    only: Iterable[str] | None = None,
    span_exporter: SpanExporter | None = None,
) -> AsyncIterator[Gateway]:
    """The gateway wired to in-process emulators of `cast` (or to `transports` per service),
    configured like demo mode unless `settings` says otherwise; `span_exporter` gets its
    spans."""
    emulators = create_emulator_app(cast, faults=faults)
    log = CallLog()

    def transport_for(service: str) -> httpx.AsyncBaseTransport:
        inner = (transports or {}).get(service) or httpx.ASGITransport(app=emulators)
        return RecordingTransport(inner, service=service, prefix=MOUNTS.get(service, ""), log=log)

    settings = settings or demo_settings(cast)
    if only is not None:
        keep = set(only)
        backends = settings.backends.model_copy(update={s: None for s in MOUNTS if s not in keep})
        settings = settings.model_copy(update={"backends": backends})
    app = create_app(
        settings, transport_for=transport_for, clock=lambda: _now(cast), span_exporter=span_exporter
    )
    async with AsyncExitStack() as stack:
        twin = None
        plain = not transports and not faults
        if DIFFERENTIAL and plain and settings.server.executor == "compiled":
            reference = settings.server.model_copy(update={"executor": "graphql-core"})
            twin = await stack.enter_async_context(
                open_gateway(cast, faults=faults, settings=settings.model_copy(
                    update={"server": reference}))
            )  # fmt: skip
        await stack.enter_async_context(app.router.lifespan_context(app))
        transport = httpx.ASGITransport(app=app)
        http = await stack.enter_async_context(
            httpx.AsyncClient(transport=transport, base_url="http://gateway")
        )
        yield Gateway(http=http, log=log, cast=cast, app=app, twin=twin)


def assert_same_answer(got: httpx.Response, expected: httpx.Response, query: str) -> None:
    """The compiled executor's answer is graphql-core's: status, data, and errors (in any
    order: concurrent fields may fail in a different order). Timings are not compared."""
    assert got.status_code == expected.status_code, (query, got.text, expected.text)
    mine, theirs = got.json(), expected.json()
    for body in (mine, theirs):
        for call in body.get("extensions", {}).get("upstream", []):
            call.pop("ms", None)
        body["errors"] = sorted(body.get("errors", []), key=lambda e: repr(sorted(e.items())))
    assert mine == theirs, f"compiled and graphql-core answers differ for {query!r}"


def _now(cast: Cast) -> datetime:
    return cast.now


def configured(
    cast: Cast,
    *,
    limits: Mapping[str, Any] | None = None,
    server: Mapping[str, Any] | None = None,
    directory_ttl: float | None = None,
    **backends: Mapping[str, Any],
) -> Settings:
    """Demo settings with some `[limits]`, `[server]`, `[identity] directory_ttl` or
    `[backends.<service>]` keys changed."""
    settings = demo_settings(cast)
    changed: dict[str, Any] = {}
    if directory_ttl is not None:
        changed["identity"] = settings.identity.model_copy(update={"directory_ttl": directory_ttl})
    if limits:
        changed["limits"] = settings.limits.model_copy(update=dict(limits))
    if server:
        changed["server"] = settings.server.model_copy(update=dict(server))
    if backends:
        changed["backends"] = settings.backends.model_copy(
            update={
                name: getattr(settings.backends, name).model_copy(update=dict(values))
                for name, values in backends.items()
            }
        )
    return settings.model_copy(update=changed)
