"""oncall events (shifts): search, create, edit, delete, swap, override and link."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from resolvers.backends.oncall_base import CREATED, OncallBase, given, path, seconds
from resolvers.backends.oncall_models import Event, LinkedEvents, NewEvent, UpcomingShift


class OncallEvents(OncallBase):
    async def list_events(
        self,
        *,
        team: str | None = None,
        user: str | None = None,
        role: str | None = None,
        start_before: datetime | None = None,
        end_after: datetime | None = None,
        start_after: datetime | None = None,
        end_before: datetime | None = None,
    ) -> list[Event]:
        """Events matching every given filter (all teams when ``team`` is None).

        ``start_before``/``end_after`` are strict (``start__lt``, ``end__gt``), so
        ``start_before=t, end_after=t`` is "on call at t"; ``start_after``/``end_before`` are
        inclusive (``start__ge``, ``end__le``). With no filter the whole table comes back.
        """
        wanted = {
            "team": team, "user": user, "role": role,
            "start__lt": seconds(start_before), "end__gt": seconds(end_after),
            "start__ge": seconds(start_after), "end__le": seconds(end_before),
        }  # fmt: skip
        params = {k: v for k, v in sorted(wanted.items()) if v is not None}
        return await self.get_model("/events", list[Event], params=params)

    async def get_event(self, event_id: int) -> Event | None:
        return await self.get_optional(f"/events/{event_id}", Event)

    async def create_event(
        self, *, start: datetime, end: datetime, user: str, team: str, role: str,
        note: str | None = None, schedule_id: int | None = None,
    ) -> int:  # fmt: skip
        """Create one event; returns its id. ``user`` must be a member of ``team``."""
        body = given(start=seconds(start), end=seconds(end), user=user, team=team, role=role,
                     note=note, schedule_id=schedule_id)  # fmt: skip
        response = await self._write("POST", "/events", body, expect=CREATED)
        return self.read_model(int, response, where="POST /events")

    async def update_event(
        self, event_id: int, *, start: datetime, end: datetime, user: str | None = None,
        role: str | None = None, note: str | None = None,
    ) -> None:  # fmt: skip
        """Edit an event. ``start`` and ``end`` are required: 2.1.7 fails with 500 without."""
        body = given(start=seconds(start), end=seconds(end), user=user, role=role, note=note)
        await self._write("PUT", f"/events/{event_id}", body)

    async def delete_event(self, event_id: int) -> None:
        await self._write("DELETE", f"/events/{event_id}")

    async def swap_events(self, first: int | str, second: int | str) -> None:
        """Swap the users of two events; a ``str`` is a ``link_id`` (a whole linked set)."""
        refs = [{"id": ref, "linked": isinstance(ref, str)} for ref in (first, second)]
        await self._write("POST", "/events/swap", {"events": refs}, expect=(200,))

    async def override_events(
        self, event_ids: Sequence[int], *, start: datetime, end: datetime, user: str
    ) -> list[Event]:
        """Hand ``[start, end)`` of consecutive events to ``user``; returns the events now.

        An event the override falls inside is replaced by new events for the parts before
        and after it (new ids); the answer has the surviving events and the new ones.
        """
        body = {"event_ids": list(event_ids), "start": seconds(start), "end": seconds(end),
                "user": user}  # fmt: skip
        response = await self._write("POST", "/events/override", body, expect=(200,))
        return self.read_model(list[Event], response, where="POST /events/override")

    async def link_events(self, events: Sequence[NewEvent]) -> LinkedEvents:
        """Create events of one team as a linked set (swapped together, one reminder)."""
        body = [
            given(start=seconds(e.start), end=seconds(e.end), user=e.user, team=e.team,
                  role=e.role, note=e.note)
            for e in events
        ]  # fmt: skip
        return await self._create("/events/link", body, LinkedEvents)

    async def list_upcoming(
        self, user: str, *, limit: int | None = None, role: str | None = None
    ) -> list[UpcomingShift]:
        """The user's shifts starting after now, soonest first; a linked set counts once."""
        params: dict[str, str | int] = {}
        if limit is not None:
            params["limit"] = limit
        if role is not None:
            params["role"] = role
        where = path("users", user, "upcoming")
        return await self.get_model(where, list[UpcomingShift], params=params)
