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
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from graphql import OperationType
from starlette.datastructures import Headers
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.http.ides import get_graphql_ide_html

from gateway.admission import Admission, Overloaded
from gateway.auth import CallerAuth, Unauthenticated
from gateway.operations import Operations, Prepared
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

log = logging.getLogger("teamgraph.http")

TRACE_HEADER = "x-teamgraph-trace"
COST_HEADER = "x-teamgraph-cost"


class HttpError(Exception):
    """Ends a request before execution with a status and a JSON body."""

    def __init__(
        self, status: int, message: str, code: str, *, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = dict(headers or {})


@dataclass(frozen=True, slots=True)
class GraphQLRequest:
    query: str
    variables: Mapping[str, Any] | None = None
    operation_name: str | None = None
    extensions: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class EndpointConfig:
    limits: LimitsSettings
    graphiql: bool
    # Service -> the request header whose value is sent as that service's Authorization.
    credential_headers: Mapping[Service, str]


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
        self.directories = DirectoryCache()

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
            if method == "GET" and self._wants_graphiql(scope, headers):
                await HTMLResponse(get_graphql_ide_html("graphiql"))(scope, receive, send)
                return
            if method not in ("GET", "POST"):
                raise HttpError(
                    405,
                    f"{method} is not supported; use POST (or GET for queries)",
                    "METHOD_NOT_ALLOWED",
                    headers={"Allow": "GET, POST"},
                )
            caller = await self.caller_auth.authenticate(headers)
            request = await self._read_request(scope, receive, headers)
            async with self.admission.slot():
                status, body = await self._run(request, method, headers, receive, str(caller), op)
        except HttpError as exc:
            status, body = exc.status, error_body(exc.message, exc.code)
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

    # -- reading the request --------------------------------------------------------------

    async def _read_request(
        self, scope: Scope, receive: Receive, headers: Headers
    ) -> GraphQLRequest:
        if scope["method"] == "GET":
            return _from_query_string(scope)
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type not in ("application/json", "application/graphql-response+json", ""):
            raise HttpError(
                415,
                f"the body must be JSON (Content-Type: application/json), not {content_type!r}",
                "UNSUPPORTED_MEDIA_TYPE",
            )
        body = await self._read_body(receive, headers)
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise HttpError(
                400,
                f"the body is not valid JSON ({shorten(str(exc), 120)}); send "
                '{"query": "...", "variables": {...}} encoded as UTF-8',
                "BAD_REQUEST",
            ) from None
        return _graphql_request(data, self.config.limits.max_variable_depth)

    async def _read_body(self, receive: Receive, headers: Headers) -> bytes:
        limit = self.config.limits.max_body_bytes
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _too_large(limit)
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(self.config.limits.body_timeout):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        raise _ClientGone
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > limit:
                        raise _too_large(limit)
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        break
        except TimeoutError:
            raise HttpError(
                408,
                f"the request body did not arrive within {self.config.limits.body_timeout:g}s "
                "(limits.body_timeout); send it at once",
                "REQUEST_TIMEOUT",
            ) from None
        return b"".join(chunks)

    # -- running it -----------------------------------------------------------------------

    async def _run(
        self,
        request: GraphQLRequest,
        method: str,
        headers: Headers,
        receive: Receive,
        caller: str,
        op: Operation,
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
        scope = RequestScope(
            budget=Budget(limits.max_upstream_calls, limits.max_upstream_calls_per_service),
            deadline=loop.time() + limits.request_timeout,
            trace=[] if _flag(headers, TRACE_HEADER) else None,
            credentials=self._caller_credentials(headers),
            cache_bypass="no-cache" in headers.get("cache-control", "").lower(),
        )
        context = build_context(
            self.backends(),
            links=self.links,
            clock=self.clock,
            directories=self.directories,
            caller=caller,
            idempotency=self.idempotency,
        )
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
            async with asyncio.timeout(limits.request_timeout):
                await asyncio.wait({execution, gone}, return_when=asyncio.FIRST_COMPLETED)
        except TimeoutError:
            _cancel(execution, scope)
            name = request.operation_name or "(anonymous)"
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
        return 200, body

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


class _ClientGone(Exception):
    """The client disconnected: there is no one to answer."""


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


def _cancel(execution: asyncio.Future[Any], scope: RequestScope) -> None:
    execution.cancel()
    scope.cancel_tasks()


def _flag(headers: Headers, name: str) -> bool:
    return headers.get(name, "").strip().lower() in ("1", "true")


def _too_large(limit: int) -> HttpError:
    return HttpError(
        413,
        f"the request body is larger than {limit} bytes (limits.max_body_bytes); send a "
        "smaller document or fewer variables",
        "PAYLOAD_TOO_LARGE",
    )


def _query_params(scope: Scope) -> bytes:
    raw: bytes = scope.get("query_string", b"")
    return raw


def _from_query_string(scope: Scope) -> GraphQLRequest:
    from urllib.parse import parse_qs

    try:
        params = parse_qs(_query_params(scope).decode("utf-8"), strict_parsing=False)
    except UnicodeDecodeError:
        raise HttpError(400, "the query string is not valid UTF-8", "BAD_REQUEST") from None
    data: dict[str, Any] = {k: v[-1] for k, v in params.items()}
    for key in ("variables", "extensions"):
        if key in data:
            try:
                data[key] = orjson.loads(data[key])
            except orjson.JSONDecodeError:
                raise HttpError(400, f"`{key}` in the query string is not valid JSON",
                                "BAD_REQUEST") from None  # fmt: skip
    return _graphql_request(data, 16)


def _graphql_request(data: object, max_depth: int) -> GraphQLRequest:
    if isinstance(data, list):
        raise HttpError(400, "batched requests (a JSON array) are not enabled; send one "
                        "operation per request", "BAD_REQUEST")  # fmt: skip
    if not isinstance(data, dict):
        raise HttpError(400, 'the body must be a JSON object: {"query": "..."}', "BAD_REQUEST")
    query = data.get("query")
    if not isinstance(query, str) or not query.strip():
        raise HttpError(400, 'the request has no `query`; send {"query": "{ teams { name } }"}',
                        "BAD_REQUEST")  # fmt: skip
    variables = data.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise HttpError(400, "`variables` must be a JSON object (or null)", "BAD_REQUEST")
    name = data.get("operationName")
    if name is not None and not isinstance(name, str):
        raise HttpError(400, "`operationName` must be a string (or null)", "BAD_REQUEST")
    extensions = data.get("extensions")
    if extensions is not None and not isinstance(extensions, dict):
        raise HttpError(400, "`extensions` must be a JSON object (or null)", "BAD_REQUEST")
    if variables and _depth(variables) > max_depth:
        raise HttpError(
            400,
            f"`variables` are nested more than {max_depth} levels deep "
            "(limits.max_variable_depth); flatten them",
            "BAD_REQUEST",
        )
    return GraphQLRequest(query, variables, name or None, extensions or {})


def _depth(value: object) -> int:
    """Nesting depth of decoded JSON, without recursion."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


def _formatted(error: Any, redact: Callable[[str], str]) -> dict[str, Any]:
    formatted = dict(error.formatted)
    formatted["message"] = redact(shorten(error.message))
    return formatted


GRAPHQL_RESPONSE = "application/graphql-response+json"


def _media_type(headers: Headers) -> str:
    """application/graphql-response+json when the client prefers it (GraphQL over HTTP),
    application/json otherwise, and for clients that send no Accept."""
    accept = headers.get("accept", "").lower()
    preferred = accept.find(GRAPHQL_RESPONSE)
    if preferred < 0:
        return "application/json"
    plain = accept.find("application/json")
    return GRAPHQL_RESPONSE if plain < 0 or preferred < plain else "application/json"


def _json(
    status: int,
    body: dict[str, Any],
    headers: Mapping[str, str] | None = None,
    media: str = "application/json",
) -> Response:
    return Response(
        orjson.dumps(body), status_code=status, headers=dict(headers or {}), media_type=media
    )
