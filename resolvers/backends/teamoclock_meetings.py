"""Team O'clock active meetings: standups, planning pokers (with their tasks), retrospectives.

Standup and planning poker ids are the team slug: a team has at most one of each, and
creating one while it runs answers the running one (see :class:`ActiveMeeting`).
Retrospective ids are random, and every create starts a new one.
"""

from __future__ import annotations

from resolvers.backends.teamoclock_base import TeamOclockBase, data_of, filters, segment
from resolvers.backends.teamoclock_models import (
    ActiveMeeting,
    Data,
    MeetingSummary,
    PlanpokerDetail,
    PokerTask,
    RetroDetail,
    StandupDetail,
)


class MeetingMethods(TeamOclockBase):
    # -- standups -----------------------------------------------------------------------------

    async def list_standups(self, *, team: str | None = None) -> list[MeetingSummary]:
        """Active standups (at most one per team), of every team or of team slug `team`."""
        return await self._list_meetings("/standup", team)

    async def get_standup(self, id: str) -> StandupDetail | None:
        return data_of(await self.get_optional(f"/standup/{segment(id)}", Data[StandupDetail]))

    async def create_standup(self, team: str) -> ActiveMeeting:
        """Start team `team`'s standup, or get the one already running (``created`` False)."""
        return await self._start("/standup", {"team": {"slug": team}})

    async def delete_standup(self, id: str) -> None:
        """End a standup: it leaves the active list."""
        await self._delete(f"/standup/{segment(id)}")

    # -- planning pokers ----------------------------------------------------------------------

    async def list_planpokers(self, *, team: str | None = None) -> list[MeetingSummary]:
        """Active planning pokers (at most one per team)."""
        return await self._list_meetings("/planpoker", team)

    async def get_planpoker(self, id: str) -> PlanpokerDetail | None:
        path = f"/planpoker/{segment(id)}"
        return data_of(await self.get_optional(path, Data[PlanpokerDetail]))

    async def create_planpoker(self, team: str, *, facilitator: str | None = None) -> ActiveMeeting:
        """Start team `team`'s planning poker, or get the running one (``created`` False,
        and `facilitator` is not applied). Without `facilitator` the API picks a team member.
        """
        return await self._start("/planpoker", _meeting_body(team, facilitator))

    async def delete_planpoker(self, id: str) -> None:
        await self._delete(f"/planpoker/{segment(id)}")

    async def list_planpoker_tasks(self, id: str) -> list[PokerTask]:
        """Tasks of planning poker `id`; raises ``UpstreamNotFound`` if it does not exist."""
        path = f"/planpoker/{segment(id)}/tasks"
        return (await self.get_model(path, Data[list[PokerTask]])).data

    async def get_planpoker_task(self, id: str, task_id: str) -> PokerTask | None:
        path = f"/planpoker/{segment(id)}/tasks/{segment(task_id)}"
        return data_of(await self.get_optional(path, Data[PokerTask]))

    async def create_planpoker_task(self, id: str, text: str) -> PokerTask:
        """Add a story to estimate to planning poker `id`."""
        path = f"/planpoker/{segment(id)}/tasks"
        return await self._write("POST", path, Data[PokerTask], {"text": text}, expect=201)

    async def delete_planpoker_task(self, id: str, task_id: str) -> None:
        await self._delete(f"/planpoker/{segment(id)}/tasks/{segment(task_id)}")

    # -- retrospectives -----------------------------------------------------------------------

    async def list_retros(self, *, team: str | None = None) -> list[MeetingSummary]:
        """Active retrospectives (a team may have several)."""
        return await self._list_meetings("/retro", team)

    async def get_retro(self, id: str) -> RetroDetail | None:
        return data_of(await self.get_optional(f"/retro/{segment(id)}", Data[RetroDetail]))

    async def create_retro(self, team: str, *, facilitator: str | None = None) -> MeetingSummary:
        """Start a new retrospective (always a new one). Without `facilitator` the API picks
        a team member."""
        body = _meeting_body(team, facilitator)
        return await self._write("POST", "/retro", Data[MeetingSummary], body, expect=201)

    async def delete_retro(self, id: str) -> None:
        await self._delete(f"/retro/{segment(id)}")

    # -- helpers ------------------------------------------------------------------------------

    async def _list_meetings(self, path: str, team: str | None) -> list[MeetingSummary]:
        params = filters(team=team)
        return (await self.get_model(path, Data[list[MeetingSummary]], params=params)).data

    async def _start(self, path: str, body: dict[str, object]) -> ActiveMeeting:
        # "If a standup already exists the response status code is 200", else 201.
        meeting, status = await self._write_status(
            "POST", path, Data[MeetingSummary], body, expect=(200, 201)
        )
        return ActiveMeeting(meeting=meeting, created=status == 201)


def _meeting_body(team: str, facilitator: str | None) -> dict[str, object]:
    body: dict[str, object] = {"team": {"slug": team}}
    if facilitator is not None:
        body["facilitator"] = {"username": facilitator}
    return body
