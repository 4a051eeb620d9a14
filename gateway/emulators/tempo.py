"""An emulator of the Tempo REST API v3 (``https://api.tempo.io/core/3``), read side.

Speaks Tempo's raw wire format: bare objects carrying an absolute ``self``, collections as
``{self, metadata: {count}, results}``, worklog pages with ``offset``/``limit`` (default 50,
at most 1000) and ``next``/``previous`` links present only when that page exists. Errors are
``{"errors": [{"message": ...}]}``; a missing or wrong bearer token gets 401 with no body.

Choices where the docs leave room:

* ``metadata.count`` of a worklog page counts the matches over all pages (the docs' examples
  show counts above ``limit``), not the page's size.
* ``/worklogs/team/{id}`` holds the worklogs of the team's members on days their membership
  was active. An unknown team, user or project gives an empty page: only
  ``/worklogs/issue/{key}`` documents a 404.
* A worklog's ``self`` uses its ``tempoWorklogId``. Periods are calendar months. Everyone
  shares one work schedule, so ``/user-schedule/{accountId}`` answers for any id.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from datetime import date

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.emulators._tempo_data import (
    JSON,
    ROLE_NAMES,
    WORK_ATTRIBUTES,
    MembershipRec,
    Renderer,
    TeamRec,
    TempoState,
    WorklogRec,
    build_state,
    day_schedule,
    days_between,
    months_between,
)
from gateway.emulators.cast import Cast
from gateway.emulators.faults import FaultMiddleware, Faults

MAX_LIMIT = 1000
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
Handler = Callable[[Request], Awaitable[Response]]


class TempoError(Exception):
    """Raised by a handler; rendered as Tempo's ``{"errors": [...]}`` body."""

    def __init__(self, status: int, *messages: str) -> None:
        super().__init__(status, *messages)
        self.status = status
        self.messages = messages


def render_error(status: int, *messages: str) -> Response:
    return JSONResponse({"errors": [{"message": m} for m in messages]}, status_code=status)


async def _on_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, TempoError):
        return render_error(exc.status, *exc.messages)
    assert isinstance(exc, HTTPException)  # unknown path (404), wrong method (405)
    return render_error(exc.status_code, exc.detail)


class BearerAuth:
    """Every endpoint needs ``Authorization: Bearer <token>``; otherwise 401 with no body."""

    def __init__(self, app: ASGIApp, *, token: str) -> None:
        self.app = app
        self.token = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            given = dict(scope["headers"]).get(b"authorization", b"")
            scheme, _, token = given.partition(b" ")
            if scheme.lower() != b"bearer" or token != self.token:
                await Response(status_code=401)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(cast: Cast, *, faults: Faults | None = None) -> Starlette:
    """The Tempo emulator; its routes are relative to the API base (``/core/3``)."""
    api = _TempoApi(build_state(cast))
    middleware = [Middleware(BearerAuth, token=cast.credentials.tempo_token)]
    if faults is not None:  # outermost: an outage answers 503 before auth is checked
        middleware.insert(0, Middleware(FaultMiddleware, faults=faults, render_error=render_error))
    return Starlette(
        routes=[Route(path, handler, methods=["GET"]) for path, handler in api.routes()],
        middleware=middleware,
        exception_handlers={TempoError: _on_error, HTTPException: _on_error},
    )


def _collection(request: Request, results: list[JSON]) -> JSONResponse:
    body = {"self": str(request.url), "metadata": {"count": len(results)}, "results": results}
    return JSONResponse(body)


