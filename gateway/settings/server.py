"""`[server]` (with `[server.auth]`) and `[limits]`: how the gateway serves and what it allows."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    HttpUrl,
    field_validator,
)

from gateway.settings.base import Count, Timeout, _Strict


class JwtSettings(_Strict):
    """Bearer JWTs verified against a JWKS URL or a PEM public key."""

    jwks_url: HttpUrl | None = None
    public_key: str | None = None
    issuer: str | None = None
    audience: str | None = None
    algorithms: list[str] = ["RS256", "ES256"]
    leeway_seconds: float = Field(30.0, ge=0, le=300)

    @field_validator("public_key")
    @classmethod
    def _one_key_source(cls, value: str | None, info: Any) -> str | None:
        if value and info.data.get("jwks_url"):
            raise ValueError("set jwks_url or public_key, not both")
        return value


class AuthSettings(_Strict):
    """Who may call /graphql. With neither keys nor jwt set, anyone may (the default)."""

    # SHA-256 hex digests of the accepted API keys (`teamgraph hash-key` prints one).
    api_key_sha256: list[Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]] = []
    jwt: JwtSettings | None = None

    @property
    def required(self) -> bool:
        return bool(self.api_key_sha256) or self.jwt is not None


class ServerSettings(_Strict):
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    graphiql: bool = True
    # Schema introspection (`__schema`, `__type`); GraphiQL needs it, so off means no GraphiQL.
    introspection: bool = True
    # Origins allowed to call /graphql from a browser ("*" for any); none by default.
    cors_origins: list[str] = []
    auth: AuthSettings = AuthSettings()
    # What runs operations: compiled plans (fast), or graphql-core's executor (the
    # reference; the compiled plans must answer exactly as it does).
    executor: Literal["compiled", "graphql-core"] = "compiled"
    # What carries upstream calls: the gateway's own HTTP/1.1 client (fast), or aiohttp's
    # (the fallback, should an upstream need what the first does not do; gateway/http1.py).
    upstream_transport: Literal["http1", "aiohttp"] = "http1"
    # Compress answers of at least compression_min_bytes for clients that accept it.
    compression: bool = True
    compression_min_bytes: int = Field(1024, ge=0)
    # `teamgraph serve` only: while operations are in flight, how many objects may be
    # allocated and not freed before the cyclic garbage collector runs (between requests it
    # runs sooner). Higher costs less CPU and more memory; see gateway/runtime.py.
    gc_threshold: int = Field(10_000, ge=100, le=1_000_000)
    # Fields for whoever runs the gateway, not its users (`identityReport`): off by default;
    # when on, every caller that passes `[server.auth]` may use them.
    operator_fields: bool = False
    # A JSON array of operations in one POST, answered in order; each batch is one
    # operation to admission, cost, deadline and upstream budget.
    batching: bool = False
    max_batch_size: int = Field(10, ge=1, le=1000)
    # Serve an Apollo Federation v2 subgraph (`_service`, `_entities`, @key on Team and User).
    federation: bool = False


class LimitsSettings(_Strict):
    """What one request may ask of the gateway; see the README's "When things go wrong"."""

    max_body_bytes: Count = 1024 * 1024
    body_timeout: Timeout = 10.0
    max_variable_depth: Count = 16
    max_tokens: Count = 5000
    max_depth: Count = 12
    max_aliases: Count = 30
    max_directives: Count = 50
    # Fields the operation resolves, fragments expanded and lists multiplied by list_size.
    max_cost: Count = 50_000
    list_size: Count = 10
    # Upstream calls the operation is estimated to cause before it runs, and the calls it
    # may make while it runs (in all, and to any one service).
    max_estimated_upstream_calls: Count = 1000
    max_upstream_calls: Count = 500
    max_upstream_calls_per_service: Count = 300
    request_timeout: Timeout = 30.0
    # Admission: operations running at once (adapting between min_in_flight and
    # max_in_flight to how late the event loop runs, against target_loop_lag; 0 fixes it at
    # max_in_flight), operations waiting for a slot, and how long one may wait before it is
    # turned away with 503.
    max_in_flight: Count = 32
    min_in_flight: Count = 4
    target_loop_lag: float = Field(0.05, ge=0, le=5)
    max_queue: int = Field(32, ge=0)
    queue_timeout: Timeout = 2.0
    document_cache_size: Count = 1000
    # Bytes of upstream answers whose validated models are kept, to be reused when the same
    # bytes come again (resolvers/backends/parsed.py; 0: every answer is validated).
    parsed_answer_bytes: int = Field(4 * 1024 * 1024, ge=0)
