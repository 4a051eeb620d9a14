"""POST/GET /graphql: the HTTP side of an operation, and everything that bounds it.

One request goes: caller authentication → body read (size- and time-bounded) and checked →
admission (a slot, a short queue, or 503) → document prepared (cached) → executed under the
request's scope (budget, deadline, trace, caller credentials) while the client's disconnect
is watched → the response. Every way out is a JSON body with an ``extensions.code``; no
input makes it a 500 with a traceback.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from graphql import OperationType
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from gateway.admission import Admission, Overloaded
from gateway.answer_cache import AnswerCache
from gateway.auth import CallerAuth, Unauthenticated
from gateway.batching import Batches, BatchShare
from gateway.http_input import GRAPHQL_RESPONSE, GraphQLRequest, HttpError, read_request
from gateway.http_input import ClientGone as _ClientGone
from gateway.http_input import json_response as _json
from gateway.http_input import media_type as _media_type
from gateway.http_input import query_params as _query_params
from gateway.operations import Operations, Prepared
from gateway.persisted import PersistedOperations
from gateway.results import (
    error_body,
    log_request_errors,
    response_body,
    shorten,
    stale_warnings,
)
from gateway.settings import LimitsSettings
from gateway.telemetry import Operation, Telemetry
from resolvers.backends import Backends
from resolvers.backends.errors import Service
from resolvers.backends.scope import Budget, RequestScope, request_scope
from resolvers.context import IdentityLinks, build_context
from resolvers.directory import DirectoryCache
from resolvers.writes import Idempotency

if TYPE_CHECKING:
    from gateway.subscriptions.sse import EventStreams

log = logging.getLogger("teamgraph.http")

TRACE_HEADER = "x-teamgraph-trace"
COST_HEADER = "x-teamgraph-cost"


@dataclass
class EndpointConfig:
    limits: LimitsSettings
    graphiql: Callable[[], Response] | None  # the page for browsers (gateway/graphiql)
    # Service -> the request header whose value is sent as that service's Authorization.
    credential_headers: Mapping[Service, str]
    operator_fields: bool = False  # `[server] operator_fields`: identityReport answers
    max_batch_size: int = 0  # 0: a JSON array of operations is refused


class GraphQLEndpoint:
    def __init__(
        self,
        *,
        operations: Operations,
        config: EndpointConfig,
        backends: Callable[[], Backends],
        links: IdentityLinks,
        clock: Callable[[], datetime],
        admission: Admission,
        idempotency: Idempotency,
        caller_auth: CallerAuth,
        redact: Callable[[str], str],
        telemetry: Telemetry,
        directories: DirectoryCache,
        answers: AnswerCache | None = None,
        persisted: PersistedOperations | None = None,
    ) -> None:
        self.operations = operations
        self.config = config
        self.backends = backends
        self.links = links
        self.clock = clock
        self.admission = admission
        self.idempotency = idempotency
        self.caller_auth = caller_auth
        self.redact = redact
        self.telemetry = telemetry
        self.directories = directories
        self.answers = answers  # whole answers kept ([cache] on, in-process store)
        self.persisted = persisted or PersistedOperations()
        self.batches = Batches(max_size=config.max_batch_size, limits=config.limits,
                               admission=admission, operations=operations,
                               persisted=self.persisted)  # fmt: skip
        # Set by the app: subscriptions over SSE, and the 400 for one sent without a stream.
        self.streams: EventStreams | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope)
        with self.telemetry.operation(scope["method"], headers) as op:
            await self._respond(scope, receive, send, headers, op)

    async def _respond(
        self, scope: Scope, receive: Receive, send: Send, headers: Headers, op: Operation
    ) -> None:
        method = scope["method"]
        media = _media_type(headers)
        try:
            page = self.config.graphiql
            if page is not None and method == "GET" and self._wants_graphiql(scope, headers):
                await page()(scope, receive, send)
                return
            if method not in ("GET", "POST"):
                raise HttpError(
                    405,
                    f"{method} is not supported; use POST (or GET for queries)",
                    "METHOD_NOT_ALLOWED",
                    headers={"Allow": "GET, POST"},
                )
            caller = await self.caller_auth.authenticate(headers)
            request = await read_request(
                scope, receive, headers, self.config.limits, self.batches.max_size
            )
            if isinstance(request, list):  # a batch: an array of answers, in order
                # One operation to telemetry too, as to admission, cost and the budget.
                answers = await self.batches.run(request, lambda one, share: self._run(
                    one, method, headers, receive, str(caller), op, share))  # fmt: skip
                op.answered(200)
                await _json(200, answers, None, media)(scope, receive, send)
                return
            request = await self.persisted.resolve(request)
            if self.streams and await self.streams.handle(request, headers, scope, receive, send):
                return
            async with self.admission.slot():
                status, body = await self._run(request, method, headers, receive, str(caller), op)
        except HttpError as exc:
            status, body = exc.status_for(media), exc.body()
            op.answered(status, body)
            await _json(status, body, exc.headers, media)(scope, receive, send)
            return
        except Unauthenticated as exc:
            op.answered(401)
            await _json(401, error_body(str(exc), "UNAUTHENTICATED"),
                        {"WWW-Authenticate": "Bearer"}, media)(scope, receive, send)  # fmt: skip
            return
        except Overloaded as exc:
            retry = {"Retry-After": str(exc.retry_after)}
            op.answered(503)
            await _json(503, error_body(exc.message, "OVERLOADED"), retry, media)(
                scope, receive, send
            )
            return
        except _ClientGone:
            op.cancelled()
            return
        if status == 200 and media == GRAPHQL_RESPONSE and "data" not in body:
            # GraphQL over HTTP: a request that never reached execution (unparsable, invalid,
            # bad variables) is a 400 under the new media type; application/json keeps 200.
            status = 400
        op.answered(status, body)
        await _json(status, body, None, media)(scope, receive, send)

    def _wants_graphiql(self, scope: Scope, headers: Headers) -> bool:
        if not self.config.graphiql:
            return False
        return b"query" not in _query_params(scope) and "text/html" in headers.get("accept", "")

    # -- running it -----------------------------------------------------------------------

    async def _run(
        self,
        request: GraphQLRequest,
        method: str,
        headers: Headers,
        receive: Receive,
        caller: str,
        op: Operation,
        share: BatchShare | None = None,
    ) -> tuple[int, dict[str, Any]]:
        prepared = self.operations.prepare(request.query, request.operation_name)
        op.prepared(prepared, request.operation_name)
        if prepared.errors:
            log_request_errors(prepared.errors, self.redact)
            body = {"errors": [_formatted(e, self.redact) for e in prepared.errors]}
            return 200, body
        if method == "GET" and prepared.operation != OperationType.QUERY:
            raise HttpError(405, "only queries may be sent with GET; send mutations with POST",
                            "METHOD_NOT_ALLOWED", headers={"Allow": "POST"})  # fmt: skip
        limits = self.config.limits
        loop = asyncio.get_running_loop()
        deadline = share.deadline if share else loop.time() + limits.request_timeout
        credentials = self._caller_credentials(headers)
        bypass = "no-cache" in headers.get("cache-control", "").lower()
        kept, key = self._kept_answer(request, prepared, headers, credentials, bypass, share)
        if kept is not None:
            return 200, kept
        if self.answers is not None and prepared.operation == OperationType.MUTATION:
            self.answers.clear()  # nothing kept from now on shows the state before the write
        scope = RequestScope(
            budget=Budget(limits.max_upstream_calls, limits.max_upstream_calls_per_service),
            deadline=deadline,
            trace=[] if _flag(headers, TRACE_HEADER) else None,
            credentials=credentials,
            cache_bypass=bypass,
        )
        context = build_context(
            self.backends(),
            links=self.links,
            clock=self.clock,
            directories=self.directories,
            caller=caller,
            idempotency=self.idempotency,
            operator_fields=self.config.operator_fields,
        )
        try:
            if share:  # a batch's operations share one budget
                scope.earlier = share.calls
            with request_scope(scope):
                execution = asyncio.ensure_future(
                    self.operations.execute(
                        prepared,
                        variables=request.variables,
                        operation_name=request.operation_name,
                        context=context,
                    )
                )
            gone = asyncio.ensure_future(_disconnected(receive))
            try:
                async with asyncio.timeout_at(deadline):
                    await asyncio.wait({execution, gone}, return_when=asyncio.FIRST_COMPLETED)
            except TimeoutError:
                _cancel(execution, scope)
                name = op.name or "(anonymous)"  # the document's, even without operationName
                log.warning(
                    "operation %s cancelled after %ss (limits.request_timeout)",
                    name,
                    limits.request_timeout,
                )
                return 504, error_body(
                    f"the operation did not finish within {limits.request_timeout:g}s "
                    "(limits.request_timeout); ask for less in one operation",
                    "GATEWAY_TIMEOUT",
                )
            finally:
                gone.cancel()
                if share:
                    share.calls.update(scope.calls)
            if not execution.done():  # the client went away: stop everything it started
                _cancel(execution, scope)
                raise _ClientGone
            result = execution.result()
            if result.errors and result.data is None and all(e.path is None for e in result.errors):
                for error in result.errors:  # variable coercion: the caller's input is wrong
                    error.extensions = {"code": "BAD_USER_INPUT", **(error.extensions or {})}
                log_request_errors(result.errors, self.redact)
            extensions = self._extensions(headers, scope, prepared)
            body = response_body(
                result, problems=context.problems, redact=self.redact, extensions=extensions
            )
            if scope.stale:
                body.setdefault("errors", []).extend(stale_warnings(scope.stale, self.redact))
            if self.answers is not None and prepared.operation == OperationType.MUTATION:
                self.answers.clear()  # nor what was kept while it ran
            elif self.answers is not None and key is not None:
                self.answers.keep(key, body, scope.fresh_until)
            return 200, body
        finally:
            # Answered (or given up): let the request's payloads go now, by reference
            # counting. Whatever it leaves in reference cycles (an exception's traceback,
            # graphql-core's executor) would otherwise hold them until the cyclic collector
            # runs, traversed by every collection meanwhile. Work of the request still
            # running (a memo nobody awaited) is stopped first: nothing will read it.
            scope.cancel_tasks()
            context.release()

    def _kept_answer(
        self,
        request: GraphQLRequest,
        prepared: Prepared,
        headers: Headers,
        credentials: Mapping[Service, str],
        bypass: bool,
        share: BatchShare | None,
    ) -> tuple[dict[str, Any] | None, bytes | None]:
        """A kept answer to serve instead of running the query, and the key to keep this
        one's under. Not for a batch's operations (one budget), nor for a caller asking to
        see the upstream calls or the cost: those run."""
        if self.answers is None or share is not None or prepared.operation != OperationType.QUERY:
            return None, None
        if _flag(headers, TRACE_HEADER) or _flag(headers, COST_HEADER):
            return None, None
        key = self.answers.key(request.query, request.operation_name, request.variables,
                               credentials)  # fmt: skip
        if key is None or bypass:
            return None, key
        found = self.answers.get(key)
        if self.telemetry.metrics is not None:
            self.telemetry.metrics.answers.labels("miss" if found is None else "hit").inc()
        return found, key

    def _caller_credentials(self, headers: Headers) -> dict[Service, str]:
        found: dict[Service, str] = {}
        for service, header in self.config.credential_headers.items():
            value = headers.get(header)
            if value:
                found[service] = value
        return found

    def _extensions(
        self, headers: Headers, scope: RequestScope, prepared: Prepared
    ) -> dict[str, Any] | None:
        extensions: dict[str, Any] = {}
        if scope.trace is not None:
            extensions["upstream"] = [call.as_dict() for call in scope.trace]
        if (scope.trace is not None or _flag(headers, COST_HEADER)) and prepared.analysis:
            extensions["cost"] = {
                **prepared.analysis.as_dict(),
                "upstreamCalls": scope.total_calls,
                "upstreamCallsByService": dict(sorted(scope.calls.items())),
            }
        return extensions or None


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


def _cancel(execution: asyncio.Future[Any], scope: RequestScope) -> None:
    execution.cancel()
    scope.cancel_tasks()


def _flag(headers: Headers, name: str) -> bool:
    return headers.get(name, "").strip().lower() in ("1", "true")


def _formatted(error: Any, redact: Callable[[str], str]) -> dict[str, Any]:
    formatted = dict(error.formatted)
    formatted["message"] = redact(shorten(error.message))
    return formatted
