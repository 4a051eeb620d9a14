"""oncall rosters (who rotates through a team's shifts) and schedules (the shift templates)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from resolvers.backends.deferred import Deferred
from resolvers.backends.errors import (
    BadRequest,
    UpstreamNotFound,
    UpstreamRejected,
    UpstreamUnavailable,
)
from resolvers.backends.oncall_base import CREATED, OncallBase, given, path, seconds
from resolvers.backends.oncall_models import Roster, Schedule, ScheduleEvent, User, _keyed


def _template(events: Sequence[ScheduleEvent]) -> list[dict[str, int]]:
    return [{"start": int(e.start.total_seconds()), "duration": int(e.duration.total_seconds())}
            for e in events]  # fmt: skip


class OncallRosters(OncallBase):
    async def list_rosters(self, team: str) -> list[Roster]:
        """A team's rosters with users and schedules; ``[]`` for an unknown team (a 422)."""
        try:
            data = await self.get_json(path("teams", team, "rosters"))
        except UpstreamRejected as exc:
            if exc.status == 422:
                return []
            raise
        where = f"GET {path('teams', team, 'rosters')}"
        return self.parse(list[Roster], _keyed(data), where=where)

    async def create_roster(self, team: str, name: str) -> None:
        await self._write("POST", path("teams", team, "rosters"), {"name": name}, expect=CREATED)

    async def get_roster(self, team: str, roster: str) -> Roster | None:
        """One roster; its schedules are filtered to this roster (2.1.7 returns the team's)."""
        where = path("teams", team, "rosters", roster)
        try:
            data = await self.get_json(where)
        except UpstreamNotFound:
            return None
        if isinstance(data, dict) and "users" not in data and len(data) == 1:
            [(roster, data)] = data.items()  # the docs' {roster name: {...}} wrapper
        if isinstance(data, dict):
            data = {"name": roster, **data}
        found: Roster = self.parse(Roster, data, where=f"GET {where}")
        own = [s for s in found.schedules.get() if s.roster in (None, roster)]
        return found.model_copy(update={"schedules": Deferred.ready(own)})

    async def update_roster(
        self, team: str, roster: str, *, new_name: str | None = None,
        order: Sequence[str] | None = None,
    ) -> None:  # fmt: skip
        """Rename a roster and/or set its rotation ``order`` (every member, by username)."""
        body = given(name=new_name, roster_order=list(order) if order is not None else None)
        if not body:
            raise BadRequest("update_roster needs a new name or an order")
        await self._write("PUT", path("teams", team, "rosters", roster), body)

    async def delete_roster(self, team: str, roster: str) -> None:
        """Delete a roster with its schedules; members in no other roster leave the team."""
        await self._write("DELETE", path("teams", team, "rosters", roster))

    async def list_roster_users(
        self, team: str, roster: str, *, in_rotation: bool | None = None
    ) -> list[str]:
        """Usernames in a roster, by user id (optionally only those in or out of rotation)."""
        params = None if in_rotation is None else {"in_rotation": str(in_rotation).lower()}
        return await self._names(path("teams", team, "rosters", roster, "users"), params=params)

    async def add_roster_user(
        self, team: str, roster: str, user: str, *, in_rotation: bool = True
    ) -> User:
        """Add ``user`` to a roster (and to the team); answers the user."""
        body = {"name": user, "in_rotation": in_rotation}
        return await self._create(path("teams", team, "rosters", roster, "users"), body, User)

    async def update_roster_user(
        self, team: str, roster: str, user: str, *, in_rotation: bool
    ) -> None:
        """Put a roster member into or out of rotation."""
        where = path("teams", team, "rosters", roster, "users", user)
        await self._write("PUT", where, {"in_rotation": in_rotation}, expect=(200,))

    async def delete_roster_user(self, team: str, roster: str, user: str) -> None:
        """Take ``user`` off a roster; they leave the team unless still rostered or admin."""
        where = path("teams", team, "rosters", roster, "users", user)
        await self._write("DELETE", where, expect=(200,))

    # -- schedules -----------------------------------------------------------------------------

    async def list_roster_schedules(self, team: str, roster: str) -> list[Schedule]:
        """A roster's schedules (upstream ignores the roster here, so filter client-side)."""
        where = path("teams", team, "rosters", roster, "schedules")
        schedules = await self.get_model(where, list[Schedule])
        return [s for s in schedules if s.roster in (None, roster)]

    async def create_schedule(
        self, team: str, roster: str, *, role: str, events: Sequence[ScheduleEvent],
        advanced_mode: bool = False, auto_populate_threshold: int | None = None,
    ) -> int:  # fmt: skip
        """Create a schedule; returns its id. Simple mode (``advanced_mode=False``) allows one
        1- or 2-week event, or 7 or 14 events of 12 hours."""
        body = given(role=role, events=_template(events), advanced_mode=int(advanced_mode),
                     auto_populate_threshold=auto_populate_threshold)  # fmt: skip
        return await self._created_id(path("teams", team, "rosters", roster, "schedules"), body)

    async def get_schedule(self, schedule_id: int) -> Schedule | None:
        """One schedule, or None when there is none: the docs' 404, or 2.1.7's 500 for an
        unknown id (an upstream bug; a 500 does not count against the circuit)."""
        try:
            return await self.get_optional(f"/schedules/{schedule_id}", Schedule)
        except UpstreamUnavailable as exc:
            if exc.status == 500:
                return None
            raise

    async def update_schedule(
        self, schedule_id: int, *, role: str | None = None, team: str | None = None,
        roster: str | None = None, events: Sequence[ScheduleEvent] | None = None,
        advanced_mode: bool | None = None, auto_populate_threshold: int | None = None,
    ) -> None:  # fmt: skip
        """Change a schedule; moving it to another ``roster`` needs its ``team`` too."""
        body = given(
            role=role, team=team, roster=roster,
            events=_template(events) if events is not None else None,
            advanced_mode=None if advanced_mode is None else int(advanced_mode),
            auto_populate_threshold=auto_populate_threshold,
        )  # fmt: skip
        if not body:
            raise BadRequest("update_schedule needs at least one field to change")
        await self._write("PUT", f"/schedules/{schedule_id}", body)

    async def delete_schedule(self, schedule_id: int) -> None:
        await self._write("DELETE", f"/schedules/{schedule_id}")

    async def populate_schedule(self, schedule_id: int, *, start: datetime) -> None:
        """Run the scheduler from ``start``: the schedule's events from its first hand-off
        after ``start`` are replaced, up to its ``auto_populate_threshold``."""
        body = {"start": seconds(start)}
        await self._write("POST", f"/schedules/{schedule_id}/populate", body)
