"""The TeamPulse emulator's HTTP edge: error maps, Basic auth, links and request parsing."""

from __future__ import annotations

import base64
import binascii
import secrets
from datetime import date

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.emulators._teampulse_data import JSON


def error(status: int, errors: dict[str, str], headers: dict[str, str] | None = None) -> Response:
    """The API's error body: a map of ``<entity>.<field>`` to message."""
    return JSONResponse(errors, status_code=status, headers=headers)


def render_fault(status: int, message: str) -> Response:
    return error(status, {"server": message})


class ErrorMap(Exception):
    """Raised by handlers to answer with an error map."""

    def __init__(self, status: int, errors: dict[str, str]) -> None:
        self.status, self.errors = status, errors


class BasicAuth:
    """Refuses every request without the configured HTTP Basic credentials."""

    def __init__(self, app: ASGIApp, *, username: str, password: str) -> None:
        self.app = app
        self.expected = f"{username}:{password}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            header = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
            scheme, _, token = header.partition(" ")
            if not (scheme.lower() == "basic" and self._matches(token.strip())):
                response = error(
                    401,
                    {"auth": "Invalid username or password."},
                    {"WWW-Authenticate": 'Basic realm="TeamPulse"'},
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _matches(self, token: str) -> bool:
        try:
            given = base64.b64decode(token, validate=True)
        except (binascii.Error, ValueError):
            return False
        return secrets.compare_digest(given, self.expected)


def api_root(request: Request) -> str:
    """This API's root URL, ending in "/", mounted or not.

    ``request.base_url`` is the *top-level* app's root in Starlette 1.x; the mount's prefix
    is only in ``root_path``.
    """
    root: str = request.scope.get("root_path", "")
    return str(request.url.replace(path=root.rstrip("/") + "/", query=""))


def int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def ref_id(body: JSON, key: str) -> int | None:
    ref = body.get(key)
    return int_or_none(ref.get("id")) if isinstance(ref, dict) else None


def parse_date(value: object, key: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        message = f"The value {value!r} is not a valid date (YYYY-MM-DD)."
        raise ErrorMap(400, {key: message}) from None


def parse_bool(request: Request, key: str) -> bool | None:
    raw = request.query_params.get(key)
    if raw is None:
        return None
    if raw.lower() not in ("true", "false"):
        raise ErrorMap(400, {key: f"The value {raw!r} is not valid for {key}: use true or false."})
    return raw.lower() == "true"


async def json_body(request: Request, prefix: str) -> JSON:
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise ErrorMap(400, {prefix: "The request body must be a JSON object."})
    return body


async def on_error_map(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ErrorMap)
    return error(exc.status, exc.errors)


async def on_http_error(request: Request, exc: Exception) -> Response:
    # The docs: 404 when "the request method and path supplied do not specify a known
    # action", so a wrong method is a 404 too, not a 405.
    assert isinstance(exc, HTTPException)
    if exc.status_code in (404, 405):
        return error(404, {"path": f"No action matches {request.method} {request.url.path}."})
    return error(exc.status_code, {"request": str(exc.detail)})