class _TempoApi:
    def __init__(self, state: TempoState) -> None:
        self.state = state

    def routes(self) -> list[tuple[str, Handler]]:
        return [
            ("/teams", self.list_teams),
            ("/teams/{id}", self.get_team),
            ("/teams/{id}/members", self.list_members),
            ("/teams/{id}/members/{account_id}", self.get_member),
            ("/teams/{id}/members/{account_id}/memberships", self.list_memberships),
            ("/team-memberships/{id}", self.get_membership),
            ("/roles", self.list_roles),
            ("/roles/{id}", self.get_role),
            ("/programs", self.list_programs),
            ("/programs/{id}", self.get_program),
            ("/programs/{id}/teams", self.list_program_teams),
            ("/worklogs", self.list_worklogs),
            ("/worklogs/{id}", self.get_worklog),
            ("/worklogs/{id}/work-attribute-values", self.list_attribute_values),
            ("/worklogs/{id}/work-attribute-values/{key}", self.get_attribute_value),
            ("/worklogs/jira/{id}", self.get_jira_worklog),
            ("/worklogs/team/{id}", self.list_team_worklogs),
            ("/worklogs/user/{account_id}", self.list_user_worklogs),
            ("/worklogs/project/{key}", self.list_project_worklogs),
            ("/worklogs/issue/{key}", self.list_issue_worklogs),
            ("/work-attributes", self.list_work_attributes),
            ("/work-attributes/{key}", self.get_work_attribute),
            ("/periods", self.list_periods),
            ("/user-schedule", self.list_schedule),
            ("/user-schedule/{account_id}", self.list_schedule),
        ]

    # -- lookups raising the documented 404s ------------------------------------------------------

    def _team(self, request: Request) -> TeamRec:
        team = self.state.teams.get(_int(request.path_params["id"]))
        if team is None:
            raise TempoError(404, "Team not found")
        return team

    def _memberships_in(self, team: TeamRec) -> dict[str, list[MembershipRec]]:
        by_user: dict[str, list[MembershipRec]] = {}
        for m in self.state.memberships.values():
            if m.team_id == team.id:
                by_user.setdefault(m.user.account_id, []).append(m)
        return by_user

    def _member(self, request: Request) -> tuple[TeamRec, list[MembershipRec]]:
        team = self._team(request)
        found = self._memberships_in(team).get(request.path_params["account_id"])
        if not found:  # "Team cannot be found in the system or user is not a member"
            raise TempoError(404, "Team not found")
        return team, found

    def _render(self, request: Request) -> Renderer:
        # request.base_url is the *outermost* app's root; a Mount's prefix is in root_path.
        root = request.scope.get("root_path", "").rstrip("/")
        return Renderer(self.state, str(request.url.replace(path=f"{root}/", query="")))

    def _worklog(self, request: Request, *, jira: bool = False) -> WorklogRec:
        wanted = _int(request.path_params["id"])
        for w in self.state.worklogs:
            if (w.jira_id if jira else w.id) == wanted:
                return w
        raise TempoError(404, "Worklog cannot be found")

    # -- worklog pages ----------------------------------------------------------------------------

    def _page(self, request: Request, worklogs: Iterable[WorklogRec]) -> JSONResponse:
        lo, hi = _date(request, "from"), _date(request, "to")
        updated_from = _date(request, "updatedFrom")
        offset, limit = _count(request, "offset", 0), _count(request, "limit", 50)
        if not 1 <= limit <= MAX_LIMIT:
            raise TempoError(400, f"limit must be between 1 and {MAX_LIMIT}, was {limit}")
        matches = [
            w
            for w in sorted(worklogs, key=lambda w: (w.start_date, w.id))
            if (lo is None or w.start_date >= lo)
            and (hi is None or w.start_date <= hi)
            and (updated_from is None or w.updated_at.date() >= updated_from)
        ]

        def link(at: int) -> str:  # the request's own URL, other filters kept
            return str(request.url.include_query_params(offset=at, limit=limit))

        metadata: JSON = {"count": len(matches), "offset": offset, "limit": limit}
        if offset + limit < len(matches):
            metadata["next"] = link(offset + limit)
        if offset > 0:
            metadata["previous"] = link(max(0, offset - limit))
        render = self._render(request)
        results = [render.worklog(w) for w in matches[offset : offset + limit]]
        return JSONResponse({"self": str(request.url), "metadata": metadata, "results": results})

    # -- handlers: teams, memberships, roles, programs --------------------------------------------

    async def list_teams(self, request: Request) -> Response:
        render = self._render(request)
        return _collection(request, [render.team(t) for t in self.state.teams.values()])

    async def get_team(self, request: Request) -> Response:
        return JSONResponse(self._render(request).team(self._team(request)))

    async def list_members(self, request: Request) -> Response:
        team, render = self._team(request), self._render(request)
        members = self._memberships_in(team).values()
        return _collection(request, [render.team_member(team, f) for f in members])

    async def get_member(self, request: Request) -> Response:
        team, found = self._member(request)
        return JSONResponse(self._render(request).team_member(team, found))

    async def list_memberships(self, request: Request) -> Response:
        _, found = self._member(request)
        found = sorted(found, key=lambda m: m.start or date.min)
        render = self._render(request)
        return _collection(request, [render.membership(m, brief=True) for m in found])

    async def get_membership(self, request: Request) -> Response:
        raw = request.path_params["id"]
        found = self.state.memberships.get(_int(raw))
        if found is None:
            raise TempoError(404, f"Membership with id '{raw}' does not exist")
        return JSONResponse(self._render(request).membership(found))

    async def list_roles(self, request: Request) -> Response:
        render = self._render(request)
        return _collection(request, [render.role(i) for i in range(1, len(ROLE_NAMES) + 1)])

    async def get_role(self, request: Request) -> Response:
        role_id = _int(request.path_params["id"])
        if not 1 <= role_id <= len(ROLE_NAMES):
            raise TempoError(404, "Role not found")
        return JSONResponse(self._render(request).role(role_id))

    def _program_id(self, request: Request) -> int:
        program_id = _int(request.path_params["id"])
        if program_id not in self.state.programs:
            raise TempoError(404, "Program not found")
        return program_id

    async def list_programs(self, request: Request) -> Response:
        render = self._render(request)
        return _collection(request, [render.program(p) for p in self.state.programs])

    async def get_program(self, request: Request) -> Response:
        return JSONResponse(self._render(request).program(self._program_id(request)))

    async def list_program_teams(self, request: Request) -> Response:
        program, render = self.state.programs[self._program_id(request)], self._render(request)
        return _collection(request, [render.team_ref(t) for t in program.team_ids])

    # -- handlers: worklogs -----------------------------------------------------------------------

    async def list_worklogs(self, request: Request) -> Response:
        issues = [self.state.find_issue(ref) for ref in request.query_params.getlist("issue")]
        projects = request.query_params.getlist("project")

        def wanted(w: WorklogRec) -> bool:
            in_project = w.project.key in projects or str(w.project.id) in projects
            return (not issues or (w.project, w.issue_number) in issues) and (
                not projects or in_project
            )

        return self._page(request, filter(wanted, self.state.worklogs))

    async def get_worklog(self, request: Request) -> Response:
        return JSONResponse(self._render(request).worklog(self._worklog(request)))

    async def get_jira_worklog(self, request: Request) -> Response:
        return JSONResponse(self._render(request).worklog(self._worklog(request, jira=True)))

    async def list_attribute_values(self, request: Request) -> Response:
        values = self._worklog(request).attributes
        return _collection(request, [{"key": k, "value": v} for k, v in values])

    async def get_attribute_value(self, request: Request) -> Response:
        values, key = dict(self._worklog(request).attributes), request.path_params["key"]
        if key not in values:
            raise TempoError(404, "Work attribute value cannot be found")
        return JSONResponse({"key": key, "value": values[key]})

    async def list_team_worklogs(self, request: Request) -> Response:
        team_id = _int(request.path_params["id"])
        spans = [m for m in self.state.memberships.values() if m.team_id == team_id]

        def wanted(w: WorklogRec) -> bool:
            return any(m.user == w.author and m.active_on(w.start_date) for m in spans)

        return self._page(request, filter(wanted, self.state.worklogs))

    async def list_user_worklogs(self, request: Request) -> Response:
        account_id = request.path_params["account_id"]
        worklogs = self.state.worklogs
        return self._page(request, (w for w in worklogs if w.author.account_id == account_id))

    async def list_project_worklogs(self, request: Request) -> Response:
        key, worklogs = request.path_params["key"], self.state.worklogs
        return self._page(
            request, (w for w in worklogs if key in (w.project.key, str(w.project.id)))
        )

    async def list_issue_worklogs(self, request: Request) -> Response:
        issue = self.state.find_issue(request.path_params["key"])
        if issue is None:
            raise TempoError(404, "Issue not found")
        worklogs = self.state.worklogs
        return self._page(request, (w for w in worklogs if (w.project, w.issue_number) == issue))

    async def list_work_attributes(self, request: Request) -> Response:
        render = self._render(request)
        return _collection(request, [render.work_attribute(k) for k in WORK_ATTRIBUTES])

    async def get_work_attribute(self, request: Request) -> Response:
        key = request.path_params["key"]
        if key not in WORK_ATTRIBUTES:
            raise TempoError(404, f"A work attribute with key '{key}' does not exist")
        return JSONResponse(self._render(request).work_attribute(key))

    # -- handlers: periods, schedules ------------------------------------------------------------

    async def list_periods(self, request: Request) -> Response:
        lo, hi = _range(request)
        periods = [{"from": s.isoformat(), "to": e.isoformat()} for s, e in months_between(lo, hi)]
        return JSONResponse({"periods": periods})

    async def list_schedule(self, request: Request) -> Response:
        lo, hi = _range(request)
        return _collection(request, [day_schedule(d) for d in days_between(lo, hi)])


# -- path and query parameters --------------------------------------------------------------------


def _int(raw: str) -> int:
    """A numeric path id; anything else is an id nothing has (-1), hence a 404."""
    return int(raw) if raw.isdigit() else -1


def _date(request: Request, name: str) -> date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        if _DATE.fullmatch(raw):
            return date.fromisoformat(raw)
    except ValueError:
        pass
    raise TempoError(400, f"Invalid date '{raw}' for '{name}': use YYYY-MM-DD")


def _range(request: Request) -> tuple[date, date]:
    """The required, inclusive `from`/`to` of periods and schedules."""
    lo, hi = _date(request, "from"), _date(request, "to")
    missing = [f"Query parameter '{n}' is required" for n, v in (("from", lo), ("to", hi)) if not v]
    if lo is None or hi is None:
        raise TempoError(400, *missing)
    return lo, hi


def _count(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name, str(default))
    if not raw.isdigit():
        raise TempoError(400, f"{name} must be a non-negative integer, was '{raw}'")
    return int(raw)
