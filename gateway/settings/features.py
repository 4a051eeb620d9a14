"""`[cache]`, `[identity]`, `[persisted]`, `[subscriptions]` and `[telemetry]`: the optional
features' tables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import (
    Field,
    HttpUrl,
    field_validator,
    model_validator,
)

from gateway.settings.base import Count, Timeout, _Strict
from resolvers.backends.errors import SERVICES


class CacheSettings(_Strict):
    """The shared upstream cache: see the README's "Performance" section. Off unless asked
    for, as in the other gateways: a cached answer may be up to its TTL old."""

    enabled: bool = False
    backend: Literal["memory", "redis"] = "memory"
    redis_url: str | None = Field(default=None, pattern=r"^rediss?://")
    # Redis failing (README "The cache store (Redis) fails"): connecting and each reply are
    # bounded by redis_timeout; after a failure Redis is skipped for redis_backoff seconds.
    redis_timeout: float = Field(0.25, gt=0, le=30)
    redis_backoff: float = Field(5.0, ge=0, le=300)
    max_bytes: Count = 64 * 1024 * 1024
    # Keep whole query answers while every upstream answer they rest on is fresh (a quarter
    # of max_bytes; in-process store only): a repeat is served without running it.
    answers: bool = True
    stale_while_revalidate: float = Field(30.0, ge=0, le=3600)
    stale_if_error: float = Field(600.0, ge=0, le=86400)
    # How long a mutation's outcome is kept for its idempotency key (in the same store).
    idempotency_window: float = Field(86400.0, gt=0, le=7 * 86400)
    # "service:/path-prefix" -> seconds fresh (0: never cached), ahead of the defaults.
    ttl: dict[str, Annotated[float, Field(ge=0, le=86400)]] = {}

    @model_validator(mode="after")
    def _url_for_redis(self) -> CacheSettings:
        if self.backend == "redis" and self.redis_url is None:
            raise ValueError('backend = "redis" needs redis_url, e.g. "redis://localhost:6379/0"')
        return self

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        # Checked now, not when the gateway first talks to Redis (not echoed: it may hold a
        # password).
        if value is None:
            return value
        parts = urlsplit(value)
        try:
            parts.port  # noqa: B018 (parsing is the check)
        except ValueError:
            raise ValueError('the port is not a number; write "redis://host:6379/0"') from None
        if parts.path not in ("", "/") and not parts.path[1:].isdigit():
            raise ValueError('the path is the database number: "redis://host:6379/0"')
        return value

    @field_validator("ttl")
    @classmethod
    def _known_services(cls, value: dict[str, float]) -> dict[str, float]:
        for spec in value:
            service, _, path = spec.partition(":")
            if service not in SERVICES or not path.startswith("/"):
                raise ValueError(
                    f'{spec!r}: write it as "<service>:/path-prefix", e.g. "tempo:/teams"'
                )
        return value


class IdentitySettings(_Strict):
    """How long a linked directory (every service's people and teams) is kept between
    requests: those requests make none of its calls. People and teams change rarely; a
    write through the gateway drops it at once, `Cache-Control: no-cache` skips it, and 0
    lists everyone again on every request."""

    directory_ttl: float = Field(60.0, ge=0, le=86400)


class PersistedSettings(_Strict):
    """Persisted operations: Apollo's automatic persisted queries (APQ), and trusted documents
    from a manifest your client's build writes; see the README's "Persisted operations"."""

    # graphql-codegen's persisted-documents.json, Relay's persisted_queries.json or Apollo's
    # persisted query manifest; a relative path is from the directory teamgraph runs in.
    manifest: Path | None = None
    # "only": run nothing but the manifest's documents (an allow-list).
    mode: Literal["allow", "only"] = "allow"
    # APQ: clients send a document's SHA-256, and the text once when it is unknown. Kept
    # where the shared cache lives: in the process, or in Redis with cache.backend = "redis".
    apq: bool = True
    apq_ttl: float = Field(86400.0, gt=0, le=30 * 86400)
    # The in-process APQ store's bound (least recently used documents go first).
    apq_max_bytes: Count = 16 * 1024 * 1024

    @model_validator(mode="after")
    def _only_with_a_manifest(self) -> PersistedSettings:
        if self.mode == "only" and self.manifest is None:
            raise ValueError(
                'mode = "only" runs only the documents of a manifest; set manifest = '
                '"path/to/persisted-documents.json"'
            )
        if self.mode == "only" and self.apq and "apq" in self.model_fields_set:
            raise ValueError(
                'mode = "only" and apq = true contradict: APQ lets any client register a '
                "document; remove apq (it is off in this mode)"
            )
        return self

    @property
    def apq_enabled(self) -> bool:
        return self.apq and self.mode == "allow"


class SubscriptionsSettings(_Strict):
    """Subscriptions over graphql-transport-ws and SSE: see the README's "Subscriptions"."""

    # Seconds between two polls of one (subscription field, team, caller credentials); the
    # floor keeps a typo from hammering the upstreams.
    poll_interval: float = Field(30.0, ge=0.05, le=3600)
    # After failed polls the wait doubles, up to this many seconds.
    max_backoff: float = Field(300.0, ge=0.05, le=86400)
    # Subscriptions open on one WebSocket, and on the whole gateway (WebSocket and SSE).
    max_per_connection: Count = 25
    max_total: Count = 1000
    # Seconds a WebSocket may take to send connection_init (graphql-transport-ws: 4408).
    connection_init_timeout: Timeout = 10.0
    # Seconds between SSE keep-alive comments, so proxies do not close a quiet stream.
    keepalive: Timeout = 15.0


class TelemetrySettings(_Strict):
    """Metrics, traces and trace-context propagation: see the README's "Observability"."""

    # Prometheus text on GET `metrics_path`, from this app's own registry.
    metrics: bool = True
    metrics_path: str = Field("/metrics", pattern=r"^/[A-Za-z0-9/_.-]*$")
    # Operation names kept as label values; later names count as "(other)".
    max_operation_names: Count = 200
    # Forward the caller's W3C `traceparent`/`tracestate` to every upstream call.
    propagate: bool = True
    # OTLP/HTTP traces endpoint (e.g. "http://localhost:4318/v1/traces"): spans are recorded
    # and exported only when it is set (needs the `otlp` extra).
    otlp_endpoint: HttpUrl | None = None
    otlp_headers: dict[str, str] = {}
    service_name: str = Field("teamgraph", min_length=1)
    # Share of new traces recorded; a caller's sampled flag in `traceparent` wins.
    sample_ratio: float = Field(1.0, ge=0, le=1)

    @field_validator("metrics_path")
    @classmethod
    def _free_path(cls, value: str) -> str:
        if value in ("/", "/graphql", "/healthz"):
            raise ValueError(f"{value} is taken; pick another path, e.g. /metrics")
        return value
