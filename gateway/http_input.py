"""Reading a GraphQL-over-HTTP request: the body (size- and time-bounded), its JSON, the query
string of a GET, and the response media type the client asked for.

Everything here ends a bad request with an :class:`HttpError` (a status and a JSON body that
says what to do) before anything runs; nothing here knows the schema.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import orjson
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import Receive, Scope

from gateway.results import shorten
from gateway.settings import LimitsSettings

GRAPHQL_RESPONSE = "application/graphql-response+json"


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


class ClientGone(Exception):
    """The client disconnected: there is no one to answer."""


@dataclass(frozen=True, slots=True)
class GraphQLRequest:
    query: str
    variables: Mapping[str, Any] | None = None
    operation_name: str | None = None
    extensions: Mapping[str, Any] = field(default_factory=dict)


async def read_request(
    scope: Scope, receive: Receive, headers: Headers, limits: LimitsSettings
) -> GraphQLRequest:
    if scope["method"] == "GET":
        return from_query_string(scope)
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in ("application/json", "application/graphql-response+json", ""):
        raise HttpError(
            415,
            f"the body must be JSON (Content-Type: application/json), not {content_type!r}",
            "UNSUPPORTED_MEDIA_TYPE",
        )
    body = await read_body(receive, headers, limits)
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise HttpError(
            400,
            f"the body is not valid JSON ({shorten(str(exc), 120)}); send "
            '{"query": "...", "variables": {...}} encoded as UTF-8',
            "BAD_REQUEST",
        ) from None
    return graphql_request(data, limits.max_variable_depth)


async def read_body(receive: Receive, headers: Headers, limits: LimitsSettings) -> bytes:
    limit = limits.max_body_bytes
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(limits.body_timeout):
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    raise ClientGone
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > limit:
                    raise too_large(limit)
                chunks.append(chunk)
                if not message.get("more_body", False):
                    break
    except TimeoutError:
        raise HttpError(
            408,
            f"the request body did not arrive within {limits.body_timeout:g}s "
            "(limits.body_timeout); send it at once",
            "REQUEST_TIMEOUT",
        ) from None
    return b"".join(chunks)


def too_large(limit: int) -> HttpError:
    return HttpError(
        413,
        f"the request body is larger than {limit} bytes (limits.max_body_bytes); send a "
        "smaller document or fewer variables",
        "PAYLOAD_TOO_LARGE",
    )


def query_params(scope: Scope) -> bytes:
    raw: bytes = scope.get("query_string", b"")
    return raw


def from_query_string(scope: Scope) -> GraphQLRequest:
    try:
        params = parse_qs(query_params(scope).decode("utf-8"), strict_parsing=False)
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
    return graphql_request(data, 16)


def graphql_request(data: object, max_depth: int) -> GraphQLRequest:
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
    if variables and depth(variables) > max_depth:
        raise HttpError(
            400,
            f"`variables` are nested more than {max_depth} levels deep "
            "(limits.max_variable_depth); flatten them",
            "BAD_REQUEST",
        )
    return GraphQLRequest(query, variables, name or None, extensions or {})


def depth(value: object) -> int:
    """Nesting depth of decoded JSON, without recursion."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest


def media_type(headers: Headers) -> str:
    """application/graphql-response+json when the client prefers it (GraphQL over HTTP),
    application/json otherwise, and for clients that send no Accept."""
    accept = headers.get("accept", "").lower()
    preferred = accept.find(GRAPHQL_RESPONSE)
    if preferred < 0:
        return "application/json"
    plain = accept.find("application/json")
    return GRAPHQL_RESPONSE if plain < 0 or preferred < plain else "application/json"


def json_response(
    status: int,
    body: dict[str, Any],
    headers: Mapping[str, str] | None = None,
    media: str = "application/json",
) -> Response:
    return Response(
        orjson.dumps(body), status_code=status, headers=dict(headers or {}), media_type=media
    )
