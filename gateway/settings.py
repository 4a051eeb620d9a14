"""Typed settings: one optional table per backend, identity links, server options.

Read from a TOML file (``teamgraph serve --config FILE`` or ``TEAMGRAPH_CONFIG``). Secrets may
be written ``${ENV_VAR}`` and are filled from the environment. Every problem is reported
with the key it concerns and what to do, all at once.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from gateway.emulators.cast import Cast
from gateway.manifest import ManifestError, read_manifest
from resolvers.backends.errors import SERVICES, Service

Timeout = Annotated[float, Field(gt=0, le=300, description="seconds")]
Count = Annotated[int, Field(ge=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Backend(_Strict):
    """What every backend table has."""

    url: HttpUrl
    timeout: Timeout = 10.0
    # Bytes read from one upstream answer at most; past it the call fails with
    # UPSTREAM_BAD_RESPONSE instead of filling the gateway's memory.
    max_response_bytes: Count = 16 * 1024 * 1024
    # A request header whose value, when a caller sends it, replaces this service's
    # configured credentials for that request (e.g. "X-Tempo-Token": the caller's own token).
    caller_credentials_header: str | None = Field(default=None, pattern=r"^[A-Za-z0-9-]+$")
    # Consecutive failures that open the circuit, and how long it stays open (seconds).
    circuit_failures: Count = 5
    circuit_open_seconds: Timeout = 30.0
    # Attempts of an idempotent GET that failed with a connection error or 502/503/504.
    retries: int = Field(2, ge=0, le=5)


class TempoSettings(_Backend):
    token: str = Field(min_length=1, description="OAuth 2.0 bearer token")


class OncallSettings(_Backend):
    # The real server needs no credentials for reads in its stock configuration; with
    # `require_auth` it needs an HMAC application (oncall-real-server.md §2.3).
    app_name: str | None = None
    app_key: str | None = None

    @field_validator("app_key")
    @classmethod
    def _key_with_name(cls, value: str | None, info: Any) -> str | None:
        if value and not info.data.get("app_name"):
            raise ValueError("app_key is set but app_name is not; set both or neither")
        return value


class TeamOclockSettings(_Backend):
    org: str = Field(min_length=1, description="organisation slug (Basic auth user)")
    key: str = Field(min_length=1, description="secret API key (Basic auth password)")


class TeamPulseSettings(_Backend):
    username: str = Field(min_length=1)
    password: str = Field(min_length=1)


class Hack24Settings(_Backend):
    token: str | None = None


class BackendsSettings(_Strict):
    tempo: TempoSettings | None = None
    oncall: OncallSettings | None = None
    teamoclock: TeamOclockSettings | None = None
    teampulse: TeamPulseSettings | None = None
    hack24: Hack24Settings | None = None


class LinkSettings(_Strict):
    """One person or team's id in each service; at least two services."""

    key: str | None = None
    tempo: str | None = None
    oncall: str | None = None
    teamoclock: str | None = None
    teampulse: str | None = None
    hack24: str | None = None

    @field_validator("tempo", "oncall", "teamoclock", "teampulse", "hack24", mode="before")
    @classmethod
    def _ids_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    def ids(self) -> dict[Service, str]:
        return {s: v for s in SERVICES if (v := getattr(self, s)) is not None}


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
    # Compress answers of at least compression_min_bytes for clients that accept it.
    compression: bool = True
    compression_min_bytes: int = Field(1024, ge=0)
    # `teamgraph serve` only: allocations between collections of the cyclic garbage
    # collector's youngest generation (CPython's default is 700). Higher costs less CPU and
    # more memory; see gateway/runtime.py and the README's Performance section.
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


class Settings(_Strict):
    backends: BackendsSettings = BackendsSettings()
    people: list[LinkSettings] = []
    teams: list[LinkSettings] = []
    server: ServerSettings = ServerSettings()
    limits: LimitsSettings = LimitsSettings()
    cache: CacheSettings = CacheSettings()
    persisted: PersistedSettings = PersistedSettings()
    subscriptions: SubscriptionsSettings = SubscriptionsSettings()
    telemetry: TelemetrySettings = TelemetrySettings()
    # Set only for the built-in demo: serve the emulators in-process instead of `url`s.
    demo: bool = False


class Environment(BaseSettings):
    """Process-level options from the environment (`TEAMGRAPH_*`)."""

    model_config = SettingsConfigDict(env_prefix="TEAMGRAPH_", extra="ignore")

    config: Path | None = None
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    # "json": one JSON object per line, for log shippers; "text" for people.
    log_format: Literal["text", "json"] = "text"


class ConfigError(Exception):
    """A config file that cannot be used; the message lists every problem."""


def read_environment() -> Environment:
    """The `TEAMGRAPH_*` variables, or a ConfigError naming the bad one."""
    try:
        return Environment()
    except ValidationError as exc:
        lines = []
        for line in _describe(exc):
            key, _, problem = line.partition(": ")
            lines.append(f"  - TEAMGRAPH_{key.upper()}: {problem}")
        raise ConfigError("the environment is not valid:\n" + "\n".join(lines)) from exc


