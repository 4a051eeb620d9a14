"""Team O'clock REST API v2, emulated: ``create_app(cast)`` serves what ``/api/v2`` serves.

The wire format follows ``seeds/teamoclock-api-v2.txt``: HTTP Basic auth (organisation slug
and secret key), every payload under ``data``, list items carrying an absolute
``links.self``, the documented ``{"error": {status, code, title, detail}}`` bodies, and
cursor pagination (100 a page, recent to older) on ``/actionitems`` and ``/timeline``.

Where the docs are silent this emulator chooses, as ``api-catalog.md`` §1.4 suggests: the
last page omits ``links.next``; ``links.next`` keeps the request's filters; ``filter[since]``
keeps records dated on or before it (a bare date means that whole day); an invalid filter,
cursor or body answers the documented 400; an unknown team or meeting answers 404.

Every GET is served. Writes cover meetings (with the one-standup-or-poker-per-team 200),
poker tasks, action items and timeline records; member and team administration (POST,
PATCH, DELETE under ``/members`` and ``/teams``) is not emulated and answers 405.
"""

from __future__ import annotations

import base64
import binascii
import json
import random
import secrets
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, date, datetime, time
from http import HTTPStatus
from typing import TypeVar
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.emulators._teamoclock_data import (
    MEETING_NOUN,
    TIMELINE_PREFIX,
    ActionItem,
    JsonObject,
    Record,
    Store,
    build_store,
    render_action_item,
)
from gateway.emulators.cast import Cast
from gateway.emulators.faults import FaultMiddleware, Faults

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


def parse_since(raw: str | None, now: datetime) -> datetime:
    """``filter[since]`` as an inclusive upper bound; a bare date covers that whole day."""
    if raw is None:
        return now
    try:
        if len(raw) == 10:
            return datetime.combine(date.fromisoformat(raw), time.max, UTC)
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise ApiError(400) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def number_in(raw: str, prefixes: str) -> int:
    """The number in an id such as ``A242`` or ``R33``; -1 (found nowhere) if malformed."""
    return int(raw[1:]) if raw[:1] and raw[:1] in prefixes and raw[1:].isdigit() else -1


