"""create_app(settings) → the Starlette app: /graphql, /healthz, /metrics; backends opened by
lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from opentelemetry.sdk.trace.export import SpanExporter
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route
from starlette_compress import CompressMiddleware

from gateway.admission import Admission
from gateway.auth import CallerAuth
from gateway.backends import TransportFor, build_redactor, open_backends
from gateway.endpoint import COST_HEADER, TRACE_HEADER, EndpointConfig, GraphQLEndpoint
from gateway.logs import RedactingFilter
from gateway.operations import Operations
from gateway.settings import LinkSettings, Settings
from gateway.telemetry import Telemetry
from resolvers.backends import Backends
from resolvers.backends.errors import SERVICES, Service
from resolvers.context import IdentityLinks
from resolvers.identity import Link
from resolvers.writes import Idempotency, MemoryKeyValues, RedisKeyValues
from schema import schema


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

    idempotency = build_idempotency(settings)
    telemetry = Telemetry(settings.telemetry, span_exporter=span_exporter)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        log_filter.install()
        try:
            async with open_backends(
                settings, transport_for=transport_for, observer=telemetry.observer
            ) as opened:
                state["backends"] = opened
                telemetry.opened(opened)
                yield
                state.pop("backends", None)
        finally:
            log_filter.remove()
            telemetry.shutdown()
            if isinstance(idempotency.store, RedisKeyValues):
                await idempotency.store.close()

    server, limits = settings.server, settings.limits
    endpoint = GraphQLEndpoint(
        operations=Operations(
            schema,
            limits,
            introspection=server.introspection,
            compiled=server.executor == "compiled",
        ),
        config=EndpointConfig(
            limits=limits,
            # GraphiQL cannot work without introspection.
            graphiql=server.graphiql and server.introspection,
            credential_headers=credential_headers(settings),
        ),
        backends=backends,
        links=identity_links(settings),
        clock=clock,
        admission=Admission(
            max_in_flight=limits.max_in_flight,
            max_queue=limits.max_queue,
            queue_timeout=limits.queue_timeout,
        ),
        # "jwks" is the one non-service transport: tests hand in a fake key server.
        idempotency=idempotency,
        caller_auth=CallerAuth(
            server.auth, transport=transport_for("jwks") if transport_for else None
        ),
        redact=redact,
        telemetry=telemetry,
    )
    telemetry.watch(endpoint.admission, lambda: state.get("backends"))

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse(
            {"status": "ok", "demo": settings.demo, "services": backends().configured()}
        )

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
    app = Starlette(
        routes=[
            Route("/", root),
            Route("/healthz", healthz),
            Route("/graphql", endpoint, methods=["GET", "POST"]),
            *telemetry.routes(),
        ],
        middleware=middleware,
        lifespan=lifespan,
    )
    app.state.endpoint = endpoint  # for operators' tools and tests: its caches and admission
    return app


def build_idempotency(settings: Settings) -> Idempotency:
    """Idempotency records live where the shared cache does, so replicas agree (Redis)."""
    cache = settings.cache
    store: MemoryKeyValues | RedisKeyValues = MemoryKeyValues()
    if cache.backend == "redis" and cache.redis_url:
        store = RedisKeyValues(cache.redis_url)
    return Idempotency(store=store, window=cache.idempotency_window)


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
    from gateway.emulators.cast import build_cast
    from gateway.settings import demo_settings

    cast = build_cast(scale=scale, now=now)
    emulators = create_emulator_app(cast)
    settings = demo_settings(cast).model_copy(update={"demo": True})
    return settings, lambda _service: httpx.ASGITransport(app=emulators)


def create_demo_app(*, scale: int = 1, clock: Callable[[], datetime] = utc_now) -> Starlette:
    """The gateway over in-process emulators of all five APIs, with the demo cast."""
    settings, transport_for = demo_wiring(scale=scale, now=clock())
    return create_app(settings, transport_for=transport_for, clock=clock)
