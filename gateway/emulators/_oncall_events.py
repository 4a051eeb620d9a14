"""Events (shifts): ``/events``, ``/events/{id}``, swap, override and link."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from gateway.emulators._oncall_auth import Auth, Endpoints
from gateway.emulators._oncall_data import JSONObject, OncallDB, integrity, require
from gateway.emulators._oncall_filters import NUM_OPS, TEXT_OPS, constraints, select
from gateway.emulators._oncall_http import (
    OncallError,
    OncallJSON,
    empty,
    json_body,
    json_object,
    not_found,
    params_of,
    server_error,
)
from gateway.emulators._oncall_render import event_json
from gateway.emulators._oncall_tables import EVENT_COLUMNS, GRACE_PERIOD, ROLES, EventRow

_EDITABLE = ("start", "end", "role", "user", "note")
_OVERRIDE_COLUMNS = ("start", "end", "id", "role", "team", "user", "full_name")


def _bad(title: str, description: str) -> OncallError:
    return OncallError(400, title, description)


def _times(data: dict[str, Any], *keys: str) -> None:
    """Upstream compares these in Python: anything but a number there is a TypeError (500)."""
    for key in keys:
        if key in data and not isinstance(data[key], int | float):
            raise server_error()


class Events(Endpoints):
    def __init__(self, db: OncallDB, auth: Auth) -> None:
        super().__init__(db, auth)
        self.filters = constraints({
            "id": (lambda e: e.id, NUM_OPS), "start": (lambda e: e.start, NUM_OPS),
            "end": (lambda e: e.end, NUM_OPS), "role": (lambda e: e.role, TEXT_OPS),
            "team": (lambda e: db.teams[e.team_id].name, TEXT_OPS),
            "user": (lambda e: db.users[e.user_id].name, TEXT_OPS),
            "team_id": (lambda e: e.team_id, ("",)),
        })  # fmt: skip

    def _in_team(self, user: Any, team: Any) -> bool:
        found_team = self.db.team_named(str(team))
        return found_team is not None and self.db.user_id(str(user)) in found_team.users

    def _past(self, start: int | float) -> bool:
        return start < self.db.now - GRACE_PERIOD

    # -- reads ---------------------------------------------------------------------------------

    async def events(self, request: Request) -> Response:
        fields = [f for f in request.query_params.getlist("fields") if f in EVENT_COLUMNS]
        params = params_of(request)
        params.pop("fields", None)
        params.pop("include_subscribed", None)
        if any(key not in self.filters for key in params):
            raise OncallError(400, "Bad constraint param")
        rows = select(self.db.events.values(), self.filters, params)
        rows.sort(key=lambda e: (self.db.teams[e.team_id].name, e.id))  # grouped by team name
        return OncallJSON([event_json(self.db, e, fields or EVENT_COLUMNS) for e in rows])

    async def event(self, request: Request) -> Response:
        fields = request.query_params.getlist("fields")
        if any(f not in EVENT_COLUMNS for f in fields):
            raise server_error()  # upstream maps each field through a dict: KeyError
        found = self.db.event(request.path_params["event_id"])
        if found is None:
            raise not_found()
        return OncallJSON(event_json(self.db, found, fields or EVENT_COLUMNS))

    # -- writes --------------------------------------------------------------------------------

    async def create_event(self, request: Request) -> Response:
        caller = await self.auth.login_required(request)
        data = require(await json_body(request), "start", "end", "user", "team", "role")
        _times(data, "start", "end")
        if self._past(data["start"]):
            raise _bad("Invalid event", "Creating events in the past not allowed")
        if data["start"] >= data["end"]:
            raise _bad("Invalid event", "Event must start before it ends")
        self.auth.check_member(caller, str(data["team"]))
        if not self._in_team(data["user"], data["team"]):
            raise _bad("Invalid event", "User must be part of the team")
        if data["role"] not in ROLES:
            raise integrity(f'role "{data["role"]}" not found')
        team = self.db.team_named(str(data["team"]))
        user = self.db.user_named(str(data["user"]))
        assert team is not None and user is not None  # both checked by _in_team
        row = self.db.add_event(int(data["start"]), int(data["end"]), team.id, data["role"],
                                user.id, data.get("schedule_id"), data.get("note"))  # fmt: skip
        self.db.record(caller.owner, team.name, "event_created",
                       {"new_event_id": row.id, "request_body": data})  # fmt: skip
        return OncallJSON(row.id, status_code=201)

    def _old(self, event: EventRow) -> JSONObject:
        """The event as upstream's audit context keeps it."""
        out = event_json(self.db, event, ("start", "end", "id", "note", "team", "role", "user",
                                          "full_name"))  # fmt: skip
        return out | {"user_id": event.user_id, "role_id": ROLES.index(event.role) + 1,
                      "team_id": event.team_id}  # fmt: skip

    async def update_event(self, request: Request) -> Response:
        caller = await self.auth.login_required(request)
        data = await json_object(request)
        _times(data, "start", "end")
        if "start" in data and "end" in data and data["start"] >= data["end"]:
            raise _bad("Invalid event update", "Event must start before it ends")
        if any(key not in _EDITABLE for key in data):
            raise _bad("Invalid event update", "Invalid column")
        event = self.db.event(request.path_params["event_id"])
        if event is None:
            raise not_found()
        require(data, "start")  # upstream reads data['start'] unconditionally
        team = self.db.teams[event.team_id]
        user = self.db.users[event.user_id]
        same = (data.get("role", event.role), data["start"], data.get("user", user.name)) == (
            event.role, event.start, user.name)  # fmt: skip
        # Editing the past is only free when just extending or ending a current shift;
        # otherwise it takes a team admin (upstream raises the admin check's 403).
        if (self._past(event.start) or self._past(data["start"])) and not (
            same and data.get("end", event.end) > self.db.now
        ):
            self.auth.check_team_admin(caller, team.name)
        self.auth.check_member(caller, team.name)
        new_user = self.db.user_named(str(data.get("user", user.name)))
        if new_user is None or new_user.id not in team.users:
            raise _bad("Invalid event update", "Event user must be part of the team")
        if data.get("role", event.role) not in ROLES:
            raise server_error()  # role_id becomes NULL: an IntegrityError upstream
        old = self._old(event)
        event.start, event.end = int(data["start"]), int(data.get("end", event.end))
        event.role, event.user_id = str(data.get("role", event.role)), new_user.id
        event.note = data.get("note", event.note)
        event.link_id = None  # editing one event of a linked set breaks its link
        self.db.record(caller.owner, team.name, "event_edited",
                       {"old_event": old, "request_body": data})  # fmt: skip
        return empty()

    async def delete_event(self, request: Request) -> Response:
        caller = await self.auth.login_required(request)
        event = self.db.event(request.path_params["event_id"])
        if event is None:
            raise not_found()
        team = self.db.teams[event.team_id]
        self.auth.check_member(caller, team.name)
        if self._past(event.start):
            raise _bad("Invalid event update", "Deleting events in the past not allowed")
        del self.db.events[event.id]
        self.db.record(caller.owner, team.name, "event_deleted", {"old_event": self._old(event)})
        return empty()

    async def swap_events(self, request: Request) -> Response:
        caller = await self.auth.login_required(request)
        data = require(await json_body(request), "events")
        refs = data["events"]
        if not isinstance(refs, list):
            raise server_error()
        if len(refs) != 2:
            raise _bad("Invalid event swap request", "Must provide 2 events")
        sets: list[list[EventRow]] = []
        for ref in refs:
            if not isinstance(ref, dict):
                raise server_error()
            if not ref.get("id"):
                raise _bad("Invalid event swap request", f"Invalid event id: {ref.get('id')}")
            key = "link_id" if ref.get("linked") else "id"
            found = sorted((e for e in self.db.events.values() if getattr(e, key) == ref["id"]),
                           key=lambda e: e.id)  # fmt: skip
            if not found:
                raise not_found()
            sets.append(found)
        both = sets[0] + sets[1]
        if any(self._past(e.start) for e in both):
            raise _bad("Invalid event swap request", "Cannot edit events in the past")
        if len({e.team_id for e in both}) > 1:
            raise _bad("Event swap not allowed", "Swapped events must come from the same team")
        if any(len({e.user_id for e in s}) != 1 for s in sets):
            raise _bad("400 Bad Request", "all linked events must have the same user")
        self.auth.check_member_of(caller, both[0].team_id)
        if any("linked" not in ref for ref in refs):
            raise server_error()  # upstream reads ev['linked'] unchecked here
        before = [[self._old(e) for e in s] for s in sets]
        users = [sets[1][0].user_id, sets[0][0].user_id]
        for ref, events, user in zip(refs, sets, users, strict=True):
            for e in events:
                e.user_id = user
                e.link_id = e.link_id if ref["linked"] else None
        self.db.record(
            caller.owner,
            self.db.teams[both[0].team_id].name,
            "event_swapped",
            {"request_body": data, "events_swapped": before},
        )
        return empty()

    async def override_events(self, request: Request) -> Response:
        """Give ``[start, end]`` of consecutive events to another user (upstream's algorithm)."""
        caller = await self.auth.login_required(request)
        data = require(await json_body(request), "event_ids", "start", "end", "user")
        _times(data, "start", "end")
        raw_ids = data["event_ids"] if isinstance(data["event_ids"], list) else []
        ids = [i for i in raw_ids if isinstance(i, int) and not isinstance(i, bool)]
        events = [self.db.events[i] for i in sorted(set(ids)) if i in self.db.events]
        user = self.db.user_named(str(data["user"]))
        if not events or user is None:
            raise OncallError(400, "Invalid name or list of events")
        team = self.db.teams[events[0].team_id]
        self.auth.check_member_of(caller, team.id)
        bad = "Invalid override request"
        if self._past(data["start"]):
            raise _bad(bad, "Cannot edit events in the past")
        if any(e.team_id != team.id for e in events):
            raise _bad(bad, "Events must be from the same team")
        if user.id not in team.users:
            raise _bad(bad, "Substituting user must be part of the team")
        if len({e.role for e in events}) > 1 or len({e.user_id for e in events}) > 1:
            raise _bad(bad, "events must have the same role")  # sic, for users too
        events.sort(key=lambda e: e.start)
        start = max(events[0].start, int(data["start"]))
        end = min(max(e.end for e in events), int(data["end"]))
        split: list[EventRow] = []
        for index, e in enumerate(events):
            if index and e.start != events[index - 1].end:
                raise _bad(bad, "events must be consecutive")
            inside, ends_inside = start <= e.start and end >= e.end, start > e.start
            if not (
                inside
                or (ends_inside and start < e.end <= end)  # keeps its start
                or start <= e.start < end < e.end  # keeps its end
                or (ends_inside and end < e.end)  # split in two
            ):
                raise _bad(bad, "events must overlap with override time range")
        kept = list(ids)
        for e in events:
            if start <= e.start and end >= e.end:
                del self.db.events[e.id]
            elif start > e.start and end < e.end:
                split.append(e)
            elif start > e.start:
                e.end = start
            else:
                e.start = end
        for e in split:  # both remaining parts are new events; the original goes
            for part in ((e.start, start), (end, e.end)):
                kept.append(self.db.add_event(*part, e.team_id, e.role, e.user_id).id)
            del self.db.events[e.id]
        first = events[0]
        kept.append(self.db.add_event(start, end, first.team_id, first.role, user.id).id)
        rows = [event_json(self.db, self.db.events[i], _OVERRIDE_COLUMNS)
                for i in sorted(set(kept)) if i in self.db.events]  # fmt: skip
        self.db.record(caller.owner, team.name, "event_substituted",
                       {"new_events": rows, "request_body": data})  # fmt: skip
        return OncallJSON(rows)

    async def link_events(self, request: Request) -> Response:
        caller = await self.auth.login_required(request)
        events = await json_body(request)
        if not isinstance(events, list):
            raise _bad("Invalid argument", "events argument needs to be a list")
        if not events:
            raise _bad("Invalid argument", "events list cannot be empty")
        if not all(isinstance(ev, dict) for ev in events):
            raise server_error()
        team_name = events[0].get("team")
        if not team_name:
            raise _bad("Invalid argument", "event missing team attribute")
        self.auth.check_member(caller, str(team_name))
        team = self.db.team_named(str(team_name))
        if team is None:
            raise _bad("Invalid event", f"Invalid team name: {team_name}")
        for ev in events:
            _times(require(ev, "start", "end"), "start", "end")
            if self._past(ev["start"]):
                raise _bad("Invalid event", "Creating events in the past not allowed")
            if ev["start"] >= ev["end"]:
                raise _bad("Invalid event", "Event must start before it ends")
            if not ev.get("team"):
                raise _bad("Invalid event", "Missing team for event")
            if ev["team"] != team_name:
                raise _bad("Invalid event", "Events can only be submitted to one team")
            require(ev, "user")
            if not self._in_team(ev["user"], team_name):
                raise _bad("Invalid event",
                           f"User {ev['user']} must be part of the team {team_name}")  # fmt: skip
            require(ev, "role")
        if any(ev["role"] not in ROLES for ev in events):
            raise integrity("role not found")
        link = self.db.new_uuid().hex
        members = {u.name: u.id for u in self.db.users.values()}
        rows = [self.db.add_event(int(ev["start"]), int(ev["end"]), team.id, ev["role"],
                                  members[str(ev["user"])], link_id=link,
                                  note=ev.get("note")) for ev in events]  # fmt: skip
        ordered = sorted(rows, key=lambda e: (e.start, e.id))
        return OncallJSON({"link_id": link, "event_ids": [e.id for e in ordered]},
                          status_code=201)  # fmt: skip

    async def upcoming(self, request: Request) -> Response:
        raw_limit = request.query_params.get("limit")
        if raw_limit is not None and not raw_limit.lstrip("-").isdigit():
            raise OncallError(
                400,
                "Invalid parameter",
                'The "limit" parameter is invalid. The value must be an integer.',
            )
        role = request.query_params.get("role")
        user_id = self.db.user_id(request.path_params["user"])
        events = sorted((e for e in self.db.events.values()
                         if e.user_id == user_id and e.start > self.db.now
                         and (not role or e.role == role)), key=lambda e: e.start)  # fmt: skip
        shifts: list[JSONObject] = []
        seen: dict[str, JSONObject] = {}
        for e in events:
            if e.link_id is None:
                shifts.append(event_json(self.db, e))
            elif e.link_id in seen:
                seen[e.link_id]["num_events"] += 1
            else:  # a linked set shows as its first event plus the set's size
                seen[e.link_id] = {**event_json(self.db, e), "num_events": 1}
                shifts.append(seen[e.link_id])
        return OncallJSON(shifts[: int(raw_limit)] if raw_limit is not None else shifts)
