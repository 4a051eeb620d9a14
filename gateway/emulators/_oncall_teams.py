"""Teams and their members, admins and services: ``/teams``, ``/teams/{team}[/…]``."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from starlette.requests import Request
from starlette.responses import Response

from gateway.emulators._oncall_auth import Caller, Endpoints
from gateway.emulators._oncall_data import integrity
from gateway.emulators._oncall_filters import TEXT_OPS, constraints, mysql_number, select
from gateway.emulators._oncall_http import (
    OncallError,
    OncallJSON,
    empty,
    flag,
    json_object,
    not_found,
    params_of,
    server_error,
)
from gateway.emulators._oncall_render import oncall_json, summary_json, team_json, user_json
from gateway.emulators._oncall_tables import (
    INVALID_CHAR,
    SUPPORTED_TIMEZONES,
    TEAM_PARTS,
    TeamRow,
    UserRow,
)

# PUT /teams/{team} may change these columns (upstream's team.cols).
_COLUMNS = ("name", "description", "slack_channel", "slack_channel_notifications", "email",
            "scheduling_timezone", "iris_plan", "iris_enabled", "override_phone_number",
            "api_managed_roster")  # fmt: skip
_FLAGS = ("iris_enabled", "api_managed_roster")


def _check_name(name: Any, what: str) -> str:
    if not isinstance(name, str):
        raise server_error()
    bad = INVALID_CHAR.search(name)
    if bad:
        raise OncallError(400, f"invalid {what} name",
                          f'{what} name contains invalid character "{bad.group()}"')  # fmt: skip
    return name


def _check_channel(data: dict[str, Any], key: str, title: str, what: str) -> None:
    value = data.get(key)
    if value and not str(value).startswith("#"):
        raise OncallError(400, title, f"{what} needs to start with #")


class Teams(Endpoints):
    """Team CRUD, the member / admin / service lists under a team, and who is on call."""

    filters = constraints({
        "name": (lambda t: t.name, TEXT_OPS), "id": (lambda t: t.id, ("", "eq")),
        "active": (lambda t: t.active, ("",)), "email": (lambda t: t.email, TEXT_OPS),
    })  # fmt: skip

    async def teams(self, request: Request) -> Response:
        params = {"active": "1", **params_of(request)}
        rows = select(self.db.teams.values(), self.filters, params)
        if flag(params.get("get_id")):
            return OncallJSON([[t.name, t.id] for t in rows])
        return OncallJSON([t.name for t in rows])

    async def create_team(self, request: Request) -> Response:
        caller = await self.auth.login_required(request)
        data = await json_object(request)
        for key in ("name", "scheduling_timezone"):
            if not data.get(key):
                raise OncallError(400, "400 Bad Request", f"{key} attribute missing from request")
        name = _check_name(unquote(str(data["name"])).strip(), "team")
        _check_channel(data, "slack_channel", "invalid slack channel", "slack channel name")
        _check_channel(data, "slack_channel_notifications",
                       "invalid slack notifications channel",
                       "slack channel notifications name")  # fmt: skip
        owner = caller.user
        if owner is None:  # an application names the admin the team must have
            owner = data.get("admin")
            if not owner:
                raise OncallError(400, "invalid admin", "API requests must specify a team admin "
                                  "username in the admin field")  # fmt: skip
            if self.db.user_named(str(owner)) is None:
                raise OncallError(400, "invalid admin",
                                  f"admin username {owner} was not found in db")  # fmt: skip
        team_id = self.db.new_id("teams")  # spent even when the insert fails, as upstream
        creator = self.db.user_named(str(owner))
        # Upstream makes the creator admin in the same transaction: an unknown creator (the
        # debug `test_user` with no user row) fails it with the same misleading message.
        if self.db.team_named(name) is not None or creator is None:
            raise integrity(f'team name "{name}" already exists')
        team = TeamRow(
            team_id, name, unquote(str(data["scheduling_timezone"])), email=data.get("email"),
            slack_channel=data.get("slack_channel"),
            slack_channel_notifications=data.get("slack_channel_notifications"),
            description=data.get("description"), iris_plan=data.get("iris_plan"),
            iris_enabled=int(bool(data.get("iris_enabled", False))),
            override_phone_number=data.get("override_phone_number") or None,
            users={creator.id}, admins={creator.id},
        )  # fmt: skip
        self.db.teams[team_id] = team
        self.db.subscribe(team, creator.id)
        self.db.record(creator.name, name, "team_created", {"team_id": team_id})
        return empty(201)

    async def team(self, request: Request) -> Response:
        team = self.db.team_named(request.path_params["team"])
        active = params_of(request).get("active")
        if team is None or team.active != (1 if active is None else mysql_number(active)):
            raise not_found()
        fields = request.query_params.getlist("fields")
        parts = [f for f in fields if f in TEAM_PARTS] if fields else TEAM_PARTS
        return OncallJSON(team_json(self.db, team, parts))

    async def update_team(self, request: Request) -> Response:
        name = request.path_params["team"]
        caller = await self.auth.login_required(request)
        self.auth.check_team_admin(caller, name)
        data = await json_object(request)
        if "name" in data and _check_name(data["name"], "team") == "":
            raise OncallError(400, "invalid team name", "empty team name")
        for key in _FLAGS:
            if key in data and not isinstance(data[key], bool):
                raise OncallError(400, "invalid payload", f"{key} must be boolean")
        if "scheduling_timezone" in data and data["scheduling_timezone"] not in SUPPORTED_TIMEZONES:
            raise OncallError(
                400,
                "invalid payload",
                "requested scheduling_timezone is not "
                f"supported. Supported timezones: {list(SUPPORTED_TIMEZONES)}",
            )
        changes = {k: v for k, v in data.items() if k in _COLUMNS}
        if not changes:
            raise server_error()  # upstream runs "UPDATE `team` SET  WHERE …": a syntax error
        team = self.db.team_named(name)  # an unknown team is a silent no-op upstream
        clash = self.db.team_named(str(changes.get("name", name)))
        if team is not None and clash is not None and clash is not team:
            raise integrity(f"A team named '{changes['name']}' already exists")
        for key, value in changes.items():
            if team is not None:
                setattr(team, key, int(value) if key in _FLAGS else value)
        self.db.record(caller.owner, name, "team_edited", {"request_body": data})
        return empty()

    async def delete_team(self, request: Request) -> Response:
        name = request.path_params["team"]
        caller = await self.auth.login_required(request)
        self.auth.check_team_admin(caller, name)
        team = self.db.team_named(name)
        if team is None:
            raise not_found()
        team.active = 0
        self.db.drop_team_parts(team)
        self.db.record(caller.owner, name, "team_deleted", {})
        team.name = str(self.db.new_uuid())  # frees the name, as upstream's rename does
        return empty()

    # -- users, admins and services of a team ------------------------------------------------

    async def team_users(self, request: Request) -> Response:
        team = self.db.team_named(request.path_params["team"])
        active = params_of(request).get("active")
        if team is None or (active and team.active != mysql_number(active)):
            return OncallJSON([])
        return OncallJSON(self.db.names(team.users))

    async def team_admins(self, request: Request) -> Response:
        team = self.db.team_named(request.path_params["team"])
        return OncallJSON(self.db.names(team.admins) if team else [])

    async def team_services(self, request: Request) -> Response:
        team = self.db.team_named(request.path_params["team"])
        return OncallJSON([self.db.services[s] for s in sorted(team.services)] if team else [])

    async def _member_write(self, request: Request) -> tuple[Caller, TeamRow | None, str | None]:
        """(caller, team, the body's ``name``) for a write adding someone to a team."""
        caller = await self.auth.login_required(request)
        self.auth.check_team_admin(caller, request.path_params["team"])
        data = await json_object(request)
        name = data.get("name")
        return caller, self.db.team_named(request.path_params["team"]), name and str(name)

    async def add_admin(self, request: Request) -> Response:
        caller, team, name = await self._member_write(request)
        if not name:
            raise OncallError(400, "name attribute missing from request")
        user = self.db.user_named(name)
        if team is None or user is None:
            raise integrity("invalid team or user")
        if user.id in team.admins:
            raise integrity(f'user name "{name}" is already an admin of team {team.name}')
        team.users.add(user.id)
        team.admins.add(user.id)
        self.db.subscribe(team, user.id)
        self.db.record(caller.owner, team.name, "admin_created", {"user": name})
        return OncallJSON(user_json(user), status_code=201)

    async def add_user(self, request: Request) -> Response:
        _, team, name = await self._member_write(request)
        if not name:
            raise integrity("name missing for user")
        user = self.db.user_named(name)
        if team is None:
            raise integrity(f"team {request.path_params['team']} not found")
        if user is None:
            raise integrity(f"user {name} not found")
        if user.id in team.users:
            raise integrity(f'user name "{name}" is already in team {team.name}')
        team.users.add(user.id)
        return OncallJSON(user_json(user), status_code=201)

    async def add_service(self, request: Request) -> Response:
        caller = await self.auth.login_required(request)
        team_name = request.path_params["team"]
        self.auth.check_team_admin(caller, team_name)
        service = str((await json_object(request)).get("name") or "")
        if not service:
            raise server_error()  # upstream reads data['name'] unchecked
        service_id = self.db.service_id(service)
        owner = next((t for t in self.db.teams.values() if service_id in t.services), None)
        if owner is not None:
            raise integrity(f'service "{service}" already claimed by team "{owner.name}"')
        team = self.db.team_named(team_name)
        if team is None:
            raise integrity(f'team "{team_name}" not found')
        if service_id is None:
            raise integrity(f'service "{service}" not found')
        team.services.add(service_id)
        return empty(201)

    async def _member_delete(self, request: Request) -> tuple[Caller, TeamRow, UserRow]:
        caller = await self.auth.login_required(request)
        self.auth.check_team_admin(caller, request.path_params["team"])
        team = self.db.team_named(request.path_params["team"])
        user = self.db.user_named(request.path_params["user"])
        if team is None or user is None:
            raise not_found()
        return caller, team, user

    async def delete_admin(self, request: Request) -> Response:
        caller, team, user = await self._member_delete(request)
        if user.id not in team.admins:
            raise not_found()
        team.admins.discard(user.id)
        self.db.record(caller.owner, team.name, "admin_deleted", {"user": user.name})
        if self.db.leave_if_unattached(team, {user.id}):
            self.db.unsubscribe(team, user.id)
        return empty()

    async def delete_user(self, request: Request) -> Response:
        _, team, user = await self._member_delete(request)
        if user.id not in team.users:
            raise not_found()
        team.users.discard(user.id)  # only the membership: rosters and admin rights stay
        return empty()

    async def delete_service(self, request: Request) -> Response:
        caller = await self.auth.login_required(request)
        self.auth.check_team_admin(caller, request.path_params["team"])
        team = self.db.team_named(request.path_params["team"])
        service_id = self.db.service_id(request.path_params["service"])
        if team is None or service_id not in team.services:
            raise not_found()
        team.services.discard(service_id)
        return empty()

    # -- who is on call, and the all-teams mappings ------------------------------------------

    async def oncall(self, request: Request) -> Response:
        team = self.db.team_named(request.path_params["team"])
        role = request.path_params.get("role")
        return OncallJSON(oncall_json(self.db, self.db.current({team.id}, role)) if team else [])

    async def summary(self, request: Request) -> Response:
        team = self.db.team_named(request.path_params["team"])
        if team is None:
            raise not_found()
        return OncallJSON(summary_json(self.db, team))

    def _by_name(self) -> list[TeamRow]:
        return sorted(self.db.teams.values(), key=lambda t: t.name)

    async def all_team_users(self, request: Request) -> Response:
        return OncallJSON([{"team": t.name, "user": u}
                           for t in self._by_name() for u in self.db.names(t.users)])  # fmt: skip

    async def all_team_services(self, request: Request) -> Response:
        return OncallJSON([{"team": t.name, "service": self.db.services[s]}
                           for t in self._by_name() for s in sorted(t.services)])  # fmt: skip
