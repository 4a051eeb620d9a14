"""The command line, including the one smoke test that starts real servers on sockets."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from gateway.cli import main
from gateway.emulators.cast_build import build_cast
from gateway.settings import load_settings
from tests.schema.test_team_overview import TEAM_OVERVIEW
from tests.servers import free_port, free_ports


def test_schema_prints_the_sdl(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    sdl = capsys.readouterr().out
    for line in (
        "type Team implements Node",
        "type User implements Node",
        "type Event implements Node",
        "type Worklog implements Node",
        "type Meeting implements Node",
        "enum Service {",
        "enum MeetingKind {",
        "  node(",
        "    id: ID!",
    ):
        assert line in sdl
    # The range arguments are named as in the issue, though `from` is a Python keyword.
    assert '"""First day, inclusive."""\n    from: Date!' in sdl


def test_check_probes_every_demo_service(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    out = capsys.readouterr().out.splitlines()
    services = [line.split()[0] for line in out[1:]]
    assert services == ["tempo", "oncall", "teamoclock", "teampulse", "hack24"]
    assert all(line.split()[1] == "ok" for line in out[1:])


def test_check_reports_a_bad_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[backends.tempo]\nurl = "https://x"\n', encoding="utf-8")
    assert main(["check", "--config", str(path)]) == 2
    assert "backends.tempo.token: required key is missing" in capsys.readouterr().err


def test_check_fails_a_service_with_wrong_credentials(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An unreachable URL: connection refused, reported with what to check.
    path = tmp_path / "c.toml"
    path.write_text(
        f'[backends.hack24]\nurl = "http://127.0.0.1:{free_port()}"\ntimeout = 2\n',
        encoding="utf-8",
    )
    assert main(["check", "--config", str(path)]) == 1
    out = capsys.readouterr().out
    assert "hack24      FAIL UPSTREAM_UNAVAILABLE" in out
    assert "tempo       ok   not configured" in out


def test_a_bad_environment_variable_is_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TEAMGRAPH_LOG_LEVEL", "loud")
    assert main(["schema"]) == 2
    assert "TEAMGRAPH_LOG_LEVEL: Input should be 'debug'" in capsys.readouterr().err


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{process.args!r} exited with {process.returncode}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not come up in {seconds}s")


@contextmanager
def running(*args: str, url: str, env: Mapping[str, str] | None = None) -> Iterator[None]:
    env = {**os.environ, "TEAMGRAPH_LOG_LEVEL": "warning", **(env or {})}
    process = subprocess.Popen([sys.executable, "-m", "gateway", *args], env=env)
    try:
        wait_until_up(url, process)
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize("fail", [False, True])
def test_emulate_then_serve_over_real_sockets(
    tmp_path: Path, fail: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "c.toml"
    emulator_port, gateway_port = free_ports(2)
    emulate = ["emulate", "--port", str(emulator_port), "--scale", "3", "--write-config",
               str(config)] + (["--fail", "oncall"] if fail else [])  # fmt: skip
    variables = {"from": "2026-01-01", "to": "2026-12-31"}
    with running(*emulate, url=f"http://127.0.0.1:{emulator_port}/hack24/teams"):
        settings = load_settings(config)
        cast = build_cast(scale=3)
        assert [p.model_dump(exclude_none=True) for p in settings.people] == cast.identity_links()[
            "people"
        ]
        # `check` tells accepted credentials from rejected ones.
        wrong = tmp_path / "wrong.toml"
        wrong.write_text(config.read_text().replace("tempo-demo-token", "nope"))
        assert main(["check", "--config", str(wrong)]) == 1
        out = capsys.readouterr().out
        assert "tempo       FAIL UPSTREAM_UNAUTHORIZED" in out
        assert ("oncall      FAIL UPSTREAM_UNAVAILABLE" in out) == fail
        assert "teamoclock  ok   reachable, credentials accepted" in out
        # The port comes from the config, as in the Docker image's HEALTHCHECK.
        config.write_text(config.read_text() + f"\n[server]\nport = {gateway_port}\n")
        assert main(["health", "--config", str(config)]) == 1  # nothing listens yet
        assert "did not answer" in capsys.readouterr().out  # nor anything else on its port
        serve = ["serve", "--config", str(config)]
        with running(*serve, url=f"http://127.0.0.1:{gateway_port}/healthz"):
            assert main(["health", "--config", str(config)]) == 0
            response = httpx.post(
                f"http://127.0.0.1:{gateway_port}/graphql",
                json={"query": TEAM_OVERVIEW, "variables": variables},
                timeout=30,
            )
    assert response.status_code == 200
    result = response.json()
    teams = result["data"]["teams"]
    assert len(teams) == 12
    assert all(len(t["memberships"]) >= 5 for t in teams)
    assert all(t["meetings"] for t in teams)
    if fail:
        assert all(t["rosters"] is None and t["oncallNow"] is None for t in teams)
        assert {e["extensions"]["service"] for e in result["errors"]} == {"oncall"}
    else:
        assert "errors" not in result, result["errors"]
        assert all(t["oncallNow"] for t in teams)
        services = {a["service"] for t in teams for a in t["accounts"]}
        assert services == {"TEMPO", "ONCALL", "TEAMOCLOCK", "HACK24"}
        worklog_services = {
            w["service"] for t in teams for m in t["members"] for w in m["worklogs"]
        }
        assert worklog_services == {"TEMPO", "TEAMPULSE"}


def test_hash_key_prints_the_digest_the_config_wants() -> None:
    import hashlib

    done = subprocess.run(
        [sys.executable, "-m", "gateway", "hash-key"], input=b"s3cret\n", capture_output=True
    )
    assert done.returncode == 0
    assert done.stdout.decode().strip() == hashlib.sha256(b"s3cret").hexdigest()


def test_version_and_help_name_what_they_are(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith("teamgraph ")
    with pytest.raises(SystemExit):
        main(["emulate", "--help"])
    usage = capsys.readouterr().out
    assert "bind address" in usage and "the five APIs share it" in usage


def test_a_port_in_use_fails_without_a_false_banner() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "gateway", "serve", "--port", str(port)],
            capture_output=True,
            timeout=60,
            env={**os.environ, "TEAMGRAPH_LOG_LEVEL": "info", "TEAMGRAPH_LOG_FORMAT": "json"},
        )
    assert done.returncode != 0
    # With the JSON option every line is one event, uvicorn's included, with its level.
    events = [json.loads(line) for line in done.stderr.decode().splitlines()]
    assert any(
        e["level"] == "ERROR" and "address already in use" in e["message"].lower() for e in events
    ), events
    assert not any("GraphiQL at" in e["message"] for e in events)


COMMITTED_SDL = Path(__file__).parents[2] / "schema.graphql"


def test_the_committed_sdl_is_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    # On failure: `teamgraph schema > schema.graphql`, after reading the changes printed.
    assert main(["schema", "--check", str(COMMITTED_SDL)]) == 0, capsys.readouterr().out


def test_schema_check_reports_breaking_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A committed field the schema no longer has is a breaking change for clients.
    old = tmp_path / "schema.graphql"
    old.write_text(
        COMMITTED_SDL.read_text().replace(
            "type Team implements Node {", "type Team implements Node {\n  retired: Int", 1
        )
    )
    assert main(["schema", "--check", str(old)]) == 1
    out = capsys.readouterr().out
    assert "BREAKING FIELD_REMOVED: Field Team.retired was removed." in out
    assert "run `teamgraph schema >" in out


def _collections(port: int) -> dict[str, float]:
    """python_gc_collections_total per generation, as /metrics shows it."""
    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    found = re.findall(r'^python_gc_collections_total\{generation="(\d)"\} (\S+)$', text, re.M)
    return {generation: float(count) for generation, count in found}


def test_serve_runs_the_collector_between_requests(tmp_path: Path) -> None:
    """`serve` hands garbage collection to its pacer (gateway/runtime.py): requests trigger
    no automatic collection (CPython's would collect generation 0 every 700 allocations,
    many times per request), and the pacer collects once they are done."""
    port = free_port()
    week = {"from": "2026-11-17", "to": "2026-11-23"}
    with running("serve", "--port", str(port), url=f"http://127.0.0.1:{port}/healthz"):
        before = _collections(port)
        for _ in range(5):
            answer = httpx.post(
                f"http://127.0.0.1:{port}/graphql",
                json={"query": TEAM_OVERVIEW, "variables": week},
                timeout=30,
            )
            assert answer.status_code == 200 and answer.json()["data"]["teams"]
        deadline = time.monotonic() + 5
        while (after := _collections(port))["1"] + after["2"] == before["1"] + before["2"]:
            assert time.monotonic() < deadline, "the pacer collected nothing once idle"
            time.sleep(0.1)
    assert set(before) == {"0", "1", "2"}
    assert after["0"] == before["0"]
