"""The Hack24 API (JSON:API, documentation of 2016-02-19), emulated from the demo cast.

Every response is ``application/vnd.api+json``; bodies are JSON:API documents ``{links, data,
included}`` shaped like the docs' examples. Creates answer ``201``, ``POST`` members ``200``
with the whole member list, ``DELETE`` members and ``PATCH`` a user's team ``204``. The data
(users, teams, joins) is built in :mod:`gateway.emulators._hack24_data`.

Choices where the docs are silent or ambiguous:

* Errors (the docs list none) are JSON:API ``{"errors": [{"status", "title", "detail",
  "source": {"pointer"}}]}``, the pointer naming the bad member of the request document
  (``/data/attributes/name``, ``/data/0/id``): ``400`` for a malformed document, ``404`` for
  an unknown team or user (in the path, or named in the body), ``409`` for a wrong ``type``
  or an id already taken, ``405`` for a method the docs do not list, and ``415`` for
  ``Content-Type: application/vnd.api+json`` with parameters (JSON:API 1.0). A body sent as
  ``application/json`` is read too.
* Auth: none is documented, so a request without ``Authorization`` is served; one with it
  must carry ``Bearer <cast.credentials.hack24_token>`` (else ``401``).
* ``GET /teams`` answers an array of teams (the docs' example shows a single object).
* Ids are slugs of the name (``slugify``); a name whose slug is taken is a ``409``.
* A user is in at most one team (``team`` is to-one): adding a user to a team, by ``POST
  /teams``, ``POST``/``PATCH`` members or ``PATCH /users/{id}/team``, moves them out of their
  old team; a user already in the team keeps their join date. ``PATCH`` members replaces
  the list, so users left out have no team; ``DELETE`` members ignores users not in the team;
  ``PATCH /users/{id}/team`` with ``"data": null`` leaves the team.
* New joins happen at ``cast.now``. ``self`` links are relative to the API root, as in the
  docs; ``/users/{id}/team`` includes its team with ``links.self`` ``/teams/{id}`` (the
  docs' ``/team/...`` is a typo). Users included in team documents carry no
  ``relationships``, as in the docs.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gateway.emulators._hack24_data import (
    Document,
    State,
    format_joined,
    member_linkage,
    state_from_cast,
    team_linkage,
    team_resource,
    user_resource,
)
from gateway.emulators._hack24_http import (
    MEDIA_TYPE,
    BearerCheck,
    body_data,
    document,
    error_response,
    identifier,
    new_resource,
    no_content,
    on_http_error,
    related_data,
    user_ids,
)
from gateway.emulators.cast import Cast
from gateway.emulators.faults import FaultMiddleware, Faults

__all__ = ["MEDIA_TYPE", "create_app", "format_joined"]


def _members_document(state: State, team_id: str) -> Response:
    return document(
        f"/teams/{team_id}/members",
        member_linkage(state, team_id),
        [user_resource(state, u, team=False) for u in state.members[team_id]],
    )


def create_app(cast: Cast, *, faults: Faults | None = None) -> Starlette:
    """The Hack24 API over the cast; routes start at the API root (mounted at ``/hack24``)."""
    state = state_from_cast(cast)

    def team_id_of(request: Request) -> str:
        team_id: str = request.path_params["team_id"]
        if team_id not in state.teams:
            raise HTTPException(404, f"No team with id {team_id!r}.")
        return team_id

    def user_id_of(request: Request) -> str:
        user_id: str = request.path_params["user_id"]
        if user_id not in state.users:
            raise HTTPException(404, f"No user with id {user_id!r}.")
        return user_id

    async def list_teams(request: Request) -> Response:
        # The docs' example shows one object here; the catalog suggests the array a
        # collection needs.
        return document("/teams", [team_resource(state, t) for t in state.teams])

    async def create_team(request: Request) -> Response:
        team_id, name, relationships = new_resource(await body_data(request), "teams", state.teams)
        members = related_data(relationships, "members")
        pointer = "/data/relationships/members/data"
        joining = user_ids(members, state.users, pointer) if members is not None else []
        state.teams[team_id] = name
        state.members[team_id] = {}
        for user_id in joining:
            state.join(team_id, user_id)
        return document(f"/teams/{team_id}", team_resource(state, team_id, links=False), status=201)

    async def get_team(request: Request) -> Response:
        team_id = team_id_of(request)
        return document(
            f"/teams/{team_id}",
            team_resource(state, team_id, links=False),
            [user_resource(state, u, team=False) for u in state.members[team_id]],
        )

    async def team_members(request: Request) -> Response:
        team_id = team_id_of(request)
        if request.method == "GET":
            return _members_document(state, team_id)
        listed = user_ids(await body_data(request), state.users)
        if request.method == "DELETE":
            for user_id in listed:
                if state.team_by_user.get(user_id) == team_id:
                    state.leave(user_id)
            return no_content()
        if request.method == "PATCH":  # replace the whole list
            for user_id in list(state.members[team_id]):
                if user_id not in listed:
                    state.leave(user_id)
        for user_id in listed:
            state.join(team_id, user_id)
        return _members_document(state, team_id)

    async def list_users(request: Request) -> Response:
        team_ids = set(state.team_by_user.values())
        return document(
            "/users",
            [user_resource(state, u) for u in state.users],
            [team_resource(state, t) for t in state.teams if t in team_ids],
        )

    async def create_user(request: Request) -> Response:
        user_id, name, relationships = new_resource(await body_data(request), "users", state.users)
        team = related_data(relationships, "team")
        pointer = "/data/relationships/team/data"
        team_id = identifier(team, "teams", state.teams, pointer) if team is not None else None
        state.users[user_id] = name
        if team_id is not None:
            state.join(team_id, user_id)
        return document(f"/users/{user_id}", user_resource(state, user_id, links=False), status=201)

    async def get_user(request: Request) -> Response:
        user_id = user_id_of(request)
        included: list[Document] = []
        found = state.team_of(user_id)
        if found:
            included.append(team_resource(state, found[0]))
            included += [user_resource(state, u) for u in state.members[found[0]] if u != user_id]
        return document(f"/users/{user_id}", user_resource(state, user_id, links=False), included)

    async def user_team(request: Request) -> Response:
        user_id = user_id_of(request)
        if request.method == "PATCH":
            data = await body_data(request)
            if data is None:  # JSON:API: null empties a to-one relationship
                state.leave(user_id)
            else:
                state.join(identifier(data, "teams", state.teams, "/data"), user_id)
            return no_content()
        linkage = team_linkage(state, user_id)
        included: list[Document] = []
        if linkage is not None:
            team_id = str(linkage["id"])
            included.append(
                {
                    "links": {"self": f"/teams/{team_id}"},
                    "type": "teams",
                    "id": team_id,
                    "attributes": {"name": state.teams[team_id]},
                }
            )
        return document(f"/users/{user_id}/team", linkage, included)

    routes = [
        Route("/teams", list_teams, methods=["GET"]),
        Route("/teams", create_team, methods=["POST"]),
        Route("/teams/{team_id}", get_team, methods=["GET"]),
        Route("/teams/{team_id}/members", team_members, methods=["GET", "POST", "PATCH", "DELETE"]),
        Route("/users", list_users, methods=["GET"]),
        Route("/users", create_user, methods=["POST"]),
        Route("/users/{user_id}", get_user, methods=["GET"]),
        Route("/users/{user_id}/team", user_team, methods=["GET", "PATCH"]),
    ]
    middleware = [Middleware(BearerCheck, token=cast.credentials.hack24_token)]
    if faults is not None:  # outermost, so an outage answers before the auth check
        middleware.insert(
            0, Middleware(FaultMiddleware, faults=faults, render_error=error_response)
        )
    return Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={HTTPException: on_http_error},
    )
