"""The Tempo emulator's HTTP edge: errors, bearer auth, routes, parameters and request bodies."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Iterable
from datetime import date, time
from typing import TypeVar

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

JSON = dict[str, object]
Handler = Callable[[Request], Awaitable[Response]]
T = TypeVar("T")

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{2}:\d{2}(:\d{2})?")


class TempoError(Exception):
    """Raised by a handler; rendered as Tempo's ``{"errors": [...]}`` body."""

    def __init__(self, status: int, *messages: str) -> None:
        super().__init__(status, *messages)
        self.status = status
        self.messages = messages


def render_error(status: int, *messages: str) -> Response:
    return JSONResponse({"errors": [{"message": m} for m in messages]}, status_code=status)


async def on_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, TempoError):
        return render_error(exc.status, *exc.messages)
    assert isinstance(exc, HTTPException)  # unknown path (404), wrong method (405)
    return render_error(exc.status_code, exc.detail)


class BearerAuth:
    """Every endpoint needs ``Authorization: Bearer <token>``; otherwise 401 with no body."""

    def __init__(self, app: ASGIApp, *, token: str) -> None:
        self.app = app
        self.token = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            given = dict(scope["headers"]).get(b"authorization", b"")
            scheme, _, token = given.partition(b" ")
            if scheme.lower() != b"bearer" or token != self.token:
                await Response(status_code=401)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def route(path: str, **handlers: Handler) -> Route:
    """One path, a handler per method (``GET=...``, ``POST=...``)."""

    async def endpoint(request: Request) -> Response:
        # Starlette answers HEAD wherever GET is allowed; the body is dropped for it.
        return await handlers["GET" if request.method == "HEAD" else request.method](request)

    return Route(path, endpoint, methods=list(handlers))


# -- responses ------------------------------------------------------------------------------------


def api_root(request: Request) -> str:
    """The API root URL as the caller reached it, with a trailing slash.

    ``request.base_url`` is the *outermost* app's root; a Mount's prefix is in ``root_path``.
    """
    root = request.scope.get("root_path", "").rstrip("/")
    return str(request.url.replace(path=f"{root}/", query=""))


def collection(request: Request, results: list[JSON]) -> JSONResponse:
    """Tempo's unpaged collection: ``{self, metadata: {count}, results}``."""
    body = {"self": str(request.url), "metadata": {"count": len(results)}, "results": results}
    return JSONResponse(body)


def no_content() -> Response:
    return Response(status_code=204)


def found(value: T | None, message: str) -> T:
    """``value``, or the endpoint's documented 404."""
    if value is None:
        raise TempoError(404, message)
    return value


# -- path and query parameters --------------------------------------------------------------------


def int_id(raw: str) -> int:
    """A numeric path id; anything else is an id nothing has (-1), hence a 404."""
    return int(raw) if raw.isdigit() else -1


def parse_date(raw: str) -> date | None:
    if not _DATE.fullmatch(raw):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def query_date(request: Request, name: str) -> date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    parsed = parse_date(raw)
    if parsed is None:
        raise TempoError(400, f"Invalid date '{raw}' for '{name}': use YYYY-MM-DD")
    return parsed


def required_range(request: Request) -> tuple[date, date]:
    """The required, inclusive ``from``/``to`` of periods, schedules and user plans."""
    lo, hi = query_date(request, "from"), query_date(request, "to")
    missing = [f"Query parameter '{n}' is required" for n, v in (("from", lo), ("to", hi)) if not v]
    if lo is None or hi is None:
        raise TempoError(400, *missing)
    if hi < lo:
        raise TempoError(400, "'from' must not be after 'to'")
    return lo, hi


def query_count(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name, str(default))
    if not raw.isdigit():
        raise TempoError(400, f"{name} must be a non-negative integer, was '{raw}'")
    return int(raw)


def query_int(request: Request, name: str) -> int | None:
    """An optional integer filter (``?id=14``)."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if not raw.isdigit():
        raise TempoError(400, f"{name} must be an integer, was '{raw}'")
    return int(raw)


# -- request bodies -------------------------------------------------------------------------------


async def read_body(request: Request) -> Body:
    """The request's JSON object, ready to validate field by field."""
    try:
        doc = json.loads(await request.body() or b"{}")
    except ValueError:
        raise TempoError(400, "The request body is not valid JSON") from None
    if not isinstance(doc, dict):
        raise TempoError(400, "The request body must be a JSON object")
    return Body(doc)


class Body:
    """Validates a write's JSON fields, collecting every problem; :meth:`check` raises them
    together, as Tempo lists several messages in one 400."""

    def __init__(self, doc: dict[str, object]) -> None:
        self.doc = doc
        self.problems: list[str] = []

    def _get(self, name: str, required: bool | str) -> object:
        value = self.doc.get(name)
        if value is None and required:
            self._missing(name, required)
        return value

    def _missing(self, name: str, required: bool | str) -> None:
        self.problems.append(required if isinstance(required, str) else f"{name} is required")

    def _wrong(self, name: str, expected: str) -> None:
        self.problems.append(f"{name} must be {expected}")

    def text(self, name: str, *, required: bool | str = False) -> str | None:
        """A string; with ``required``, also not blank (a string is the message to give)."""
        value = self._get(name, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self._wrong(name, "a string")
            return None
        if required and not value.strip():
            self._missing(name, required)
            return None
        return value

    def integer(self, name: str, *, required: bool | str = False) -> int | None:
        value = self._get(name, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self._wrong(name, "an integer")
            return None
        return value

    def number(self, name: str, *, required: bool | str = False) -> float | None:
        value = self._get(name, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self._wrong(name, "a number")
            return None
        return float(value)

    def boolean(self, name: str, *, required: bool | str = False) -> bool | None:
        value = self._get(name, required)
        if value is None or isinstance(value, bool):
            return value
        self._wrong(name, "true or false")
        return None

    def choice(
        self, name: str, options: Iterable[str], *, required: bool | str = False
    ) -> str | None:
        value = self.text(name, required=required)
        allowed = list(options)
        if value is not None and value not in allowed:
            self._wrong(name, "one of " + ", ".join(allowed))
            return None
        return value

    def day(self, name: str, *, required: bool | str = False) -> date | None:
        value = self.text(name, required=required)
        if value is None:
            return None
        parsed = parse_date(value)
        if parsed is None:
            self._wrong(name, "a date (YYYY-MM-DD)")
        return parsed

    def clock(self, name: str, *, required: bool | str = False) -> time | None:
        value = self.text(name, required=required)
        if value is None:
            return None
        try:
            if _TIME.fullmatch(value):
                return time.fromisoformat(value)
        except ValueError:
            pass
        self._wrong(name, "a time (HH:MM:SS)")
        return None

    def integers(self, name: str) -> list[int]:
        """An optional array of integers (``teamIds``)."""
        value = self.doc.get(name)
        if value is None:
            return []
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            self._wrong(name, "an array of integers")
            return []
        return list(value)

    def problem(self, message: str) -> None:
        """A rule of the endpoint's own (an unknown reference, a duplicate) broke."""
        self.problems.append(message)

    def check(self) -> None:
        if self.problems:
            raise TempoError(400, *self.problems)
