"""What `teamgraph serve` sets up in the process it owns (not the app: an app embedded in
someone else's process, or in the tests, leaves their interpreter alone)."""

from __future__ import annotations

import gc


def tune_gc(gen0_threshold: int) -> None:
    """Collect less often, and never again trace what startup built (schema, plans, clients,
    settings): it lives as long as the process, so full collections skip it from now on.

    `gen0_threshold` (`server.gc_threshold`) is how many objects are allocated before the
    cyclic collector's youngest generation is collected. CPython's default, 700, suits
    scripts; one query here allocates tens of thousands of short-lived objects (payload
    models, records, the answer), so at 700 the collector ran a dozen times per query and
    about a fifth of the gateway's CPU went to it (bench/cpu.py, scale 4, Q1). The price of
    10,000 is memory: cyclic garbage lives longer (README, Performance).
    """
    gc.freeze()
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(gen0_threshold, gen1, gen2)
