"""The gateway fuzz operations run on: the real app over the emulators, opened once.

:class:`FuzzGateway` keeps one event loop for every example, sends an operation and returns
its :class:`~tests.fuzzing.checks.Outcome`, with the upstream 5xx and the ERROR records it
caused collected alongside.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection, Iterable
from contextlib import AsyncExitStack
from types import TracebackType
from typing import Any

from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from tests.fuzzing.checks import Outcome, _documented_500
from tests.fuzzing.operations import Operation
from tests.fuzzing.scalars import Seeds, collect_seeds
from tests.harness import Gateway, open_gateway

# -- one gateway for many examples --------------------------------------------------------


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(self.format(record))


class FuzzGateway:
    """The real app over the emulators, opened once and driven synchronously.

    Hypothesis runs examples one after another in plain functions, so the gateway lives in
    an event loop of its own, kept for all examples: opening the app and five emulators per
    example would cost more than the examples. Reads leave no state behind (fresh loaders
    and memo per request); the circuit breakers and 429 gates are shared, but they only move
    when an upstream fails, which is itself a violation unless a service is `down` on purpose.

    `down` services answer 503 to everything (their 5xx are then expected, not violations);
    services left out of `only` are not configured. Seeds always come from the whole cast.
    """

    def __init__(
        self, cast: Cast, *, down: Collection[str] = (), only: Iterable[str] | None = None
    ) -> None:
        self.cast = cast
        self.down = frozenset(down)
        self.only = only
        self._loop = asyncio.new_event_loop()
        self._stack = AsyncExitStack()
        self._log = _Collect()
        self._gateway: Gateway | None = None
        self._seeds: Seeds | None = None

    @property
    def seeds(self) -> Seeds:
        assert self._seeds is not None, "use FuzzGateway in a with block"
        return self._seeds

    async def _open(self) -> Gateway:
        if self.down or self.only is not None:
            async with open_gateway(self.cast) as whole:
                self._seeds = await collect_seeds(whole)
        faults = {service: Faults(down=True) for service in self.down}
        gateway = await self._stack.enter_async_context(
            open_gateway(self.cast, faults=faults, only=self.only)
        )
        if self._seeds is None:
            self._seeds = await collect_seeds(gateway)
        return gateway

    def __enter__(self) -> FuzzGateway:
        self._gateway = self._loop.run_until_complete(self._open())
        logging.getLogger().addHandler(self._log)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        logging.getLogger().removeHandler(self._log)
        try:
            self._loop.run_until_complete(self._stack.aclose())
            self._loop.run_until_complete(self._loop.shutdown_asyncgens())
        finally:
            self._loop.close()

    def send(self, operation: Operation) -> Outcome:
        gw = self._gateway
        assert gw is not None, "use FuzzGateway in a with block"
        gw.log.clear()
        self._log.records.clear()
        started = self._loop.time()
        response = self._loop.run_until_complete(gw.post(operation.query, operation.variables))
        seconds = self._loop.time() - started
        try:
            body: Any = response.json()
        except ValueError:
            body = response.text
        return Outcome(
            operation,
            response.status_code,
            body,
            upstream_5xx=[
                f"{c} -> {c.status}"
                for c in gw.log.calls
                if c.status is not None
                and c.status >= 500
                and c.service not in self.down
                and not _documented_500(c)
            ],
            logged=list(self._log.records),
            seconds=seconds,
        )
