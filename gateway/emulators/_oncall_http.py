"""The oncall emulator's HTTP edge: ujson-style JSON, error bodies, request helpers, auth."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.emulators.cast import Credentials


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


def flag(raw: str | None) -> bool:
    return raw in ("true", "True", "t", "yes", "y", "1", "on")


async def json_body(request: Request) -> Any:
    try:
        return json.loads(await request.body())
    except ValueError as exc:
        raise OncallError(400, "invalid JSON", f"failed to decode json: {exc}") from exc


class Gate:
    """Upstream's auth decorators and falcon's trailing-slash stripping, before routing."""

    def __init__(
        self, app: ASGIApp, *, credentials: Credentials, require_auth: bool,
        clock: Callable[[], float],
    ) -> None:  # fmt: skip
        self.app = app
        self.credentials = credentials
        self.require_auth = require_auth
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.require_auth or scope["method"] not in ("GET", "HEAD"):
            body = b""
            more = True
            while more:
                message = await receive()
                body += message.get("body", b"")
                more = message.get("more_body", False)
            error = self.check(scope, body)
            if error is not None:
                await render_error(error.status, error.title, error.description)(
                    scope, receive, send
                )
                return
            receive = _replay(body)
        path: str = scope["path"]
        if path.endswith("/") and path.rstrip("/") != scope.get("root_path", "").rstrip("/"):
            scope = {**scope, "path": path.rstrip("/")}
        await self.app(scope, receive, send)

    def check(self, scope: Scope, body: bytes) -> OncallError | None:
        headers = Headers(scope=scope)
        token = headers.get("authorization")
        if token:
            return self.verify_hmac(scope, token, body)
        if self.require_auth and not headers.get("sso-debug-header"):
            return OncallError(401, "Unauthorized", "User must be logged in")
        return None  # mode A: an anonymous write runs as `test_user`

    def verify_hmac(self, scope: Scope, token: str, body: bytes) -> OncallError | None:
        """``hmac <app>:<digest>`` over ``"{window} {METHOD} {path[?query]} {body}"``."""

        def failure(description: str) -> OncallError:
            return OncallError(401, "Authentication failure", description)

        if not token.startswith("hmac "):
            return failure("Invalid digest format")
        app_name, _, digest = token[5:].partition(":")
        if app_name != self.credentials.oncall_app:
            return failure("Application not found")
        # The path as the server received it, percent-decoded (mount prefix included); the
        # quoted form is accepted too when there is no query string, as upstream does.
        path: str = scope["path"]
        query = scope.get("query_string", b"").decode("latin-1")
        targets = [f"{path}?{query}"] if query else [path, quote(path)]
        now = int(self.clock())
        key = self.credentials.oncall_app_key.encode()
        for window in (now // 5, now // 5 - 1, now // 30, now // 30 - 1):
            for target in targets:
                message = f"{window} {scope['method']} {target} ".encode() + body
                expected = base64.urlsafe_b64encode(hmac.new(key, message, hashlib.sha512).digest())
                if hmac.compare_digest(expected, digest.encode()):
                    return None
        return failure("Wrong digest")


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
