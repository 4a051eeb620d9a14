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
    """Link to the Jira issue, when there is one."""

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
    """The member's username: their key in Team O'clock, unique in the organisation."""
    first_name: str = ""
    """First name."""
    last_name: str = ""
    """Last name."""
    avatar: str | None = None
    """Avatar image (a file name or URL)."""
    email: str | None = None
    """Email address."""
    role: MemberRole = "member"
    """Organisation role: administrator, manager or member (the default)."""

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Team(_Model):
    name: str
    """The team's name."""
    slug: str
    """The team's slug: its key in Team O'clock, unique in the organisation."""
    video_url: str | None = None
    """The team's video call link."""
    mood_enabled: bool = False
    """Whether mood tracking is on for the team."""


class TeamRef(_Model):
    """A team as meetings, action items and timeline records embed it."""

    name: str
    """The team's name."""
    slug: str
    """The team's slug."""


class MemberRef(_Model):
    username: str
    """The member's username."""


# -- active meetings --------------------------------------------------------------------------


class MeetingSummary(_Model):
    """An active meeting as listed. Standup and planpoker ids are the team slug."""

    id: str
    """The meeting's id: the team slug for standups and planning pokers, random for
    retrospectives."""
    name: str
    """The meeting's name, e.g. "Acme standup"."""
    date: UtcDatetime
    """When the meeting started."""
    url: str
    """The meeting in Team O'clock's web app."""
    team: TeamRef
    """The team holding it."""


class ActiveMeeting(_Model):
    """The answer to creating a standup or planning poker: the team's active meeting, and
    whether this call created it (201) or it was already running (200)."""

    meeting: MeetingSummary
    created: bool


class StandupQuestions(_Model):
    q1: str = ""
    """The first question, e.g. "What did you do yesterday"."""
    q2: str = ""
    """The second question, e.g. "What will you do today"."""
    q3: str = ""
    """The third question, e.g. "Do you have any impediments"."""


class RoundupNote(_Model):
    id: int
    """The note's id."""
    text: str
    """What the note says."""


class MemberAnswers(StandupQuestions):
    q1: str = ""
    """The answer to the first question."""
    q2: str = ""
    """The answer to the second question."""
    q3: str = ""
    """The answer to the third question."""
    answered_at: EpochDatetime | None = Field(default=None, alias="q_ts")
    """When the member answered."""


class MemberNote(_Model):
    username: str
    """Who answered (a username)."""
    questions: MemberAnswers
    """Their answers."""


class StandupState(_Model):
    questions: StandupQuestions = StandupQuestions()
    """The standup's questions."""
    roundup_notes: list[RoundupNote] = []
    """Notes taken for the whole team."""
    member_notes: list[MemberNote] = []
    """Each member's answers to the questions."""


class StandupDetail(MeetingSummary):
    state: StandupState
    """What the standup holds: questions and notes."""


class Vote(_Model):
    username: str
    """Who voted (a username)."""
    vote: Estimate = None
    """The estimate voted; null for a card without a number ("?")."""


class PokerTask(_JiraLinked):
    id: str
    """The task's id within its planning poker."""
    status: Literal["active", "completed"]
    """Whether it is being estimated (active) or has been (completed)."""
    text: str
    """The story to estimate."""
    avg_vote: Estimate = None
    """The average of the numeric votes; null until someone votes."""
    voters: list[Vote] = []
    """The votes cast, one per voter."""


class PlanpokerState(_Model):
    value_mapping: dict[str, object] = {}
    """The deck's card values (untyped)."""
    facilitator: MemberRef | None = None
    """Who runs the session."""
    tasks: list[PokerTask] = []
    """The stories to estimate, with their votes."""


class PlanpokerDetail(MeetingSummary):
    state: PlanpokerState
    """What the planning poker holds: facilitator and tasks."""


