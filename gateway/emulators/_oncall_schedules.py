"""Schedules: ``/teams/{team}/rosters/{roster}/schedules``, ``/schedules/{id}[/populate]``."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from gateway.emulators._oncall_auth import Auth, Caller, Endpoints
from gateway.emulators._oncall_data import OncallDB, integrity, require
from gateway.emulators._oncall_filters import NUM_OPS, TEXT_OPS, constraints, select
from gateway.emulators._oncall_http import (
    OncallError,
    OncallJSON,
    column_int,
    empty,
    json_object,
    not_found,
    params_of,
    server_error,
)
from gateway.emulators._oncall_render import schedule_json
from gateway.emulators._oncall_scheduler import Scheduler, is_simple, merge_events
from gateway.emulators._oncall_tables import ROLES, SCHEDULE_FIELDS, SCHEDULERS, ScheduleRow

_REQUIRED = ("advanced_mode", "events", "role")


def _template(raw: Any) -> list[tuple[int, int]]:
    """A body's ``events`` as (start, duration) pairs; 400 if one lacks either."""
    if not isinstance(raw, list):
        raise server_error()
    if not all(isinstance(e, dict) and "start" in e and "duration" in e for e in raw):
        raise OncallError(400, "invalid schedule",
                          "schedule event requires both start and duration fields")  # fmt: skip
    try:
        return [(int(e["start"]), int(e["duration"])) for e in raw]
    except (TypeError, ValueError):
        raise server_error() from None


class Schedules(Endpoints):
    def __init__(self, db: OncallDB, auth: Auth) -> None:
        super().__init__(db, auth)
        self.scheduler = Scheduler(db)
        self.filters = constraints({
            "id": (lambda s: s.id, NUM_OPS), "role": (lambda s: s.role, TEXT_OPS),
            "name": (lambda s: db.rosters[s.roster_id].name, TEXT_OPS),
            "team": (lambda s: db.teams[s.team_id].name, TEXT_OPS),
            "team_id": (lambda s: s.team_id, ("",)), "roster_id": (lambda s: s.roster_id, ("",)),
        })  # fmt: skip

    def _fields(self, request: Request) -> list[str]:
        return request.query_params.getlist("fields") or list(SCHEDULE_FIELDS)

    async def roster_schedules(self, request: Request) -> Response:
        # Upstream adds a `roster` filter its constraints do not know: only the team applies.
        params = {**params_of(request), "team": request.path_params["team"]}
        params.pop("fields", None)
        rows = select(self.db.schedules.values(), self.filters, params)
        fields = self._fields(request)
        return OncallJSON([schedule_json(self.db, s, fields) for s in rows])

    async def create_schedule(self, request: Request) -> Response:
        caller = await self.auth.login_required(request)
        data = await json_object(request)
        team_name, roster_name = request.path_params["team"], request.path_params["roster"]
        self.auth.check_team_admin(caller, team_name)
        missing = [k for k in _REQUIRED if k not in data]
        if missing:
            raise OncallError(400, "invalid schedule",
                              f"missing required parameters: {', '.join(missing)}")  # fmt: skip
        events = _template(data["events"])
        if "scheduler" in data:
            raise server_error()  # the DB driver cannot bind the scheduler dict (observed 500)
        if not data["advanced_mode"] and not is_simple([d for _, d in events]):
            raise OncallError(400, "invalid schedule", "invalid advanced mode setting")
        roster = self.db.roster_named(self.db.team_named(team_name), roster_name)
        if roster is None:
            raise integrity(f'roster "{roster_name}" not found')
        if data["role"] not in ROLES:
            raise integrity("role not found")
        row = ScheduleRow(
            self.db.new_id("schedules"), roster.team_id, roster.id, str(data["role"]),
            merge_events(events), column_int(data.get("auto_populate_threshold", 21)),
            int(bool(data["advanced_mode"])),
        )  # fmt: skip
        self.db.schedules[row.id] = row
        return OncallJSON({"id": row.id}, status_code=201)

    def _schedule(self, raw: str) -> ScheduleRow | None:
        return self.db.schedules.get(int(raw)) if raw.isdigit() else None

    async def schedule(self, request: Request) -> Response:
        found = self._schedule(request.path_params["schedule_id"])
        if found is None:
            raise server_error()  # upstream bug: an unknown id is a 500, not a 404
        return OncallJSON(schedule_json(self.db, found, self._fields(request)))

    def _owned(self, request: Request, caller: Caller) -> ScheduleRow:
        """The path's schedule (404 if unknown), once the caller may administer its team."""
        found = self._schedule(request.path_params["schedule_id"])
        if found is None:
            raise not_found()
        self.auth.check_team_admin(caller, self.db.teams[found.team_id].name)
        return found

    async def update_schedule(self, request: Request) -> Response:
        caller = await self.auth.login_required(request)
        data = await json_object(request)
        if "roster" in data and "team" not in data:
            raise OncallError(400, "Invalid edit", "team must be specified with roster")
        found = self._owned(request, caller)
        events = _template(data["events"]) if data.get("events") else None
        durations = [d for _, d in events or found.events]
        advanced = data.get("advanced_mode", found.advanced_mode)
        if not advanced and not is_simple(durations):
            raise OncallError(400, "Invalid edit", "schedule cannot be represented in simple mode")
        team = self.db.team_named(str(data["team"])) if "team" in data else None
        roster = self.db.roster_named(team, str(data["roster"])) if "roster" in data else None
        scheduler = data.get("scheduler")
        # A name that matches nothing becomes a NULL foreign key upstream: a 500.
        if (("team" in data and team is None) or ("roster" in data and roster is None)
                or data.get("role", found.role) not in ROLES
                or (scheduler and (not isinstance(scheduler, dict)
                                   or scheduler.get("name") not in SCHEDULERS))):  # fmt: skip
            raise server_error()
        if team is not None:
            found.team_id = team.id
        if roster is not None:
            found.roster_id = roster.id
        found.role = str(data.get("role", found.role))
        if "auto_populate_threshold" in data:
            found.auto_populate_threshold = column_int(data["auto_populate_threshold"])
        found.advanced_mode = int(bool(advanced))
        if isinstance(scheduler, dict):
            found.scheduler = str(scheduler["name"])
        if events:
            found.events = merge_events(events)
        return empty()

    async def delete_schedule(self, request: Request) -> Response:
        found = self._owned(request, await self.auth.login_required(request))
        del self.db.schedules[found.id]  # its events keep their schedule_id (no foreign key)
        return empty()

    async def populate(self, request: Request) -> Response:
        caller = await self.auth.login_required(request)
        start = require(await json_object(request), "start")["start"]
        found = self._owned(request, caller)
        if not isinstance(start, int | float) or isinstance(start, bool):
            raise server_error()
        self.scheduler.populate(found, int(start))
        return empty()
