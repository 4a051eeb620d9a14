"""The hub: one polling task per (subscription field, team, caller credentials), shared by
every subscriber of that key, stopped when the last one leaves.

A :class:`Poller` polls, compares the new state with the last by its fingerprint, and hands a
changed state to every subscriber (an unchanged one only to subscribers that joined since, so
each gets its first event at once). Subscribers evaluate their own selections in the poller's
task: a subscriber leaving mid-evaluation can never cancel work the others share (the poll's
loaders and memos). A failed poll is a state too: subscribers get it as an error event, and the
next poll waits twice as long, up to ``max_backoff`` (and at least a 429's ``Retry-After``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Protocol

from resolvers.backends.scope import StaleAnswer

log = logging.getLogger("teamgraph.subscriptions")

# (subscription field, team key, digest of the caller's upstream credentials)
PollerKey = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class State:
    """One poll's outcome: a snapshot, or the error the poll ended with."""

    fingerprint: Hashable
    value: object
    # The poll's request context: subscribers' selections read what the poll read.
    context: object
    failed: bool = False
    # Seconds the failed service asked us to wait (a 429's Retry-After).
    retry_after: float = 0.0
    stale: tuple[StaleAnswer, ...] = ()


class Listener(Protocol):
    async def receive(self, state: State) -> None:
        """Turn `state` into the subscriber's next event; runs in the poller's task, and must
        not raise."""


Poll = Callable[[], Awaitable[State]]


@dataclass
class Poller:
    key: PollerKey
    poll: Poll
    interval: float
    max_backoff: float
    # Each listener, and whether it has been sent a state yet.
    listeners: dict[Listener, bool] = field(default_factory=dict)
    state: State | None = None
    polls: int = 0
    task: asyncio.Task[None] | None = None
    _joined: asyncio.Event = field(default_factory=asyncio.Event)

    def start(self) -> None:
        self.task = asyncio.ensure_future(self._run())

    def add(self, listener: Listener) -> None:
        self.listeners[listener] = False
        self._joined.set()

    async def _run(self) -> None:
        failures = 0
        while True:
            state = await self.poll()
            self.polls += 1
            changed = self.state is None or state.fingerprint != self.state.fingerprint
            self.state = state
            await self._send(state, everyone=changed)
            failures = failures + 1 if state.failed else 0
            await self._wait(self.next_delay(failures, state))

    def next_delay(self, failures: int, state: State) -> float:
        if not failures:
            return self.interval
        backoff = min(
            self.interval * float(2 ** min(failures, 30)), max(self.max_backoff, self.interval)
        )
        return max(backoff, state.retry_after)

    async def _wait(self, delay: float) -> None:
        """Sleep until the next poll, sending the current state to anyone who joins."""
        loop = asyncio.get_running_loop()
        until = loop.time() + delay
        while (left := until - loop.time()) > 0:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(left):
                    await self._joined.wait()
            if self._joined.is_set():
                self._joined.clear()  # before sending: a join meanwhile sets it again
                if self.state is not None:
                    await self._send(self.state, everyone=False)

    async def _send(self, state: State, *, everyone: bool) -> None:
        targets = [it for it, sent in self.listeners.items() if everyone or not sent]
        for listener in targets:
            self.listeners[listener] = True
        results = await asyncio.gather(
            *(listener.receive(state) for listener in targets), return_exceptions=True
        )
        for result in results:
            if isinstance(result, Exception):  # a bug in a listener: the others go on
                log.error("a subscriber failed to take an event", exc_info=result)


class Hub:
    """Every poller of one app. Built by the app (never a module global), closed by its
    lifespan before the upstream clients are."""

    def __init__(self, *, interval: float, max_backoff: float) -> None:
        self.interval = interval
        self.max_backoff = max_backoff
        self.pollers: dict[PollerKey, Poller] = {}

    def join(self, key: PollerKey, listener: Listener, poll: Callable[[], Poll]) -> Poller:
        """Add `listener` to the poller of `key`, starting one (with the poll `poll()` makes)
        when there is none."""
        poller = self.pollers.get(key)
        if poller is None:
            poller = Poller(key, poll(), self.interval, self.max_backoff)
            self.pollers[key] = poller
            poller.start()
            log.debug("polling %s for %s", key[0], key[1])
        poller.add(listener)
        return poller

    def leave(self, key: PollerKey, listener: Listener) -> None:
        """Remove `listener`; the last one out stops the poller (an in-flight poll included)."""
        poller = self.pollers.get(key)
        if poller is None or listener not in poller.listeners:
            return
        del poller.listeners[listener]
        if not poller.listeners:
            del self.pollers[key]
            if poller.task is not None:
                poller.task.cancel()
            log.debug("stopped polling %s for %s after %d polls", key[0], key[1], poller.polls)

    @property
    def subscribers(self) -> int:
        return sum(len(p.listeners) for p in self.pollers.values())

    async def close(self) -> None:
        tasks = [p.task for p in self.pollers.values() if p.task is not None]
        self.pollers.clear()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
