"""Gateway CPU per query, with upstream I/O taken out: run on purpose, not by CI.

    python bench/cpu.py [--scale 4] [--runs 200] [--query team-overview|q1] [--json]
    python bench/cpu.py --telemetry off|spans   # metrics and trace context off; every span on
    python bench/cpu.py --baseline 3f1172f      # the same, side by side with another commit

Every upstream answer is recorded once from the emulators, then replayed from memory by a
transport that costs next to nothing, so what is measured is the gateway's own work per
query: HTTP handling, parsing and validation (cached after the first), execution, identity,
payload validation, JSON. CPU time comes from ``time.process_time`` over the timed runs,
divided by their number; the answers are checked to be identical run to run.

With ``--baseline REV`` the script also runs itself against a checkout of REV (a temporary
git worktree, imported first on ``sys.path``) in a fresh process, alternating rounds, and
prints the ratio. Real sockets and peers are `bench/peers/`'s job.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

Q1 = (
    "{ teams { name memberships(service: TEMPO) { role user { name } } "
    "rosters { name members { user { name } } } } }"
)


def team_overview() -> str:
    # Read from this tree's file, not imported: with --baseline, an older commit (which may
    # not have the module) comes first on sys.path.
    source = (ROOT / "gateway" / "graphiql" / "examples.py").read_text()
    return source.split('TEAM_OVERVIEW = """\\\n')[1].split('"""')[0]


async def measure(
    scale: int, runs: int, query_name: str, telemetry: str = "default"
) -> dict[str, Any]:
    import httpx

    from gateway.app import create_app
    from gateway.emulators import create_emulator_app
    from gateway.emulators.cast_build import build_cast
    from gateway.settings import demo_settings

    now = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)
    cast = build_cast(scale=scale, now=now)
    emulators = httpx.ASGITransport(app=create_emulator_app(cast))
    recorded: dict[str, tuple[int, list[tuple[bytes, bytes]], bytes]] = {}

    class Replay(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            key = f"{request.method} {request.url}"
            found = recorded.get(key)
            if found is None:
                response = await emulators.handle_async_request(request)
                body = await response.aread()
                headers = [
                    (k, v) for k, v in response.headers.raw if k.lower() != b"content-length"
                ]
                found = recorded[key] = (response.status_code, headers, body)
            status, headers, body = found
            return httpx.Response(status, headers=headers, content=body)

    replay = Replay()
    settings, options = with_telemetry(demo_settings(cast), telemetry)
    app = create_app(settings, transport_for=lambda _s: replay, clock=lambda: now, **options)
    query = Q1 if query_name == "q1" else team_overview()
    variables = {"from": str(now.date() - timedelta(days=6)), "to": str(now.date())}
    body = {"query": query, "variables": variables}
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as http,
    ):
        first = (await http.post("/graphql", json=body)).json()
        assert "errors" not in first, first["errors"]
        for _ in range(5):  # warm caches the way a running server has them
            await http.post("/graphql", json=body)
        started_cpu, started = time.process_time(), time.perf_counter()
        for _ in range(runs):
            answer = (await http.post("/graphql", json=body)).json()
        cpu_ms = (time.process_time() - started_cpu) * 1000 / runs
        wall_ms = (time.perf_counter() - started) * 1000 / runs
        assert answer == first, "answers differ between runs"
    return {
        "query": query_name,
        "scale": scale,
        "cpu_ms": round(cpu_ms, 3),
        "wall_ms": round(wall_ms, 3),
        "upstream_calls": len(recorded),
        "response_bytes": len(json.dumps(first)),
    }


def with_telemetry(settings: Any, telemetry: str) -> tuple[Any, dict[str, Any]]:
    """`--telemetry off`: no metrics, no trace context; `spans`: every span recorded (and
    dropped as it ends). A checkout from before `[telemetry]` runs as it is."""
    if telemetry == "default" or "telemetry" not in type(settings).model_fields:
        return settings, {}
    from gateway.settings import TelemetrySettings

    if telemetry == "off":
        off = TelemetrySettings(metrics=False, propagate=False)
        return settings.model_copy(update={"telemetry": off}), {}
    from opentelemetry.sdk.trace import ReadableSpan
    from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult

    class Discard(SpanExporter):
        # Kept spans would pile up over the runs and slow the garbage collector: a real
        # exporter sends them away.
        def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
            return SpanExportResult.SUCCESS

    return settings, {"span_exporter": Discard()}


def run_elsewhere(checkout: Path, args: argparse.Namespace) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    command = [
        sys.executable, str(Path(__file__).resolve()), "--scale", str(args.scale),
        "--runs", str(args.runs), "--query", args.query, "--json", "--here", str(checkout),
        "--telemetry", args.telemetry,
    ]  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=4)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--query", choices=["team-overview", "q1"], default="team-overview")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--baseline", help="a git revision to compare with, side by side")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--telemetry", choices=["default", "off", "spans"], default="default",
        help="default: metrics, trace context passed on; off: neither; spans: every span "
        "recorded too (then dropped). A baseline from before [telemetry] runs as it is.",
    )  # fmt: skip
    parser.add_argument("--here", help=argparse.SUPPRESS)  # the checkout being measured
    args = parser.parse_args()
    if args.here:
        sys.path.insert(0, args.here)
    if not args.baseline:
        result = asyncio.run(measure(args.scale, args.runs, args.query, args.telemetry))
        print(json.dumps(result) if args.json else result)
        return
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "baseline"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(base),
                        args.baseline], check=True)  # fmt: skip
        try:
            rows: dict[str, list[float]] = {"this": [], "baseline": []}
            for _ in range(args.rounds):  # alternate, so drift hits both alike
                rows["this"].append(run_elsewhere(ROOT, args)["cpu_ms"])
                rows["baseline"].append(run_elsewhere(base, args)["cpu_ms"])
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)],
                           check=True)  # fmt: skip
    this, baseline = statistics.median(rows["this"]), statistics.median(rows["baseline"])
    print(f"{args.query}, scale {args.scale}, {args.runs} runs x {args.rounds} rounds (median), "
          f"telemetry {args.telemetry}")  # fmt: skip
    print(f"  this checkout : {this:8.2f} CPU ms/query  {rows['this']}")
    print(f"  {args.baseline:<14}: {baseline:8.2f} CPU ms/query  {rows['baseline']}")
    print(f"  ratio         : {this / baseline:8.2f}x")


if __name__ == "__main__":
    main()
