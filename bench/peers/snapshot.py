"""Snapshots: every upstream body Q1 and TeamOverview need, recorded once, served by nginx.

For one cast scale, the emulators run in this process with "now" pinned (queries.PINNED_NOW)
behind a recording ASGI middleware, on a free port. Each Teamgraph build under test runs as
a real server (``teamgraph serve --config``) against them and answers Q1 and TeamOverview;
then the peers' URLs (Tempo ``/teams`` and ``/teams/{id}/members``, oncall ``/teams/{name}``)
are fetched too. Every distinct request and its body is written to ``bodies/``, with a
manifest that nginx.py turns into a static server answering the same paths.

Time-dependent requests: the gateway asks oncall ``/events?start__lt=<now>&end__gt=<now>``
with its own clock, so the recorder rewrites those two values to the pinned now before the
emulator sees them, and nginx serves that one body whatever values are asked at bench time.
The same holds for every parameter in TIME_PARAMS (Tempo ``from``/``to``, TeamPulse
``startDate``/``endDate``): nginx matches them by regex, all other parameters exactly.

Absolute links in bodies (Tempo's ``self``, ``metadata.next``) are rewritten from the
emulator's origin to the static server's, so pagination stays on the snapshot.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx
import orjson
import tomli_w
import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bench.peers import procs
from bench.peers.floor import LINK_FIELD, ONCALL, TEMPO
from bench.peers.queries import PINNED_NOW, Q1_TEAMGRAPH, TEAM_OVERVIEW, overview_variables
from bench.peers.teamgraph import REPO, Build

SNAPSHOTS = REPO / "bench" / "peers" / ".snapshots"
TIME_PARAMS = frozenset({"start__lt", "end__gt", "from", "to", "startDate", "endDate"})
_PINNED_EPOCH = str(int(PINNED_NOW.timestamp()))


@dataclass
class Recorded:
    status: int
    body: bytes


@dataclass
class Recorder:
    """ASGI middleware: pins oncall's time window, and keeps every (method, uri) -> body."""

    app: ASGIApp
    seen: dict[tuple[str, str], Recorded] = field(default_factory=dict)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        if scope["path"].endswith("/events") and query:
            pairs = [(k, _PINNED_EPOCH if k in ("start__lt", "end__gt") else v)
                     for k, v in parse_qsl(query, keep_blank_values=True)]  # fmt: skip
            scope = {**scope, "query_string": urlencode(pairs).encode()}
        uri = scope["path"] + (f"?{query}" if query else "")
        status, chunks = 0, []

        async def keep(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, keep)
        self.seen[(scope["method"], uri)] = Recorded(status, b"".join(chunks))


def digest(builds: list[Build]) -> dict[str, Any]:
    """What a snapshot depends on: the emulators' code and this generator."""
    emulators = subprocess.run(
        ["git", "rev-parse", "HEAD:gateway/emulators"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "diff", "HEAD", "--", "gateway/emulators"], cwd=REPO, capture_output=True
    ).stdout
    # The modules that decide what is recorded and how (not the runner's or the reports').
    here = Path(__file__).parent
    mine = b"".join((here / n).read_bytes() for n in ("snapshot.py", "queries.py", "floor.py"))
    return {
        "emulators": emulators + ("+" + hashlib.sha256(dirty).hexdigest()[:12] if dirty else ""),
        "generator": hashlib.sha256(mine).hexdigest()[:16],
        "now": PINNED_NOW.isoformat(),
    }


def snapshot_dir(scale: int) -> Path:
    return SNAPSHOTS / f"scale-{scale}"


def is_fresh(scale: int, port: int, builds: list[Build]) -> bool:
    path = snapshot_dir(scale) / "manifest.json"
    if not path.exists():
        return False
    manifest = json.loads(path.read_text())
    return (
        manifest.get("digest") == digest(builds)
        and manifest.get("port") == port
        and {b.key() for b in builds} <= set(manifest.get("builds", []))
    )


def _serve_in_thread(app: ASGIApp, port: int) -> tuple[uvicorn.Server, threading.Thread]:
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the recording emulator did not start")
        time.sleep(0.05)
    return server, thread


def _ask(url: str, query: str, variables: dict[str, str] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"query": query, "variables": variables or {}}
    r = httpx.post(url, json=body, timeout=300)
    answer: dict[str, Any] = r.json()
    if r.status_code != 200 or answer.get("errors"):
        raise RuntimeError(f"{url}: HTTP {r.status_code}, errors {answer.get('errors')}")
    return answer


