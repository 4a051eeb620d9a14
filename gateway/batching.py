"""Batched requests: a JSON array of operations in one POST, answered by an array of results
in the same order (as Apollo Client's BatchHttpLink and Apollo Router speak it).

Off unless ``server.batching = true``. A batch is **one operation to every limit**, so
batching can never buy more than a single request could:

* **one admission slot** for the whole batch, and its operations run one after the other:
  a batch never takes more of the gateway at once than one operation, and a burst of
  batches is queued and shed exactly as a burst of requests is. Running them one at a
  time also keeps the order a client wrote: a mutation's change is seen by the operations
  after it, and mutations run in order;
* **one cost**: the operations' measured costs and estimated upstream calls are added up
  and held to ``limits.max_cost`` and ``limits.max_estimated_upstream_calls`` before
  anything runs (over them, the whole batch is refused);
* **one deadline** (``limits.request_timeout``) and **one upstream-call budget**
  (``limits.max_upstream_calls``, and per service): an operation gets what the ones
  before it left.

The price is latency (the sum of the operations'), which is what a client pays for
sending them at once without the gateway trusting it with more. Each operation keeps its
own answer: a malformed one, an unknown persisted query or a failed one fails alone.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from gateway.admission import Admission
from gateway.http_input import GraphQLRequest, HttpError
from gateway.operations import Operations
from gateway.persisted import PersistedOperations
from gateway.results import error_body
from gateway.settings import LimitsSettings


@dataclass
class BatchShare:
    """What the operations of one batch share: a deadline (loop time) and the upstream
    calls made so far."""

    deadline: float
    calls: Counter[str] = field(default_factory=Counter)


# Runs one operation of the batch as the endpoint runs a request: (status, body).
RunOne = Callable[[GraphQLRequest, BatchShare], Awaitable[tuple[int, dict[str, Any]]]]


class Batches:
    def __init__(
        self,
        *,
        max_size: int,
        limits: LimitsSettings,
        admission: Admission,
        operations: Operations,
        persisted: PersistedOperations,
    ) -> None:
        self.max_size = max_size  # 0: batching is off
        self.limits = limits
        self.admission = admission
        self.operations = operations
        self.persisted = persisted

    async def run(
        self, items: Sequence[GraphQLRequest | HttpError], run: RunOne
    ) -> list[dict[str, Any]]:
        """One answer per item, in order; an HttpError for the batch as a whole."""
        resolved = [await self._resolve(item) for item in items]
        self._check_cost(resolved)
        async with self.admission.slot():
            loop = asyncio.get_running_loop()
            share = BatchShare(deadline=loop.time() + self.limits.request_timeout)
            answers: list[dict[str, Any]] = []
            for item in resolved:
                if isinstance(item, HttpError):
                    answers.append(item.body())
                elif loop.time() >= share.deadline:
                    answers.append(self._out_of_time())
                else:
                    try:
                        _, body = await run(item, share)
                    except HttpError as exc:
                        body = exc.body()
                    answers.append(body)
        return answers

    async def _resolve(self, item: GraphQLRequest | HttpError) -> GraphQLRequest | HttpError:
        if isinstance(item, HttpError):
            return item
        try:
            return await self.persisted.resolve(item)
        except HttpError as exc:
            return exc

    def _check_cost(self, items: Sequence[GraphQLRequest | HttpError]) -> None:
        cost = calls = 0
        for item in items:
            if isinstance(item, GraphQLRequest):
                analysis = self.operations.prepare(item.query, item.operation_name).analysis
                if analysis is not None:  # the rejected ones are answered alone
                    cost += analysis.cost
                    calls += analysis.estimated_calls
        limits = self.limits
        for measured, limit, key in ((cost, limits.max_cost, "max_cost"),
                                     (calls, limits.max_estimated_upstream_calls,
                                      "max_estimated_upstream_calls")):  # fmt: skip
            if measured > limit:
                raise HttpError(
                    400,
                    f"the batch's {len(items)} operations together measure {measured}, over "
                    f"limits.{key} ({limit}), which holds for a batch as for one operation; "
                    "send fewer operations per batch",
                    "OPERATION_TOO_COMPLEX",
                    extensions={"limit": limit, "measured": measured, "setting": f"limits.{key}"},
                )

    def _out_of_time(self) -> dict[str, Any]:
        return error_body(
            f"not run: the batch did not finish within {self.limits.request_timeout:g}s "
            "(limits.request_timeout, shared by a batch's operations); send fewer operations "
            "per batch",
            "GATEWAY_TIMEOUT",
        )
