"""`teamgraph serve | emulate | schema | check | identity | health | hash-key`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.metadata
import logging
import socket
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

import httpx
import tomli_w

from gateway.logs import configure_logging
from gateway.settings import ConfigError, Settings, load_settings, read_environment
from resolvers.backends import Backends
from resolvers.backends.errors import SERVICES, BackendError
from resolvers.backends.redis_link import RedisLink, StoreUnavailable

log = logging.getLogger("teamgraph")


def _version() -> str:
    try:
        return importlib.metadata.version("teamgraph")
    except importlib.metadata.PackageNotFoundError:  # run from a checkout that is not installed
        return "unknown (not installed)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="teamgraph",
        description="One GraphQL endpoint over Tempo, oncall, Team O'clock, TeamPulse and Hack24.",
    )
    parser.add_argument("--version", action="version", version=f"teamgraph {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the gateway (the built-in demo without --config)")
    serve.add_argument("--config", type=Path, help="TOML config file (default: $TEAMGRAPH_CONFIG)")
    serve.add_argument("--host", help="bind address (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default 8000)")

    emulate = sub.add_parser("emulate", help="serve the five API emulators on one port")
    emulate.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    emulate.add_argument(
        "--port", type=int, default=8001, help="port; the five APIs share it (default 8001)"
    )
    emulate.add_argument("--scale", type=int, default=1, help="repeat the demo cast N times")
    emulate.add_argument("--latency-ms", type=float, default=0.0, help="delay every response")
    emulate.add_argument(
        "--fail", nargs="+", action="extend", default=[], metavar="SERVICE", choices=SERVICES,
        help="make these services answer 503 to everything",
    )  # fmt: skip
    emulate.add_argument(
        "--write-config", type=Path, metavar="FILE",
        help="write a gateway config for talking to this emulator",
    )  # fmt: skip

    schema = sub.add_parser("schema", help="print the GraphQL schema (SDL)")
    schema.add_argument(
        "--check", type=Path, metavar="FILE",
        help="compare with a committed SDL (schema.graphql): list breaking and other changes, "
        "exit 1 if they differ",
    )  # fmt: skip
    schema.add_argument(
        "--federation", action="store_true",
        help="the Apollo Federation v2 subgraph's SDL (server.federation = true), as its "
        "`_service { sdl }` answers; compare with schema.federation.graphql",
    )  # fmt: skip

    check = sub.add_parser("check", help="validate the config and probe each service")
    check.add_argument("--config", type=Path, help="TOML config file (default: the demo)")

    identity = sub.add_parser(
        "identity",
        help="report how people and teams link across the services, with config to fix it",
    )
    identity.add_argument("--config", type=Path, help="TOML config file (default: the demo)")
    identity.add_argument(
        "--format", choices=["text", "json", "toml"], default="text",
        help="text (default), json, or toml: only the suggested [[people]]/[[teams]] entries",
    )  # fmt: skip

    health = sub.add_parser(
        "health",
        help="exit 0 when the gateway on this machine answers /healthz (for container probes)",
    )
    health.add_argument("--config", type=Path, help="TOML config file (default: $TEAMGRAPH_CONFIG)")
    health.add_argument("--port", type=int, help="port (default: the config's server.port, 8000)")

    sub.add_parser(
        "hash-key",
        help="read an API key on stdin and print the digest for server.auth.api_key_sha256",
    )
    return parser


def _config_path(given: Path | None) -> Path | None:
    return given or read_environment().config


def _settings(path: Path | None) -> Settings | None:
    """The settings from `path`, or None for the built-in demo."""
    return load_settings(path) if path else None


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from gateway.app import create_app, create_demo_app
    from gateway.runtime import CollectorPacer
    from gateway.settings import ServerSettings

    settings = _settings(_config_path(args.config))
    if settings is None:
        app = create_demo_app()
        host, port = args.host or "127.0.0.1", args.port or 8000
        log.info("no --config given: serving the built-in demo over in-process emulators")
    else:
        app = create_app(settings)
        host, port = args.host or settings.server.host, args.port or settings.server.port
    graphiql = settings is None or (settings.server.graphiql and settings.server.introspection)
    gc_threshold = (settings.server if settings else ServerSettings()).gc_threshold
    where = "GraphiQL at" if graphiql else "GraphQL endpoint at"
    admission = app.state.endpoint.admission
    pacer = CollectorPacer(gc_threshold, busy=lambda: admission.in_flight > 0)

    class Server(uvicorn.Server):
        # Said once the socket is bound, so a port already in use never shows a false banner.
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started:
                pacer.start()  # after the app's startup, so what it built is frozen too
                log.info("%s http://%s:%d/graphql", where, host, port)

        # Subscriptions never finish by themselves, and uvicorn waits for every open
        # connection before the app's shutdown: end them first (each client is told to
        # subscribe again), or an SSE stream would keep the server from stopping.
        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            try:
                await app.state.subscriptions.close()
                await super().shutdown(sockets)
            finally:
                await pacer.stop()  # the collector back on, however shutdown went

    # log_config=None: uvicorn's loggers write through ours (level names, the JSON option).
    config = uvicorn.Config(
        app, host=host, port=port, log_level=read_environment().log_level, log_config=None
    )
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: uvicorn shut down cleanly, then
        Server(config).run()  # re-raised it for us; a normal stop, not a traceback
    return 0


def health(args: argparse.Namespace) -> int:
    settings = _settings(_config_path(args.config))
    port = args.port or (settings.server.port if settings else 8000)
    url = f"http://127.0.0.1:{port}/healthz"
    try:
        response = httpx.get(url, timeout=3.0)
    except httpx.HTTPError as exc:
        print(f"teamgraph: {url} did not answer ({exc!r}); is `teamgraph serve` running?")
        return 1
    print(f"{url}: {response.status_code}")
    store = _json_field(response, "cache")
    if isinstance(store, dict) and store.get("status") == "down":
        # Still healthy: the gateway answers without its store (README "When things go wrong").
        print(f"degraded: the cache store ({store.get('backend')}) is down since "
              f"{store.get('since')} ({store.get('reason')}); answers come from the upstreams "
              "and mutations with an idempotency key are refused")  # fmt: skip
    return 0 if response.is_success else 1


def _json_field(response: httpx.Response, name: str) -> object:
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get(name) if isinstance(body, dict) else None


def emulate(args: argparse.Namespace) -> int:
    import uvicorn

    from gateway.emulators import create_emulator_app
    from gateway.emulators.cast_build import build_cast
    from gateway.emulators.faults import Faults
    from gateway.settings import demo_config

    if args.scale < 1:
        raise ConfigError(f"--scale must be 1 or more, got {args.scale}")
    cast = build_cast(scale=args.scale)
    faults: dict[str, Faults] = {
        s: Faults(latency_ms=args.latency_ms, down=s in args.fail) for s in SERVICES
    }
    if args.write_config:
        shown_host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
        config = demo_config(cast, origin=f"http://{shown_host}:{args.port}")
        args.write_config.write_text(tomli_w.dumps(config), encoding="utf-8")
        log.info("wrote %s: run `teamgraph serve --config %s`", args.write_config,
                 args.write_config)  # fmt: skip
    app = create_emulator_app(cast, faults=faults, log_requests=True)
    log.info(
        "emulating tempo, oncall, teamoclock, teampulse, hack24 on http://%s:%d "
        "(%d people, %d teams%s)", args.host, args.port, len(cast.people), len(cast.teams),
        f"; failing: {', '.join(args.fail)}" if args.fail else "",
    )  # fmt: skip
    uvicorn.run(
        app, host=args.host, port=args.port, log_level="warning", access_log=False, log_config=None
    )
    return 0


def print_schema(args: argparse.Namespace) -> int:
    from schema import build_schema as build_ours

    schema = build_ours(federation=args.federation)
    sdl = schema.as_str()
    if args.check is None:
        print(sdl)
        return 0
    try:
        committed = args.check.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read {args.check}: {exc.strerror or exc}") from exc
    if committed.strip() == sdl.strip():
        print(f"{args.check}: matches the schema")
        return 0
    from graphql import build_schema, find_breaking_changes, find_dangerous_changes

    # The subgraph's SDL applies @link and @key without defining them: the router knows them.
    old, new = build_schema(committed, assume_valid_sdl=args.federation), schema._schema
    changes = [f"BREAKING {c.type.name}: {c.description}" for c in find_breaking_changes(old, new)]
    changes += [
        f"dangerous {c.type.name}: {c.description}" for c in find_dangerous_changes(old, new)
    ]
    flag = " --federation" if args.federation else ""
    print(
        f"{args.check} differs from the schema; if intended, run "
        f"`teamgraph schema{flag} > {args.check}`"
    )
    print("\n".join(changes) or "(no breaking or dangerous changes: additions or descriptions)")
    return 1


# One cheap, authenticated read per service: reachable, and credentials accepted.
PROBES: dict[str, tuple[str, Callable[[Backends], Awaitable[object]]]] = {
    "tempo": ("GET /roles", lambda b: b.require("tempo").list_roles()),
    "oncall": ("GET /teams", lambda b: b.require("oncall").list_team_names()),
    "teamoclock": ("GET /teams", lambda b: b.require("teamoclock").list_teams()),
    "teampulse": ("GET /users/me", lambda b: b.require("teampulse").get_me()),
    "hack24": ("GET /teams", lambda b: b.require("hack24").list_teams()),
}


async def probe(backends: Backends) -> list[tuple[str, bool, str]]:
    """(service, ok, line) for every service: configured ones are called once."""

    async def one(service: str) -> tuple[str, bool, str]:
        if getattr(backends, service) is None:
            return service, True, "not configured (its fields will be null)"
        what, call = PROBES[service]
        started = time.perf_counter()
        try:
            await call(backends)
        except BackendError as exc:
            return service, False, f"{exc.code}: {exc.message}"
        ms = (time.perf_counter() - started) * 1000
        return service, True, f"reachable, credentials accepted ({what} in {ms:.0f} ms)"

    return list(await asyncio.gather(*(one(s) for s in SERVICES)))


async def probe_redis(link: RedisLink) -> tuple[str, bool, str]:
    """The cache store's line: one PING, bounded by cache.redis_timeout."""
    started = time.perf_counter()
    try:
        await link.run(lambda redis: redis.ping())
    except StoreUnavailable:
        return "redis", False, (
            f"cannot connect to {link.url} ({link.detail}); the cache, idempotency keys and "
            "APQ will not work (see README \"The cache store (Redis) fails\")"
        )  # fmt: skip
    ms = (time.perf_counter() - started) * 1000
    return "redis", True, f"reachable at {link.url} (PING in {ms:.0f} ms)"


