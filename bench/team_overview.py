"""How TeamOverview's cost grows with the organisation: run on purpose, not by CI.

    python bench/team_overview.py [--scales 1 2 4] [--latency-ms 5] [--runs 5]

For each cast scale (N times the demo's teams and people) it runs the TeamOverview query
through the real ASGI app against in-process emulators that add `--latency-ms` to every
upstream response, and reports side by side, in one run: upstream calls, median wall time,
peak Python memory, and each as a ratio to the smallest scale. The emulators run in the
same process and event loop, so their CPU time is in the wall time too. Teams grow N times; with
batching, wall time should grow far less than N (per-team calls run concurrently) and calls
should grow by 3 per added team (see the README's upstream call contract).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gateway.emulators import MOUNTS
from gateway.emulators.cast_build import build_cast
from gateway.emulators.faults import Faults
from tests.harness import open_gateway
from tests.schema.test_team_overview import TEAM_OVERVIEW


async def measure(scale: int, latency_ms: float, runs: int) -> dict[str, float]:
    now = datetime.now(UTC).replace(microsecond=0)
    cast = build_cast(scale=scale, now=now)
    faults = {s: Faults(latency_ms=latency_ms) for s in MOUNTS}
    variables = {"from": str(now.date() - timedelta(days=6)), "to": str(now.date())}
    times, calls, peaks = [], 0, []
    async with open_gateway(cast, faults=faults) as gw:
        for _ in range(runs):  # timed runs, untraced: tracemalloc slows Python down
            gw.log.clear()
            started = time.perf_counter()
            result = await gw.execute(TEAM_OVERVIEW, variables)
            times.append((time.perf_counter() - started) * 1000)
            assert "errors" not in result, result["errors"]
            calls = gw.log.count()
        tracemalloc.start()  # one more run for peak memory (emulators' included)
        await gw.execute(TEAM_OVERVIEW, variables)
        peaks.append(tracemalloc.get_traced_memory()[1] / 1e6)
        tracemalloc.stop()
    return {
        "teams": len(cast.teams),
        "calls": calls,
        "ms": statistics.median(times),
        "mb": statistics.median(peaks),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--latency-ms", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows = [await measure(s, args.latency_ms, args.runs) for s in args.scales]
    base = rows[0]
    print(f"TeamOverview, {args.latency_ms} ms upstream latency, median of {args.runs} runs")
    header = ("scale", "teams", "calls", "x", "ms", "x", "peak MB", "x")
    print("{:>5} {:>5} {:>6} {:>5} {:>8} {:>5} {:>8} {:>5}".format(*header))
    for scale, r in zip(args.scales, rows, strict=True):
        print(
            f"{scale:>5} {r['teams']:>5.0f} {r['calls']:>6.0f} {r['calls'] / base['calls']:>5.2f}"
            f" {r['ms']:>8.1f} {r['ms'] / base['ms']:>5.2f}"
            f" {r['mb']:>8.1f} {r['mb'] / base['mb']:>5.2f}"
        )


if __name__ == "__main__":
    asyncio.run(main())