class Reads:
    """The GET endpoints, over one app's store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def members(self, request: Request) -> Response:
        root = api_root(request)
        return ok([self.store.render_member(u, root) for u in self.store.members])

    async def member(self, request: Request) -> Response:
        username = lookup(self.store.members, request.path_params["username"])["username"]
        return ok(self.store.render_member(str(username)))

    async def teams(self, request: Request) -> Response:
        root = api_root(request)
        return ok([self.store.render_team(slug, root) for slug in self.store.teams])

    async def team(self, request: Request) -> Response:
        return ok(
            self.store.render_team(
                str(lookup(self.store.teams, request.path_params["slug"])["slug"])
            )
        )

    async def team_members(self, request: Request) -> Response:
        usernames = lookup(self.store.team_members, request.path_params["slug"])
        root = api_root(request)
        return ok([self.store.render_member(u, root) for u in usernames])

    def meetings(self, kind: str) -> Handler:
        async def list_active(request: Request) -> Response:
            team = request.query_params.get("filter[team]")
            root = api_root(request)
            found = self.store.meetings[kind].values()
            return ok([self.store.render_meeting(m, root) for m in found
                       if team is None or m.team["slug"] == team])  # fmt: skip

        return list_active

    def meeting(self, kind: str) -> Handler:
        async def get(request: Request) -> Response:
            found = lookup(self.store.meetings[kind], request.path_params["id"])
            return ok(self.store.render_meeting(found))

        return get

    def tasks_of(self, request: Request) -> list[JsonObject]:
        tasks = lookup(self.store.meetings["planpoker"], request.path_params["id"]).state["tasks"]
        assert isinstance(tasks, list)
        return tasks

    async def tasks(self, request: Request) -> Response:
        return ok(self.tasks_of(request))

    async def task(self, request: Request) -> Response:
        tasks = {str(t["id"]): t for t in self.tasks_of(request)}
        task = lookup(tasks, request.path_params["task_id"])
        links = task["links"]
        assert isinstance(links, dict)
        # A single task drops the web-UI `self` link and keeps only `jira`.
        return ok({**task, "links": {k: v for k, v in links.items() if k != "self"}})

    async def action_items(self, request: Request) -> Response:
        team = request.query_params.get("filter[team]")
        status = request.query_params.get("filter[status]")
        if status not in (None, "open", "resolved"):
            raise ApiError(400)
        items = [
            item
            for _, item in sorted(self.store.action_items.items(), reverse=True)
            if (team is None or item.team["slug"] == team)
            and (status is None or item.resolved == (status == "resolved"))
        ]
        return paginate(request, "actionitems", items, lambda i: i.number, render_action_item)

    async def action_item(self, request: Request) -> Response:
        return ok(render_action_item(self.action_item_of(request)))

    def action_item_of(self, request: Request) -> ActionItem:
        return lookup(self.store.action_items, number_in(request.path_params["id"], "A"))

    async def timeline(self, request: Request) -> Response:
        since = parse_since(request.query_params.get("filter[since]"), self.store.now)
        kind = request.query_params.get("filter[type]")
        if kind is not None and kind not in TIMELINE_PREFIX:
            raise ApiError(400)
        records = [
            record
            for _, record in sorted(self.store.timeline.items(), reverse=True)
            if record.date <= since and (kind is None or record.type == kind)
        ]
        root = api_root(request)
        return paginate(request, "timeline", records, lambda r: r.number,
                        lambda r: self.store.render_record(r, root))  # fmt: skip

    async def timeline_record(self, request: Request) -> Response:
        return ok(self.store.render_record(self.record_of(request)))

    def record_of(self, request: Request) -> Record:
        raw = request.path_params["id"]
        record = lookup(self.store.timeline, number_in(raw, "SPR"))
        if record.id != raw:  # S12 is not R12
            raise ApiError(404)
        return record


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


def reference(value: object, key: str, table: Mapping[str, object], *, missing: int = 404) -> str:
    """The name in a ``{"slug": ...}`` / ``{"username": ...}`` reference, checked to exist."""
    name = value.get(key) if isinstance(value, dict) else None
    if not isinstance(name, str):
        raise ApiError(400)
    if name not in table:
        raise ApiError(missing)
    return name


_MEETING: dict[str, type] = {"team": dict, "facilitator": dict}
_ACTION_ITEM: dict[str, type] = {"text": str, "resolved": bool, "team": dict}


class Writes:
    """The POST, PATCH and DELETE endpoints of meetings, tasks, action items and records."""

    def __init__(self, store: Store, reads: Reads) -> None:
        self.store = store
        self.reads = reads

    def start_meeting(self, kind: str) -> Handler:
        async def start(request: Request) -> Response:
            data = await body_fields(request, _MEETING, required=["team"])
            slug = reference(data["team"], "slug", self.store.teams)
            host = None
            if "facilitator" in data:
                host = reference(data["facilitator"], "username", self.store.members, missing=400)
            # One active standup or planning poker per team: asking again answers it, 200.
            existing = self.store.meetings[kind].get(slug) if kind != "retro" else None
            meeting = existing or self.store.start_meeting(kind, slug, facilitator=host)
            return ok(
                self.store.render_meeting(meeting, api_root(request)), 200 if existing else 201
            )

        return start

    def end_meeting(self, kind: str) -> Handler:
        async def end(request: Request) -> Response:
            del self.store.meetings[kind][
                lookup(self.store.meetings[kind], request.path_params["id"]).id
            ]
            return no_content()

        return end

    async def create_task(self, request: Request) -> Response:
        tasks = self.reads.tasks_of(request)
        text = str((await body_fields(request, {"text": str}, required=["text"]))["text"])
        slug = self.store.meetings["planpoker"][request.path_params["id"]].team["slug"]
        rng = random.Random(f"{slug}:{text}:{len(tasks)}")
        tasks.append(self.store.poker_task(slug, text, rng, new=True))
        return ok(tasks[-1], 201)

    async def delete_task(self, request: Request) -> Response:
        tasks = self.reads.tasks_of(request)
        del tasks[lookup({t["id"]: i for i, t in enumerate(tasks)}, request.path_params["task_id"])]
        return no_content()

    async def create_action_item(self, request: Request) -> Response:
        data = await body_fields(request, _ACTION_ITEM, required=["text", "team"])
        slug = reference(data["team"], "slug", self.store.teams)
        number = max(self.store.action_items, default=0) + 1
        item = ActionItem(number, str(data["text"]), data.get("resolved") is True, None,
                          self.store.team_ref(slug), self.store.now)  # fmt: skip
        self.store.action_items[number] = item
        return ok(render_action_item(item), 201)

    async def update_action_item(self, request: Request) -> Response:
        item = self.reads.action_item_of(request)
        changes = await body_fields(request, {"text": str, "resolved": bool})
        item.text = str(changes.get("text", item.text))
        item.resolved = bool(changes.get("resolved", item.resolved))
        return ok(render_action_item(item))

    async def delete_action_item(self, request: Request) -> Response:
        del self.store.action_items[self.reads.action_item_of(request).number]
        return no_content()

    async def delete_record(self, request: Request) -> Response:
        del self.store.timeline[self.reads.record_of(request).number]
        return no_content()


def route(path: str, **handlers: Handler) -> Route:
    """One path, a handler per method (``GET=...``, ``POST=...``)."""

    async def endpoint(request: Request) -> Response:
        # Starlette answers HEAD wherever GET is allowed; the body is dropped for it.
        return await handlers["GET" if request.method == "HEAD" else request.method](request)

    return Route(path, endpoint, methods=list(handlers))


async def _on_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, HTTPException):  # no such route (404) or method (405)
        return error_response(exc.status_code, exc.detail)
    assert isinstance(exc, ApiError)
    return error_response(exc.status)


def create_app(cast: Cast, *, faults: Faults | None = None) -> Starlette:
    """The emulated API for `cast`, routed relative to ``/api/v2``; state is per app."""
    store = build_store(cast)
    get = Reads(store)
    put = Writes(store, get)
    routes = [
        route("/members", GET=get.members),
        route("/members/{username}", GET=get.member),
        route("/teams", GET=get.teams),
        route("/teams/{slug}", GET=get.team),
        route("/teams/{slug}/members", GET=get.team_members),
        *(
            r
            for kind in MEETING_NOUN
            for r in (
                route(f"/{kind}", GET=get.meetings(kind), POST=put.start_meeting(kind)),
                route(f"/{kind}/{{id}}", GET=get.meeting(kind), DELETE=put.end_meeting(kind)),
            )
        ),
        route("/planpoker/{id}/tasks", GET=get.tasks, POST=put.create_task),
        route("/planpoker/{id}/tasks/{task_id}", GET=get.task, DELETE=put.delete_task),
        route("/actionitems", GET=get.action_items, POST=put.create_action_item),
        route("/actionitems/{id}", GET=get.action_item, PATCH=put.update_action_item,
              DELETE=put.delete_action_item),
        route("/timeline", GET=get.timeline),
        route("/timeline/{id}", GET=get.timeline_record, DELETE=put.delete_record),
    ]  # fmt: skip
    credentials = cast.credentials
    middleware = [
        Middleware(BasicAuth, username=credentials.teamoclock_org,
                   password=credentials.teamoclock_key),
    ]  # fmt: skip
    if faults is not None:  # outermost: an outage answers before auth is even checked
        middleware.insert(
            0, Middleware(FaultMiddleware, faults=faults, render_error=error_response)
        )
    return Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={ApiError: _on_error, HTTPException: _on_error},
    )
