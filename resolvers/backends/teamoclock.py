"""Team O'clock REST API v2: members, teams, meetings, action items and the timeline.

Build it over an ``httpx.AsyncClient`` whose ``base_url`` is the API root (for example
``https://www.teamoclock.com/api/v2``) and whose auth is HTTP Basic with the organisation slug
and the secret API key::

    client = TeamOclockClient(http)
    members = await client.list_members()
    items = await client.list_action_items(team="platform", status="open")

People are keyed by ``username`` and teams by ``slug``; meetings name people by username
only. ``get_*`` returns ``None`` when the API answers 404; ``list_*`` of a missing parent
(team members, poker tasks) raises :class:`~resolvers.backends.errors.UpstreamNotFound`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar
from urllib.parse import quote

import httpx
import orjson

from resolvers.backends.base import BaseClient, QueryParams
from resolvers.backends.errors import Service, UpstreamBadResponse
from resolvers.backends.teamoclock_models import (
    ActionItem,
    ActionItemStatus,
    AsyncNote,
    Data,
    EpochDatetime,
    Estimate,
    M,
    MeetingSummary,
    MeetingType,
    Member,
    MemberAnswers,
    MemberNote,
    MemberRef,
    Page,
    PageLinks,
    PlanpokerDetail,
    PlanpokerState,
    PokerTask,
    RetroActionItem,
    RetroColumn,
    RetroDetail,
    RetroNote,
    RetroState,
    RoundupNote,
    StandupDetail,
    StandupQuestions,
    StandupState,
    Team,
    TeamRef,
    TimelineEntry,
    TimelinePlanpoker,
    TimelineRecord,
    TimelineRetro,
    TimelineRetroNote,
    TimelineStandup,
    UtcDatetime,
    Vote,
    _as_utc,
)

__all__ = [
    "ActionItem",
    "ActionItemStatus",
    "AsyncNote",
    "Data",
    "EpochDatetime",
    "Estimate",
    "MeetingSummary",
    "MeetingType",
    "Member",
    "MemberAnswers",
    "MemberNote",
    "MemberRef",
    "Page",
    "PageLinks",
    "PlanpokerDetail",
    "PlanpokerState",
    "PokerTask",
    "RetroActionItem",
    "RetroColumn",
    "RetroDetail",
    "RetroNote",
    "RetroState",
    "RoundupNote",
    "StandupDetail",
    "StandupQuestions",
    "StandupState",
    "Team",
    "TeamOclockClient",
    "TeamRef",
    "TimelineEntry",
    "TimelinePlanpoker",
    "TimelineRecord",
    "TimelineRetro",
    "TimelineRetroNote",
    "TimelineStandup",
    "UtcDatetime",
    "Vote",
]


# -- the client -------------------------------------------------------------------------------


class TeamOclockClient(BaseClient):
    """Typed reads of the Team O'clock API. See the module docstring for set-up."""

    service: ClassVar[Service] = "teamoclock"

    async def list_members(self) -> list[Member]:
        return (await self.get_model("/members", Data[list[Member]])).data

    async def get_member(self, username: str) -> Member | None:
        return _data(await self.get_optional(f"/members/{_segment(username)}", Data[Member]))

    async def list_teams(self) -> list[Team]:
        return (await self.get_model("/teams", Data[list[Team]])).data

    async def get_team(self, slug: str) -> Team | None:
        return _data(await self.get_optional(f"/teams/{_segment(slug)}", Data[Team]))

    async def list_team_members(self, slug: str) -> list[Member]:
        """Members of team `slug`; raises ``UpstreamNotFound`` if the team does not exist."""
        path = f"/teams/{_segment(slug)}/members"
        return (await self.get_model(path, Data[list[Member]])).data

    async def list_standups(self, *, team: str | None = None) -> list[MeetingSummary]:
        """Active standups (at most one per team), of every team or of team slug `team`."""
        return await self._list_meetings("/standup", team)

    async def get_standup(self, id: str) -> StandupDetail | None:
        return _data(await self.get_optional(f"/standup/{_segment(id)}", Data[StandupDetail]))

    async def list_planpokers(self, *, team: str | None = None) -> list[MeetingSummary]:
        """Active planning pokers (at most one per team)."""
        return await self._list_meetings("/planpoker", team)

    async def get_planpoker(self, id: str) -> PlanpokerDetail | None:
        path = f"/planpoker/{_segment(id)}"
        return _data(await self.get_optional(path, Data[PlanpokerDetail]))

    async def list_planpoker_tasks(self, id: str) -> list[PokerTask]:
        """Tasks of planning poker `id`; raises ``UpstreamNotFound`` if it does not exist."""
        path = f"/planpoker/{_segment(id)}/tasks"
        return (await self.get_model(path, Data[list[PokerTask]])).data

    async def get_planpoker_task(self, id: str, task_id: str) -> PokerTask | None:
        path = f"/planpoker/{_segment(id)}/tasks/{_segment(task_id)}"
        return _data(await self.get_optional(path, Data[PokerTask]))

    async def list_retros(self, *, team: str | None = None) -> list[MeetingSummary]:
        """Active retrospectives (a team may have several)."""
        return await self._list_meetings("/retro", team)

    async def get_retro(self, id: str) -> RetroDetail | None:
        return _data(await self.get_optional(f"/retro/{_segment(id)}", Data[RetroDetail]))

    async def list_action_items(
        self, *, team: str | None = None, status: ActionItemStatus | None = None
    ) -> list[ActionItem]:
        """Every action item, newest first, following the cursor pages to the end."""
        params = _filters(team=team, status=status)
        return await self._list_all("/actionitems", Page[ActionItem], params)

    async def get_action_item(self, id: str) -> ActionItem | None:
        path = f"/actionitems/{_segment(id)}"
        return _data(await self.get_optional(path, Data[ActionItem]))

    async def list_timeline(
        self, *, since: date | datetime | None = None, type: str | None = None
    ) -> list[TimelineEntry]:
        """Past meetings dated up to `since` (default: now), newest first, all pages.

        `type` is ``"standup"``, ``"planpoker"`` or ``"retro"``; the API rejects others
        (``UpstreamRejected``). A bare date covers that whole day.
        """
        params = _filters(since=_since(since), type=type)
        return await self._list_all("/timeline", Page[TimelineEntry], params)

    async def get_timeline_entry(self, id: str) -> TimelineRecord | None:
        """The full record: a :class:`TimelineStandup`, :class:`TimelineRetro` or
        :class:`TimelinePlanpoker`, following its ``type``."""
        path = f"/timeline/{_segment(id)}"
        return _data(await self.get_optional(path, Data[TimelineRecord]))

    # -- helpers ----------------------------------------------------------------------------

    def error_detail(self, response: httpx.Response) -> str | None:
        """``title: detail`` from ``{"error": {status, code, title, detail}}``."""
        error = orjson.loads(response.content)["error"]
        said = [str(error[key]) for key in ("title", "detail") if error.get(key)]
        return ": ".join(said) or None

    async def _list_meetings(self, path: str, team: str | None) -> list[MeetingSummary]:
        params = _filters(team=team)
        return (await self.get_model(path, Data[list[MeetingSummary]], params=params)).data

    async def _list_all(self, path: str, tp: type[Page[M]], params: QueryParams) -> list[M]:
        """Every item of a cursor-paginated list: follow ``links.next`` until it is gone."""
        page = await self.get_model(path, tp, params=params)
        found = list(page.data)
        seen: set[str] = set()
        while page.links.next:
            # The link carries the filters and the cursor, so it is sent as it is.
            url = self.same_service_url(page.links.next)
            if url in seen:
                raise UpstreamBadResponse(
                    self.service, f"GET {path} handed out the page {url!r} twice; stopping"
                )
            seen.add(url)
            page = await self.get_model(url, tp)
            found.extend(page.data)
        return found


def _data(envelope: Data[M] | None) -> M | None:
    return None if envelope is None else envelope.data


def _segment(value: str) -> str:
    """One path segment: ids come from callers, so `/` or `?` must not change the path."""
    return quote(value, safe="")


def _filters(**values: str | None) -> dict[str, str]:
    """`filter[name]=value` parameters for the values that are set."""
    return {f"filter[{name}]": value for name, value in values.items() if value is not None}


def _since(since: date | datetime | None) -> str | None:
    if isinstance(since, datetime):
        moment = _as_utc(since)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return since.isoformat() if since is not None else None
