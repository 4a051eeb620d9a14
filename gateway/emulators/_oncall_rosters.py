"""Rosters and their members: ``/teams/{team}/rosters[/{roster}[/users[/{user}]]]``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from gateway.emulators._oncall_auth import Caller, Endpoints
from gateway.emulators._oncall_data import integrity
from gateway.emulators._oncall_filters import TEXT_OPS, constraints, select
from gateway.emulators._oncall_http import (
    OncallError,
    OncallJSON,
    bool_param,
    column_int,
    empty,
    json_object,
    not_found,
    params_of,
)
from gateway.emulators._oncall_render import (
    roster_members,
    rosters_json,
    schedule_json,
    team_rosters,
    user_json,
)
from gateway.emulators._oncall_tables import INVALID_CHAR, RosterMember, RosterRow, TeamRow


def _empty_list() -> Response:
    # Roster-user PUT and DELETE answer a literal `[]` body.
    return OncallJSON([])


def _valid_name(name: str) -> str:
    bad = INVALID_CHAR.search(name)
    if bad:
        raise OncallError(400, "invalid roster name",
                          f'roster name contains invalid character "{bad.group()}"')  # fmt: skip
    return name


class Rosters(Endpoints):
    filters = constraints({
        "name": (lambda r: r.name, TEXT_OPS), "id": (lambda r: r.id, ("", "eq")),
    })  # fmt: skip

    def _lookup(self, request: Request) -> tuple[TeamRow | None, RosterRow | None]:
        team = self.db.team_named(request.path_params["team"])
        return team, self.db.roster_named(team, request.path_params["roster"])

    async def _admin(self, request: Request) -> Caller:
        caller = await self.auth.login_required(request)
        self.auth.check_team_admin(caller, request.path_params["team"])
        return caller

    # -- rosters -------------------------------------------------------------------------------

    async def rosters(self, request: Request) -> Response:
        name = request.path_params["team"]
        team = self.db.team_named(name)
        if team is None:
            raise integrity(f'team "{name}" not found')
        wanted = select(team_rosters(self.db, team), self.filters, params_of(request))
        return OncallJSON(rosters_json(self.db, team, wanted))

    async def create_roster(self, request: Request) -> Response:
        caller = await self.auth.login_required(request)
        data = await json_object(request)
        name = data.get("name")
        if not name:
            raise OncallError(400, "name attribute missing from request", "")
        _valid_name(str(name))
        team_name = request.path_params["team"]
        self.auth.check_team_admin(caller, team_name)
        team = self.db.team_named(team_name)
        # An unknown team makes team_id NULL: upstream reports that as a duplicate too.
        if team is None or self.db.roster_named(team, str(name)) is not None:
            raise integrity(f'roster name "{name}" already exists for team {team_name}')
        roster = RosterRow(self.db.new_id("rosters"), str(name), team.id)
        self.db.rosters[roster.id] = roster
        self.db.record(caller.owner, team_name, "roster_created",
                       {"roster_id": roster.id, "request_body": data})  # fmt: skip
        return empty(201)

    async def roster(self, request: Request) -> Response:
        team, roster = self._lookup(request)
        if team is None or roster is None:
            raise not_found()
        return OncallJSON({
            "users": [{"name": n, "in_rotation": int(rot), "roster_priority": p}
                      for n, rot, p in roster_members(self.db, roster)],
            # every schedule of the team, not just this roster's: upstream bug
            "schedules": [schedule_json(self.db, s) for s in self.db.team_schedules(team.id)],
        })  # fmt: skip

    async def update_roster(self, request: Request) -> Response:
        caller = await self.auth.login_required(request)
        data = await json_object(request)
        self.auth.check_team_admin(caller, request.path_params["team"])
        name, order = data.get("name"), data.get("roster_order")
        if not (name or order):
            raise OncallError(400, "invalid roster update", "missing roster name or order")
        team, roster = self._lookup(request)
        old = request.path_params["roster"]
        if order:
            members = {self.db.users[u].name: u for u in roster.members} if roster else {}
            if not all(n in members for n in order):
                raise OncallError(
                    400,
                    "Invalid roster order",
                    "All users in provided order must be part of the roster",
                )
            if len(order) != len(members):
                raise OncallError(
                    400, "Invalid roster order", "Roster order must include all roster members"
                )
            assert roster is not None  # a non-empty order matched its members
            for priority, user in enumerate(order):
                roster.members[members[user]].priority = priority
        if name and name != old:
            _valid_name(str(name))
            if roster is not None and self.db.roster_named(team, str(name)) is not None:
                raise integrity(f"roster '{name}' already existed for team '{team and team.name}'")
            if roster is not None:
                roster.name = str(name)
            self.db.record(caller.owner, request.path_params["team"], "roster_edited",
                           {"old_name": old, "new_name": name})  # fmt: skip
        return empty()

    async def delete_roster(self, request: Request) -> Response:
        caller = await self._admin(request)
        team, roster = self._lookup(request)
        if team is None or roster is None:
            raise not_found()
        del self.db.rosters[roster.id]  # its schedules go with it (ON DELETE CASCADE)
        for schedule in [s for s in self.db.schedules.values() if s.roster_id == roster.id]:
            del self.db.schedules[schedule.id]
        self.db.leave_if_unattached(team, set(roster.members))
        self.db.record(caller.owner, team.name, "roster_deleted", {"name": roster.name})
        return empty()

    # -- roster members ------------------------------------------------------------------------

    async def roster_users(self, request: Request) -> Response:
        _, roster = self._lookup(request)
        in_rotation = bool_param(request, "in_rotation")
        if roster is None:
            return OncallJSON([])
        return OncallJSON([n for n, rot, _ in roster_members(self.db, roster)
                           if in_rotation is None or rot == in_rotation])  # fmt: skip

    async def add_roster_user(self, request: Request) -> Response:
        caller = await self.auth.login_required(request)
        data = await json_object(request)
        name = data.get("name")
        in_rotation = bool(column_int(data.get("in_rotation", True)))
        if not name:
            raise OncallError(400, "incomplete data", 'missing field "name"')
        self.auth.check_team_admin(caller, request.path_params["team"])
        team, roster = self._lookup(request)
        user = self.db.user_named(str(name))
        if team is None or user is None:
            raise integrity("invalid team or user")
        # An unknown roster inserts a NULL roster_id: upstream's "already in" message again.
        if roster is None or user.id in roster.members:
            raise integrity(f'user "{name}" is already in the roster')
        team.users.add(user.id)
        priority = max((m.priority for m in roster.members.values()), default=-1) + 1
        roster.members[user.id] = RosterMember(in_rotation, priority)
        self.db.subscribe(team, user.id)
        context = {"roster": roster.name, "user": user.name, "request_body": data}
        self.db.record(caller.owner, team.name, "roster_user_added", context)
        return OncallJSON(user_json(user), status_code=201)

    async def update_roster_user(self, request: Request) -> Response:
        caller = await self._admin(request)
        data = await json_object(request)
        if data.get("in_rotation") is None:
            raise OncallError(400, "incomplete data", 'missing field "in_rotation"')
        in_rotation = bool(column_int(data["in_rotation"]))
        _, roster = self._lookup(request)
        user = request.path_params["user"]
        member = roster.members.get(self.db.user_id(user) or 0) if roster else None
        if member is not None:  # anyone else: a silent no-op upstream
            member.in_rotation = in_rotation
        roster_name = request.path_params["roster"]
        self.db.record(caller.owner, request.path_params["team"], "roster_user_edited",
                       {"user": user, "roster": roster_name, "request_body": data})  # fmt: skip
        return _empty_list()

    async def delete_roster_user(self, request: Request) -> Response:
        caller = await self._admin(request)
        team, roster = self._lookup(request)
        if team is None or roster is None:
            raise not_found()
        user = request.path_params["user"]
        user_id = self.db.user_id(user)
        roster.members.pop(user_id or 0, None)
        self.db.record(caller.owner, team.name, "roster_user_deleted",
                       {"roster": roster.name, "user": user})  # fmt: skip
        if user_id is not None and self.db.leave_if_unattached(team, {user_id}):
            self.db.unsubscribe(team, user_id)
        return _empty_list()
