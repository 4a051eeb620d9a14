"""Team O'clock REST API v2, emulated: ``create_app(cast)`` serves what ``/api/v2`` serves.

The wire format follows ``seeds/teamoclock-api-v2.txt``: HTTP Basic auth (organisation slug
and secret key), every payload under ``data``, list items carrying an absolute
``links.self``, the documented ``{"error": {status, code, title, detail}}`` bodies, and
cursor pagination (100 a page, recent to older) on ``/actionitems`` and ``/timeline``.

Every documented endpoint is served, and writes change what later reads return. Where the
docs are silent this emulator chooses (``api-catalog.md`` §1.4 suggests most of these):

* Paging: the last page omits ``links.next``; ``links.next`` keeps the request's filters;
  the cursor is the number of the item to continue from. ``filter[since]`` keeps records
  dated on or before it (a bare date means that whole day).
* Errors: every error body carries the documented words, whatever the cause (the API gives
  no reason). An invalid filter, cursor or body answers 400, also on the endpoints that
  document no 400 (``DELETE /teams/{slug}/members``); an unknown team or meeting answers
  404, also on ``/planpoker/{id}/tasks`` and when a POST body names a team; an unknown
  facilitator, or an unknown member in ``POST /teams/{slug}/members``, answers 400 (the
  body is wrong, not the URL).
* Required fields (never marked in the docs): ``username`` of a member, ``name`` and
  ``slug`` of a team, ``team.slug`` of a meeting or action item, ``text`` of a poker task or
  action item; empty strings count as missing. Fields of the wrong JSON type (``null``
  included), or a ``role`` outside the documented enum, answer 400; fields the docs do not
  list are ignored.
* Members and teams: a new username or slug must be unused and one path segment (no
  ``/``), else 400. A PATCH may repeat the username or slug but not change it (400): both are
  the keys other records use. Fields a create leaves out are absent from the resource,
  except ``role``, which has the documented default ``member``. Adding someone already in
  the team, or removing someone not in it, changes nothing (still 204).
* Deleting a member removes them from every team; meetings keep what they said or voted,
  and a meeting they facilitate keeps them as its facilitator.
  Deleting a team ends its active meetings; its action items and timeline records stay,
  still naming it (as it was last called). A renamed team shows its new name everywhere,
  including meeting names, except past retrospectives' ``name``.
* Meetings: standup and planning poker ids are the team slug, so a team has at most one of
  each and ``POST`` answers 200 with the active one; retrospectives have random ids and a
  team may have several (every POST creates one, 201). ``DELETE`` ends a meeting: it leaves
  the active lists and its id answers 404; it is not added to the timeline (the docs say
  "deletes"). The docs define no endpoint that moves a retrospective between stages.
* Facilitators: a given ``facilitator`` may be any member of the organisation. Without one,
  "a random team member" is drawn deterministically: ``random.Random`` seeded with
  ``"{slug}:{kind}:{today}:{n}"``, ``n`` counting the meetings this app has started, picks
  from the team's members in team order, so the same requests always pick the same person.
  A team with no members gets ``"facilitator": null``.
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
from gateway.emulators._teamoclock_org import Org
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
    org = Org(store)
    get = Reads(store)
    put = Writes(store, get)
    routes = [
        route("/members", GET=org.members, POST=org.create_member),
        route("/members/{username}", GET=org.member, PATCH=org.update_member,
              DELETE=org.delete_member),
        route("/teams", GET=org.teams, POST=org.create_team),
        route("/teams/{slug}", GET=org.team, PATCH=org.update_team, DELETE=org.delete_team),
        route("/teams/{slug}/members", GET=org.team_members, POST=org.add_team_members,
              DELETE=org.remove_team_members),
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
