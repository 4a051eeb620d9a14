"""What `teamgraph serve` sets up in the process it owns (not the app: an app embedded in
someone else's process, or in the tests, leaves their interpreter alone)."""

from __future__ import annotations

import gc

# Objects allocated before the cyclic collector's youngest generation is collected. CPython's
# default, 700, suits scripts; one query here allocates tens of thousands of short-lived
# objects (payload models, records, the answer), so at 700 the collector ran a dozen times
# per query and about a fifth of the gateway's CPU went to it (bench/cpu.py, scale 4, Q1).
GEN0_THRESHOLD = 10_000


def tune_gc() -> None:
    """Collect less often, and never again trace what startup built (schema, plans, clients,
    settings): it lives as long as the process, so full collections skip it from now on."""
    gc.freeze()
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(GEN0_THRESHOLD, gen1, gen2)
