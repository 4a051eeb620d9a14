"""deploy/compose.yaml: valid against the Compose Specification's JSON schema (vendored here,
see compose-spec.NOTICE) and, where a `docker compose` binary is installed, accepted by its
`config -q`; two gateway replicas that wait for healthy Redis and emulators; and its gateway
config accepted as `teamgraph check --config` accepts one: valid, every service on the
emulators service, and every service's credentials accepted (probed in-process)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import jsonschema
import pytest
import yaml

from gateway.backends import open_backends
from gateway.cli import probe
from gateway.emulators import MOUNTS, create_emulator_app
from gateway.emulators.cast_build import build_cast
from gateway.settings import Settings, load_settings
from tests.gateway.test_cache import redis_url  # noqa: F401  (the fixture: a redis-server)

DEPLOY = Path(__file__).parents[2] / "deploy"
COMPOSE_FILE = DEPLOY / "compose.yaml"
COMPOSE: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
SERVICES: dict[str, Any] = COMPOSE["services"]
SCHEMA = json.loads((Path(__file__).parent / "compose-spec.schema.json").read_text())


def interpolated(value: str) -> str:
    """Compose's `${NAME:-default}` with nothing exported: the default."""
    return re.sub(r"\$\{\w+:-([^}]*)\}", lambda m: m.group(1), value)


def gateway_env() -> dict[str, str]:
    return {k: interpolated(str(v)) for k, v in SERVICES["gateway"]["environment"].items()}


def gateway_settings() -> Settings:
    config = COMPOSE["configs"][SERVICES["gateway"]["configs"][0]["source"]]["file"]
    return load_settings(DEPLOY / config, env=gateway_env())


def emulator_port() -> int:
    command: list[str] = SERVICES["emulators"]["command"]
    assert command[:2] == ["teamgraph", "emulate"]
    assert command[command.index("--host") + 1] == "0.0.0.0"  # reachable from the gateways
    return int(command[command.index("--port") + 1])


def test_the_compose_file_matches_the_compose_spec() -> None:
    validator = jsonschema.Draft7Validator(SCHEMA)
    assert [e.message for e in validator.iter_errors(COMPOSE)] == []


def _compose_binary() -> list[str] | None:
    for argv in (["docker", "compose"], ["docker-compose"]):
        if shutil.which(argv[0]) is None:
            continue
        probe = subprocess.run([*argv, "version"], capture_output=True, timeout=30)
        if probe.returncode == 0:
            return argv
    return None


def test_docker_compose_config_accepts_it() -> None:
    argv = _compose_binary()
    if argv is None:
        pytest.skip("no `docker compose` here: the schema test above stands in for it")
    done = subprocess.run(
        [*argv, "-f", str(COMPOSE_FILE), "config", "-q"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_two_gateway_replicas_wait_for_healthy_redis_and_emulators() -> None:
    gateway = SERVICES["gateway"]
    assert gateway["deploy"]["replicas"] == 2
    assert gateway["depends_on"] == {
        "redis": {"condition": "service_healthy"},
        "emulators": {"condition": "service_healthy"},
    }
    for name, service in SERVICES.items():
        assert service["healthcheck"]["test"][0] == "CMD", name
    assert gateway["healthcheck"]["test"] == ["CMD", "teamgraph", "health"]
    # The config file is where TEAMGRAPH_CONFIG says, and `teamgraph health` reads its port.
    assert gateway["configs"][0]["target"] == gateway_env()["TEAMGRAPH_CONFIG"]
    published = gateway["ports"][0]
    assert published.endswith(f":{gateway_settings().server.port}")
    assert "-" in published.split(":")[-2]  # a host port range: one port per replica


async def test_the_emulators_healthcheck_asks_a_path_they_answer() -> None:
    command = " ".join(SERVICES["emulators"]["healthcheck"]["test"])
    url = urlsplit(re.findall(r"http://[^'\" ]+", command)[0])
    assert url.port == emulator_port()
    transport = httpx.ASGITransport(app=create_emulator_app(build_cast()))
    async with httpx.AsyncClient(transport=transport, base_url="http://emulators") as client:
        assert (await client.get(url.path)).status_code == 200


def test_the_gateways_config_points_at_the_emulators_and_shares_redis() -> None:
    settings = gateway_settings()
    port = emulator_port()
    for service, path in MOUNTS.items():
        backend = getattr(settings.backends, service)
        assert backend is not None, service
        assert (backend.url.host, backend.url.port, backend.url.path) == ("emulators", port, path)
    assert settings.cache.enabled and settings.cache.backend == "redis"
    assert settings.cache.redis_url is not None
    assert urlsplit(settings.cache.redis_url).hostname == "redis"
    assert "redis" in SERVICES
    # The demo cast's links, as `teamgraph emulate --write-config` writes them.
    links = build_cast().identity_links()
    assert [p.model_dump(exclude_none=True) for p in settings.people] == links["people"]


async def test_every_service_accepts_the_credentials_compose_gives(
    request: pytest.FixtureRequest,
) -> None:
    # `teamgraph check` in a gateway container: the emulators in-process instead of at
    # emulators:8001, and a local redis-server instead of redis:6379 (the probe is cached too).
    local_redis: str = request.getfixturevalue("redis_url")
    settings = gateway_settings()
    settings = settings.model_copy(
        update={"cache": settings.cache.model_copy(update={"redis_url": local_redis})}
    )
    emulators = create_emulator_app(build_cast())
    async with open_backends(
        settings, transport_for=lambda _s: httpx.ASGITransport(app=emulators)
    ) as backends:
        results = await probe(backends)
    assert [(s, ok) for s, ok, _ in results] == [(s, True) for s in MOUNTS], results
    assert all("credentials accepted" in line for _, _, line in results), results
