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

from gateway.manifest import DOCUMENT_ID
from gateway.results import error_body, shorten
from gateway.settings import LimitsSettings

GRAPHQL_RESPONSE = "application/graphql-response+json"


class HttpError(Exception):
    """Ends a request before execution with a status and a JSON body.

    A well-formed request the gateway answers with an error a client acts on (a persisted
    query it does not know) is a 200 under application/json, as GraphQL over HTTP asks and
    Apollo's clients expect; under application/graphql-response+json it has no `data`, so it
    must be a 4xx: `strict_status`."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str,
        *,
        headers: Mapping[str, str] | None = None,
        strict_status: int | None = None,
        extensions: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = dict(headers or {})
        self.strict_status = strict_status or (400 if status == 200 else status)
        self.extensions = dict(extensions or {})

    def status_for(self, media: str) -> int:
        return self.strict_status if media == GRAPHQL_RESPONSE else self.status

    def body(self) -> dict[str, Any]:
        return error_body(self.message, self.code, **self.extensions)


class ClientGone(Exception):
    """The client disconnected: there is no one to answer."""


@dataclass(frozen=True, slots=True)
class GraphQLRequest:
    # "" when the request names a persisted document instead (`documentId`, or Apollo's
    # `extensions.persistedQuery`): gateway/persisted.py fills it in before anything runs.
    query: str
    variables: Mapping[str, Any] | None = None
    operation_name: str | None = None
    extensions: Mapping[str, Any] = field(default_factory=dict)
    document_id: str | None = None


# Subscriptions over SSE (gateway/subscriptions/sse.py) answer in this media type.
EVENT_STREAM = "text/event-stream"


async def read_request(
    scope: Scope, receive: Receive, headers: Headers, limits: LimitsSettings, max_batch: int = 0
) -> GraphQLRequest | list[GraphQLRequest | HttpError]:
    """The request, or a batch's requests (each one, or why it cannot run)."""
    if negotiate(headers) is None and EVENT_STREAM not in headers.get("accept", "").lower():
        raise HttpError(
            406,
            f"this endpoint answers {GRAPHQL_RESPONSE} or application/json, and the Accept "
            f"header ({shorten(headers.get('accept', ''), 100)!r}) allows neither; add "
            f"`Accept: {GRAPHQL_RESPONSE}, application/json;q=0.9`",
            "NOT_ACCEPTABLE",
        )
    if scope["method"] == "GET":
        return from_query_string(scope)
    check_content_type(headers)
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
    if isinstance(data, list):
        return batch(data, limits, max_batch)
    return graphql_request(data, limits.max_variable_depth)


def batch(
    data: list[object], limits: LimitsSettings, max_batch: int
) -> list[GraphQLRequest | HttpError]:
    if not max_batch:
        raise HttpError(
            400,
            "batched requests (a JSON array) are not enabled (server.batching); send one "
            "operation per request",
            "BAD_REQUEST",
        )
    if not data or len(data) > max_batch:
        raise HttpError(
            400,
            f"a batch holds 1 to {max_batch} operations (server.max_batch_size), this one "
            f"{len(data)}; split it",
            "BAD_REQUEST",
        )
    items: list[GraphQLRequest | HttpError] = []
    for item in data:
        try:
            items.append(graphql_request(item, limits.max_variable_depth))
        except HttpError as exc:  # that one operation fails; the others run
            items.append(exc)
    return items


