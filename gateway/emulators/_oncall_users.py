"""Users and their notification settings: ``/users[/{user}[/teams|/notifications]]``,
``/notifications/{id}``."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from gateway.emulators._oncall_auth import Endpoints
from gateway.emulators._oncall_data import integrity, require
from gateway.emulators._oncall_filters import NUM_OPS, TEXT_OPS, constraints, select
from gateway.emulators._oncall_http import (
    OncallError,
    OncallJSON,
    column_int,
    empty,
    json_body,
    json_object,
    not_found,
    params_of,
    server_error,
)
from gateway.emulators._oncall_render import notification_json, user_json
from gateway.emulators._oncall_tables import (
    MODES,
    NOTIFICATION_TYPES,
    ROLES,
    USER_COLUMNS,
    NotificationRow,
    UserRow,
)

_WRITABLE = ("name", "full_name", "time_zone", "photo_url", "active")  # and "contacts"
_SETTING_KEYS = ("mode", "roles", "team", "type")
_REMINDERS = {name for name, reminder in NOTIFICATION_TYPES if reminder}
_TYPES = {name for name, _ in NOTIFICATION_TYPES}


def _invalid(description: str) -> OncallError:
    return OncallError(400, "invalid notification setting", description)


def _roles(raw: Any) -> list[str]:
    # An empty or non-list `roles` breaks upstream's SQL (500); an unknown role is a 400.
    if not isinstance(raw, list) or not raw:
        raise server_error()
    if any(r not in ROLES for r in raw):
        raise OncallError(400, "invalid request", "unable to create notification: invalid roles")
    return [str(r) for r in raw]


class Users(Endpoints):
    filters = constraints({
        "id": (lambda u: u.id, NUM_OPS), "name": (lambda u: u.name, TEXT_OPS),
        "full_name": (lambda u: u.full_name, TEXT_OPS), "active": (lambda u: u.active, ("",)),
    })  # fmt: skip

    def _fields(self, request: Request) -> list[str]:
        fields = request.query_params.getlist("fields")
        if any(f not in USER_COLUMNS for f in fields):
            raise OncallError(400, "Bad fields", "One or more invalid fields")
        return fields or list(USER_COLUMNS)

    def _named(self, request: Request) -> UserRow | None:
        return self.db.user_named(request.path_params["user"])

    async def users(self, request: Request) -> Response:
        fields = self._fields(request)
        keys = [k for k, _ in request.query_params.multi_items() if k in self.filters]
        if len(keys) != len(set(keys)):
            raise server_error()  # PyMySQL escapes the list as a row: MariaDB error 4078
        rows = select(self.db.users.values(), self.filters, params_of(request))
        return OncallJSON([user_json(u, fields) for u in rows])

    async def create_user(self, request: Request) -> Response:
        self.auth.debug_only()
        name = require(await json_body(request), "name")["name"]
        if self.db.user_named(str(name)) is not None:
            raise integrity(f'user name "{name}" already exists')
        user = UserRow(self.db.new_id("users"), str(name))
        self.db.users[user.id] = user
        return empty(201)

    async def user(self, request: Request) -> Response:
        fields = self._fields(request)
        user = self._named(request)
        if user is None:
            raise not_found()
        return OncallJSON(user_json(user, fields))

    async def update_user(self, request: Request) -> Response:
        name = request.path_params["user"]
        caller = await self.auth.login_required(request)
        self.auth.check_user(caller, name)
        data = await json_object(request)
        user = self.db.user_named(name)
        columns = {k: v for k, v in data.items() if k in _WRITABLE}
        contacts = data.get("contacts")
        if columns:
            if any(k not in _WRITABLE and k != "contacts" for k in data):
                raise server_error()  # upstream binds every key's value to fewer placeholders
            if user is None:
                raise OncallError(400, "No User Found", "no user exists with given name")
            clash = self.db.user_named(str(columns.get("name", name)))
            if clash is not None and clash is not user:
                raise server_error()  # a duplicate username is an uncaught IntegrityError
        if "contacts" in data and (
            user is None or "name" in columns or not isinstance(contacts, dict)
            or any(m not in MODES or not isinstance(d, str) for m, d in contacts.items())
        ):  # fmt: skip
            raise server_error()  # contacts resolve the user by its old name: NULL user_id
        if user is not None:
            for key, value in columns.items():
                setattr(user, key, column_int(value) if key == "active" else value)
            if isinstance(contacts, dict):
                user.contacts.update(contacts)  # modes not given stay as they were
        return empty(204)

    async def delete_user(self, request: Request) -> Response:
        name = request.path_params["user"]
        caller = await self.auth.login_required(request)
        self.auth.check_user(caller, name)
        user = self.db.user_named(name)
        if user is not None:  # upstream deletes by name and answers 200 either way
            self.db.drop_user(user)
        return empty()

    async def user_teams(self, request: Request) -> Response:
        user = self._named(request)
        if user is None:
            raise not_found()
        return OncallJSON([t.name for t in self.db.teams_of(user.id)])

    # -- notification settings -----------------------------------------------------------------

    async def notifications(self, request: Request) -> Response:
        user = self._named(request)
        mine = [n for n in self.db.notifications.values() if user and n.user_id == user.id]
        return OncallJSON([notification_json(self.db, n) for n in mine])

    async def create_notification(self, request: Request) -> Response:
        name = request.path_params["user"]
        caller = await self.auth.login_required(request)
        self.auth.check_user(caller, name)
        data = await json_object(request)
        missing = [k for k in _SETTING_KEYS if k not in data]
        if missing:
            raise _invalid(f"missing required parameters: {', '.join(missing)}")
        if data["type"] not in _TYPES:
            raise _invalid(f"notification type {data['type']} does not exist")
        extra = [k for k in ("time_before", "only_if_involved") if k in data]
        if len(extra) != 1:
            raise _invalid("settings must define exactly one of "
                           "{'time_before', 'only_if_involved'}")  # fmt: skip
        reminder = data["type"] in _REMINDERS
        if reminder and extra != ["time_before"]:
            raise _invalid("reminder setting must define time_before")
        if not reminder and extra != ["only_if_involved"]:
            raise _invalid("notification setting must define only_if_involved")
        user = self.db.user_named(name)
        team = self.db.team_named(str(data["team"]))
        if user is None or team is None or data["mode"] not in MODES:
            raise server_error()  # a NULL foreign key: an uncaught IntegrityError upstream
        row = NotificationRow(
            self.db.new_id("notifications"), user.id, team.id, str(data["mode"]),
            str(data["type"]), _roles(data["roles"]), data.get("time_before"),
            None if "only_if_involved" not in data else int(bool(data["only_if_involved"])),
        )  # fmt: skip
        self.db.notifications[row.id] = row
        return OncallJSON({"id": row.id}, status_code=201)

    def _setting(self, request: Request) -> NotificationRow:
        raw = request.path_params["notification_id"]
        found = self.db.notifications.get(int(raw)) if raw.isdigit() else None
        if found is None:
            raise server_error()  # upstream indexes the missing row: TypeError
        return found

    async def update_notification(self, request: Request) -> Response:
        caller = await self.auth.login_required(request)
        data = require(await json_object(request), "roles")  # upstream pops it unchecked
        roles = data["roles"]
        setting = self._setting(request)
        kind = data.get("type", setting.type)
        if kind not in _TYPES:
            raise server_error()
        time_before = data.get("time_before", setting.time_before)
        involved = data.get("only_if_involved", setting.only_if_involved)
        if kind in _REMINDERS and involved is not None:
            raise OncallError(400, "invalid setting update",
                              "reminder setting must define only time_before")  # fmt: skip
        if kind not in _REMINDERS and time_before is not None:
            raise OncallError(
                400,
                "invalid setting update",
                "notification setting must define only only_if_involved",
            )
        changes = {k: data[k] for k in ("team", "mode", "type", "time_before",
                                        "only_if_involved") if k in data}  # fmt: skip
        if changes:  # upstream checks who may edit only when columns change
            self.auth.check_user(caller, self.db.users[setting.user_id].name)
            team = self.db.team_named(str(changes.get("team", self.db.teams[setting.team_id].name)))
            if team is None or changes.get("mode", setting.mode) not in MODES:
                raise server_error()
            setting.team_id, setting.mode, setting.type = team.id, str(
                changes.get("mode", setting.mode)), str(kind)  # fmt: skip
            setting.time_before = time_before
            setting.only_if_involved = None if involved is None else int(bool(involved))
        if roles:
            if not isinstance(roles, list) or any(r not in ROLES for r in roles):
                raise server_error()
            setting.roles = [str(r) for r in roles]
        return empty()

    async def delete_notification(self, request: Request) -> Response:
        caller = await self.auth.login_required(request)
        setting = self._setting(request)
        self.auth.check_user(caller, self.db.users[setting.user_id].name)
        del self.db.notifications[setting.id]
        return empty()