class RetroColumn(_Model):
    id: str
    """The column's id, which notes refer to."""
    name: str
    """The column's title, e.g. "Went well"."""
    description: str = ""
    """What goes in the column, e.g. "What went well"."""


class RetroNote(_Model):
    id: str
    """The note's id."""
    text: str
    """What the note says."""
    column: str
    """The id of the column it is in."""
    votes: int = 0
    """Votes the note received."""
    author: str | None = None
    """Who wrote it (a username); absent when notes are anonymous."""
    group: str = ""
    """The group the note was put in while grooming (empty when none)."""


class RetroActionItem(_Model):
    id: str
    """The action item's id."""
    text: str
    """What is to be done."""


class RetroState(_Model):
    stage: Literal["gather", "groom", "vote", "discuss", "complete"]
    """Where the retrospective is: gather, groom, vote, discuss or complete."""
    max_votes: int | None = None
    """How many votes each participant may cast."""
    public_voting: bool = False
    """Whether everyone sees who voted for what."""
    anonymous_notes: bool = False
    """Whether notes hide their authors."""
    hide_im_actionitems: bool = False
    """Whether action items are hidden while the meeting runs."""
    facilitator: MemberRef | None = None
    """Who runs the session."""
    columns: list[RetroColumn] = []
    """The board's columns."""
    notes: list[RetroNote] = []
    """The notes on the board."""
    action_items: list[RetroActionItem] = []
    """Action items agreed in this retrospective."""


class RetroDetail(MeetingSummary):
    state: RetroState
    """What the retrospective holds: stage, board and action items."""


# -- action items and the timeline ------------------------------------------------------------


class ActionItem(_JiraLinked):
    """An action item; inside a timeline retro it carries no ``team``."""

    id: str
    """The action item's id, e.g. "A242"."""
    text: str
    """What is to be done."""
    resolved: bool
    """Whether it is done."""
    team: TeamRef | None = None
    """The team it belongs to (absent inside a past retrospective)."""


class TimelineEntry(_Model):
    """One past meeting as ``GET /timeline`` lists it; ids carry an S/P/R type prefix."""

    id: str
    """The record's id; S, P or R and a number, e.g. "R23"."""
    type: MeetingType
    """What kind of meeting it was (standup, planpoker or retro)."""
    date: UtcDatetime
    """When it took place."""
    team: TeamRef
    """The team that held it."""


class AsyncNote(_Model):
    username: str
    """Who wrote it (a username)."""
    text: str
    """What the note says."""
    question: str
    """The question it answers: q1, q2 or q3."""


class TimelineStandup(TimelineEntry):
    type: Literal["standup"]
    is_async: bool = Field(default=False, alias="async")
    """Whether it was held asynchronously."""
    origin: Literal["window", "slack", "msteams"] | None = None
    """Where it was held: window (the web app), slack or msteams."""
    questions: StandupQuestions = StandupQuestions()
    """The standup's questions."""
    sync_notes: list[str] = []
    """Notes taken during a live standup."""
    async_notes: list[AsyncNote] = []
    """Notes members wrote, each answering a question."""


class TimelineRetroNote(_Model):
    text: str
    """What the note says."""
    votes: int = 0
    """Votes the note received."""
    column: str
    """The id of the column it was in."""


class TimelineRetro(TimelineEntry):
    type: Literal["retro"]
    name: str = ""
    """The retrospective's name."""
    columns: list[RetroColumn] = []
    """The board's columns."""
    notes: list[TimelineRetroNote] = []
    """The notes on the board."""
    action_items: list[ActionItem] = []
    """Action items agreed in it."""


class TimelinePlanpoker(TimelineEntry, _JiraLinked):
    """One estimated task of a past planning poker."""

    type: Literal["planpoker"]
    task: str
    """The story estimated."""
    avg_vote: Estimate = None
    """The average vote; null when no vote had a number."""
    votes: list[Vote] = []
    """The votes cast."""


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