def check_content_type(headers: Headers) -> None:
    """A POST body is JSON in UTF-8 and says so (GraphQL over HTTP: a POST without a
    Content-Type SHOULD get a 4xx, and UTF-8 is the only encoding)."""
    given = headers.get("content-type", "")
    media, _, parameters = given.partition(";")
    media = media.strip().lower()
    if not media:
        raise HttpError(
            415,
            "the request has no Content-Type; send the JSON body with "
            "`Content-Type: application/json`",
            "UNSUPPORTED_MEDIA_TYPE",
        )
    if media not in ("application/json", GRAPHQL_RESPONSE):
        raise HttpError(
            415,
            f"the body must be JSON (Content-Type: application/json), not {media!r}",
            "UNSUPPORTED_MEDIA_TYPE",
        )
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        charset = value.strip().strip('"').lower()
        if name.strip().lower() == "charset" and charset not in ("utf-8", "utf8"):
            raise HttpError(
                415,
                f"the body must be UTF-8, not charset={charset}; send it as "
                "`Content-Type: application/json` (UTF-8 is assumed)",
                "UNSUPPORTED_MEDIA_TYPE",
            )


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
    if not isinstance(data, dict):
        raise HttpError(400, 'the body must be a JSON object: {"query": "..."}', "BAD_REQUEST")
    query = data.get("query")
    document_id = data.get("documentId")
    if document_id is not None and (
        not isinstance(document_id, str) or not DOCUMENT_ID.fullmatch(document_id)
    ):
        raise HttpError(400, "`documentId` must be a document id such as "
                        '"sha256:<64 hex digits>" (letters, digits, -._~ and colons)',
                        "BAD_REQUEST")  # fmt: skip
    persisted = document_id is not None or _names_persisted_query(data.get("extensions"))
    if query is None and persisted:
        query = ""  # the document is looked up by its id
    elif not isinstance(query, str) or not query.strip():
        raise HttpError(400, 'the request has no `query`; send {"query": "{ teams { name } }"}',
                        "BAD_REQUEST")  # fmt: skip
    elif document_id is not None:
        raise HttpError(400, "send either `query` or `documentId`, not both", "BAD_REQUEST")
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
    return GraphQLRequest(query, variables, name or None, extensions or {}, document_id)


def _names_persisted_query(extensions: object) -> bool:
    return isinstance(extensions, dict) and extensions.get("persistedQuery") is not None


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


# What the endpoint can answer in; on a tie, the first (GraphQL over HTTP's legacy default).
_MEDIA_TYPES = ("application/json", GRAPHQL_RESPONSE)


def negotiate(headers: Headers) -> str | None:
    """The media type the client's Accept ranks highest (its q-values, then how specifically
    it names the type, then its order), None when it accepts neither.

    No Accept at all, or only wildcards, is answered as application/json: the spec's legacy
    default, so curl and older clients keep their 200s; a client that names
    application/graphql-response+json gets it, with the spec's status codes."""
    accept = headers.get("accept", "")
    if not accept.strip():
        return "application/json"
    ranges = [_media_range(part) for part in accept.split(",") if part.strip()]
    best: tuple[float, int, int] | None = None
    chosen = None
    for media in _MEDIA_TYPES:
        # The most specific range that names this type decides its q (RFC 9110 12.5.1):
        # `application/json;q=0, */*` refuses application/json.
        found: tuple[float, int, int] | None = None
        for position, (pattern, q) in enumerate(ranges):
            specificity = _SPECIFICITY.get(pattern) if pattern != media else 2
            if specificity is not None and (found is None or specificity > found[1]):
                found = (q, specificity, -position)
        if found is not None and found[0] > 0 and (best is None or found > best):
            best, chosen = found, media
    return chosen


_SPECIFICITY = {"application/*": 1, "*/*": 0}


def _media_range(part: str) -> tuple[str, float]:
    pattern, *parameters = part.split(";")
    q = 1.0
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                q = min(max(float(value), 0.0), 1.0)
            except ValueError:
                q = 1.0
    return pattern.strip().lower(), q


def media_type(headers: Headers) -> str:
    """The response media type; application/json when nothing the client accepts is ours
    (that request gets a 406, in application/json)."""
    return negotiate(headers) or "application/json"


def json_response(
    status: int,
    body: object,
    headers: Mapping[str, str] | None = None,
    media: str = "application/json",
) -> Response:
    # The media type (and with it the status) depends on Accept: caches must key on it.
    sent = {"Vary": "Accept", **(headers or {})}
    return Response(
        orjson.dumps(body),
        status_code=status,
        headers=sent,
        media_type=f"{media}; charset=utf-8",
    )