_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _expand(value: object, where: str, env: Mapping[str, str], problems: list[str]) -> object:
    if isinstance(value, str):

        def sub(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in env:
                problems.append(
                    f"{where}: environment variable {name} is not set; export it or write "
                    "the value in the file"
                )
                return ""
            return env[name]

        return _ENV_REF.sub(sub, value)
    if isinstance(value, dict):
        return {k: _expand(v, f"{where}.{k}" if where else k, env, problems)
                for k, v in value.items()}  # fmt: skip
    if isinstance(value, list):
        return [_expand(v, f"{where}[{i}]", env, problems) for i, v in enumerate(value)]
    return value


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The settings model a location points into, or None where it leaves the models."""
    model: type[BaseModel] = Settings
    for part in loc:
        if isinstance(part, int):
            continue  # an element of a list; its model is the list's
        field = model.model_fields.get(part)
        if field is None:
            return None
        found = _model_in(field.annotation)
        if found is None:
            return None
        model = found
    return model


def _model_in(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _did_you_mean(loc: tuple[int | str, ...]) -> str:
    model = _model_at(loc[:-1])
    known = sorted(model.model_fields) if model else []
    close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    if known:
        return "this table takes " + ", ".join(known) + " (see the README's Configuration)"
    return "check its spelling against the README's Configuration"


def _describe(exc: ValidationError) -> list[str]:
    lines = []
    for err in exc.errors():
        loc = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in err["loc"]).replace(
            ".[", "["
        )
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key; " + _did_you_mean(err["loc"])
        elif err["type"] == "missing":
            msg = "required key is missing"
        lines.append(f"{loc or '(top level)'}: {msg}")
    return lines


def parse_settings(data: Mapping[str, object], *, env: Mapping[str, str] | None = None,
                   source: str = "config") -> Settings:  # fmt: skip
    problems: list[str] = []
    expanded = _expand(dict(data), "", os.environ if env is None else env, problems)
    try:
        settings = Settings.model_validate(expanded)
    except ValidationError as exc:
        problems.extend(_describe(exc))
        settings = None
    if settings is not None:
        problems.extend(_check_links(settings))
        problems.extend(_check_manifest(settings))
    if problems:
        raise ConfigError(f"{source} is not valid:\n" + "\n".join(f"  - {p}" for p in problems))
    assert settings is not None
    return settings


def _check_links(settings: Settings) -> list[str]:
    problems = []
    for table in ("people", "teams"):
        keys: set[str] = set()
        for i, link in enumerate(getattr(settings, table)):
            if len(link.ids()) < 1:
                problems.append(f'{table}[{i}]: names no service id; add e.g. oncall = "…"')
            if link.key:
                if link.key.lower() in keys:
                    problems.append(f"{table}[{i}].key: {link.key!r} is used twice")
                keys.add(link.key.lower())
    return problems


def _check_manifest(settings: Settings) -> list[str]:
    """A manifest that cannot be read is a config error now, not a surprise at startup."""
    path = settings.persisted.manifest
    if path is None:
        return []
    try:
        read_manifest(path)
    except ManifestError as exc:
        return [f"persisted.manifest: {exc}"]
    return []


def load_settings(path: Path, *, env: Mapping[str, str] | None = None) -> Settings:
    """Read and validate a TOML config file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    return parse_settings(data, env=env, source=str(path))


# Where demo mode points each client; the emulators answer in-process, so the host is a name.
DEMO_ORIGIN = "http://emulator.local"


def demo_settings(cast: Cast, *, origin: str = DEMO_ORIGIN) -> Settings:
    """Settings for the built-in demo: every backend, the emulators' credentials, and the
    identity links the demo cast needs. `teamgraph emulate --write-config` writes the same."""
    return parse_settings(demo_config(cast, origin=origin), env={}, source="demo config")


def demo_config(cast: Cast, *, origin: str) -> dict[str, Any]:
    from gateway.emulators import MOUNTS

    c = cast.credentials
    links = cast.identity_links()
    return {
        "backends": {
            "tempo": {"url": origin + MOUNTS["tempo"], "token": c.tempo_token},
            "oncall": {
                "url": origin + MOUNTS["oncall"],
                "app_name": c.oncall_app,
                "app_key": c.oncall_app_key,
            },
            "teamoclock": {
                "url": origin + MOUNTS["teamoclock"],
                "org": c.teamoclock_org,
                "key": c.teamoclock_key,
            },
            "teampulse": {
                "url": origin + MOUNTS["teampulse"],
                "username": c.teampulse_username,
                "password": c.teampulse_password,
            },
            "hack24": {"url": origin + MOUNTS["hack24"], "token": c.hack24_token},
        },
        "people": links["people"],
        "teams": links["teams"],
    }
