"""The oncall emulator's in-memory database: its tables, lookups and shared side effects.

Private to :mod:`gateway.emulators.oncall`. Rows (in ``_oncall_tables``) mirror oncall's
tables and refer to each other by id; names are looked up case- and byte-exactly, as the
real server's ``utf8mb4_bin`` collation does. ``_oncall_seed`` fills it from the cast.
"""

from __future__ import annotations

import itertools
import json
import random
import uuid
from collections.abc import Iterator
from typing import Any

from gateway.emulators._oncall_http import OncallError, server_error
from gateway.emulators._oncall_tables import (
    DEFAULT_MODES,
    DEFAULT_ROLES,
    DEFAULT_TIMES,
    AuditRow,
    EventRow,
    NotificationRow,
    RosterRow,
    ScheduleRow,
    TeamRow,
    UserRow,
)

JSONObject = dict[str, Any]


def require(data: Any, *keys: str) -> JSONObject:
    """The body as an object with ``keys``; upstream indexes it unchecked, so a miss is a 500."""
    if not isinstance(data, dict) or any(k not in data for k in keys):
        raise server_error()
    return data


class OncallDB:
    """Every table the emulator serves, for one app instance (writes mutate it)."""

    def __init__(self, now: int) -> None:
        self.now = now  # the server's UNIX_TIMESTAMP(): the cast's "now", fixed per app
        self.users: dict[int, UserRow] = {}
        self.teams: dict[int, TeamRow] = {}
        self.rosters: dict[int, RosterRow] = {}
        self.schedules: dict[int, ScheduleRow] = {}
        self.events: dict[int, EventRow] = {}
        self.services: dict[int, str] = {}
        self.notifications: dict[int, NotificationRow] = {}
        self.audit: list[AuditRow] = []
        self._ids: dict[str, Iterator[int]] = {}
        # Upstream draws link ids and deleted teams' names from uuid4; here they come from a
        # generator seeded with `now`, so two emulators of one cast given the same writes
        # answer the same (the differential test harness runs a twin beside each gateway).
        self._uuids = random.Random(now)

    def new_id(self, table: str) -> int:
        """The next AUTO_INCREMENT value: ids are never reused, even after a delete."""
        if table not in self._ids:
            rows: dict[int, Any] = getattr(self, table)
            self._ids[table] = itertools.count(max(rows, default=0) + 1)
        return next(self._ids[table])

    def new_uuid(self) -> uuid.UUID:
        """A version-4 uuid, as upstream's ``uuid4()``, but reproducible per database."""
        return uuid.UUID(int=self._uuids.getrandbits(128), version=4)

    # -- lookups -------------------------------------------------------------------------

    def user_named(self, name: str) -> UserRow | None:
        return next((u for u in self.users.values() if u.name == name), None)

    def user_id(self, name: str) -> int | None:
        user = self.user_named(name)
        return user.id if user else None

    def team_named(self, name: str) -> TeamRow | None:
        """A team by name, active or not (deleted teams carry a uuid name)."""
        return next((t for t in self.teams.values() if t.name == name), None)

    def active_team(self, name: str) -> TeamRow | None:
        team = self.team_named(name)
        return team if team and team.active else None

    def roster_named(self, team: TeamRow | None, name: str) -> RosterRow | None:
        if team is None:
            return None
        return next(
            (r for r in self.rosters.values() if r.team_id == team.id and r.name == name), None
        )

    def service_id(self, name: str) -> int | None:
        return next((i for i, n in self.services.items() if n == name), None)

    def names(self, user_ids: set[int] | list[int]) -> list[str]:
        """Usernames ordered by user id: the order the real server lists members in."""
        return [self.users[i].name for i in sorted(user_ids)]

    def teams_of(self, user_id: int) -> list[TeamRow]:
        return [t for t in self.teams.values() if t.active and user_id in t.users]

    def team_schedules(self, team_id: int) -> list[ScheduleRow]:
        return [s for s in self.schedules.values() if s.team_id == team_id]

    def current(self, team_ids: set[int], role: str | None = None) -> list[EventRow]:
        # Upstream: UNIX_TIMESTAMP() BETWEEN start AND end (both ends inclusive).
        return [e for e in self.events.values() if e.team_id in team_ids
                and e.start <= self.now <= e.end and (role is None or e.role == role)]  # fmt: skip

    def event(self, raw_id: str) -> EventRow | None:
        return self.events.get(int(raw_id)) if raw_id.isdigit() else None

    # -- side effects several writes share ---------------------------------------------------

    def add_event(self, start: int, end: int, team_id: int, role: str, user_id: int,
                  schedule_id: int | None = None, note: str | None = None,
                  link_id: str | None = None) -> EventRow:  # fmt: skip
        row = EventRow(self.new_id("events"), start, end, team_id, role, user_id, schedule_id,
                       link_id, note)  # fmt: skip
        self.events[row.id] = row
        return row

    def record(
        self, owner: str, team: str, action: str, context: JSONObject, *, at: int | None = None
    ) -> None:
        """One audit row (upstream's create_audit), stamped ``at`` or now; ``context`` is
        stored as JSON text."""
        text = json.dumps(context, separators=(",", ":"))
        self.audit.append(AuditRow(owner, team, action, self.now if at is None else at, text))

    def subscribe(self, team: TeamRow, user_id: int) -> None:
        """Default reminders for a user joining a team, unless they have settings there."""
        if any(n.user_id == user_id and n.team_id == team.id for n in self.notifications.values()):
            return
        for time_before in DEFAULT_TIMES:
            for mode in DEFAULT_MODES:
                row = NotificationRow(
                    self.new_id("notifications"), user_id, team.id, mode, "oncall_reminder",
                    list(DEFAULT_ROLES), time_before,
                )  # fmt: skip
                self.notifications[row.id] = row

    def unsubscribe(self, team: TeamRow, user_id: int) -> None:
        for n in [
            n for n in self.notifications.values() if (n.user_id, n.team_id) == (user_id, team.id)
        ]:
            del self.notifications[n.id]

    def leave_if_unattached(self, team: TeamRow, user_ids: set[int]) -> set[int]:
        """Drop from the team those of ``user_ids`` in none of its rosters and not its admins.

        Returns who left (upstream unsubscribes them after an admin or roster-user delete).
        """
        rostered = {u for r in self.rosters.values() if r.team_id == team.id for u in r.members}
        left = {u for u in user_ids & team.users if u not in rostered and u not in team.admins}
        team.users -= left
        return left

    def drop_team_parts(self, team: TeamRow) -> None:
        """Remove a deleted team's rosters, schedules and events."""
        for roster in [r for r in self.rosters.values() if r.team_id == team.id]:
            del self.rosters[roster.id]
        for schedule in self.team_schedules(team.id):
            del self.schedules[schedule.id]
        for event in [e for e in self.events.values() if e.team_id == team.id]:
            del self.events[event.id]

    def drop_user(self, user: UserRow) -> None:
        """A deleted user leaves every team, admin list and roster; their events go too."""
        del self.users[user.id]
        for team in self.teams.values():
            team.users.discard(user.id)
            team.admins.discard(user.id)
        for roster in self.rosters.values():
            roster.members.pop(user.id, None)
        for event in [e for e in self.events.values() if e.user_id == user.id]:
            del self.events[event.id]
        for n in [n for n in self.notifications.values() if n.user_id == user.id]:
            del self.notifications[n.id]


def integrity(description: str) -> OncallError:
    return OncallError(422, "IntegrityError", description)
