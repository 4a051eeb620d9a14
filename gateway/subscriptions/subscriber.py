"""One subscriber: its checked request, the last snapshot it was sent, its waiting events.

The hub hands it states (in the poller's task); it turns each into a response body through
:meth:`Subscriptions.evaluate` and queues it for its transport, which iterates the stream.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from gateway.operations import Prepared
from gateway.results import error_body
from gateway.subscriptions.hub import PollerKey, State
from resolvers.backends.errors import Service
from resolvers.context import Context
from schema.subscription import Snapshot

if TYPE_CHECKING:
    from gateway.subscriptions.streams import Subscriptions

# Events a subscriber may have waiting; a client that falls further behind is ended with
# SLOW_CONSUMER rather than holding the gateway's memory (events come at most once a poll).
QUEUE_SIZE = 32


class Rejected(Exception):
    """A subscription refused before it started: GraphQL errors, and the HTTP status an SSE
    request gets for it (a WebSocket sends them as an `error` message)."""

    def __init__(
        self, errors: list[dict[str, Any]], *, status: int = 400, retry_after: int | None = None
    ) -> None:
        super().__init__(errors[0]["message"] if errors else "rejected")
        self.errors = errors
        self.status = status
        self.retry_after = retry_after


def rejection(message: str, code: str, *, status: int = 400, **more: object) -> Rejected:
    return Rejected(error_body(message, code, **more)["errors"], status=status)


_END = object()  # queued after the last event


@dataclass(frozen=True, slots=True)
class Checked:
    """A subscribe request that passed every check: its document, variables, root field."""

    prepared: Prepared
    variables: Mapping[str, Any] | None
    operation_name: str | None
    field: str
    arguments: dict[str, Any]


class Stream:
    """Iterate it for response bodies; it ends after a terminal error (a team that cannot be
    subscribed to, a client too slow to read, the server shutting down). Always ``close()``
    it: the last subscriber out stops the poll."""

    def __init__(
        self,
        owner: Subscriptions,
        request: Checked,
        credentials: Mapping[Service, str],
    ) -> None:
        self.owner = owner
        self.request = request
        self.credentials = credentials
        self.key: PollerKey | None = None
        self.previous: Snapshot | None = None
        self.queue_size = owner.queue_size
        self.queue: asyncio.Queue[object] = asyncio.Queue()
        self.ended = False
        self.closed = False

    def __aiter__(self) -> Stream:
        return self

    async def __anext__(self) -> dict[str, Any]:
        item = await self.queue.get()
        if item is _END:
            self.queue.put_nowait(_END)  # asked again, still over
            raise StopAsyncIteration
        assert isinstance(item, dict)
        return item

    async def receive(self, state: State) -> None:
        if self.ended:
            return
        if state.failed:
            root = state.value
        else:
            snapshot = cast("Snapshot", state.value)
            root = snapshot.event(self.previous)
            self.previous = snapshot
        assert isinstance(state.context, Context)
        body = await self.owner.evaluate(self, root, state.context, state.stale)
        self.put(body)

    def put(self, body: dict[str, Any], *, last: bool = False) -> None:
        if self.ended:
            return
        if self.queue.qsize() >= self.queue_size:
            while not self.queue.empty():
                self.queue.get_nowait()
            body = error_body(
                f"more than {self.queue_size} events were waiting for this subscriber; read them "
                "faster, then subscribe again",
                "SLOW_CONSUMER",
            )
            last = True
        self.queue.put_nowait(body)
        if last:
            self.ended = True
            self.queue.put_nowait(_END)

    def close(self) -> None:
        """Leave the poller (the last subscriber out stops it); safe to call twice."""
        if self.closed:
            return
        self.closed = True
        self.ended = True
        if self.key is not None:
            self.owner.hub.leave(self.key, self)
        self.owner.count -= 1
