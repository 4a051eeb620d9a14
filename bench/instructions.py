"""Instructions per query, counted by callgrind: exact and repeatable where CPU time on a
shared machine is not, so a change's effect can be measured alone, before and after.

    python -m bench.instructions [--query Q1|TeamOverview|'{ graphql }'] [--queries 10]
                                 [--concurrency 1]

The gateway runs in this process (the app over ASGI, its upstream calls over real sockets to
nginx serving bench/peers' scale-4 snapshot, as in `python -m bench.peers`), under
`valgrind --tool=callgrind` with instrumentation switched on only around the measured
queries, after a warm-up. It counts what the gateway executes (and the in-process client's
share, the same for every build), not cache misses or waiting. Needs valgrind (Debian's
package) and the snapshot (`python -m bench.peers --quick --scales 4` records it). Run it in
two checkouts to compare builds: the checkout it runs from is the one measured.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).resolve().parent / "peers" / ".snapshots" / "scale-4"
_COLLECTED = re.compile(r"Collected : (\d+)")
_IDENTITY = {"accept-encoding": "identity"}


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.instructions", description=__doc__)
    p.add_argument("--query", default="Q1", help="Q1, TeamOverview, or a GraphQL document")
    p.add_argument("--queries", type=int, default=10, help="measured queries (default 10)")
    p.add_argument("--concurrency", type=int, default=1,
                   help="queries at once (default 1; --queries rounds up)")  # fmt: skip
    p.add_argument("--warmup", type=int, default=3, help="queries before measuring")
    p.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def payload(query: str) -> dict[str, Any]:
    from bench.peers.gateways import OVERVIEW, Q1, Target

    if query in (Q1, OVERVIEW):
        return Target("teamgraph", "teamgraph").payload(query)
    return {"query": query}


def batches(args: argparse.Namespace) -> int:
    return -(-args.queries // args.concurrency)


def callgrind_control(switch: str) -> None:
    subprocess.run(["callgrind_control", "-i", switch, str(os.getpid())], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


async def drive(args: argparse.Namespace) -> None:
    import httpx
    import orjson

    from gateway.app import create_app
    from gateway.settings import load_settings

    app = create_app(load_settings(SNAPSHOT / "teamgraph.toml"))
    body = payload(args.query)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:

            async def one() -> None:
                # Uncompressed, as bench/peers' load generator asks.
                response = await client.post("/graphql", json=body, headers=_IDENTITY)
                answer = orjson.loads(response.content)
                if response.status_code != 200 or answer.get("errors"):
                    sys.exit(f"the gateway answered {response.status_code}: {answer}")

            async def batch() -> None:
                await asyncio.gather(*(one() for _ in range(args.concurrency)))

            for _ in range(args.warmup):
                await batch()
            gc.collect()
            gc.freeze()
            gc.disable()  # as `teamgraph serve` paces it: no collection inside a query
            callgrind_control("on")
            for _ in range(batches(args)):
                await batch()
            callgrind_control("off")


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.inner:
        import uvloop

        uvloop.run(drive(args))
        return 0
    if not (SNAPSHOT / "teamgraph.toml").exists():
        sys.exit(f"no snapshot in {SNAPSHOT}: run `python -m bench.peers --quick --scales 4`")
    from bench.peers import nginx

    with tempfile.TemporaryDirectory() as run_dir:
        server = nginx.start([4], Path(run_dir), cpu=None)
        try:
            out = Path(run_dir) / "callgrind.out"
            argv = ["valgrind", "--tool=callgrind", "--instr-atstart=no",
                    f"--callgrind-out-file={out}", sys.executable, "-m", "bench.instructions",
                    "--inner", "--query", args.query, "--queries", str(args.queries),
                    "--warmup", str(args.warmup),
                    "--concurrency", str(args.concurrency)]  # fmt: skip
            done = subprocess.run(argv, capture_output=True, text=True, check=False)
        finally:
            server.stop()
    found = _COLLECTED.search(done.stderr)
    if done.returncode != 0 or found is None:
        sys.exit(f"the measured run failed:\n{done.stdout}\n{done.stderr[-2000:]}")
    measured = batches(args) * args.concurrency
    per_query = int(found.group(1)) / measured / 1e6
    at = f", {args.concurrency} at once" if args.concurrency > 1 else ""
    print(f"{args.query[:60]}: {per_query:.2f} M instructions a query ({measured} measured{at})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
