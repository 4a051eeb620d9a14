"""Team O'clock REST API v2: members, teams, meetings, action items and the timeline.

Build it over an ``httpx.AsyncClient`` whose ``base_url`` is the API root (for example
``https://www.teamoclock.com/api/v2``) and whose auth is HTTP Basic with the organisation slug
and the secret API key::

    client = TeamOclockClient(http)
    members = await client.list_members()
    items = await client.list_action_items(team="platform", status="open")
    standup = await client.create_standup("platform")  # .created: False if one was running

People are keyed by ``username`` and teams by ``slug``; meetings name people by username
only. ``get_*`` returns ``None`` when the API answers 404; ``list_*`` of a missing parent
(team members, poker tasks) and writes to a missing resource raise
:class:`~resolvers.backends.errors.UpstreamNotFound`; a body the API refuses raises
:class:`~resolvers.backends.errors.UpstreamRejected`. ``delete_*`` returns ``None`` (204).

Action items and the timeline are paged by the API, 100 items a page (there is no page-size
parameter): ``list_*`` follows every page, ``*_page`` fetches one and returns the cursor of
the next (read from ``links.next``, and sent back with the same filters).

Members and teams are in :mod:`~resolvers.backends.teamoclock_org`, meetings in
:mod:`~resolvers.backends.teamoclock_meetings`; :class:`TeamOclockClient` has them all.
"""

from __future__ import annotations

from datetime import date, datetime

import httpx

from resolvers.backends.base import Slice
from resolvers.backends.errors import UpstreamBadResponse
from resolvers.backends.teamoclock_base import data_of, filters, given, segment
from resolvers.backends.teamoclock_meetings import MeetingMethods
from resolvers.backends.teamoclock_models import (
    ActionItem,
    ActionItemStatus,
    ActiveMeeting,
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
    MemberRole,
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
from resolvers.backends.teamoclock_org import OrgMethods

__all__ = [
    "ActionItem",
    "ActionItemStatus",
    "ActiveMeeting",
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
    "MemberRole",
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


class TeamOclockClient(OrgMethods, MeetingMethods):
    """Typed reads and writes of the Team O'clock API. See the module docstring for set-up."""

    # -- action items -------------------------------------------------------------------------

    async def list_action_items(
        self, *, team: str | None = None, status: ActionItemStatus | None = None
    ) -> list[ActionItem]:
        """Every action item, newest first, following the cursor pages to the end."""
        params = filters(team=team, status=status)
        return await self._list_all("/actionitems", Page[ActionItem], params)

    async def list_action_items_page(
        self, *, team: str | None = None, status: ActionItemStatus | None = None,
        after: str | None = None,
    ) -> Slice[ActionItem]:  # fmt: skip
        """One page (100 items) from cursor `after` (the first page without it)."""
        params = filters(team=team, status=status)
        return await self._page("/actionitems", Page[ActionItem], params, after)

    async def get_action_item(self, id: str) -> ActionItem | None:
        path = f"/actionitems/{segment(id)}"
        return data_of(await self.get_optional(path, Data[ActionItem]))

    async def create_action_item(
        self, team: str, text: str, *, resolved: bool = False
    ) -> ActionItem:
        """A new action item of team slug `team` (``UpstreamNotFound`` if there is none)."""
        body = {"text": text, "resolved": resolved, "team": {"slug": team}}
        return await self._write("POST", "/actionitems", Data[ActionItem], body, expect=201)

    async def update_action_item(
        self, id: str, *, text: str | None = None, resolved: bool | None = None
    ) -> ActionItem:
        """Change its text or resolve (or reopen) it; the fields not given stay."""
        body = given(text=text, resolved=resolved)
        return await self._write("PATCH", f"/actionitems/{segment(id)}", Data[ActionItem], body)

    async def delete_action_item(self, id: str) -> None:
        await self._delete(f"/actionitems/{segment(id)}")

    # -- the timeline -------------------------------------------------------------------------

    async def list_timeline(
        self, *, since: date | datetime | None = None, type: str | None = None
    ) -> list[TimelineEntry]:
        """Past meetings dated up to `since` (default: now), newest first, all pages.

        `type` is ``"standup"``, ``"planpoker"`` or ``"retro"``; the API rejects others
        (``UpstreamRejected``). A bare date covers that whole day.
        """
        params = filters(since=_since(since), type=type)
        return await self._list_all("/timeline", Page[TimelineEntry], params)

    async def list_timeline_page(
        self, *, since: date | datetime | None = None, type: str | None = None,
        after: str | None = None,
    ) -> Slice[TimelineEntry]:  # fmt: skip
        """One page (100 records) of :meth:`list_timeline` from cursor `after`."""
        params = filters(since=_since(since), type=type)
        return await self._page("/timeline", Page[TimelineEntry], params, after)

    async def get_timeline_entry(self, id: str) -> TimelineRecord | None:
        """The full record: a :class:`TimelineStandup`, :class:`TimelineRetro` or
        :class:`TimelinePlanpoker`, following its ``type``."""
        path = f"/timeline/{segment(id)}"
        return data_of(await self.get_optional(path, Data[TimelineRecord]))

    async def delete_timeline_entry(self, id: str) -> None:
        await self._delete(f"/timeline/{segment(id)}")

    # -- paging -------------------------------------------------------------------------------

    async def _page(
        self, path: str, tp: type[Page[M]], params: dict[str, str], after: str | None
    ) -> Slice[M]:
        query = params if after is None else {**params, "cursor": after}
        page = await self.get_model(path, tp, params=query)
        return Slice(list(page.data), next=self._cursor(path, page.links.next))

    def _cursor(self, path: str, link: str | None) -> str | None:
        """The ``cursor`` in a page's ``links.next`` (None on the last page)."""
        if link is None:
            return None
        cursor: str | None = httpx.URL(self.same_service_url(link)).params.get("cursor")
        if not cursor:
            raise UpstreamBadResponse(
                self.service, f"GET {path} answered a `links.next` without a cursor: {link!r}"
            )
        return cursor

    async def _list_all(self, path: str, tp: type[Page[M]], params: dict[str, str]) -> list[M]:
        """Every item of a cursor-paginated list: follow the cursors until there is none."""
        found: list[M] = []
        seen: set[str] = set()
        after: str | None = None
        while True:
            page = await self._page(path, tp, params, after)
            found.extend(page.items)
            if page.next is None:
                return found
            if page.next in seen:
                raise UpstreamBadResponse(
                    self.service, f"GET {path} handed out the cursor {page.next!r} twice; stopping"
                )
            seen.add(after := page.next)


def _since(since: date | datetime | None) -> str | None:
    if isinstance(since, datetime):
        moment = _as_utc(since)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return since.isoformat() if since is not None else None
