"""create_app(settings) → the Starlette app: /graphql, /healthz, /metrics; backends opened by
lifespan."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from opentelemetry.sdk.trace.export import SpanExporter
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route
from starlette_compress import CompressMiddleware, add_compress_type

from gateway.admission import Admission
from gateway.auth import CallerAuth
from gateway.backends import (
    TransportFor,
    build_answer_cache,
    build_cache,
    build_link,
    build_redactor,
    open_backends,
)
from gateway.endpoint import COST_HEADER, TRACE_HEADER, EndpointConfig, GraphQLEndpoint
from gateway.graphiql import GraphiQL
from gateway.health import build_healthz
from gateway.http_input import GRAPHQL_RESPONSE
from gateway.logs import RedactingFilter
from gateway.operations import Operations
from gateway.persisted import build_persisted
from gateway.proxies import Proxies
from gateway.settings import LinkSettings, Settings
from gateway.subscriptions import wire_subscriptions
from gateway.telemetry import Telemetry
from resolvers.backends import Backends
from resolvers.backends.errors import SERVICES, Service
from resolvers.backends.redis_link import RedisLink
from resolvers.backends.resilience import LoopLag
from resolvers.context import IdentityLinks
from resolvers.directory import DirectoryCache
from resolvers.identity import Link
from resolvers.writes import Idempotency, MemoryKeyValues, RedisKeyValues
from schema import build_schema

log = logging.getLogger("teamgraph")


def utc_now() -> datetime:
    return datetime.now(UTC)


def identity_links(settings: Settings) -> IdentityLinks:
    def links(table: Sequence[LinkSettings]) -> list[Link]:
        return [Link(key=entry.key, ids=entry.ids()) for entry in table]

    return IdentityLinks(people=links(settings.people), teams=links(settings.teams))


def create_app(
    settings: Settings,
    *,
    transport_for: TransportFor | None = None,
    clock: Callable[[], datetime] = utc_now,
    span_exporter: SpanExporter | None = None,
) -> Starlette:
    """The gateway app. `transport_for` swaps the HTTP transport per service (demo mode and
    tests point it at the emulators); `clock` pins "now" for oncall-now questions;
    `span_exporter` receives every span (tests; OTLP is configured in `[telemetry]`)."""
    state: dict[str, Backends] = {}
    redact = build_redactor(settings)
    log_filter = RedactingFilter(redact)

    def backends() -> Backends:
        found = state.get("backends")
        if found is None:
            raise RuntimeError("the app's lifespan has not started; run it under a server")
        return found

    # How late the event loop runs: upstream timeouts discount it, admission adapts to it.
    lag = LoopLag()
    link = build_link(settings.cache, lag=lag)  # one Redis for the cache, idempotency, APQ
    upstream_cache = build_cache(settings.cache, link)  # None: [cache] is off
    idempotency = build_idempotency(settings, link)
    persisted = build_persisted(settings, link)
    telemetry = Telemetry(settings.telemetry, span_exporter=span_exporter)
    # HTTPS_PROXY and the like, read now: one the gateway cannot use stops it before it serves.
    proxies = Proxies.from_environment() if transport_for is None else None
    if proxies:
        log.info("upstream calls: %s", proxies)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        log_filter.install()
        try:
            async with open_backends(
                settings,
                transport_for=transport_for,
                lag=lag,
                link=link,
                cache=upstream_cache,
                observer=telemetry.observer,
                proxies=proxies,
            ) as opened:
                state["backends"] = opened
                telemetry.opened(opened)
                yield
                await subscriptions.close()  # before the clients its polls use
                state.pop("backends", None)
        finally:
            log_filter.remove()
            telemetry.shutdown()
            if upstream_cache is not None:
                await upstream_cache.close()
            if link is not None:
                await link.close()

    server, limits = settings.server, settings.limits
    graphiql = None
    if server.graphiql and server.introspection:  # GraphiQL cannot work without introspection
        graphiql = GraphiQL(clock=clock, demo=settings.demo, trace_header=TRACE_HEADER)
    endpoint = GraphQLEndpoint(
        operations=Operations(
            build_schema(federation=server.federation),
            limits,
            introspection=server.introspection,
            compiled=server.executor == "compiled",
        ),
        config=EndpointConfig(
            limits=limits,
            graphiql=graphiql.page if graphiql else None,
            credential_headers=credential_headers(settings),
            operator_fields=server.operator_fields,
            max_batch_size=server.max_batch_size if server.batching else 0,
        ),
        backends=backends,
        links=identity_links(settings),
        directories=DirectoryCache(ttl=settings.identity.directory_ttl),
        answers=build_answer_cache(settings.cache, upstream_cache),
        clock=clock,
        admission=Admission(
            max_in_flight=limits.max_in_flight,
            min_in_flight=limits.min_in_flight,
            target_lag=limits.target_loop_lag,
            lag=lag.now,
            max_queue=limits.max_queue,
            queue_timeout=limits.queue_timeout,
        ),
        # "jwks" is the one non-service transport: tests hand in a fake key server.
        idempotency=idempotency,
        caller_auth=CallerAuth(
            server.auth, transport=transport_for("jwks") if transport_for else None
        ),
        redact=redact,
        persisted=persisted,
        telemetry=telemetry,
    )
    telemetry.watch(endpoint.admission, lambda: state.get("backends"))

    healthz = build_healthz(settings, backends, link)
    subscriptions, websocket_route = wire_subscriptions(settings, endpoint)

    async def root(request: Request) -> RedirectResponse:
        return RedirectResponse("/graphql")

    middleware = []
    if server.cors_origins:
        # Browser clients on other origins (a frontend dev server, a hosted GraphiQL).
        allowed = ["content-type", "authorization", "x-api-key", TRACE_HEADER, COST_HEADER]
        # W3C trace context and the headers Apollo Client and Apollo's tooling send.
        allowed += ["traceparent", "tracestate", "apollographql-client-name",
                    "apollographql-client-version", "apollo-require-preflight",
                    "x-apollo-operation-name"]  # fmt: skip
        allowed += [h.lower() for h in credential_headers(settings).values()]
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(server.cors_origins),
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=allowed,
                expose_headers=["retry-after", TRACE_HEADER, COST_HEADER],
                max_age=600,
            )
        )
    if server.compression:
        # zstd, brotli or gzip as the client's Accept-Encoding prefers; level 4 of each costs
        # little CPU (TeamOverview's 37.7 KB answer goes to a few KB).
        middleware.append(Middleware(CompressMiddleware, minimum_size=server.compression_min_bytes))
        # Its list of compressible types has application/json but not GraphQL over HTTP's own
        # type, so clients that prefer it got every answer uncompressed (idempotent).
        add_compress_type(GRAPHQL_RESPONSE)
    app = Starlette(
        routes=[
            Route("/", root),
            Route("/healthz", healthz),
            Route("/graphql", endpoint, methods=["GET", "POST"]),
            *(graphiql.routes() if graphiql else []),
            websocket_route,
            *telemetry.routes(),
        ],
        middleware=middleware,
        lifespan=lifespan,
    )
    app.state.endpoint = endpoint  # for operators' tools and tests: its caches and admission
    app.state.subscriptions = subscriptions  # its hub: pollers and subscribers
    return app


def build_idempotency(settings: Settings, link: RedisLink | None = None) -> Idempotency:
    """Idempotency records live where the shared cache does, so replicas agree (Redis)."""
    store = MemoryKeyValues() if link is None else RedisKeyValues(link)
    return Idempotency(store=store, window=settings.cache.idempotency_window)


def credential_headers(settings: Settings) -> dict[Service, str]:
    """Service -> the allow-listed request header carrying a caller's own credentials."""
    found: dict[Service, str] = {}
    for service in SERVICES:
        backend = getattr(settings.backends, service)
        if backend is not None and backend.caller_credentials_header:
            found[service] = backend.caller_credentials_header.lower()
    return found


def demo_wiring(*, scale: int = 1, now: datetime | None = None) -> tuple[Settings, TransportFor]:
    """Demo settings, and transports that reach in-process emulators of the demo cast."""
    # Imported here: a configured production gateway never loads the emulators.
    import httpx

    from gateway.emulators import create_emulator_app
    from gateway.emulators.cast_build import build_cast
    from gateway.settings import demo_settings

    cast = build_cast(scale=scale, now=now)
    emulators = create_emulator_app(cast)
    settings = demo_settings(cast)
    # The demo has no secrets to guard: its operator fields (identityReport) are on.
    server = settings.server.model_copy(update={"operator_fields": True})
    settings = settings.model_copy(update={"demo": True, "server": server})
    return settings, lambda _service: httpx.ASGITransport(app=emulators)


def create_demo_app(*, scale: int = 1, clock: Callable[[], datetime] = utc_now) -> Starlette:
    """The gateway over in-process emulators of all five APIs, with the demo cast."""
    settings, transport_for = demo_wiring(scale=scale, now=clock())
    return create_app(settings, transport_for=transport_for, clock=clock)
