"""The Hack24 API (JSON:API, documentation of 2016-02-19), emulated from the demo cast.

Every response is ``application/vnd.api+json``. The docs list no errors, so errors use the
JSON:API form ``{"errors": [{"status", "title", "detail"}]}`` (400 malformed, 404 unknown,
409 conflict). The docs name no auth either: a request without ``Authorization`` is served;
one with it must carry ``Bearer <cast.credentials.hack24_token>``.

Users are the cast people with a Hack24 account; teams are the cast teams with one. A user
belongs to at most one team, the first cast team listing them, joined at noon UTC of their
``Member.since``. Writes mutate this app instance's state; new joins happen at ``cast.now``.
``self`` links are relative to the API root, as in the docs (``/teams/refactor-tractor``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from http import HTTPStatus

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.emulators.cast import Cast, slugify
from gateway.emulators.faults import FaultMiddleware, Faults

MEDIA_TYPE = "application/vnd.api+json"

Document = dict[str, object]


class JsonApiResponse(JSONResponse):
    media_type = MEDIA_TYPE


def document(
    self_link: str, data: object, included: list[Document] | None = None, *, status: int = 200
) -> Response:
    """A JSON:API top-level document: ``links.self``, ``data`` and maybe ``included``."""
    body: Document = {"links": {"self": self_link}, "data": data}
    if included is not None:
        body["included"] = included
    return JsonApiResponse(body, status_code=status)


def error_response(status: int, detail: str) -> Response:
    """A JSON:API error document: the one error format of this emulator."""
    error = {"status": str(status), "title": HTTPStatus(status).phrase, "detail": detail}
    return JsonApiResponse({"errors": [error]}, status_code=status)


def format_joined(moment: datetime) -> str:
    """The documented timestamp shape, with 7 fractional digits: 2016-01-23T12:00:00.0000000Z."""
    utc = moment.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond:06d}0Z"


@dataclass
class _State:
    """Users, teams and who is in which team; a user is in at most one team."""

    now: datetime
    users: dict[str, str] = field(default_factory=dict)  # user id -> name
    teams: dict[str, str] = field(default_factory=dict)  # team id -> name
    # team id -> {user id: joined}, in joining order
    members: dict[str, dict[str, datetime]] = field(default_factory=dict)
    team_by_user: dict[str, str] = field(default_factory=dict)  # the inverse, for lookups

    def team_of(self, user_id: str) -> tuple[str, datetime] | None:
        team_id = self.team_by_user.get(user_id)
        return None if team_id is None else (team_id, self.members[team_id][user_id])

    def join(self, team_id: str, user_id: str, joined: datetime | None = None) -> None:
        """Put the user in the team; a user in another team is moved (to-one `team`)."""
        if self.team_by_user.get(user_id) == team_id:
            return  # already there: keep the original join date
        self.leave(user_id)
        self.members[team_id][user_id] = joined or self.now
        self.team_by_user[user_id] = team_id

    def leave(self, user_id: str) -> None:
        team_id = self.team_by_user.pop(user_id, None)
        if team_id is not None:
            del self.members[team_id][user_id]


def _state_from_cast(cast: Cast) -> _State:
    state = _State(now=cast.now)
    for person in cast.people:
        if person.hack24:
            state.users[person.hack24.id] = person.hack24.name
    for team in cast.teams:
        if team.hack24:
            state.teams[team.hack24.id] = team.hack24.name
            state.members[team.hack24.id] = {}
    for team in cast.teams:
        if not team.hack24:
            continue
        for member in team.members:
            account = cast.person(member.person).hack24
            if account and state.team_of(account.id) is None:
                joined = datetime.combine(member.since, time(12), tzinfo=UTC)
                state.join(team.hack24.id, account.id, joined)
    return state


# -- rendering ------------------------------------------------------------------------------


def _member_linkage(state: _State, team_id: str) -> list[Document]:
    return [
        {"type": "users", "id": user_id, "meta": {"joined": format_joined(joined)}}
        for user_id, joined in state.members[team_id].items()
    ]


def _team(state: _State, team_id: str, *, links: bool = True) -> Document:
    resource: Document = {
        "type": "teams",
        "id": team_id,
        "attributes": {"name": state.teams[team_id]},
        "relationships": {
            "members": {
                "links": {"self": f"/teams/{team_id}/members"},
                "data": _member_linkage(state, team_id),
            }
        },
    }
    if links:
        resource["links"] = {"self": f"/teams/{team_id}"}
    return resource


def _team_linkage(state: _State, user_id: str) -> Document | None:
    found = state.team_of(user_id)
    if found is None:
        return None
    team_id, joined = found
    return {"type": "teams", "id": team_id, "meta": {"joined": format_joined(joined)}}


def _user(state: _State, user_id: str, *, links: bool = True, team: bool = True) -> Document:
    """A user resource; users included in team documents carry no relationships (docs)."""
    resource: Document = {"type": "users", "id": user_id}
    if links:
        resource["links"] = {"self": f"/users/{user_id}"}
    resource["attributes"] = {"name": state.users[user_id]}
    if team:
        resource["relationships"] = {"team": {"data": _team_linkage(state, user_id)}}
    return resource


def _members_document(state: _State, team_id: str) -> Response:
    return document(
        f"/teams/{team_id}/members",
        _member_linkage(state, team_id),
        [_user(state, u, team=False) for u in state.members[team_id]],
    )


# -- reading requests -----------------------------------------------------------------------


async def _body_data(request: Request) -> object:
    """The top-level ``data`` of a JSON:API request body (400 when there is none)."""
    try:
        body = json.loads(await request.body())
    except ValueError:
        raise HTTPException(400, "The request body is not JSON.") from None
    if not isinstance(body, dict) or "data" not in body:
        raise HTTPException(400, 'The request body must be a JSON:API document with "data".')
    return body["data"]


def _identifier(item: object, kind: str, known: dict[str, str]) -> str:
    """The id of a resource identifier ``{"type": kind, "id": ...}`` that must exist."""
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        raise HTTPException(400, f'Expected a resource identifier {{"type": "{kind}", "id"}}.')
    if item.get("type") != kind:
        raise HTTPException(409, f"Expected type {kind!r}, got {item.get('type')!r}.")
    if item["id"] not in known:
        raise HTTPException(404, f"No {kind[:-1]} with id {item['id']!r}.")
    return str(item["id"])


def _user_ids(data: object, state: _State) -> list[str]:
    if not isinstance(data, list):
        raise HTTPException(400, '"data" must be an array of user identifiers.')
    return list(dict.fromkeys(_identifier(item, "users", state.users) for item in data))


def _new_resource(data: object, kind: str, taken: dict[str, str]) -> tuple[str, str, object]:
    """(slug id, name, relationships) of a resource to create; the id comes from the name."""
    if not isinstance(data, dict):
        raise HTTPException(400, '"data" must be a resource object.')
    if data.get("type") != kind:
        raise HTTPException(409, f"Expected type {kind!r}, got {data.get('type')!r}.")
    attributes = data.get("attributes")
    name = attributes.get("name") if isinstance(attributes, dict) else None
    if not isinstance(name, str) or not name.strip():
        raise HTTPException(400, '"attributes.name" is required and must be a non-empty string.')
    slug = slugify(name)
    if not slug:
        raise HTTPException(400, f"Cannot derive an id from the name {name!r}.")
    if slug in taken:
        raise HTTPException(409, f"A {kind[:-1]} with id {slug!r} already exists.")
    relationships = data.get("relationships")
    return slug, name.strip(), relationships if isinstance(relationships, dict) else {}


def _related_data(relationships: object, name: str) -> object:
    relationship = relationships.get(name) if isinstance(relationships, dict) else None
    return relationship.get("data") if isinstance(relationship, dict) else None


# -- the app --------------------------------------------------------------------------------


def create_app(cast: Cast, *, faults: Faults | None = None) -> Starlette:
    """The Hack24 API over the cast; routes start at the API root (mounted at ``/hack24``)."""
    state = _state_from_cast(cast)

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
        return document("/teams", [_team(state, t) for t in state.teams])

    async def create_team(request: Request) -> Response:
        team_id, name, relationships = _new_resource(
            await _body_data(request), "teams", state.teams
        )
        members = _related_data(relationships, "members")
        user_ids = _user_ids(members, state) if members is not None else []
        state.teams[team_id] = name
        state.members[team_id] = {}
        for user_id in user_ids:
            state.join(team_id, user_id)
        return document(f"/teams/{team_id}", _team(state, team_id, links=False), status=201)

    async def get_team(request: Request) -> Response:
        team_id = team_id_of(request)
        return document(
            f"/teams/{team_id}",
            _team(state, team_id, links=False),
            [_user(state, u, team=False) for u in state.members[team_id]],
        )

    async def team_members(request: Request) -> Response:
        team_id = team_id_of(request)
        if request.method == "GET":
            return _members_document(state, team_id)
        user_ids = _user_ids(await _body_data(request), state)
        if request.method == "DELETE":
            for user_id in user_ids:
                if state.team_by_user.get(user_id) == team_id:
                    state.leave(user_id)
            return Response(status_code=204, media_type=MEDIA_TYPE)
        if request.method == "PATCH":  # replace the whole list
            for user_id in list(state.members[team_id]):
                if user_id not in user_ids:
                    state.leave(user_id)
        for user_id in user_ids:
            state.join(team_id, user_id)
        return _members_document(state, team_id)

    async def list_users(request: Request) -> Response:
        team_ids = set(state.team_by_user.values())
        return document(
            "/users",
            [_user(state, u) for u in state.users],
            [_team(state, t) for t in state.teams if t in team_ids],
        )

    async def create_user(request: Request) -> Response:
        user_id, name, relationships = _new_resource(
            await _body_data(request), "users", state.users
        )
        team = _related_data(relationships, "team")
        team_id = _identifier(team, "teams", state.teams) if team is not None else None
        state.users[user_id] = name
        if team_id is not None:
            state.join(team_id, user_id)
        return document(f"/users/{user_id}", _user(state, user_id, links=False), status=201)

    async def get_user(request: Request) -> Response:
        user_id = user_id_of(request)
        included: list[Document] = []
        found = state.team_of(user_id)
        if found:
            included.append(_team(state, found[0]))
            included += [_user(state, u) for u in state.members[found[0]] if u != user_id]
        return document(f"/users/{user_id}", _user(state, user_id, links=False), included)

    async def user_team(request: Request) -> Response:
        user_id = user_id_of(request)
        if request.method == "PATCH":
            data = await _body_data(request)
            if data is None:  # JSON:API: null empties a to-one relationship
                state.leave(user_id)
            else:
                state.join(_identifier(data, "teams", state.teams), user_id)
            return Response(status_code=204, media_type=MEDIA_TYPE)
        linkage = _team_linkage(state, user_id)
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

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        detail, headers = exc.detail, exc.headers or {}
        if exc.status_code == 405:  # the router's own
            detail = f"{request.method} is not allowed here; use one of: {headers.get('Allow')}."
        elif detail == HTTPStatus.NOT_FOUND.phrase:  # the router's own
            detail = f"{request.url.path} is not part of the Hack24 API."
        response = error_response(exc.status_code, detail)
        response.headers.update(headers)
        return response

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


class BearerCheck:
    """No auth is documented, so none is required; a wrong bearer token is still refused."""

    def __init__(self, app: ASGIApp, *, token: str) -> None:
        self.app = app
        self.expected = f"Bearer {token}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            given = dict(scope["headers"]).get(b"authorization")
            if given is not None and given != self.expected:
                detail = (
                    "Wrong credentials: send no Authorization header or the API's bearer token."
                )
                response = error_response(401, detail)
                response.headers["WWW-Authenticate"] = 'Bearer realm="hack24"'
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
