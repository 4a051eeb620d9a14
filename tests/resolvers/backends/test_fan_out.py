"""`gather_limited`: a loader's bounded fan-out to a per-key endpoint (resolvers/loaders.py)."""

from __future__ import annotations

import asyncio
from types import CoroutineType
from typing import Any

import pytest

from resolvers.backends.wire import gather_limited


class Upstream:
    """Stands in for an upstream: counts the calls in flight, answers when released."""

    def __init__(self) -> None:
        self.in_flight = 0
        self.most = 0
        self.started: list[int] = []
        self.release = asyncio.Event()

    async def call(self, n: int) -> int:
        self.started.append(n)
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        try:
            await self.release.wait()
            await asyncio.sleep(0.001 * (n % 3))  # answers arrive out of order
            if n == 13:
                raise LookupError("no 13")
            return n * 10
        finally:
            self.in_flight -= 1


async def test_at_most_limit_at_once_in_order_and_answers_in_order() -> None:
    upstream = Upstream()
    gathering = asyncio.ensure_future(
        gather_limited((upstream.call(n) for n in range(12)), limit=4)
    )
    await asyncio.sleep(0.01)
    assert upstream.started == [0, 1, 2, 3]  # the first four, and no more, until one ends
    upstream.release.set()
    assert await gathering == [n * 10 for n in range(12)]
    assert upstream.most == 4 and upstream.started == list(range(12))
    assert await gather_limited([], limit=4) == []


async def test_an_error_propagates_and_the_rest_still_run() -> None:
    upstream = Upstream()
    upstream.release.set()
    with pytest.raises(LookupError, match="no 13"):
        await gather_limited((upstream.call(n) for n in range(10, 20)), limit=3)
    await asyncio.sleep(0.05)  # as asyncio.gather: the others go on, and all are started
    assert sorted(upstream.started) == list(range(10, 20)) and upstream.in_flight == 0


async def test_cancelled_it_closes_what_it_never_started() -> None:
    upstream = Upstream()
    calls: list[CoroutineType[Any, Any, int]] = [upstream.call(n) for n in range(6)]  # type: ignore[misc]
    gathering = asyncio.ensure_future(gather_limited(calls, limit=2))
    await asyncio.sleep(0.01)
    gathering.cancel()
    with pytest.raises(asyncio.CancelledError):
        await gathering
    assert upstream.started == [0, 1] and upstream.in_flight == 0
    # Closed, so none warns that it was never awaited.
    assert all(c.cr_frame is None for c in calls)
