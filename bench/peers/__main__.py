"""Teamgraph side by side with Tailcall and Hive Gateway + Mesh, in one run, by one command.

    python -m bench.peers [--quick] [--scales 4] [--conc 1 16 64] [--rounds 3]
                          [--teamgraph LABEL=REF[+SNIPPET.toml] ...] [--gateways ...]
                          [--json FILE]

Snapshots of the emulators' answers are served by nginx at the same paths; each gateway runs
pinned to core 0, nginx and the load generator (this process) on core 1. For every gateway,
query, scale and concurrency: a warm-up, then a measured window in which CPU comes from
/proc, upstream calls from nginx's access log, and every answer is checked against the
expected one. A gateway's concurrencies are measured in a palindrome (1, 16, 64, then a
fresh process for 16, 1: half windows, then the other halves), so a drift of the machine's
speed lands on each alike. Rounds alternate the gateways' order; each figure is the median
of the rounds.
bench/peers/README.md explains every option and number.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

from bench.peers import load, nginx, peers, procs, report, snapshot, teamgraph
from bench.peers.floor import Q1Bodies, q1_answer, time_floor
from bench.peers.gateways import OVERVIEW, Q1, Target
from bench.peers.queries import canonical_overview, canonical_q1_teamgraph

RUNS = teamgraph.REPO / "bench" / "peers" / ".runs"
GATEWAY_CPU, BENCH_CPU = 0, 1


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.peers", description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true",
                   help="smoke run: scale 1, conc 1 and 16, one short round")  # fmt: skip
    p.add_argument("--scales", type=int, nargs="+", help="cast scales (default 4)")
    p.add_argument("--conc", type=int, nargs="+", help="concurrencies (default 1 16 64)")
    p.add_argument("--rounds", type=int, help="alternating rounds (default 3)")
    p.add_argument("--queries", nargs="+", choices=[Q1, OVERVIEW], default=[Q1, OVERVIEW])
    p.add_argument("--gateways", nargs="+", choices=["tailcall", "hive", "stack", "teamgraph"],
                   default=["tailcall", "hive", "stack", "teamgraph"],
                   help="stack: the stack floor (stack_floor.py)")  # fmt: skip
    p.add_argument("--teamgraph", action="append", metavar="LABEL=REF[+SNIPPET]",
                   help="a Teamgraph build to run (repeatable; default: "
                        "teamgraph=worktree and baseline=3f1172f)")  # fmt: skip
    p.add_argument(
        "--window",
        type=float,
        help="seconds measured per concurrency, in two halves but the last (default 5)",
    )
    p.add_argument("--warmup", type=float, help="seconds of warm-up before each batch (default 2)")
    p.add_argument("--port-base", type=int, default=18480,
                   help="static servers listen on PORT_BASE + scale")  # fmt: skip
    p.add_argument("--regenerate", action="store_true", help="rebuild the snapshots")
    p.add_argument("--json", type=Path, help="also write machine-readable results here")
    args = p.parse_args(argv)
    quick = args.quick
    args.scales = args.scales or ([1] if quick else [4])
    args.conc = args.conc or ([1, 16] if quick else [1, 16, 64])
    args.rounds = args.rounds or (1 if quick else 3)
    args.window = args.window or (1.0 if quick else 5.0)
    args.warmup = args.warmup or (0.5 if quick else 2.0)
    args.teamgraph = args.teamgraph or ["teamgraph=worktree", "baseline=3f1172f"]
    return args


def plan(args: argparse.Namespace, conc: int, seconds: float) -> load.Plan:
    return load.Plan(
        conc=conc,
        warmup_seconds=args.warmup,
        warmup_queries=min(conc, 16) if not args.quick else 2,
        window_seconds=seconds,
        window_queries=3 if args.quick else 10,
        max_seconds=30.0 if args.quick else 120.0,
    )


def palindrome(concs: list[int], window: float) -> list[list[tuple[int, float]]]:
    """(concurrency, seconds) in the order one gateway is measured, in legs each run by a
    freshly started process: a palindrome around the last concurrency, which gets one whole
    window, the others two halves (1, 16, 64 | 16, 1). The machine's speed drifts over a
    block (a shared host: the same build's CPU per query moved 1.7x within minutes here);
    measured in one pass, 1, 16, 64, a drift landed on 64 and 16 and read as a cost of
    concurrency. Mirrored, a steady drift lands on each concurrency equally. The way back
    down is a new process: what the top concurrency does to a gateway (the baseline's
    connection pool wedges at 64) must not spill into the other concurrencies' figures."""
    if len(concs) == 1:
        return [[(concs[0], window)]]
    outer = [(c, window / 2) for c in concs[:-1]]
    return [[*outer, (concs[-1], window)], list(reversed(outer))]


def measure(target: Target, proc: procs.Proc, url: str, query: str, conc: int, seconds: float,
            expected: Any, args: argparse.Namespace, server: nginx.Nginx, port: int) -> (
    dict[str, Any]
):  # fmt: skip
    """One measured batch: the raw sums a cell is made of (see `cell`)."""

    def on_start() -> dict[str, Any]:
        procs.reset_peak_rss(proc.pid)
        return {"cpu": procs.cpu_seconds(proc.pid), "log": server.offset(),
                "core": procs.core_busy_seconds(GATEWAY_CPU)}  # fmt: skip

    def on_end() -> dict[str, Any]:
        return {"cpu": procs.cpu_seconds(proc.pid), "log": server.offset(),
                "rss": procs.peak_rss_mb(proc.pid),
                "core": procs.core_busy_seconds(GATEWAY_CPU)}  # fmt: skip

    def check(data: dict[str, Any]) -> bool:
        return bool(target.canonical(query, data) == expected)

    w = asyncio.run(load.run(url, target.payload(query), check, plan(args, conc, seconds),
                             on_start=on_start, on_end=on_end))  # fmt: skip
    calls, bad = server.calls(w.before["log"], w.after["log"]).get(port, (0, 0))
    cpu = w.after["cpu"] - w.before["cpu"]
    return {
        "cpu": cpu, "others": max(0.0, w.after["core"] - w.before["core"] - cpu),
        "calls": calls, "upstream_errors": bad, "completed": w.completed,
        "seconds": w.seconds, "latencies": w.latencies_ms, "errors": w.errors,
        "shed": w.shed, "rss_mb": w.after["rss"], "samples": w.error_samples,
        "response_kb": w.response_bytes / 1024,
    }  # fmt: skip


def cell(target: Target, query: str, scale: int, conc: int, parts: list[dict[str, Any]]) -> (
    dict[str, Any]
):  # fmt: skip
    """One round's figures for (gateway, query, scale, conc) from its batches: sums divided
    by sums (CPU per query is all the CPU over all the queries), latencies pooled."""
    n = sum(p["completed"] for p in parts) or 1
    seconds = sum(p["seconds"] for p in parts)
    window = load.Window(latencies_ms=[ms for p in parts for ms in p["latencies"]])
    return {
        "gateway": target.name, "query": query, "scale": scale, "conc": conc,
        "cpu_ms": sum(p["cpu"] for p in parts) * 1000 / n,
        "core0_other_pct": 100 * sum(p["others"] for p in parts) / seconds
        if seconds else float("nan"),
        "calls": sum(p["calls"] for p in parts) / n,
        "upstream_errors": sum(p["upstream_errors"] for p in parts),
        "rps": n / seconds if seconds else 0.0,
        "p50": window.percentile(50), "p99": window.percentile(99),
        "errors": sum(p["errors"] for p in parts), "shed": sum(p["shed"] for p in parts),
        "completed": sum(p["completed"] for p in parts), "seconds": seconds,
        "rss_mb": max(p["rss_mb"] for p in parts),
        "samples": [s for p in parts for s in p["samples"]][:5],
        "response_kb": parts[-1]["response_kb"], "batches": len(parts),
    }  # fmt: skip


def failed(target: Target, query: str, scale: int, conc: int, why: str) -> dict[str, Any]:
    nan = float("nan")
    return {"gateway": target.name, "query": query, "scale": scale, "conc": conc,
            "cpu_ms": nan, "calls": nan, "rps": nan, "p50": nan, "p99": nan,
            "errors": 1, "completed": 0, "rss_mb": 0.0, "samples": [why]}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    # On SIGTERM too, unwind through the `finally`s that stop nginx and the gateways (each
    # runs in its own session, so it does not get the runner's signals).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if (os.cpu_count() or 1) >= 2:  # the load generator and nginx stay off the gateways' core
        os.sched_setaffinity(0, {BENCH_CPU})
    builds = [teamgraph.parse_build(spec) for spec in args.teamgraph]
    targets: list[Target] = []
    if "tailcall" in args.gateways:
        targets.append(Target("tailcall", "tailcall"))
    if "hive" in args.gateways:
        targets.append(Target("hive+mesh", "hive"))
    if "stack" in args.gateways:
        targets.append(Target("stack-floor", "stack"))
    if "teamgraph" in args.gateways:
        targets += [Target(b.label, "teamgraph", b) for b in builds]
    for b in builds:
        teamgraph.prepare(b, say=say)
    if any(t.kind in ("tailcall", "hive") for t in targets):
        peers.install(say)

    ports = {s: args.port_base + s for s in args.scales}
    for scale in args.scales:
        if args.regenerate or not snapshot.is_fresh(scale, ports[scale], builds):
            say(f"snapshot for scale {scale} is missing or stale: recording it")
            snapshot.generate(scale, ports[scale], builds, say)

    floor_ms: dict[int, float] = {}
    expected: dict[tuple[str, int], Any] = {}
    reference = next((b for b in builds if b.label == "baseline"), builds[0])
    for scale in args.scales:
        bodies = Q1Bodies.from_uris(snapshot.load_bodies(scale))
        floor_ms[scale] = time_floor(bodies)
        expected[(Q1, scale)] = canonical_q1_teamgraph(q1_answer(bodies))
        answers = snapshot.load_answers(scale)[reference.key()]
        expected[(OVERVIEW, scale)] = canonical_overview(answers["overview"])
        say(f"floor at scale {scale}: {floor_ms[scale]:.3f} ms for Q1 from {bodies.calls} bodies")

    run_dir = RUNS / time.strftime("%Y%m%d-%H%M%S")
    server = nginx.start(args.scales, run_dir, cpu=BENCH_CPU)
    cells: list[dict[str, Any]] = []
    try:
        for scale in args.scales:
            cells += run_scale(scale, ports[scale], targets, args, expected, server, run_dir)
    finally:
        server.stop()

    rows = report.aggregate(cells)
    baseline = next((b.label for b in builds if b.label == "baseline"), None)
    report.add_ratios(rows, floor_ms, {t.name: t.kind for t in targets}, baseline)
    info = report.machine()
    print(f"\n{info['date']} · {info['nproc']} cores · {info['cpu']} · "
          f"median of {args.rounds} round(s), {args.window:g} s windows")  # fmt: skip
    for t in targets:
        print(f"  {t.name}: {t.version}")
    for scale, ms in floor_ms.items():
        print(f"  floor (Q1, scale {scale}): {ms:.3f} ms")
    print()
    print(report.table(rows, [t.name for t in targets]))
    for row in rows:
        for sample in row["samples"][:2]:
            print(f"  {row['gateway']} {row['query']} s{row['scale']} c{row['conc']}: {sample}")
    if args.json:
        results = {"machine": info, "floor_ms": floor_ms, "rows": rows, "cells": cells,
                   "targets": [{"name": t.name, "kind": t.kind, "version": t.version}
                               for t in targets],
                   "options": {k: str(v) for k, v in vars(args).items()}}  # fmt: skip
        args.json.write_text(json.dumps(results, indent=1, default=str))
    say(f"logs: {run_dir}")
    failed = report.failed(rows, baseline)
    if failed:
        say(f"wrong answers from {', '.join(failed)}: see the errors column and samples")
    return 1 if failed else 0


def run_scale(scale: int, port: int, targets: list[Target], args: argparse.Namespace,
              expected: dict[tuple[str, int], Any], server: nginx.Nginx, run_dir: Path) -> (
    list[dict[str, Any]]
):  # fmt: skip
    """Every round, query and gateway; each gateway is started afresh for each (round, query)
    and leg of the palindrome, so what one block does to it (a wedged connection pool after
    concurrency 64, say) cannot spill into the next, and stopped after it."""
    upstream = f"http://127.0.0.1:{port}"
    cells: list[dict[str, Any]] = []
    for r in range(args.rounds):
        # Alternate the order so no gateway always runs first or last in a round.
        order = targets[r % len(targets) :] + targets[: r % len(targets)]
        for query in args.queries:
            for t in order:
                if query not in t.queries:
                    continue
                parts = run_block(t, query, scale, upstream, expected[(query, scale)], args,
                                  server, port, run_dir)  # fmt: skip
                if isinstance(parts, str):  # reported in the table; the others still run
                    say(f"  {t.name}: {parts} (log in {run_dir})")
                    cells += [failed(t, query, scale, c, parts) for c in args.conc]
                    continue
                for conc in args.conc:
                    c = cell(t, query, scale, conc, parts[conc])
                    say(f"  round {r + 1} {t.name:>10} {query} s{scale} c{conc}: "
                        f"{c['cpu_ms']:.1f} CPU ms/q, {c['rps']:.1f} RPS, "
                        f"{c['calls']:.1f} calls/q, {c['errors']} errors")  # fmt: skip
                    cells.append(c)
    return cells


def run_block(t: Target, query: str, scale: int, upstream: str, expected: Any,
              args: argparse.Namespace, server: nginx.Nginx, port: int, run_dir: Path) -> (
    dict[int, list[dict[str, Any]]] | str
):  # fmt: skip
    """One gateway's batches for one (round, query), by concurrency; or why it did not start."""
    parts: dict[int, list[dict[str, Any]]] = {c: [] for c in args.conc}
    for leg in palindrome(args.conc, args.window):
        try:
            proc, url = t.start(scale, upstream, run_dir, say)
        except Exception as exc:
            return f"did not start: {str(exc).splitlines()[0]}"
        try:
            for conc, seconds in leg:
                parts[conc].append(measure(t, proc, url, query, conc, seconds, expected,
                                           args, server, port))  # fmt: skip
        finally:
            proc.stop()
    return parts


if __name__ == "__main__":
    sys.exit(main())
