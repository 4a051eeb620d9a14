"""The Team O'clock emulator's HTTP edge: error bodies, Basic auth, envelopes, paging and
request bodies."""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from collections.abc import Awaitable, Callable, Mapping, Sequence
from http import HTTPStatus
from typing import TypeVar
from urllib.parse import urlencode

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.emulators._teamoclock_store import JsonObject

PAGE_SIZE = 100  # "paginated with a fixed 100 items per page"
T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")
Handler = Callable[[Request], Awaitable[Response]]

# The documented error bodies, word for word: (code, title, detail).
_ERRORS = {
    400: ("bad request", "Invalid request", "Enter a valid json body"),
    401: ("unauthorized", "Unauthorized", "Please verify your credentials"),
    404: (
        "not found",
        "Object not found",
        "Object not found. It may have been deleted or not been created yet",
    ),
}


class ApiError(Exception):
    """Raised by a handler to answer with one of the API's error bodies."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def error_response(status: int, message: str = "") -> JSONResponse:
    """An error in the API's own shape; undocumented statuses follow the same pattern."""
    phrase = HTTPStatus(status).phrase
    code, title, detail = _ERRORS.get(status, (phrase.lower(), phrase, message or phrase))
    body = {"error": {"status": status, "code": code, "title": title, "detail": detail}}
    return JSONResponse(body, status_code=status)


class BasicAuth:
    """Answers the documented 401 unless the request carries the organisation's credentials."""

    def __init__(self, app: ASGIApp, *, username: str, password: str) -> None:
        self.app = app
        self.expected = f"{username}:{password}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not self.allows(Headers(scope=scope).get("authorization")):
            response = error_response(401)
            response.headers["WWW-Authenticate"] = 'Basic realm="Team O\'clock API"'
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def allows(self, header: str | None) -> bool:
        scheme, _, token = (header or "").partition(" ")
        try:
            given = base64.b64decode(token.strip(), validate=True)
        except (binascii.Error, ValueError):
            return False
        return scheme.lower() == "basic" and secrets.compare_digest(given, self.expected)


def api_root(request: Request) -> str:
    """The API's base URL as the caller reached it, ending in "/".

    ``request.base_url`` is the *top* app's root in Starlette 1.x, so under a ``Mount`` it
    would drop ``/teamoclock/api/v2``; the mount's own prefix is ``scope["root_path"]``.
    """
    return f"{request.url.scheme}://{request.url.netloc}{request.scope.get('root_path', '')}/"


def ok(data: object, status: int = 200) -> JSONResponse:
    return JSONResponse({"data": data}, status_code=status)


def no_content() -> Response:
    return Response(status_code=204)


def lookup(table: Mapping[K, V], key: K) -> V:
    """``table[key]``, or the documented 404."""
    if key not in table:
        raise ApiError(404)
    return table[key]


def paginate(
    request: Request, path: str, items: Sequence[T], number: Callable[[T], int],
    render: Callable[[T], JsonObject],
) -> JSONResponse:  # fmt: skip
    """One page of `items` (newest first) from the request's ``cursor`` on.

    The cursor is the number of the first item of the next page, so a page stays put when
    newer items arrive meanwhile.
    """
    raw = request.query_params.get("cursor")
    if raw is not None:
        if not raw.isdigit():
            raise ApiError(400)
        items = [item for item in items if number(item) <= int(raw)]
    root = api_root(request)
    query = request.url.query
    links = {"self": f"{root}{path}" + (f"?{query}" if query else "")}
    if len(items) > PAGE_SIZE:
        kept = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"]
        kept.append(("cursor", str(number(items[PAGE_SIZE]))))
        links["next"] = f"{root}{path}?{urlencode(kept, safe='[]')}"
    return JSONResponse({"data": [render(item) for item in items[:PAGE_SIZE]], "links": links})


# -- request bodies: `{"data": ...}`, checked as the docs type it ------------------------------


async def body_data(request: Request) -> object:
    """The ``data`` of a JSON request body, or the documented 400."""
    try:
        body = json.loads(await request.body())
    except ValueError:
        raise ApiError(400) from None
    if not isinstance(body, dict) or "data" not in body:
        raise ApiError(400)
    return body["data"]


async def body_fields(
    request: Request, spec: Mapping[str, type], *, required: Sequence[str] = ()
) -> JsonObject:
    """The fields of `spec` in the body's ``data`` object; 400 if one is missing or wrong."""
    data = await body_data(request)
    if not isinstance(data, dict):
        raise ApiError(400)
    chosen = {key: data[key] for key in spec if key in data}
    if (
        any(not isinstance(value, spec[key]) for key, value in chosen.items())
        or any(not chosen.get(key) for key in required)  # catalog §1.4-14: required fields
    ):
        raise ApiError(400)
    return chosen


def reference(
    value: object, key: str, table: Mapping[str, object] | None = None, *, missing: int = 404
) -> str:
    """The name in a ``{"slug": ...}`` / ``{"username": ...}`` reference; with `table`, the
    `missing` status unless it names one of its keys."""
    name = value.get(key) if isinstance(value, dict) else None
    if not isinstance(name, str):
        raise ApiError(400)
    if table is not None and name not in table:
        raise ApiError(missing)
    return name
