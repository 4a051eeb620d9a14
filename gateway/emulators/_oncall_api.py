"""The oncall emulator's endpoints, one method a route, over one :class:`OncallDB`."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from gateway.emulators._oncall_data import OncallDB
from gateway.emulators._oncall_filters import NUM_OPS, TEXT_OPS, constraints, select
from gateway.emulators._oncall_http import (
    OncallError,
    OncallJSON,
    empty,
    flag,
    json_body,
    not_found,
    params_of,
    server_error,
)
from gateway.emulators._oncall_tables import (
    EVENT_COLUMNS,
    MODES,
    NOTIFICATION_TYPES,
    ROLES,
    TEAM_PARTS,
    USER_COLUMNS,
)


class Api:
    """The endpoints, over one :class:`OncallDB`."""

    def __init__(self, db: OncallDB) -> None:
        self.db = db
        d = db
        self.team_filters = constraints({
            "name": (lambda t: t.name, TEXT_OPS), "id": (lambda t: t.id, ("", "eq")),
            "active": (lambda t: t.active, ("",)), "email": (lambda t: t.email, TEXT_OPS),
        })  # fmt: skip
        self.event_filters = constraints({
            "id": (lambda e: e.id, NUM_OPS), "start": (lambda e: e.start, NUM_OPS),
            "end": (lambda e: e.end, NUM_OPS), "role": (lambda e: e.role, TEXT_OPS),
            "team": (lambda e: e.team, TEXT_OPS), "user": (lambda e: e.user, TEXT_OPS),
            "team_id": (lambda e: d.teams[e.team].id, ("",)),
        })  # fmt: skip
        self.user_filters = constraints({
            "id": (lambda u: u.id, NUM_OPS), "name": (lambda u: u.name, TEXT_OPS),
            "full_name": (lambda u: u.full_name, TEXT_OPS), "active": (lambda u: u.active, ("",)),
        })  # fmt: skip
        named = {"id": (lambda r: r[0], NUM_OPS), "name": (lambda r: r[1], TEXT_OPS)}
        self.named_filters = constraints(named)  # services and roles: rows are (id, name)
        self.schedule_filters = constraints({
            "id": (lambda s: s.id, NUM_OPS), "name": (lambda s: s.roster, TEXT_OPS),
            "role": (lambda s: s.role, TEXT_OPS), "team": (lambda s: s.team, TEXT_OPS),
            "team_id": (lambda s: d.teams[s.team].id, ("",)),
            "roster_id": (lambda s: next(r.id for r in d.rosters if r.team == s.team
                                         and r.name == s.roster), ("",)),
        })  # fmt: skip

    # -- teams ---------------------------------------------------------------------------

    async def teams(self, request: Request) -> Response:
        params = {"active": "1", **params_of(request)}
        rows = select(self.db.teams.values(), self.team_filters, params)
        if flag(params.get("get_id")):
            return OncallJSON([[t.name, t.id] for t in rows])
        return OncallJSON([t.name for t in rows])

    async def team(self, request: Request) -> Response:
        team = self.db.active_team(request.path_params["team"])
        if team is None:
            raise not_found()
        fields = request.query_params.getlist("fields")
        parts = [f for f in fields if f in TEAM_PARTS] if fields else TEAM_PARTS
        return OncallJSON(self.db.team_json(team, parts))

    async def team_part(self, request: Request) -> Response:
        team = self.db.active_team(request.path_params["team"])
        part = request.url.path.rsplit("/", 1)[-1]
        if team is None:
            return OncallJSON([])
        return OncallJSON(getattr(team, part))

    async def rosters(self, request: Request) -> Response:
        name = request.path_params["team"]
        if name not in self.db.teams:
            raise OncallError(422, "IntegrityError", f'team "{name}" not found')
        rosters = self.db.rosters_json(name)
        wanted = select([(v["id"], k) for k, v in rosters.items()], self.named_filters,
                        params_of(request))  # fmt: skip
        return OncallJSON({k: rosters[k] for _, k in wanted})

    def _roster(self, request: Request) -> tuple[str, list[tuple[str, bool]]] | None:
        team, name = request.path_params["team"], request.path_params["roster"]
        found = [r for r in self.db.rosters if r.team == team and r.name == name]
        return (team, found[0].users) if found else None

    async def roster(self, request: Request) -> Response:
        found = self._roster(request)
        if found is None:
            raise not_found()
        team, users = found
        return OncallJSON({
            "users": [{"name": n, "in_rotation": int(rot), "roster_priority": i}
                      for i, (n, rot) in enumerate(users)],
            "schedules": self.db.team_schedules(team),  # every roster's: upstream bug
        })  # fmt: skip

    async def roster_users(self, request: Request) -> Response:
        found = self._roster(request)
        return OncallJSON([n for n, _ in found[1]] if found else [])

    async def roster_schedules(self, request: Request) -> Response:
        # Upstream sets a `roster` filter its constraints do not know: only the team applies.
        params = {**params_of(request), "team": request.path_params["team"]}
        rows = select(self.db.schedules.values(), self.schedule_filters, params)
        return OncallJSON([self.db.schedule_json(s) for s in rows])

    async def team_oncall(self, request: Request) -> Response:
        events = self.db.current(request.path_params["team"], request.path_params.get("role"))
        return OncallJSON(self.db.oncall_json(events))

    async def summary(self, request: Request) -> Response:
        team = self.db.teams.get(request.path_params["team"])
        if team is None:
            raise not_found()
        return OncallJSON(self.db.summary_json(team))

    async def team_users(self, request: Request) -> Response:
        teams = self.db.teams.values()
        return OncallJSON([{"team": t.name, "user": u} for t in teams for u in t.users])

    async def team_services(self, request: Request) -> Response:
        teams = self.db.teams.values()
        return OncallJSON([{"team": t.name, "service": s} for t in teams for s in t.services])

    # -- events --------------------------------------------------------------------------

    async def events(self, request: Request) -> Response:
        fields = [f for f in request.query_params.getlist("fields") if f in EVENT_COLUMNS]
        params = params_of(request)
        params.pop("fields", None)
        params.pop("include_subscribed", None)
        if any(key not in self.event_filters for key in params):
            raise OncallError(400, "Bad constraint param")
        rows = select(self.db.events.values(), self.event_filters, params)
        return OncallJSON([self.db.event_json(e, fields or EVENT_COLUMNS) for e in rows])

    async def event(self, request: Request) -> Response:
        fields = [f for f in request.query_params.getlist("fields") if f in EVENT_COLUMNS]
        return OncallJSON(
            self.db.event_json(
                self.db.event(request.path_params["event_id"]), fields or EVENT_COLUMNS
            )
        )

    async def create_event(self, request: Request) -> Response:
        return OncallJSON(self.db.create_event(await json_body(request)), status_code=201)

    async def link_events(self, request: Request) -> Response:
        return OncallJSON(self.db.link_events(await json_body(request)), status_code=201)

    async def update_event(self, request: Request) -> Response:
        self.db.update_event(request.path_params["event_id"], await json_body(request))
        return empty()

    async def delete_event(self, request: Request) -> Response:
        self.db.delete_event(request.path_params["event_id"])
        return empty()

    async def swap_events(self, request: Request) -> Response:
        self.db.swap_events(await json_body(request))
        return empty()

    async def override_events(self, request: Request) -> Response:
        return OncallJSON(self.db.override_events(await json_body(request)))

    # -- users ---------------------------------------------------------------------------

    def _user_fields(self, request: Request) -> list[str]:
        fields = request.query_params.getlist("fields")
        if any(f not in USER_COLUMNS for f in fields):
            raise OncallError(400, "Bad fields", "One or more invalid fields")
        return fields or list(USER_COLUMNS)

    async def users(self, request: Request) -> Response:
        fields = self._user_fields(request)
        keys = [k for k, _ in request.query_params.multi_items() if k in self.user_filters]
        if len(keys) != len(set(keys)):
            raise server_error()  # PyMySQL escapes the list as a row: MariaDB error 4078
        rows = select(self.db.users.values(), self.user_filters, params_of(request))
        return OncallJSON([self.db.user_json(u, fields) for u in rows])

    async def user(self, request: Request) -> Response:
        fields = self._user_fields(request)
        user = self.db.users.get(request.path_params["user"])
        if user is None:
            raise not_found()
        return OncallJSON(self.db.user_json(user, fields))

    async def user_teams(self, request: Request) -> Response:
        name = request.path_params["user"]
        if name not in self.db.users:
            raise not_found()
        return OncallJSON([t.name for t in self.db.teams_of(name)])

    async def upcoming(self, request: Request) -> Response:
        raw_limit = request.query_params.get("limit")
        if raw_limit is not None and not raw_limit.lstrip("-").isdigit():
            raise OncallError(
                400,
                "Invalid parameter",
                'The "limit" parameter is invalid. The value must be an integer.',
            )
        role = request.query_params.get("role")
        events = sorted((e for e in self.db.events.values()
                         if e.user == request.path_params["user"] and e.start > self.db.now
                         and (not role or e.role == role)), key=lambda e: e.start)  # fmt: skip
        shifts: list[dict[str, Any]] = []
        seen: dict[str, dict[str, Any]] = {}
        for e in events:
            if e.link_id is None:
                shifts.append(self.db.event_json(e))
            elif e.link_id in seen:
                seen[e.link_id]["num_events"] += 1
            else:  # a linked set shows as its first event plus the set's size
                seen[e.link_id] = {**self.db.event_json(e), "num_events": 1}
                shifts.append(seen[e.link_id])
        return OncallJSON(shifts[: int(raw_limit)] if raw_limit is not None else shifts)

    async def notifications(self, request: Request) -> Response:
        name = request.path_params["user"]
        mine = [n for n in self.db.notifications if n["_user"] == name]
        return OncallJSON([{k: v for k, v in n.items() if k != "_user"} for n in mine])

    # -- services, roles, search and the small lists ------------------------------------

    async def services(self, request: Request) -> Response:
        rows = [(i, n) for n, i in self.db.services.items()]
        return OncallJSON([n for _, n in select(rows, self.named_filters, params_of(request))])

    async def service(self, request: Request) -> Response:
        name = request.path_params["service"]
        if name not in self.db.services:
            raise not_found()
        return OncallJSON({"id": self.db.services[name], "name": name})

    def _owners(self, service: str) -> list[str]:
        return [t.name for t in self.db.teams.values() if service in t.services]

    async def service_teams(self, request: Request) -> Response:
        return OncallJSON(self._owners(request.path_params["service"]))

    async def service_oncall(self, request: Request) -> Response:
        role = request.path_params.get("role")
        owners = self._owners(request.path_params["service"])
        return OncallJSON(self.db.oncall_json(e for t in owners for e in self.db.current(t, role)))

    async def roles(self, request: Request) -> Response:
        rows = select(list(enumerate(ROLES, 1)), self.named_filters, params_of(request))
        return OncallJSON([{"id": i, "name": n, "display_order": i} for i, n in rows])

    async def search(self, request: Request) -> Response:
        keyword = request.query_params.get("keyword")
        if keyword is None:
            raise OncallError(400, "Missing parameter", 'The "keyword" parameter is required.')
        fields = request.query_params.getlist("fields") or ["teams", "services", "users"]
        teams = [t for t in self.db.teams.values() if t.active]
        out: dict[str, Any] = {}
        if "teams" in fields:
            out["teams"] = [t.name for t in teams if keyword in t.name]
        if "services" in fields:
            out["services"] = {s: self._owners(s) for s in self.db.services if keyword in s}
        if "users" in fields or "team_users" in fields:
            pool = list(self.db.users.values())
            if "team_users" in fields:
                team = self.db.teams.get(request.query_params.get("team") or "")
                pool = [self.db.users[u] for u in team.users] if team else []
            out["users"] = [
                {"full_name": u.full_name, "name": u.name}
                for u in pool
                if u.name.startswith(keyword) or (u.full_name or "").startswith(keyword)
            ]
        return OncallJSON(out)

    async def schedule(self, request: Request) -> Response:
        raw = request.path_params["schedule_id"]
        found = self.db.schedules.get(int(raw)) if raw.isdigit() else None
        if found is None:
            raise server_error()  # upstream bug: an unknown id is a 500, not a 404
        return OncallJSON(self.db.schedule_json(found))

    async def constant(self, request: Request) -> Response:
        tail = request.url.path.rsplit("/", 1)[-1]
        if tail == "notification_types":
            return OncallJSON([{"name": n, "is_reminder": r} for n, r in NOTIFICATION_TYPES])
        if tail == "modes":
            return OncallJSON(list(MODES))
        return OncallJSON(sorted({t.scheduling_timezone for t in self.db.teams.values()}))

    async def healthcheck(self, request: Request) -> Response:
        return PlainTextResponse("GOOD")
