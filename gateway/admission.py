"""Admission control: a bounded number of operations run at once, a short bounded queue
waits for a slot, and everything past that is turned away at once with 503 + Retry-After.

Without it, a burst of slow operations shares one event loop until every one of them is
slow: at concurrency 128 the median answer took 17 s and healthy upstreams were blamed for
the gateway's own queueing. Shedding early keeps the admitted operations fast and tells the
rest, honestly, when to come back.

How many may run at once adapts, between ``min_in_flight`` and ``max_in_flight``, to the one
thing a single-threaded gateway runs out of: its event loop. Operations that mostly wait on
slow upstreams leave the loop idle, so many may run; operations that keep it busy (fast
upstreams, big answers, a core shared with other processes) make it late, and then fewer
do, so each finishes sooner instead of all sharing one saturated core (bench/load.py: at
64 clients the median wait went from 6-7 s with a fixed 32 to about 2 s). The rule is
AIMD, as TCP and Netflix's concurrency-limits use: one more slot per `limit` operations that
finish on time, a tenth fewer (at most every 100 ms) while the loop runs late.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

# How often the limit may shrink: one late loop tick must not cut it to the floor.
_DECREASE_EVERY = 0.1


class Overloaded(Exception):
    """No slot: the caller should retry after ``retry_after`` seconds."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class Admission:
    def __init__(
        self,
        *,
        max_in_flight: int,
        max_queue: int,
        queue_timeout: float,
        min_in_flight: int | None = None,
        target_lag: float = 0.0,
        lag: Callable[[], float] = lambda: 0.0,
        clock: Callable[[], float] | None = None,
    ) -> None:
        """`lag` is the event loop's recent lateness in seconds; above `target_lag` the
        limit shrinks. `target_lag` 0 turns adaptation off: `max_in_flight` is the limit."""
        self.max_in_flight = max_in_flight
        self.min_in_flight = min(min_in_flight or max_in_flight, max_in_flight)
        self.max_queue = max_queue
        self.queue_timeout = queue_timeout
        self.target_lag = target_lag
        self._lag = lag
        self._clock = clock
        # An idle gateway is presumed able: the first late ticks bring the limit down.
        self.limit = float(max_in_flight)
        self._last_decrease = float("-inf")
        self._queue: deque[asyncio.Future[None]] = deque()
        self.in_flight = 0
        self.shed = 0  # operations turned away since start (metrics, the load benchmark)

    @property
    def waiting(self) -> int:
        return len(self._queue)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        if self.in_flight < int(self.limit) and not self._queue:
            self.in_flight += 1
        else:
            await self._wait_in_queue()
        try:
            yield
        finally:
            self._finished()

    async def _wait_in_queue(self) -> None:
        if len(self._queue) >= self.max_queue:
            self.shed += 1
            raise Overloaded(
                f"the gateway is at capacity ({self.in_flight} operations running, "
                f"{len(self._queue)} waiting); retry in a second",
                retry_after=1,
            )
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.append(turn)
        try:
            async with asyncio.timeout(self.queue_timeout):
                await turn  # the slot is counted as ours when the future is set
        except TimeoutError:
            if self._give_up(turn):
                return  # the slot came as time ran out: take it
            self.shed += 1
            raise Overloaded(
                f"the gateway is at capacity: no slot freed within "
                f"{self.queue_timeout:g}s (limits.queue_timeout); retry in a few seconds",
                retry_after=max(1, round(self.queue_timeout)),
            ) from None
        except asyncio.CancelledError:  # the client left while waiting
            if self._give_up(turn):
                self._finished()  # it had just been given a slot: hand it on
            raise

    def _give_up(self, turn: asyncio.Future[None]) -> bool:
        """Leave the queue; True if a slot had been given meanwhile (it is ours)."""
        if turn.done() and not turn.cancelled():
            return True
        if turn in self._queue:
            self._queue.remove(turn)
        return False

    def _finished(self) -> None:
        self.in_flight -= 1
        self._adapt()
        while self._queue and self.in_flight < int(self.limit):
            turn = self._queue.popleft()
            if not turn.done():
                self.in_flight += 1
                turn.set_result(None)

    def _adapt(self) -> None:
        if self.target_lag <= 0:
            return
        if self._lag() > self.target_lag:
            now = self._now()
            if now - self._last_decrease >= _DECREASE_EVERY:
                self._last_decrease = now
                self.limit = max(float(self.min_in_flight), self.limit * 0.9)
        elif self.in_flight + 1 >= int(self.limit):
            # Only a limit that was reached is raised: an idle gateway learns nothing.
            self.limit = min(float(self.max_in_flight), self.limit + 1 / self.limit)

    def _now(self) -> float:
        return self._clock() if self._clock is not None else asyncio.get_running_loop().time()
