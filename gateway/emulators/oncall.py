"""LinkedIn oncall emulator: the ``/api/v0`` REST API as the real 2.1.7 server speaks it.

Behaviour follows ``shared/oncall-real-server.md`` (observed with curl) over the 2017 docs:
bare JSON arrays and objects with ujson's ``\\/`` escapes, ``{"title", "description"}`` error
bodies (a bare ``{"title": "404 Not Found"}`` for plain 404s), case-sensitive names, the
``400 Bad constraint param`` on unknown ``/events`` keys, and the upstream bugs clients must
survive (``/schedules/{bad}`` is a 500, ``/teams/{t}/rosters/{r}`` returns every schedule of
the team, a repeated ``/users`` filter is a 500).

Auth is upstream's stock mode A by default: reads need nothing; a write that carries an
``Authorization`` header must be valid app HMAC or gets 401. ``require_auth=True`` is mode C:
every call needs HMAC (or ``SSO-DEBUG-HEADER``), else ``401 User must be logged in``.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from http import HTTPStatus

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gateway.emulators._oncall_api import Api
from gateway.emulators._oncall_data import OncallDB
from gateway.emulators._oncall_http import Gate, OncallError, render_error
from gateway.emulators.cast import Cast
from gateway.emulators.faults import FaultMiddleware, Faults

Handler = Callable[[Request], Awaitable[Response]]


def _fault(status: int, message: str) -> Response:
    return render_error(status, f"{status} {HTTPStatus(status).phrase}", message)


def create_app(
    cast: Cast,
    *,
    faults: Faults | None = None,
    require_auth: bool = False,
    clock: Callable[[], float] = time.time,
) -> Starlette:
    """The oncall API, routes relative to ``/api/v0`` (mounted at ``MOUNTS["oncall"]``).

    ``require_auth`` switches to upstream's mode C (every call signed); ``clock`` is the
    wall clock HMAC windows are checked against (the data itself is relative to ``cast.now``).
    """
    api = Api(OncallDB(cast))
    writes = ["POST"]
    routes = [
        Route("/healthcheck", api.healthcheck),
        Route("/teams", api.teams),
        Route("/teams/{team}", api.team),
        Route("/teams/{team}/summary", api.summary),
        Route("/teams/{team}/oncall", api.team_oncall),
        Route("/teams/{team}/oncall/{role}", api.team_oncall),
        Route("/teams/{team}/users", api.team_part),
        Route("/teams/{team}/admins", api.team_part),
        Route("/teams/{team}/services", api.team_part),
        Route("/teams/{team}/rosters", api.rosters),
        Route("/teams/{team}/rosters/{roster}", api.roster),
        Route("/teams/{team}/rosters/{roster}/users", api.roster_users),
        Route("/teams/{team}/rosters/{roster}/schedules", api.roster_schedules),
        Route("/team_users", api.team_users),
        Route("/team_services", api.team_services),
        Route("/schedules/{schedule_id}", api.schedule),
        Route("/events", api.events),
        Route("/events", api.create_event, methods=writes),
        Route("/events/swap", api.swap_events, methods=writes),
        Route("/events/override", api.override_events, methods=writes),
        Route("/events/link", api.link_events, methods=writes),
        Route("/events/{event_id}", api.event),
        Route("/events/{event_id}", api.update_event, methods=["PUT"]),
        Route("/events/{event_id}", api.delete_event, methods=["DELETE"]),
        Route("/users", api.users),
        Route("/users/{user}", api.user),
        Route("/users/{user}/teams", api.user_teams),
        Route("/users/{user}/upcoming", api.upcoming),
        Route("/users/{user}/notifications", api.notifications),
        Route("/services", api.services),
        Route("/services/{service}", api.service),
        Route("/services/{service}/teams", api.service_teams),
        Route("/services/{service}/oncall", api.service_oncall),
        Route("/services/{service}/oncall/{role}", api.service_oncall),
        Route("/roles", api.roles),
        Route("/search", api.search),
        Route("/notification_types", api.constant),
        Route("/modes", api.constant),
        Route("/timezones", api.constant),
    ]
    middleware = [Middleware(FaultMiddleware, faults=faults, render_error=_fault)] if faults else []
    middleware.append(Middleware(Gate, credentials=cast.credentials,
                                 require_auth=require_auth, clock=clock))  # fmt: skip

    async def on_oncall_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, OncallError)
        return render_error(exc.status, exc.title, exc.description)

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return render_error(
            exc.status_code, f"{exc.status_code} {HTTPStatus(exc.status_code).phrase}"
        )

    return Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={OncallError: on_oncall_error, HTTPException: on_http_error},
    )