def generate(scale: int, port: int, builds: list[Build], say: Callable[[str], None]) -> Path:
    """Record scale `scale` for static serving on 127.0.0.1:`port`; returns the directory."""
    from gateway.emulators import create_emulator_app
    from gateway.emulators.cast_build import build_cast
    from gateway.settings import demo_config

    out = snapshot_dir(scale)
    cast = build_cast(scale=scale, now=PINNED_NOW)
    recorder = Recorder(create_emulator_app(cast))
    emu_port = procs.free_port()
    server, thread = _serve_in_thread(recorder, emu_port)
    emu_origin = f"http://127.0.0.1:{emu_port}"
    answers: dict[str, dict[str, Any]] = {}
    try:
        config = tomli_w.dumps(demo_config(cast, origin=emu_origin))
        for build in builds:
            say(f"  recording scale {scale} through teamgraph {build.label} ({build.description})")
            answers[build.key()] = _record_build(build, config, out)
        overview = next(iter(answers.values()))["overview"]
        links = {
            a["id"]: b["id"]
            for t in overview["teams"]
            for a in t["accounts"] if a["service"] == "TEMPO"
            for b in t["accounts"] if b["service"] == "ONCALL"
        }  # fmt: skip
        _fetch_peer_urls(emu_origin, cast.credentials.tempo_token, links)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    _write(out, scale, port, builds, recorder, emu_port, links, answers)
    static = tomli_w.dumps(demo_config(cast, origin=f"http://127.0.0.1:{port}"))
    (out / "teamgraph.toml").write_text(static)
    return out


def _record_build(build: Build, config: str, out: Path) -> dict[str, Any]:
    work = out.parent / "work"
    work.mkdir(parents=True, exist_ok=True)
    cfg = work / f"record-{build.label}.toml"
    cfg.write_text(build.config_text(config))
    port = procs.free_port()
    argv = [*build.argv(), "serve", "--config", str(cfg), "--port", str(port)]
    proc = procs.start(f"teamgraph {build.label}", argv, log=work / f"record-{build.label}.log",
                       cpu=None, env=build.env(), cwd=build.cwd())  # fmt: skip
    url = f"http://127.0.0.1:{port}/graphql"
    try:
        procs.wait_graphql(proc, url)
        return {
            "q1": _ask(url, Q1_TEAMGRAPH)["data"],
            "overview": _ask(url, TEAM_OVERVIEW, overview_variables())["data"],
        }
    finally:
        proc.stop()


def _fetch_peer_urls(origin: str, token: str, links: dict[str, str]) -> None:
    """The URLs the peers ask for Q1, exactly as they ask them (no query string)."""
    tempo = httpx.Client(base_url=origin, headers={"Authorization": f"Bearer {token}"})
    with tempo:
        tempo.get(f"{TEMPO}/teams").raise_for_status()
        for team_id in links:
            tempo.get(f"{TEMPO}/teams/{team_id}/members").raise_for_status()
    with httpx.Client(base_url=origin) as oncall:
        for name in links.values():
            oncall.get(f"{ONCALL}/teams/{name}").raise_for_status()


def _write(out: Path, scale: int, port: int, builds: list[Build], recorder: Recorder,
           emu_port: int, links: dict[str, str], answers: dict[str, Any]) -> None:  # fmt: skip
    bodies = out / "bodies"
    bodies.mkdir(parents=True, exist_ok=True)
    for old in bodies.iterdir():
        old.unlink()
    origin = f"http://127.0.0.1:{port}".encode()
    entries = []
    for n, ((method, uri), rec) in enumerate(sorted(recorder.seen.items())):
        if rec.status != 200:
            raise RuntimeError(f"scale {scale}: {method} {uri} answered {rec.status}")
        body = rec.body
        for host in (b"127.0.0.1", b"localhost"):
            body = body.replace(b"http://%s:%d" % (host, emu_port), origin)
        if uri == f"{TEMPO}/teams" or uri.startswith(f"{TEMPO}/teams?"):
            body = with_links(body, links)
        name = f"{n:04d}.json"
        (bodies / name).write_bytes(body)
        entries.append({"method": method, "uri": uri, "file": name, "bytes": len(body)})
    manifest = {
        "scale": scale,
        "port": port,
        "digest": digest(builds),
        "builds": [b.key() for b in builds],
        "entries": entries,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1))
    (out / "answers.json").write_text(json.dumps(answers))


def with_links(body: bytes, links: dict[str, str]) -> bytes:
    """Tempo's /teams body with each team's linked oncall team name (Tempo id -> name)."""
    page = orjson.loads(body)
    for team in page["results"]:
        team[LINK_FIELD] = links.get(str(team["id"]))
    return orjson.dumps(page)


def load_bodies(scale: int) -> dict[str, bytes]:
    """uri -> body of a generated snapshot."""
    out = snapshot_dir(scale)
    manifest = json.loads((out / "manifest.json").read_text())
    return {e["uri"]: (out / "bodies" / e["file"]).read_bytes() for e in manifest["entries"]}


def load_answers(scale: int) -> dict[str, Any]:
    answers: dict[str, Any] = json.loads((snapshot_dir(scale) / "answers.json").read_text())
    return answers
