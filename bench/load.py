"""The overload benchmark: the gateway as a real process under closed-loop load, one run.

    python bench/load.py [--quick] [--query overview|q1] [--latency-ms 20]
                         [--limit max_queue=16 ...] [--compare max_in_flight=4,8,32]
                         [--no-admission] [--json]

It starts `teamgraph emulate --latency-ms MS --write-config` and `teamgraph serve --config`
(this checkout's code, `python -m gateway`) on free ports, the gateway pinned to one CPU with
`taskset` and the emulator and this load generator on the others. Then, for each
concurrency level, N clients send the query back to back (a closed loop; a shed answer's
Retry-After is honoured unless `--no-retry-after`), first for a warm-up, then for a measured
window. Per level it reports ok answers per second, p50/p99 latency of ok answers, shed
answers (503 + Retry-After + OVERLOADED), answers with errors by code (an UPSTREAM_TIMEOUT is
a false one: the emulator answers in MS), 504s, client timeouts, anything else, the
gateway's peak RSS and CPU, the emulator's CPU, and CPU used by other jobs on the machine.

Each gateway config (the defaults, each `--compare` value, admission effectively off with
`--no-admission`) gets a fresh gateway process, so their figures sit side by side in one
table. Not run by CI: it takes minutes (`--quick`: under a minute).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import orjson
import pydantic
import tomli_w

from bench.load_client import Level, drive
from bench.load_procs import Child, CpuWindow, Pinning, count_markers, cpu_model, free_port
from bench.load_table import problems, render_table
from gateway.settings import LimitsSettings
from tests.schema.test_team_overview import TEAM_OVERVIEW

LEVELS = [1, 2, 4, 8, 16, 32, 64, 128, 256]
QUICK_LEVELS = [1, 16, 128]
Q1 = (
    "{ teams { name memberships(service: TEMPO) { role user { name } } "
    "rosters { name members { user { name } } } } }"
)
# "Effectively off": more slots and queue places than any level has clients.
NO_ADMISSION = "no admission"
ADMISSION_OFF = {"max_in_flight": 1_000_000, "max_queue": 1_000_000}


@dataclass(frozen=True)
class Variant:
    name: str
    limits: dict[str, Any]


def payload(query: str, today: date) -> bytes:
    if query == "q1":
        return orjson.dumps({"query": Q1})
    week = {"from": str(today - timedelta(days=6)), "to": str(today)}
    return orjson.dumps(
        {"query": TEAM_OVERVIEW, "variables": week, "operationName": "TeamOverview"}
    )


def parse_override(text: str) -> tuple[str, list[Any]]:
    """`key=v` or `key=v1,v2`: the key and its values, each read as a TOML value."""
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"{text!r}: write key=value, e.g. max_in_flight=8")
    values: list[Any] = []
    for item in raw.split(","):
        try:
            values.append(tomllib.loads(f"v = {item.strip()}")["v"])
        except tomllib.TOMLDecodeError:
            values.append(item.strip())  # a bare word: let the settings model judge it
    return key.strip(), values


def variants(args: argparse.Namespace) -> list[Variant]:
    base: dict[str, Any] = {}
    for key, values in args.limit:
        base[key] = values[-1]
    shown = ",".join(f"{k}={v}" for k, v in base.items())
    found = [Variant(shown or "defaults", base)]
    if args.compare:
        key, values = args.compare
        found = [
            Variant(",".join(filter(None, [shown, f"{key}={v}"])), {**base, key: v}) for v in values
        ]
    if args.no_admission:
        found.append(Variant(NO_ADMISSION, {**base, **ADMISSION_OFF}))
    for variant in found:  # refuse a bad key or value before starting anything
        try:
            LimitsSettings.model_validate(variant.limits)
        except pydantic.ValidationError as exc:
            raise SystemExit(f"bench/load.py: [limits] {variant.limits}: {exc}") from None
    return found


async def run_variant(
    variant: Variant, args: argparse.Namespace, base_config: dict[str, Any], work: Path,
    pinning: Pinning, emulator: Child,
) -> dict[str, Any]:  # fmt: skip
    slug = "".join(c if c.isalnum() else "-" for c in variant.name)
    config = work / f"gateway-{slug}.toml"
    config.write_text(tomli_w.dumps({**base_config, "limits": variant.limits}))
    port = free_port()
    gateway = Child(
        f"gateway ({variant.name})",
        ["serve", "--config", str(config), "--port", str(port)],
        log_path=work / f"gateway-{slug}.log",
        cpus=pinning.gateway,
        env={"TEAMGRAPH_LOG_LEVEL": args.gateway_log_level},
    )
    rows: list[dict[str, Any]] = []
    try:
        gateway.wait_http(f"http://127.0.0.1:{port}/healthz", ok=True)
        body = payload(args.query, date.today())
        for concurrency in args.levels:
            if not gateway.alive():
                break
            level = Level(
                url=f"http://127.0.0.1:{port}/graphql",
                payload=body,
                concurrency=concurrency,
                warmup=args.warmup,
                duration=args.duration,
                client_timeout=args.client_timeout,
                honour_retry_after=not args.no_retry_after,
            )
            rows.append(await _measure(level, gateway, emulator))
            _progress(variant.name, rows[-1])
    finally:
        hwm_mb = gateway.memory_kb("VmHWM") / 1024
        exit_code = gateway.stop()
    limits = LimitsSettings.model_validate(variant.limits)
    return {
        "variant": variant.name,
        "limits": limits.model_dump(),
        # Off in effect when every client of every level gets a slot at once.
        "admission": limits.max_in_flight < max(args.levels),
        "levels": rows,
        "gateway_peak_rss_mb": hwm_mb,
        # Exited on its own before we stopped it, or died mid-run.
        "gateway_crashed": exit_code is not None or len(rows) < len(args.levels),
        "gateway_log": count_markers(gateway.log_since(0)),
    }


async def _measure(level: Level, gateway: Child, emulator: Child) -> dict[str, Any]:
    cpu = CpuWindow(gateway, emulator)
    log_offset = gateway.log_size()
    peak_kb = 0

    async def sample_rss() -> None:
        nonlocal peak_kb
        while True:
            peak_kb = max(peak_kb, gateway.memory_kb("VmRSS"))
            await asyncio.sleep(0.1)

    sampler = asyncio.create_task(sample_rss())
    try:
        stats, seconds = await drive(level, on_window_start=cpu.begin, on_window_end=cpu.end)
    finally:
        sampler.cancel()
    return {
        "concurrency": level.concurrency,
        "seconds": seconds,
        **stats.summary(seconds),
        "rss_peak_mb": peak_kb / 1024,
        **cpu.result,
        # The whole level (warm-up and drain too): a cancelled operation logs late.
        "gateway_log": count_markers(gateway.log_since(log_offset)),
    }


def _progress(name: str, row: dict[str, Any]) -> None:
    p50 = "-" if row["p50_ms"] is None else f"{row['p50_ms']:.0f}"
    print(
        f"  {name}: c={row['concurrency']} ok/s={row['ok_per_s']:.1f} p50={p50}ms "
        f"shed={row['shed']} errors={row['errors']} gw cpu={row.get('gateway_cpu_pct', 0):.0f}%",
        file=sys.stderr,
        flush=True,
    )


def machine(pinning: Pinning) -> dict[str, Any]:
    return {
        "nproc": os.cpu_count(),
        "cpu_model": cpu_model(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "python": platform.python_version(),
        "pinning": pinning.describe(),
        "loadavg_before": Path("/proc/loadavg").read_text().split()[:3],
    }


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="bench/load.py", description=(__doc__ or "").split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    p.add_argument("--quick", action="store_true",
                   help=f"smoke run: levels {QUICK_LEVELS}, 1 s warm-up, 3 s each")  # fmt: skip
    p.add_argument("--levels", type=int, nargs="+", help=f"concurrency levels (default {LEVELS})")
    p.add_argument("--duration", type=float, help="measured seconds per level (default 15)")
    p.add_argument("--warmup", type=float, help="warm-up seconds per level (default 3)")
    p.add_argument("--query", choices=["overview", "q1"], default="overview",
                   help="the README's TeamOverview (default) or the lighter q1")  # fmt: skip
    p.add_argument("--latency-ms", type=float, default=20.0, help="added by the emulator")
    p.add_argument("--scale", type=int, default=1, help="the emulator's cast scale")
    p.add_argument("--limit", type=parse_override, action="append", default=[],
                   metavar="KEY=VALUE", help="a [limits] key for every gateway run")  # fmt: skip
    p.add_argument("--compare", type=parse_override, metavar="KEY=V1,V2,...",
                   help="one gateway run per value of this [limits] key")  # fmt: skip
    p.add_argument("--no-admission", action="store_true",
                   help="add a run with admission effectively off")  # fmt: skip
    p.add_argument("--no-retry-after", action="store_true",
                   help="retry a shed answer at once, not after Retry-After")  # fmt: skip
    p.add_argument("--client-timeout", type=float, default=60.0, help="seconds (default 60)")
    p.add_argument("--gateway-log-level", default="info",
                   choices=["debug", "info", "warning", "error"])  # fmt: skip
    p.add_argument("--no-pin", action="store_true", help="do not pin processes to CPUs")
    p.add_argument("--keep", type=Path, metavar="DIR",
                   help="keep configs and process logs in DIR")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print JSON instead of the table")
    p.add_argument("--save", type=Path, metavar="FILE", help="also write the JSON report here")
    return p


def main() -> int:
    args = _parser().parse_args()
    args.levels = args.levels or (QUICK_LEVELS if args.quick else LEVELS)
    args.duration = args.duration or (3.0 if args.quick else 15.0)
    args.warmup = args.warmup if args.warmup is not None else (1.0 if args.quick else 3.0)
    chosen = variants(args)
    pinning = Pinning.plan(not args.no_pin)
    pinning.pin_self()
    info = machine(pinning)
    with tempfile.TemporaryDirectory(prefix="teamgraph-load-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        emu_port = free_port()
        emulator = Child(
            "emulator",
            ["emulate", "--port", str(emu_port), "--latency-ms", str(args.latency_ms),
             "--scale", str(args.scale), "--write-config", str(work / "emulator.toml")],
            log_path=work / "emulator.log",
            cpus=pinning.others,
            # Its one log line per request would cost the upstream CPU it needs to keep up.
            env={"TEAMGRAPH_LOG_LEVEL": "warning"},
        )  # fmt: skip
        started = time.monotonic()
        try:
            emulator.wait_http(f"http://127.0.0.1:{emu_port}/", ok=False)
            base = tomllib.loads((work / "emulator.toml").read_text())
            runs = [
                asyncio.run(run_variant(v, args, base, work, pinning, emulator)) for v in chosen
            ]
        finally:
            emulator.stop()
    report = {
        "machine": info,
        "settings": {
            "query": args.query, "latency_ms": args.latency_ms, "scale": args.scale,
            "levels": args.levels, "warmup_s": args.warmup, "duration_s": args.duration,
            "honour_retry_after": not args.no_retry_after,
            "client_timeout_s": args.client_timeout,
        },
        "runs": runs,
        "wall_s": time.monotonic() - started,
    }  # fmt: skip
    if args.save:
        args.save.write_text(json.dumps(report, indent=2))
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(render_table(report))
    return 1 if problems(report) else 0


if __name__ == "__main__":
    sys.exit(main())
