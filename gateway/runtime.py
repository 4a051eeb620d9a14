"""What `teamgraph serve` sets up in the process it owns (not the app: an app embedded in
someone else's process, or in the tests, leaves their interpreter alone)."""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Callable

log = logging.getLogger("teamgraph")

# How often the pacer looks at the collector's counts, in seconds.
TICK = 0.1
# At most this share of the process's time goes to collections: one that took 40 ms is
# followed by none for the next 2 s, one that took 1 ms by none for 50 ms.
SHARE = 0.02
# Idle, a collection is cheap (no request's objects to traverse): it runs once this many
# objects have been allocated and not freed since the last one.
IDLE_MIN = 1000
# However long a collection took, the next may run this many seconds later: a slow one
# must not hold off the next while garbage piles up (1 s would otherwise mean 50 s).
MAX_WAIT = 5.0


class CollectorPacer:
    """Python's cyclic garbage collector, run between requests rather than inside them.

    A request's payloads are freed by reference counting as soon as it is answered
    (`Context.release`, tests/gateway/test_request_memory.py), so collections find little to
    free; what they cost is traversing every young object still alive, and under load that
    is every in-flight request's payloads. CPython collects whenever allocations outnumber
    deallocations by 700 (gen 0), which at concurrency 16 happened dozens of times per
    query, each collection traversing sixteen requests' objects: up to a fifth of the CPU
    (README, Performance). So automatic collection is off and this task decides:

    - idle (no operation in flight): collect once `IDLE_MIN` objects are pending;
    - busy: collect once `threshold` objects (`server.gc_threshold`) are pending, which
      bounds how long cyclic garbage can live under load;
    - never more than `SHARE` of the time: after a collection, wait `took / SHARE`, unless
      that is more than `MAX_WAIT`.

    Young generations (0 and 1) are collected; every `gc.get_threshold()[2]`-th time a full
    collection, as CPython would.
    """

    def __init__(
        self,
        threshold: int,
        busy: Callable[[], bool],
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.threshold = threshold
        self.busy = busy
        self.clock = clock
        self.not_before = 0.0
        self.collections = 0
        self._task: asyncio.Task[None] | None = None
        self._was_enabled = True

    def start(self) -> None:
        """Freeze what startup built (it lives as long as the process: no collection
        traverses it again), turn automatic collection off, and pace from now on."""
        self._was_enabled = gc.isenabled()
        gc.freeze()
        gc.disable()
        self._task = asyncio.get_running_loop().create_task(self._run(), name="gc-pacer")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        gc.unfreeze()
        if self._was_enabled:  # the interpreter as it was found
            gc.enable()

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(TICK)
            try:
                self.step()
            except Exception:  # a gc callback that raised: keep pacing, or none would run
                log.exception("the paced garbage collection failed; pacing goes on")

    def step(self) -> bool:
        """Collect now if it is time to; True if it did."""
        now = self.clock()
        pending = gc.get_count()[0]
        due = self.threshold if self.busy() else IDLE_MIN
        if pending < due or now < self.not_before:
            return False
        full = gc.get_count()[2] >= gc.get_threshold()[2]
        gc.collect(2 if full else 1)
        done = self.clock()
        self.not_before = done + min((done - now) / SHARE, MAX_WAIT)
        self.collections += 1
        return True
