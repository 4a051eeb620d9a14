"""Opening a subscription, whatever carries it: checks, the team, the shared poll, the stream.

``Subscriptions.open`` does for a subscription what the HTTP endpoint does for a query: the
document is prepared (parse, cost analysis, validation: cached), variables coerced, the limits
checked; then the team it names is found once, and the subscriber joins the hub's poller of
(field, team, caller credentials). What it gets back is a :class:`Stream` of response bodies,
each shaped exactly like a query's (``data``, ``errors`` with ``extensions.code`` and
``service``), which the WebSocket and SSE transports only frame.

Every poll and every event runs as a query would: under a :class:`RequestScope` with the
caller's credentials, the upstream call budget and ``limits.request_timeout``; a poll also
takes an admission slot, so subscriptions cannot crowd queries out.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import Any, TypeVar

from graphql import OperationType, get_argument_values
from graphql.execution import Executor
from graphql.execution.collect_fields import collect_fields

from gateway.admission import Admission, Overloaded
from gateway.operations import Operations
from gateway.results import Redact, error_body, format_errors, response_body, stale_warnings
from gateway.settings import LimitsSettings, SubscriptionsSettings
from gateway.subscriptions.hub import Hub, Poll, PollerKey, State
from gateway.subscriptions.subscriber import QUEUE_SIZE, Checked, Rejected, Stream, rejection
from resolvers.backends import Backends
from resolvers.backends.errors import BackendError, GatewayError, Service
from resolvers.backends.scope import Budget, RequestScope, credentials_digest, request_scope
from resolvers.context import Context, IdentityLinks, build_context
from resolvers.directory import DirectoryCache
from schema.subscription import TOPICS, Snapshot, Topic, find_team

log = logging.getLogger("teamgraph.subscriptions")

T = TypeVar("T")


class PollTimedOut(GatewayError):
    code = "GATEWAY_TIMEOUT"


class GatewayBusy(GatewayError):
    code = "OVERLOADED"


class Subscriptions:
    """Opens subscriptions for one app; owns its hub."""

    def __init__(
        self,
        *,
        settings: SubscriptionsSettings,
        limits: LimitsSettings,
        operations: Operations,
        backends: Callable[[], Backends],
        links: IdentityLinks,
        clock: Callable[[], datetime],
        directories: DirectoryCache,
        admission: Admission,
        credential_headers: Mapping[Service, str],
        redact: Redact,
        topics: Mapping[str, Topic] = TOPICS,
    ) -> None:
        self.settings = settings
        self.limits = limits
        self.operations = operations
        self.backends = backends
        self.links = links
        self.clock = clock
        self.directories = directories
        self.admission = admission
        self.credential_headers = credential_headers
        self.redact = redact
        self.topics = topics
        self.hub = Hub(interval=settings.poll_interval, max_backoff=settings.max_backoff)
        # Streams open now, for subscriptions.max_total.
        self.count = 0
        self.queue_size = QUEUE_SIZE
        self.closing = False

    async def close(self) -> None:
        """End every stream (its client is told to subscribe again), stop polling, and
        refuse new subscriptions: the server is going away."""
        self.closing = True
        for poller in list(self.hub.pollers.values()):
            for listener in list(poller.listeners):
                if isinstance(listener, Stream):
                    listener.put(
                        error_body(
                            "the gateway is shutting down; subscribe again in a moment",
                            "SHUTTING_DOWN",
                        ),
                        last=True,
                    )
        await self.hub.close()

    def caller_credentials(self, headers: Mapping[str, str]) -> dict[Service, str]:
        """Service -> Authorization to send it, from the allow-listed headers (as HTTP)."""
        return {s: v for s, h in self.credential_headers.items() if (v := headers.get(h))}

    def check(
        self, query: str, variables: Mapping[str, Any] | None, operation_name: str | None
    ) -> Checked:
        """The request ready to subscribe, or Rejected with what is wrong with it."""
        prepared = self.operations.prepare(query, operation_name)
        if prepared.errors:
            raise Rejected(format_errors(prepared.errors, redact=self.redact))
        if prepared.operation != OperationType.SUBSCRIPTION:
            raise rejection(
                "only subscriptions are served here; send queries and mutations with POST /graphql",
                "OPERATION_NOT_SUPPORTED",
            )
        assert prepared.document is not None
        built = Executor.build(
            self.operations.schema,
            prepared.document,
            raw_variable_values=dict(variables) if variables is not None else None,
            operation_name=operation_name,
        )
        if isinstance(built, list):  # the variables do not fit the operation
            for error in built:
                error.extensions = {"code": "BAD_USER_INPUT", **(error.extensions or {})}
            raise Rejected(format_errors(built, redact=self.redact))
        root = self.operations.schema.subscription_type
        assert root is not None
        grouped = collect_fields(
            self.operations.schema,
            built.fragments,
            built.variable_values,
            root,
            built.operation,
        ).grouped_field_set
        # Validation allows one root field in a subscription, but @skip may leave none.
        if len(grouped) != 1:
            raise rejection("a subscription selects exactly one field", "BAD_USER_INPUT")
        node = next(iter(grouped.values()))[0].node
        name = node.name.value
        if name not in self.topics:
            raise rejection(f"{name} cannot be subscribed to", "GRAPHQL_VALIDATION_FAILED")
        arguments = get_argument_values(root.fields[name], node, built.variable_values)
        return Checked(prepared, variables, operation_name, name, arguments)

    async def open(self, request: Checked, *, credentials: Mapping[Service, str]) -> Stream:
        """A stream for a checked request: its first event comes as soon as the poller has a
        state. One naming no usable team gets one error event, then ends."""
        if self.closing:
            raise Rejected(
                error_body("the gateway is shutting down; subscribe again in a moment",
                           "SHUTTING_DOWN")["errors"],
                status=503,
                retry_after=1,
            )  # fmt: skip
        if self.count >= self.settings.max_total:
            raise Rejected(
                error_body(
                    f"the gateway already serves {self.count} subscriptions "
                    "(subscriptions.max_total); retry later",
                    "TOO_MANY_SUBSCRIPTIONS",
                )["errors"],
                status=503,
                retry_after=max(1, round(self.settings.poll_interval)),
            )
        own = dict(credentials)
        stream = Stream(self, request, own)
        self.count += 1
        topic = self.topics[request.field]
        context = self._context()
        try:
            async with self.admission.slot():
                team = await self._bounded(
                    lambda: find_team(context, str(request.arguments["team"]), topic.service),
                    self._scope(own),
                )
        except Overloaded as exc:
            stream.close()
            raise Rejected(
                error_body(exc.message, "OVERLOADED")["errors"],
                status=503,
                retry_after=exc.retry_after,
            ) from None
        except Exception as exc:
            if not isinstance(exc, GatewayError):
                log.error("finding the team of a subscription failed", exc_info=exc)
            try:
                stream.put(await self.evaluate(stream, exc, context, ()), last=True)
            except BaseException:
                stream.close()
                raise
            return stream
        except BaseException:  # cancelled (the client completed or left): nothing to return
            stream.close()
            raise
        digest = credentials_digest(repr(sorted(own.items())))
        key: PollerKey = (request.field, team.key, digest)
        stream.key = key
        self.hub.join(key, stream, lambda: self._poll(topic, team.key, own))
        return stream

    # -- polling and evaluating -----------------------------------------------------------

    def _context(self) -> Context:
        return build_context(
            self.backends(), links=self.links, clock=self.clock, directories=self.directories
        )

    def _scope(self, credentials: Mapping[Service, str]) -> RequestScope:
        limits = self.limits
        return RequestScope(
            budget=Budget(limits.max_upstream_calls, limits.max_upstream_calls_per_service),
            deadline=asyncio.get_running_loop().time() + limits.request_timeout,
            credentials=credentials,
        )

    async def _bounded(self, work: Callable[[], Awaitable[T]], scope: RequestScope) -> T:
        """Run `work` as one operation under `scope`: its budget, credentials and time limit."""
        with request_scope(scope):
            task = asyncio.ensure_future(work())
        try:
            async with asyncio.timeout(self.limits.request_timeout):
                return await task
        except TimeoutError:
            raise PollTimedOut(
                f"the poll did not finish within {self.limits.request_timeout:g}s "
                "(limits.request_timeout); it is tried again later"
            ) from None
        finally:
            if not task.done():
                task.cancel()
            scope.cancel_tasks()

    def _poll(self, topic: Topic, team: str, credentials: Mapping[Service, str]) -> Poll:
        async def poll() -> State:
            context = self._context()
            scope = self._scope(credentials)
            try:
                async with self.admission.slot():

                    async def snapshot() -> Snapshot:
                        found = await find_team(context, team, topic.service)
                        return await topic.poll(context, found)

                    value = await self._bounded(snapshot, scope)
            except Overloaded as exc:
                busy = GatewayBusy(exc.message + " (the poll is tried again later)")
                return _failed(busy, context, float(exc.retry_after))
            except Exception as exc:
                if not isinstance(exc, GatewayError):
                    log.error("a subscription poll failed", exc_info=exc)
                retry = getattr(exc, "retry_after", 0.0)
                return _failed(exc, context, float(retry), tuple(scope.stale))
            return State(value.fingerprint, value, context, stale=tuple(scope.stale))

        return poll

    async def evaluate(
        self, stream: Stream, root: object, context: Context, stale: tuple[Any, ...]
    ) -> dict[str, Any]:
        """The subscriber's selection against `root` (a snapshot's event, or an error):
        exactly what the executor answers a query of the same selection."""
        request = stream.request
        scope = self._scope(stream.credentials)
        try:
            result = await self._bounded(
                lambda: self.operations.execute(
                    request.prepared,
                    variables=request.variables,
                    operation_name=request.operation_name,
                    context=context,
                    root_value=root,
                ),
                scope,
            )
        except PollTimedOut:
            return error_body(
                f"the event did not finish within {self.limits.request_timeout:g}s "
                "(limits.request_timeout); select less",
                "GATEWAY_TIMEOUT",
            )
        body = response_body(result, problems=context.problems, redact=self.redact)
        warned = (*stale, *scope.stale)
        if warned:
            body.setdefault("errors", []).extend(stale_warnings(warned, self.redact))
        return body


def _failed(
    error: Exception, context: Context, retry_after: float, stale: tuple[Any, ...] = ()
) -> State:
    code = getattr(error, "code", type(error).__name__)
    service = error.service if isinstance(error, BackendError) else None
    return State(("failed", code, service), error, context, True, retry_after, stale)
