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

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gateway.emulators._teamoclock_api import Reads, Writes
from gateway.emulators._teamoclock_data import build_store
from gateway.emulators._teamoclock_http import ApiError, BasicAuth, Handler, error_response
from gateway.emulators._teamoclock_store import MEETING_NOUN
from gateway.emulators.cast import Cast
from gateway.emulators.faults import FaultMiddleware, Faults


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
