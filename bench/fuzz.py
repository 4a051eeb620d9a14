"""The schema fuzz test for a long run: run on purpose, not by CI.

    python bench/fuzz.py [--examples 20000] [--minutes 10] [--seed 0] [--chunk 500]
                         [--down SERVICE ...] [--only SERVICE ...]

Same operations and properties as ``tests/test_fuzz_schema.py`` (see ``tests/fuzzing/``),
against the real ASGI app over in-process emulators, until either budget runs out.

Examples run in chunks, each with its own seed. When an example breaks a property in a way
not seen before in this run, Hypothesis shrinks it and the minimal operation is printed with
its variables, the response and what the gateway logged (tracebacks included); that failure's
signature (kind and field path) is then known, so later chunks look for new ones instead of
finding the same bug again. At the end: how the operations fared (executed cleanly, partly
failed, rejected before execution), which error codes came back, and the slowest operation.
Exit status 1 if anything failed.

``--down oncall`` makes that emulator answer 503 to everything, ``--only tempo oncall``
leaves the other services unconfigured: the same properties must hold on those error paths
(an upstream 5xx from a service that is down is expected, not a failure).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gateway.emulators import MOUNTS
from gateway.emulators.cast_build import build_cast
from tests.conftest import NOW
from tests.fuzzing.checks import Outcome, error_codes, violations
from tests.fuzzing.fuzz_gateway import FuzzGateway
from tests.fuzzing.operations import operations


class Tally:
    def __init__(self) -> None:
        self.sent = 0
        self.fates: Counter[str] = Counter()
        self.codes: Counter[str] = Counter()
        self.statuses: Counter[int] = Counter()
        self.slowest: Outcome | None = None

    def add(self, outcome: Outcome) -> None:
        self.sent += 1
        self.statuses[outcome.status] += 1
        body = outcome.body if isinstance(outcome.body, dict) else {}
        if "data" not in body:
            self.fates["rejected before execution"] += 1
        elif body.get("errors"):
            self.fates["executed, some fields failed"] += 1
        else:
            self.fates["executed cleanly"] += 1
        self.codes.update(error_codes(outcome))
        if self.slowest is None or outcome.seconds > self.slowest.seconds:
            self.slowest = outcome


class _Failed(AssertionError):
    """An example broke a property in a way this run has not reported yet."""


def run_chunk(
    fuzz: FuzzGateway, examples: int, chunk_seed: int, known: set[str], tally: Tally
) -> Outcome | None:
    """Up to `examples` operations; the minimal failing outcome if a new failure turned up."""
    strategy = operations(fuzz.seeds)
    failing: list[Outcome] = []

    @hypothesis_seed(chunk_seed)
    @settings(
        max_examples=examples,
        database=None,
        deadline=None,  # slowness is reported at the end, not a failure
        phases=(Phase.generate, Phase.shrink),
        report_multiple_bugs=False,
        verbosity=Verbosity.quiet,  # we print the minimal example ourselves
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def prop(data: st.DataObject) -> None:
        outcome = fuzz.send(data.draw(strategy))
        tally.add(outcome)
        if any(v.signature not in known for v in violations(outcome)):
            # Shrinking re-runs the property; the last failing outcome is the minimal one.
            failing.append(outcome)
            raise _Failed

    try:
        prop()
    except _Failed:
        return failing[-1]
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=20_000, help="stop after this many")
    parser.add_argument("--minutes", type=float, default=10.0, help="or after this long")
    parser.add_argument("--seed", type=int, default=0, help="first chunk's seed")
    parser.add_argument("--chunk", type=int, default=500, help="examples per seed")
    parser.add_argument("--down", nargs="+", default=[], choices=MOUNTS, help="answer 503")
    parser.add_argument("--only", nargs="+", choices=MOUNTS, help="configure only these")
    args = parser.parse_args()

    tally = Tally()
    known: set[str] = set()
    failures = 0
    started = time.monotonic()
    deadline = started + args.minutes * 60
    with FuzzGateway(build_cast(now=NOW), down=args.down, only=args.only) as fuzz:
        chunk_seed = args.seed
        while tally.sent < args.examples and time.monotonic() < deadline:
            size = min(args.chunk, args.examples - tally.sent)
            found = run_chunk(fuzz, size, chunk_seed, known, tally)
            if found is not None:
                failures += 1
                signatures = sorted({v.signature for v in violations(found)})
                known.update(signatures)
                print(f"\n=== failure {failures} (seed {chunk_seed}): {'; '.join(signatures)}")
                print("\n".join(v.text for v in violations(found)))
                print(found.describe(), flush=True)
            minutes = (time.monotonic() - started) / 60
            print(
                f"[{minutes:5.1f} min] seed {chunk_seed}: {tally.sent} operations sent, "
                f"{failures} distinct failures",
                flush=True,
            )
            chunk_seed += 1

    minutes = (time.monotonic() - started) / 60
    print(f"\n{tally.sent} operations in {minutes:.1f} min (shrinking included)")
    for fate, count in tally.fates.most_common():
        print(f"  {fate}: {count}")
    print("HTTP statuses: " + ", ".join(f"{s} {n}" for s, n in sorted(tally.statuses.items())))
    print("error codes: " + ", ".join(f"{c} {n}" for c, n in tally.codes.most_common()))
    if tally.slowest is not None:
        print(f"slowest: {tally.slowest.seconds * 1000:.0f} ms\n{tally.slowest.operation.query}")
    print(f"{failures} distinct failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
