"""The oncall emulator's in-memory database, built from the cast, and its JSON renderings.

Private to :mod:`gateway.emulators.oncall`. Its rows (in ``_oncall_tables``) mirror oncall's
tables; the ``*_json`` methods reproduce the real 2.1.7 server's payloads key for key (see
``shared/oncall-real-server.md`` §3), including its quirks.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from gateway.emulators._oncall_http import OncallError, not_found, server_error
from gateway.emulators._oncall_tables import (
    EVENT_COLUMNS,
    ROLES,
    TEAM_PARTS,
    USER_COLUMNS,
    EventRow,
    RosterRow,
    ScheduleRow,
    TeamRow,
    UserRow,
)
from gateway.emulators.cast import Cast

JSONObject = dict[str, Any]
WEEK = 7 * 24 * 3600
GRACE_PERIOD = 24 * 3600  # upstream's constants.GRACE_PERIOD: how far back writes may reach


def _require(data: Any, *keys: str) -> None:
    # Upstream indexes the body without validating it, so a missing key is a KeyError: 500.
    if not isinstance(data, dict) or any(k not in data for k in keys):
        raise server_error()


class OncallDB:
    """Every table the emulator serves, for one app instance (writes mutate it)."""

    def __init__(self, cast: Cast) -> None:
        self.now = int(cast.now.timestamp())
        self.users: dict[str, UserRow] = {}
        self.teams: dict[str, TeamRow] = {}
        self.rosters: list[RosterRow] = []
        self.schedules: dict[int, ScheduleRow] = {}
        self.events: dict[int, EventRow] = {}
        self.services: dict[str, int] = {}
        self.notifications: list[JSONObject] = []
        for person in sorted(cast.people, key=lambda p: p.oncall.id if p.oncall else 0):
            if acc := person.oncall:
                contacts = {"email": acc.email, "sms": acc.phone, "call": acc.phone,
                            "slack": acc.slack}  # fmt: skip
                self.users[acc.name] = UserRow(
                    acc.id, acc.name, acc.full_name, person.time_zone,
                    {k: v for k, v in contacts.items() if v is not None},
                )  # fmt: skip
        for team in cast.teams:
            if team.oncall:
                self._add_team(cast, team.handle)
        self._add_events(cast)
        for user in self.users.values():
            for team_row in self.teams_of(user.name):
                self.notifications.append({
                    "team": team_row.name, "mode": "email", "type": "oncall_reminder",
                    "time_before": 86400, "only_if_involved": None,
                    "id": len(self.notifications) + 1, "roles": ["primary", "secondary"],
                    "_user": user.name,
                })  # fmt: skip

    def _add_team(self, cast: Cast, handle: str) -> None:
        team = next(t for t in cast.teams if t.handle == handle)
        assert team.oncall is not None
        o = team.oncall
        members = [(m, cast.person(m.person).oncall) for m in team.members]
        known = [(m, acc.name) for m, acc in members if acc is not None]
        row = TeamRow(
            o.id, o.name, o.email, o.slack_channel, o.scheduling_timezone,
            f"The {o.name} on-call team", users=[name for _, name in known],
            admins=[name for m, name in known if m.admin], services=list(o.services),
        )  # fmt: skip
        self.teams[o.name] = row
        for service in o.services:
            self.services[service] = len(self.services) + 1
        roster = RosterRow(o.id * 10, f"{o.name}-rotation", o.name,
                           [(name, m.in_rotation) for m, name in known])  # fmt: skip
        self.rosters.append(roster)
        for role in ("primary", "secondary"):
            sid = len(self.schedules) + 1
            # One weekly shift from Monday 00:00 in the team's scheduling timezone.
            self.schedules[sid] = ScheduleRow(sid, o.name, roster.name, role, [(86400, WEEK)])

    def _add_events(self, cast: Cast) -> None:
        """Weekly primary and secondary shifts, two weeks either side of now.

        Shifts run Monday 00:00 to Monday 00:00 (team timezone), so the current week's pair
        covers ``now``: every team has a primary and a secondary on call. The rotation index
        is the absolute week number, so the same week always gets the same people.
        """
        for team in self.teams.values():
            roster = next(r for r in self.rosters if r.team == team.name)
            pool = [name for name, rotating in roster.users if rotating]
            if not pool:
                continue
            tz = ZoneInfo(team.scheduling_timezone)
            today = cast.now.astimezone(tz).date()
            monday = today - timedelta(days=today.weekday())
            for week in range(-2, 3):
                day = monday + timedelta(weeks=week)
                start = int(datetime(day.year, day.month, day.day, tzinfo=tz).timestamp())
                nxt = day + timedelta(weeks=1)
                end = int(datetime(nxt.year, nxt.month, nxt.day, tzinfo=tz).timestamp())
                turn = day.toordinal() // 7
                for offset, schedule in enumerate(
                    s for s in self.schedules.values() if s.team == team.name
                ):
                    user = pool[(turn + offset) % len(pool)]
                    self.add_event(start, end, team.name, schedule.role, user, schedule.id)

    # -- lookups ---------------------------------------------------------------------------

    def add_event(self, start: int, end: int, team: str, role: str, user: str,
                  schedule_id: int | None = None, note: str | None = None,
                  link_id: str | None = None) -> EventRow:  # fmt: skip
        event_id = max(self.events, default=0) + 1
        self.events[event_id] = row = EventRow(
            event_id, start, end, team, role, user, schedule_id, link_id, note
        )
        return row

    def event(self, raw_id: str) -> EventRow:
        event = self.events.get(int(raw_id)) if raw_id.isdigit() else None
        if event is None:
            raise not_found()
        return event

    def active_team(self, name: str) -> TeamRow | None:
        team = self.teams.get(name)
        return team if team and team.active else None

    def teams_of(self, user: str) -> list[TeamRow]:
        return [t for t in self.teams.values() if t.active and user in t.users]

    def current(self, team: str, role: str | None = None) -> list[EventRow]:
        # Upstream: UNIX_TIMESTAMP() BETWEEN start AND end (both ends inclusive).
        return [e for e in self.events.values() if e.team == team and e.start <= self.now <= e.end
                and (role is None or e.role == role)]  # fmt: skip

    # -- writes ----------------------------------------------------------------------------

    def _check_new_event(self, data: Any) -> None:
        _require(data, "start", "end", "user", "team", "role")
        if data["start"] >= data["end"]:
            raise OncallError(400, "Invalid event", "Event must start before it ends")
        if data["start"] < self.now - GRACE_PERIOD:
            raise OncallError(400, "Invalid event", "Creating events in the past not allowed")
        team = self.active_team(data["team"])
        if team is None or data["user"] not in team.users:
            raise OncallError(400, "Invalid event", "User must be part of the team")
        if data["role"] not in ROLES:
            raise OncallError(422, "IntegrityError", f'role "{data["role"]}" not found')

    def create_event(self, data: Any) -> int:
        self._check_new_event(data)
        d = data
        row = self.add_event(d["start"], d["end"], d["team"], d["role"], d["user"],
                             d.get("schedule_id"), d.get("note"))  # fmt: skip
        return row.id

    def link_events(self, data: Any) -> list[int]:
        if not isinstance(data, list) or not data:
            raise server_error()
        for item in data:
            self._check_new_event(item)
        link = uuid.uuid4().hex
        return [self.add_event(d["start"], d["end"], d["team"], d["role"], d["user"],
                               link_id=link).id for d in data]  # fmt: skip

    def update_event(self, raw_id: str, data: Any) -> None:
        if not isinstance(data, dict):
            raise server_error()
        invalid = "Invalid event update"
        if "start" in data and "end" in data and data["start"] >= data["end"]:
            raise OncallError(400, invalid, "Event must start before it ends")
        if any(key not in ("start", "end", "role", "user", "note") for key in data):
            raise OncallError(400, invalid, "Invalid column")
        event = self.event(raw_id)
        _require(data, "start")  # upstream reads data['start'] unconditionally
        if data.get("user", event.user) not in self.teams[event.team].users:
            raise OncallError(400, invalid, "Event user must be part of the team")
        if data.get("role", event.role) not in ROLES:
            raise server_error()  # role_id becomes NULL: an IntegrityError upstream
        for key, value in data.items():
            setattr(event, key, value)
        event.link_id = None  # editing one event of a linked set breaks its link

    def delete_event(self, raw_id: str) -> None:
        event = self.event(raw_id)
        if event.start < self.now - GRACE_PERIOD:
            raise OncallError(
                400, "Invalid event update", "Deleting events in the past not allowed"
            )
        del self.events[event.id]

    def swap_events(self, data: Any) -> None:
        _require(data, "events")
        if not isinstance(data["events"], list) or len(data["events"]) != 2:
            raise OncallError(400, "Invalid event swap request", "Must provide 2 events")
        sets: list[list[EventRow]] = []
        for ref in data["events"]:
            _require(ref, "id", "linked")
            key = "link_id" if ref["linked"] else "id"
            found = [e for e in self.events.values() if getattr(e, key) == ref["id"]]
            if not found:
                raise not_found()
            sets.append(found)
        both = sets[0] + sets[1]
        if any(e.start < self.now for e in both):
            raise OncallError(400, "Invalid event swap request", "Cannot edit events in the past")
        if len({e.team for e in both}) > 1:
            raise OncallError(400, "Event swap not allowed",
                              "Swapped events must come from the same team")  # fmt: skip
        if any(len({e.user for e in s}) != 1 for s in sets):
            raise OncallError(400, "400 Bad Request", "all linked events must have the same user")
        users = [sets[1][0].user, sets[0][0].user]
        for ref, events, user in zip(data["events"], sets, users, strict=True):
            for e in events:
                e.user = user
                e.link_id = e.link_id if ref["linked"] else None

    def override_events(self, data: Any) -> list[JSONObject]:
        """Give ``[start, end]`` of consecutive events to another user (upstream's algorithm)."""
        _require(data, "event_ids", "start", "end", "user")
        events = sorted((self.events[i] for i in data["event_ids"] if i in self.events),
                        key=lambda e: e.start)  # fmt: skip
        if not events or data["user"] not in self.users:
            raise server_error()  # upstream indexes an empty result
        bad = "Invalid override request"
        if any(e.start < self.now - GRACE_PERIOD for e in events):
            raise OncallError(400, bad, "Cannot edit events in the past")
        if len({e.team for e in events}) > 1:
            raise OncallError(400, bad, "Events must be from the same team")
        if data["user"] not in self.teams[events[0].team].users:
            raise OncallError(400, bad, "Substituting user must be part of the team")
        if len({e.role for e in events}) > 1 or len({e.user for e in events}) > 1:
            raise OncallError(400, bad, "events must have the same role")
        start = max(events[0].start, data["start"])
        end = min(max(e.end for e in events), data["end"])
        if any(b.start != a.end for a, b in itertools.pairwise(events)):
            raise OncallError(400, bad, "events must be consecutive")
        if any(e.end <= start or e.start >= end for e in events):
            raise OncallError(400, bad, "events must overlap with override time range")
        kept = [e.id for e in events]
        for e in events:
            if start > e.start and end < e.end:  # split around the override
                kept.append(self.add_event(end, e.end, e.team, e.role, e.user).id)
                e.end = start
            elif start > e.start:
                e.end = start
            elif end < e.end:
                e.start = end
            else:
                del self.events[e.id]
        first = events[0]
        kept.append(self.add_event(start, end, first.team, first.role, data["user"]).id)
        cols = ("start", "end", "id", "role", "team", "user", "full_name")
        return [self.event_json(self.events[i], cols) for i in sorted(kept) if i in self.events]

    # -- renderings --------------------------------------------------------------------------

    def user_json(self, user: UserRow, fields: Iterable[str] = USER_COLUMNS) -> JSONObject:
        out: JSONObject = {f: getattr(user, f) for f in fields if f != "contacts"}
        if "contacts" in fields:
            if not user.contacts:
                out["destination"] = None  # upstream leaves it behind when the join is empty
            out["contacts"] = dict(user.contacts)
        return out

    def event_json(self, event: EventRow, fields: Iterable[str] = EVENT_COLUMNS) -> JSONObject:
        user = self.users.get(event.user)
        full_name = user.full_name if user else None
        return {f: full_name if f == "full_name" else getattr(event, f) for f in fields}

    def schedule_json(self, s: ScheduleRow) -> JSONObject:
        team = self.teams[s.team]
        roster = next(r for r in self.rosters if r.team == s.team and r.name == s.roster)
        return {
            "id": s.id, "roster": s.roster, "roster_id": roster.id,
            "auto_populate_threshold": s.auto_populate_threshold, "role": s.role,
            "role_id": ROLES.index(s.role) + 1, "team": s.team, "team_id": team.id,
            "advanced_mode": s.advanced_mode, "timezone": team.scheduling_timezone,
            "scheduler": {"name": "default"},
            "events": [{"start": st, "duration": d} for st, d in s.events],
        }  # fmt: skip

    def team_schedules(self, team: str) -> list[JSONObject]:
        return [self.schedule_json(s) for s in self.schedules.values() if s.team == team]

    def rosters_json(self, team: str) -> JSONObject:
        schedules = self.team_schedules(team)
        return {
            r.name: {
                "users": [{"name": n, "in_rotation": rot} for n, rot in r.users],
                "schedules": [s for s in schedules if s["roster"] == r.name],
                "id": r.id,
            }
            for r in self.rosters
            if r.team == team
        }

    def team_json(self, team: TeamRow, parts: Iterable[str] = TEAM_PARTS) -> JSONObject:
        out: JSONObject = {
            "id": team.id, "name": team.name, "email": team.email,
            "slack_channel": team.slack_channel,
            "slack_channel_notifications": f"{team.slack_channel}-alerts",
            "scheduling_timezone": team.scheduling_timezone, "iris_plan": None,
            "iris_enabled": 0, "override_phone_number": None, "api_managed_roster": 0,
            "description": team.description,
        }  # fmt: skip
        for part in parts:
            if part == "users":
                out["users"] = {u: self.user_json(self.users[u]) for u in team.users}
            elif part == "admins":
                out["admins"] = [{"name": a} for a in team.admins]
            elif part == "services":
                out["services"] = list(team.services)
            elif part == "rosters":
                out["rosters"] = self.rosters_json(team.name)
        return out

    def oncall_json(self, events: Iterable[EventRow]) -> list[JSONObject]:
        """``/teams/{t}/oncall`` and ``/services/{s}/oncall`` rows: one per user, first wins."""
        out: dict[str, JSONObject] = {}
        for e in events:
            user = self.users[e.user]
            if e.user in out:
                continue
            row: JSONObject = {"full_name": user.full_name, "start": e.start, "end": e.end}
            if not user.contacts:
                row["destination"] = None
            row |= {"user": e.user, "team": e.team, "role": e.role, "contacts": dict(user.contacts)}
            out[e.user] = row
        return list(out.values())

    def summary_json(self, team: TeamRow) -> JSONObject:
        current: dict[str, list[JSONObject]] = {}
        for e in self.current(team.name):
            u = self.users[e.user]
            current.setdefault(e.role, []).append({
                "full_name": u.full_name, "photo_url": u.photo_url, "start": e.start,
                "end": e.end, "user_id": u.id, "user": u.name, "team": e.team, "role": e.role,
                "user_contacts": dict(u.contacts),
            })  # fmt: skip
        upcoming = [e for e in self.events.values() if e.team == team.name and e.start > self.now]
        nxt: dict[str, list[JSONObject]] = {}
        for role in ROLES:
            of_role = [e for e in upcoming if e.role == role]
            first = min((e.start for e in of_role), default=None)
            for e in (e for e in of_role if e.start == first):
                u = self.users[e.user]
                nxt.setdefault(role, []).append({
                    "role": role, "full_name": u.full_name, "start": e.start, "end": e.end,
                    "photo_url": u.photo_url, "user": u.name, "user_id": u.id,
                    "role_id": ROLES.index(role) + 1, "team_id": team.id,
                    "user_contacts": dict(u.contacts),
                })  # fmt: skip
        return {"current": current, "next": nxt}
