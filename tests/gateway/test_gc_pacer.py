"""The collector paced between requests (gateway/runtime.py), with Python's real collector.

Each test makes one reference cycle and watches, through a weak reference, whether and when
the pacer collects it.
"""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager

from gateway.runtime import IDLE_MIN, MAX_WAIT, SHARE, TICK, CollectorPacer


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the cyclic collector frees it


def _garbage() -> weakref.ref[_Node]:
    return weakref.ref(_Node())


@asynccontextmanager
async def _pacing(threshold: int, busy: Callable[[], bool]) -> AsyncIterator[CollectorPacer]:
    gc.collect()
    pacer = CollectorPacer(threshold, busy=busy)
    pacer.start()
    try:
        yield pacer
    finally:
        await pacer.stop()


@contextmanager
def _pending(count: int) -> Iterator[None]:
    """`count` tracked objects allocated and kept: what the collector counts as pending
    (automatic collection off meanwhile, as while pacing, so none resets the count)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        kept: list[list[int]] = [[] for _ in range(count)]
        yield
        del kept
    finally:
        if enabled:
            gc.enable()


async def test_automatic_collection_is_off_while_pacing_and_back_after() -> None:
    async with _pacing(10_000, busy=lambda: True):
        assert not gc.isenabled()
    assert gc.isenabled()


async def test_stopping_leaves_the_collector_as_it_was_found() -> None:
    gc.disable()
    try:
        async with _pacing(10_000, busy=lambda: True):
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


async def test_busy_it_waits_for_the_threshold() -> None:
    async with _pacing(50_000, busy=lambda: True) as pacer:
        cycle = _garbage()
        await asyncio.sleep(4 * TICK)
        assert cycle() is not None and pacer.collections == 0
        with _pending(60_000):
            await asyncio.sleep(4 * TICK)
        assert cycle() is None and pacer.collections >= 1


async def test_idle_it_collects_what_little_is_pending() -> None:
    async with _pacing(1_000_000, busy=lambda: False) as pacer:
        cycle = _garbage()
        with _pending(IDLE_MIN + 100):
            await asyncio.sleep(4 * TICK)
        assert cycle() is None and pacer.collections >= 1


async def test_collections_take_no_more_than_their_share_of_the_time() -> None:
    now = [0.0]
    times = iter([0.0, 0.04])  # the first collection starts at 0 and takes 40 ms

    def clock() -> float:
        return next(times, now[0])

    pacer = CollectorPacer(100, busy=lambda: True, clock=clock)
    wait = 0.04 / SHARE  # 2 s after it ended
    for now[0], collects in ((0.0, True), (0.5, False), (0.03 + wait, False), (0.05 + wait, True)):
        with _pending(1_000):  # always enough pending: only the time decides
            assert pacer.step() is collects, now[0]


def test_a_slow_collection_holds_off_the_next_one_no_longer_than_max_wait() -> None:
    now = [0.0]
    times = iter([0.0, 1.0])  # the first collection takes a whole second: by share, 50 s

    def clock() -> float:
        return next(times, now[0])

    pacer = CollectorPacer(500, busy=lambda: True, clock=clock)
    for now[0], collects in (
        (0.0, True),
        (1.0 + MAX_WAIT - 0.1, False),
        (1.0 + MAX_WAIT + 0.1, True),
    ):
        with _pending(1_000):
            assert pacer.step() is collects, now[0]
