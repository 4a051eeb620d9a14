"""The oncall emulator's auth, as 2.1.7's ``oncall.auth`` does it (oncall-real-server.md §2).

Three ways to write: app HMAC (``Authorization: hmac app:digest``, checked whenever the header
is there), the ``oncall-auth`` session cookie plus ``X-CSRF-TOKEN`` from ``POST /login``, or, in
auth-debug mode, nothing at all (the caller becomes ``test_user``). 2.1.7 ships no
``SSO-DEBUG-HEADER`` module, so that header means nothing here. Outside auth-debug mode the
team-admin / team-member / self checks apply to session users (never to apps), and
``@debug_only`` endpoints answer 403. ``require_auth`` puts every route but ``/login`` behind
the same authentication, GETs and ``/healthcheck`` included.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, unquote_plus

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.emulators._oncall_data import OncallDB
from gateway.emulators._oncall_http import OncallError, OncallJSON, empty, not_found, render_error
from gateway.emulators._oncall_render import user_json
from gateway.emulators._oncall_tables import DEBUG_USER
from gateway.emulators.cast import Credentials

COOKIE = "oncall-auth"
_SLASH = re.compile(r"%2[Ff]")


@dataclass(frozen=True)
class Caller:
    """Who a write runs as: an HMAC application, or a user (logged in, or ``test_user``)."""

    user: str | None = None
    app: str | None = None

    @property
    def owner(self) -> str:
        """The audit ``owner``: the user if there is one, else the application."""
        return self.user or self.app or DEBUG_USER


def _unauthorized(title: str, description: str) -> OncallError:
    return OncallError(401, title, description)


def _forbidden(description: str) -> OncallError:
    return OncallError(403, "Unauthorized", description)


class Auth:
    """Authentication and permission checks for one emulated server."""

    def __init__(
        self, db: OncallDB, credentials: Credentials, *, debug: bool, require_auth: bool,
        clock: Callable[[], float],
    ) -> None:  # fmt: skip
        self.db = db
        self.credentials = credentials
        self.debug = debug
        self.require_auth = require_auth
        self.clock = clock
        self.sessions: dict[str, tuple[str, str]] = {}  # cookie -> (username, csrf token)

    # -- authentication ----------------------------------------------------------------------

    def authenticate(self, scope: Scope, body: bytes) -> Caller:
        """Upstream's login_required (and AuthMiddleware): HMAC if the header is there, else
        the session, else (auth-debug mode only) ``test_user``."""
        token = request_header(scope, "authorization")
        if token:
            return Caller(app=self.verify_hmac(scope, token, body))
        try:
            return Caller(user=self.session_user(scope))
        except OncallError:
            if self.debug:
                return Caller(user=DEBUG_USER)
            raise

    async def login_required(self, request: Request) -> Caller:
        return self.authenticate(request.scope, await request.body())

    def debug_only(self) -> None:
        if not self.debug:
            raise OncallError(403, "403 Forbidden", "Admin only action")

    def session_user(self, scope: Scope) -> str:
        session = self.sessions.get(_cookie(scope) or "")
        if session is None:
            raise _unauthorized("Unauthorized", "User must be logged in")
        user, csrf = session
        if request_header(scope, "x-csrf-token") != csrf:
            raise _unauthorized("Invalid Session", "CSRF validation failed")
        return user

    def verify_hmac(self, scope: Scope, token: str, body: bytes) -> str:
        """``hmac <app>:<digest>`` over ``"{window} {METHOD} {path[?query]} {body}"``."""

        def failure(description: str) -> OncallError:
            return _unauthorized("Authentication failure", description)

        if not token.startswith("hmac "):
            raise failure("Invalid digest format")
        app_name, _, digest = token[5:].partition(":")
        if app_name != self.credentials.oncall_app:
            raise failure("Application not found")
        path = path_info(scope)
        query = scope.get("query_string", b"").decode("latin-1")
        if query:
            path = f"{path}?{query}"
        text = body.decode("utf-8", "replace")
        now = int(self.clock())
        key = self.credentials.oncall_app_key.encode()
        for window in (now // 5, now // 5 - 1, now // 30, now // 30 - 1):
            for target in (quote(path), path):  # quoted first: legacy clients, as upstream
                message = f"{window} {scope['method']} {target} {text}".encode()
                expected = base64.urlsafe_b64encode(hmac.new(key, message, hashlib.sha512).digest())
                if hmac.compare_digest(expected, digest.encode()):
                    return app_name
        raise failure("Wrong digest")

    # -- permissions (no-ops in auth-debug mode and for applications) -------------------------

    def _free(self, caller: Caller) -> str | None:
        """The user to check, or None when nothing needs checking."""
        if self.debug or caller.app is not None or caller.user is None:
            return None
        user = self.db.user_named(caller.user)
        return None if user is not None and user.god else caller.user

    def check_team_admin(self, caller: Caller, team_name: str) -> None:
        who = self._free(caller)
        team = self.db.team_named(team_name)
        if who is not None and not (team and self.db.user_id(who) in team.admins):
            raise _forbidden(f'Action not allowed: "{who}" is not an admin for "{team_name}"')

    def check_member(self, caller: Caller, team_name: str) -> None:
        who = self._free(caller)
        team = self.db.team_named(team_name)
        if who is not None and not (team and self.db.user_id(who) in team.users):
            raise _forbidden(f'Action not allowed: "{who}" is not part of "{team_name}"')

    def check_member_of(self, caller: Caller, team_id: int) -> None:
        who = self._free(caller)
        if who is not None and self.db.user_id(who) not in self.db.teams[team_id].users:
            raise _forbidden(f'Action not allowed: "{who}" is not a team member')

    def check_user(self, caller: Caller, user_name: str) -> None:
        """Self, or an admin of a team the user belongs to."""
        who = self._free(caller)
        if who is None or who == user_name:
            return
        me, them = self.db.user_id(who), self.db.user_id(user_name)
        if not any(me in t.admins and them in t.users for t in self.db.teams.values()):
            raise _forbidden(f'Action not allowed for "{who}"')

    # -- /login and /logout (at the server root) -------------------------------------------

    async def login(self, request: Request) -> Response:
        form = parse_qs((await request.body()).decode("utf-8", "replace"))
        username, password = form.get("username"), form.get("password")
        if not username or not password:
            raise OncallError(400, "Invalid login attempt", "Missing user/password")
        user = self.db.user_named(username[-1])  # the debug Authenticator takes any password
        if user is None:
            raise not_found()
        if _cookie(request.scope) in self.sessions:
            raise OncallError(400, "Invalid login attempt", "User already logged in")
        cookie, csrf = secrets.token_hex(16), f"{secrets.randbits(128):x}"
        self.sessions[cookie] = (user.name, csrf)
        response = OncallJSON({**user_json(user), "csrf_token": csrf})
        response.set_cookie(COOKIE, cookie, httponly=True)
        return response

    async def logout(self, request: Request) -> Response:
        self.sessions.pop(_cookie(request.scope) or "", None)
        response = empty()
        response.delete_cookie(COOKIE)
        return response


def request_header(scope: Scope, name: str) -> str | None:
    wanted = name.encode()
    for key, value in scope.get("headers", []):
        if key.lower() == wanted:
            return bytes(value).decode("latin-1")
    return None


def _cookie(scope: Scope) -> str | None:
    for part in (request_header(scope, "cookie") or "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == COOKIE:
            return value
    return None


def path_info(scope: Scope) -> str:
    """PATH_INFO as upstream's RawPathPatcher sets it: the raw path, ``unquote_plus``-ed,
    keeping ``%2F`` (the path before our trailing-slash stripping)."""
    raw = scope.get("raw_path")
    if not raw:
        return str(scope["path"])
    return unquote_plus(_SLASH.sub("%252F", bytes(raw).decode("latin-1").split("?", 1)[0]))


class Gate:
    """Before routing: ``require_auth`` (every route but ``/login`` authenticated) and
    falcon's trailing-slash stripping."""

    def __init__(self, app: ASGIApp, *, auth: Auth, open_paths: tuple[str, ...] = ()) -> None:
        self.app = app
        self.auth = auth
        self.open_paths = open_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        root: str = scope.get("root_path", "")
        path: str = scope["path"]
        if self.auth.require_auth and path[len(root) :] not in self.open_paths:
            body = b""
            more = True
            while more:
                message = await receive()
                body += message.get("body", b"")
                more = message.get("more_body", False)
            try:
                self.auth.authenticate(scope, body)
            except OncallError as exc:
                await render_error(exc.status, exc.title, exc.description)(scope, receive, send)
                return
            receive = _replay(body)
        if path.endswith("/") and path.rstrip("/") != root.rstrip("/"):
            scope = {**scope, "path": path.rstrip("/")}
        await self.app(scope, receive, send)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


class Endpoints:
    """The handlers of one concept, over the server's database and the auth guarding it."""

    def __init__(self, db: OncallDB, auth: Auth) -> None:
        self.db = db
        self.auth = auth
