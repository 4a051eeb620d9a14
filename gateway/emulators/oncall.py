"""LinkedIn oncall emulator: the ``/api/v0`` REST API as the real 2.1.7 server speaks it.

Behaviour follows ``shared/oncall-real-server.md`` (observed with curl) and 2.1.7's source
over the 2017 docs: bare JSON arrays and objects with ujson's ``\\/`` escapes,
``{"title", "description"}`` error bodies (a bare ``{"title": "404 Not Found"}`` for plain
404s), case-sensitive names, members listed by user id, unfiltered ``/events`` grouped by
team name, ``GET /audit``, ``POST /events/link`` answering ``{"link_id", "event_ids"}``, and
the upstream bugs clients must survive (``/schedules/{bad}`` is a 500, ``/teams/{t}/rosters/{r}``
returns every schedule of the team, a repeated ``/users`` filter is a 500, ``PUT /teams/{unknown}``
is a 200 no-op).

Auth (``_oncall_auth``): the default is upstream's stock dev config, mode A (``auth.debug``
on, ``require_auth`` off), which is what the demo runs: reads need nothing; a write carrying
an ``Authorization`` header must be valid app HMAC (the gateway always signs), one with a
session cookie runs as that user, any other as ``test_user``; permission checks are off and
the ``@debug_only`` endpoints (``POST /users``, ``POST|PUT|DELETE /services…``) are open. An
application creating a team must name its ``admin``. ``auth_debug=False`` is mode B (writes
need HMAC or a ``POST /login`` session plus ``X-CSRF-TOKEN``; admin and member checks apply to
session users; ``@debug_only`` is 403) and ``require_auth=True`` mode C (every call but
``/login`` authenticated; it implies ``auth_debug=False`` unless told otherwise).

``create_app`` serves the API (mounted at ``MOUNTS["oncall"]``); :func:`create_root_app`
serves what 2.1.7 has at the server root above it (``/healthcheck``, ``/login``, ``/logout``),
over the same state.

Choices where the docs and the real server leave room:

* Team delete is upstream's soft delete (the team is renamed to a uuid and made inactive, so
  ``GET /teams?active=0`` lists it), and it also drops the team's rosters, schedules and
  events: upstream deletes only future events and leaves the rest under the renamed team.
  Deleting an unknown team is the documented 404 (upstream's answer depends on its ids).
* ``DELETE /users/{unknown}`` is 200 and ``DELETE /notifications/{unknown}`` 500, as 2.1.7's
  code answers (the docs say 404). A deleted user leaves every team, admin list and roster,
  and their events and notification settings go too (upstream's foreign keys cascade).
* Where upstream reports several missing body keys at once, they are listed in a fixed
  order; where it picks one of several never-scheduled users, the lowest id wins.
* The server's clock is the cast's ``now`` (grace period, on-call-now, populate), while HMAC
  windows are checked against ``clock`` (the wall clock by default).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from http import HTTPStatus

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp

from gateway.emulators._oncall_auth import Auth, Gate
from gateway.emulators._oncall_catalog import Catalog
from gateway.emulators._oncall_events import Events
from gateway.emulators._oncall_http import OncallError, render_error
from gateway.emulators._oncall_rosters import Rosters
from gateway.emulators._oncall_schedules import Schedules
from gateway.emulators._oncall_seed import seed
from gateway.emulators._oncall_services import Services
from gateway.emulators._oncall_teams import Teams
from gateway.emulators._oncall_users import Users
from gateway.emulators.cast import Cast
from gateway.emulators.faults import FaultMiddleware, Faults

Handler = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class _Server:
    """What the API app and the root app share."""

    auth: Auth
    faults: Faults | None


def _fault(status: int, message: str) -> Response:
    return render_error(status, f"{status} {HTTPStatus(status).phrase}", message)


async def _on_oncall_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, OncallError)
    return render_error(exc.status, exc.title, exc.description)


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return render_error(exc.status_code, f"{exc.status_code} {HTTPStatus(exc.status_code).phrase}")


def _app(server: _Server, table: list[tuple[str, dict[str, Handler]]],
         open_paths: tuple[str, ...] = ()) -> Starlette:  # fmt: skip
    routes = [Route(path, handler, methods=[method])
              for path, handlers in table for method, handler in handlers.items()]  # fmt: skip
    faults = server.faults
    middleware = [Middleware(FaultMiddleware, faults=faults, render_error=_fault)] if faults else []
    middleware.append(Middleware(Gate, auth=server.auth, open_paths=open_paths))
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={OncallError: _on_oncall_error, HTTPException: _on_http_error},
    )
    app.state.oncall = server
    return app


def create_app(
    cast: Cast,
    *,
    faults: Faults | None = None,
    require_auth: bool = False,
    auth_debug: bool | None = None,
    clock: Callable[[], float] = time.time,
) -> Starlette:
    """The oncall API, routes relative to ``/api/v0`` (mounted at ``MOUNTS["oncall"]``).

    ``auth_debug`` (default: on unless ``require_auth``) and ``require_auth`` pick upstream's
    auth mode (see the module docstring); ``clock`` is the wall clock HMAC windows are checked
    against (the data itself is relative to ``cast.now``).
    """
    db = seed(cast)
    debug = not require_auth if auth_debug is None else auth_debug
    auth = Auth(db, cast.credentials, debug=debug, require_auth=require_auth, clock=clock)
    server = _Server(auth, faults)
    t, r, s, e = Teams(db, auth), Rosters(db, auth), Schedules(db, auth), Events(db, auth)
    u, sv, c = Users(db, auth), Services(db, auth), Catalog(db, auth)
    team, roster = "/teams/{team}", "/teams/{team}/rosters/{roster}"
    return _app(server, [
        ("/teams", {"GET": t.teams, "POST": t.create_team}),
        (team, {"GET": t.team, "PUT": t.update_team, "DELETE": t.delete_team}),
        (f"{team}/summary", {"GET": t.summary}),
        (f"{team}/oncall", {"GET": t.oncall}),
        (f"{team}/oncall/{{role}}", {"GET": t.oncall}),
        (f"{team}/changes", {"GET": c.team_changes}),
        (f"{team}/admins", {"GET": t.team_admins, "POST": t.add_admin}),
        (f"{team}/admins/{{user}}", {"DELETE": t.delete_admin}),
        (f"{team}/users", {"GET": t.team_users, "POST": t.add_user}),
        (f"{team}/users/{{user}}", {"DELETE": t.delete_user}),
        (f"{team}/services", {"GET": t.team_services, "POST": t.add_service}),
        (f"{team}/services/{{service}}", {"DELETE": t.delete_service}),
        (f"{team}/rosters", {"GET": r.rosters, "POST": r.create_roster}),
        (roster, {"GET": r.roster, "PUT": r.update_roster, "DELETE": r.delete_roster}),
        (f"{roster}/users", {"GET": r.roster_users, "POST": r.add_roster_user}),
        (f"{roster}/users/{{user}}", {"PUT": r.update_roster_user,
                                      "DELETE": r.delete_roster_user}),
        (f"{roster}/schedules", {"GET": s.roster_schedules, "POST": s.create_schedule}),
        ("/team_users", {"GET": t.all_team_users}),
        ("/team_services", {"GET": t.all_team_services}),
        ("/schedules/{schedule_id}", {"GET": s.schedule, "PUT": s.update_schedule,
                                      "DELETE": s.delete_schedule}),
        ("/schedules/{schedule_id}/populate", {"POST": s.populate}),
        ("/events", {"GET": e.events, "POST": e.create_event}),
        ("/events/swap", {"POST": e.swap_events}),
        ("/events/override", {"POST": e.override_events}),
        ("/events/link", {"POST": e.link_events}),
        ("/events/{event_id}", {"GET": e.event, "PUT": e.update_event, "DELETE": e.delete_event}),
        ("/users", {"GET": u.users, "POST": u.create_user}),
        ("/users/{user}", {"GET": u.user, "PUT": u.update_user, "DELETE": u.delete_user}),
        ("/users/{user}/teams", {"GET": u.user_teams}),
        ("/users/{user}/upcoming", {"GET": e.upcoming}),
        ("/users/{user}/notifications", {"GET": u.notifications,
                                         "POST": u.create_notification}),
        ("/notifications/{notification_id}", {"PUT": u.update_notification,
                                              "DELETE": u.delete_notification}),
        ("/services", {"GET": sv.services, "POST": sv.create_service}),
        ("/services/{service}", {"GET": sv.service, "PUT": sv.update_service,
                                 "DELETE": sv.delete_service}),
        ("/services/{service}/teams", {"GET": sv.service_teams}),
        ("/services/{service}/oncall", {"GET": sv.service_oncall}),
        ("/services/{service}/oncall/{role}", {"GET": sv.service_oncall}),
        ("/roles", {"GET": c.roles}),
        ("/search", {"GET": c.search}),
        ("/notification_types", {"GET": c.notification_types}),
        ("/modes", {"GET": c.modes}),
        ("/timezones", {"GET": c.timezones}),
        ("/audit", {"GET": c.audit}),
    ])  # fmt: skip


def create_root_app(api: ASGIApp) -> Starlette:
    """What 2.1.7 serves at its root, above ``/api/v0``, over the state of ``api`` (an app
    from :func:`create_app`): ``GET /healthcheck``, ``POST /login``, ``POST /logout``."""
    assert isinstance(api, Starlette)
    server: _Server = api.state.oncall
    catalog = Catalog(server.auth.db, server.auth)
    return _app(server, [
        ("/healthcheck", {"GET": catalog.healthcheck}),
        ("/login", {"POST": server.auth.login}),
        ("/logout", {"POST": server.auth.logout}),
    ], open_paths=("/login",))  # fmt: skip