def check(args: argparse.Namespace) -> int:
    from gateway.app import demo_wiring
    from gateway.backends import TransportFor, build_link, open_backends
    from gateway.proxies import Proxies

    path = _config_path(args.config)
    transport_for: TransportFor | None = None
    if path is None:
        settings, transport_for = demo_wiring()
        print("config: the built-in demo (no --config given)")
    else:
        settings = load_settings(path)
        print(f"config: {path} is valid")
    proxies = None if transport_for else Proxies.from_environment()  # the demo calls no network
    if proxies:
        print(f"proxies: {proxies}")

    async def run() -> list[tuple[str, bool, str]]:
        link = build_link(settings.cache)
        try:
            # Redis first: once it is known down, the services' cached probes skip it.
            store = [await probe_redis(link)] if link is not None else []
            async with open_backends(
                settings, transport_for=transport_for, link=link, proxies=proxies
            ) as backends:
                return await probe(backends) + store
        finally:
            if link is not None:
                await link.close()

    results = asyncio.run(run())
    for service, ok, line in results:
        backend = getattr(settings.backends, service, None)
        proxy = proxies.for_url(httpx.URL(str(backend.url))) if proxies and backend else None
        through = f" (through the proxy {proxy.shown})" if proxy else ""
        print(f"{service:<11} {'ok  ' if ok else 'FAIL'} {line}{through}")
    return 0 if all(ok for _, ok, _ in results) else 1


