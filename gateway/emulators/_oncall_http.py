"""The oncall emulator's HTTP edge: ujson-style JSON, error bodies and request helpers."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response


class OncallError(Exception):
    """An error the emulated server answers with; ``description=None`` gives a bare title."""

    def __init__(self, status: int, title: str, description: str | None = None) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.description = description


def not_found() -> OncallError:
    return OncallError(404, "404 Not Found")


def server_error() -> OncallError:
    return OncallError(500, "500 Internal Server Error")


class OncallJSON(Response):
    """ujson's output: compact, ASCII only, and ``/`` escaped as ``\\/``."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=True, separators=(",", ":"))
        return text.replace("/", "\\/").encode()  # "/" only ever occurs inside strings


def render_error(status: int, title: str, description: str | None = None) -> Response:
    body = {"title": title} if description is None else {"title": title, "description": description}
    return OncallJSON(body, status_code=status)


def empty(status: int = 200) -> Response:
    return Response(status_code=status, media_type="application/json")


def params_of(request: Request) -> dict[str, str]:
    return dict(request.query_params.multi_items())  # falcon's get_param: the last value wins


_TRUE = ("true", "True", "t", "yes", "y", "1", "on")
_FALSE = ("false", "False", "f", "no", "n", "0", "off")


def flag(raw: str | None) -> bool:
    return raw in _TRUE


def bool_param(request: Request, name: str) -> bool | None:
    """falcon's ``get_param_as_bool``: absent is None, a word it does not know is a 400."""
    raw = params_of(request).get(name)
    if raw is None or raw == "":
        return None
    if raw in _TRUE or raw in _FALSE:
        return raw in _TRUE
    raise OncallError(400, "Invalid parameter", f'The "{name}" parameter is invalid. '
                      'The value of the parameter must be "true" or "false".')  # fmt: skip


def _ujson_complaint(text: str) -> str:
    # ujson's wording: a leading n/t/f is read as null/true/false, anything else is no value.
    stripped = text.lstrip()
    words = {"n": "null", "t": "true", "f": "false"}
    if stripped[:1] in words:
        return f"Unexpected character found when decoding '{words[stripped[0]]}'"
    return "Expected object or value"


async def json_body(request: Request) -> Any:
    text = (await request.body()).decode("utf-8", "replace")
    try:
        return json.loads(text)
    except ValueError as exc:
        raise OncallError(400, "invalid JSON", f"failed to decode json: {_ujson_complaint(text)}"
                          ) from exc  # fmt: skip


def column_int(raw: Any) -> int:
    """A value as MySQL stores it in an INT column ("21" is 21); anything else is a 500."""
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise server_error() from None


async def json_object(request: Request) -> dict[str, Any]:
    """A JSON object body; upstream calls ``.get`` on it, so anything else is a 500."""
    data = await json_body(request)
    if not isinstance(data, dict):
        raise server_error()
    return data
