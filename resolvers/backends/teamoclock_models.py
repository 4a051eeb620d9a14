"""Team O'clock v2 payload models: people, teams, meetings, action items, timeline, envelopes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

M = TypeVar("M")

MeetingType = Literal["standup", "planpoker", "retro"]
ActionItemStatus = Literal["open", "resolved"]
MemberRole = Literal["administrator", "manager", "member"]


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
    # Attribute docstrings become field descriptions, here and in the GraphQL types
    # derived from these models (schema/services).
    model_config = ConfigDict(
        populate_by_name=True, extra="ignore", frozen=True, use_attribute_docstrings=True
    )


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
    role: MemberRole = "member"

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


class ActiveMeeting(_Model):
    """The answer to creating a standup or planning poker: the team's active meeting, and
    whether this call created it (201) or it was already running (200)."""

    meeting: MeetingSummary
    created: bool


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
