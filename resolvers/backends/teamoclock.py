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

from datetime import UTC, date, datetime
from typing import Annotated, ClassVar, Generic, Literal, TypeVar
from urllib.parse import quote

import httpx
import orjson
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from resolvers.backends.base import BaseClient, QueryParams
from resolvers.backends.errors import Service, UpstreamBadResponse

M = TypeVar("M")

MeetingType = Literal["standup", "planpoker", "retro"]
ActionItemStatus = Literal["open", "resolved"]


def _as_utc(moment: datetime) -> datetime:
    # The docs promise UTC with a `Z`; a timestamp without an offset is read as UTC too.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _from_epoch(value: object) -> object:
    # `q_ts` is a bare number; the docs' 3435232523 looks like seconds, but a value too
    # large for seconds (after the year 5000) can only be milliseconds.
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError) as exc:  # so pydantic reports it as a bad payload
            raise ValueError(f"{value} is not a timestamp") from exc
    return value


def _estimate(value: object) -> object:
    # Votes are numbers in planning poker but strings ("8") on the timeline, and poker
    # decks also hold cards such as "?" or "coffee" that have no numeric value.
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return value


UtcDatetime = Annotated[datetime, AfterValidator(_as_utc)]
EpochDatetime = Annotated[datetime, BeforeValidator(_from_epoch), AfterValidator(_as_utc)]
Estimate = Annotated[float | None, BeforeValidator(_estimate)]


class _Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)


class _JiraLinked(_Model):
    """A payload whose ``links.jira`` is lifted to ``jira`` (``None`` when absent)."""

    jira: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _lift_jira(cls, data: object) -> object:
        if isinstance(data, dict) and isinstance(data.get("links"), dict):
            return {**data, "jira": data["links"].get("jira")}
        return data


# -- people and teams -------------------------------------------------------------------------


class Member(_Model):
    """A person in the organisation; ``username`` is the key, ``email`` links to others."""

    username: str
    first_name: str = ""
    last_name: str = ""
    avatar: str | None = None
    email: str | None = None
    role: Literal["administrator", "manager", "member"] = "member"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Team(_Model):
    name: str
    slug: str
    video_url: str | None = None
    mood_enabled: bool = False


class TeamRef(_Model):
    """A team as meetings, action items and timeline records embed it."""

    name: str
    slug: str


class MemberRef(_Model):
    username: str


# -- active meetings --------------------------------------------------------------------------


class MeetingSummary(_Model):
    """An active meeting as listed. Standup and planpoker ids are the team slug."""

    id: str
    name: str
    date: UtcDatetime
    url: str  # the meeting in the web UI
    team: TeamRef


class StandupQuestions(_Model):
    q1: str = ""
    q2: str = ""
    q3: str = ""


class RoundupNote(_Model):
    id: int
    text: str


class MemberAnswers(StandupQuestions):
    answered_at: EpochDatetime | None = Field(default=None, alias="q_ts")


class MemberNote(_Model):
    username: str
    questions: MemberAnswers


class StandupState(_Model):
    questions: StandupQuestions = StandupQuestions()
    roundup_notes: list[RoundupNote] = []
    member_notes: list[MemberNote] = []


class StandupDetail(MeetingSummary):
    state: StandupState


class Vote(_Model):
    username: str
    vote: Estimate = None  # None for a card with no number ("?")


class PokerTask(_JiraLinked):
    id: str
    status: Literal["active", "completed"]
    text: str
    avg_vote: Estimate = None  # None until someone votes
    voters: list[Vote] = []


class PlanpokerState(_Model):
    value_mapping: dict[str, object] = {}
    facilitator: MemberRef | None = None
    tasks: list[PokerTask] = []


class PlanpokerDetail(MeetingSummary):
    state: PlanpokerState


class RetroColumn(_Model):
    id: str
    name: str
    description: str = ""


class RetroNote(_Model):
    id: str
    text: str
    column: str
    votes: int = 0
    author: str | None = None  # a username; absent when notes are anonymous
    group: str = ""


class RetroActionItem(_Model):
    id: str
    text: str


class RetroState(_Model):
    stage: Literal["gather", "groom", "vote", "discuss", "complete"]
    max_votes: int | None = None
    public_voting: bool = False
    anonymous_notes: bool = False
    hide_im_actionitems: bool = False
    facilitator: MemberRef | None = None
    columns: list[RetroColumn] = []
    notes: list[RetroNote] = []
    action_items: list[RetroActionItem] = []


class RetroDetail(MeetingSummary):
    state: RetroState


# -- action items and the timeline ------------------------------------------------------------


class ActionItem(_JiraLinked):
    """An action item; inside a timeline retro it carries no ``team``."""

    id: str
    text: str
    resolved: bool
    team: TeamRef | None = None


class TimelineEntry(_Model):
    """One past meeting as ``GET /timeline`` lists it; ids carry an S/P/R type prefix."""

    id: str
    type: MeetingType
    date: UtcDatetime
    team: TeamRef


class AsyncNote(_Model):
    username: str
    text: str
    question: str  # "q1", "q2" or "q3"


class TimelineStandup(TimelineEntry):
    type: Literal["standup"]
    is_async: bool = Field(default=False, alias="async")
    origin: Literal["window", "slack", "msteams"] | None = None
    questions: StandupQuestions = StandupQuestions()
    sync_notes: list[str] = []
    async_notes: list[AsyncNote] = []


class TimelineRetroNote(_Model):
    text: str
    votes: int = 0
    column: str


class TimelineRetro(TimelineEntry):
    type: Literal["retro"]
    name: str = ""
    columns: list[RetroColumn] = []
    notes: list[TimelineRetroNote] = []
    action_items: list[ActionItem] = []


class TimelinePlanpoker(TimelineEntry, _JiraLinked):
    """One estimated task of a past planning poker."""

    type: Literal["planpoker"]
    task: str
    avg_vote: Estimate = None
    votes: list[Vote] = []


TimelineRecord = Annotated[
    TimelineStandup | TimelineRetro | TimelinePlanpoker, Field(discriminator="type")
]


# -- envelopes --------------------------------------------------------------------------------


class Data(_Model, Generic[M]):
    """``{"data": ...}``: every payload, single or list."""

    data: M


class PageLinks(_Model):
    next: str | None = None


class Page(_Model, Generic[M]):
    """A page of ``/actionitems`` or ``/timeline``; the last one has no ``links.next``."""

    data: list[M]
    links: PageLinks = PageLinks()


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
