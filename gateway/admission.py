"""Admission control: a bounded number of operations run at once, a short bounded queue
waits for a slot, and everything past that is turned away at once with 503 + Retry-After.

Without it, a burst of slow operations shares one event loop until every one of them is
slow: at concurrency 128 the median answer took 17 s and healthy upstreams were blamed for
the gateway's own queueing. Shedding early keeps the admitted operations fast and tells the
rest, honestly, when to come back.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class Overloaded(Exception):
    """No slot: the caller should retry after ``retry_after`` seconds."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class Admission:
    def __init__(self, *, max_in_flight: int, max_queue: int, queue_timeout: float) -> None:
        self.max_in_flight = max_in_flight
        self.max_queue = max_queue
        self.queue_timeout = queue_timeout
        self._slots = asyncio.Semaphore(max_in_flight)
        self.in_flight = 0
        self.waiting = 0
        self.shed = 0  # operations turned away since start (metrics, the load benchmark)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        if self._slots.locked():
            if self.waiting >= self.max_queue:
                self.shed += 1
                raise Overloaded(
                    f"the gateway is at capacity ({self.in_flight} operations running, "
                    f"{self.waiting} waiting); retry in a second",
                    retry_after=1,
                )
            self.waiting += 1
            try:
                async with asyncio.timeout(self.queue_timeout):
                    await self._slots.acquire()
            except TimeoutError:
                self.shed += 1
                raise Overloaded(
                    f"the gateway is at capacity: no slot freed within "
                    f"{self.queue_timeout:g}s (limits.queue_timeout); retry in a few seconds",
                    retry_after=max(1, round(self.queue_timeout)),
                ) from None
            finally:
                self.waiting -= 1
        else:
            await self._slots.acquire()
        self.in_flight += 1
        try:
            yield
        finally:
            self.in_flight -= 1
            self._slots.release()