def identity(args: argparse.Namespace) -> int:
    from gateway.app import demo_wiring
    from gateway.backends import TransportFor
    from gateway.identity_report import fetch_identity_report, render

    path = _config_path(args.config)
    transport_for: TransportFor | None = None
    if path is None:
        settings, transport_for = demo_wiring()
    else:
        settings = load_settings(path)
    report = asyncio.run(fetch_identity_report(settings, transport_for=transport_for))
    print(render(report, args.format, source=str(path or "the built-in demo")), end="")
    for failure in report.failures:
        print(
            f"teamgraph: {failure.service} failed ({failure.code}): the report lacks its "
            "accounts; `teamgraph check` probes it",
            file=sys.stderr,
        )
    return 1 if report.failures else 0


def hash_key(args: argparse.Namespace) -> int:
    from gateway.auth import hash_key as digest

    key = sys.stdin.readline().strip()
    if not key:
        raise ConfigError(
            "hash-key reads the API key on stdin; pipe it in: echo KEY | teamgraph hash-key"
        )
    print(digest(key))
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "serve": serve,
    "emulate": emulate,
    "schema": print_schema,
    "check": check,
    "identity": identity,
    "hash-key": hash_key,
    "health": health,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        environment = read_environment()
        configure_logging(environment.log_level, environment.log_format)
        return COMMANDS[args.command](args)
    except ConfigError as exc:
        print(f"teamgraph: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
