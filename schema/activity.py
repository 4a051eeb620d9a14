"""What people and teams do: `Event` (an oncall shift), `Worklog` (a Tempo worklog or a
TeamPulse time entry) and `Meeting` (a Team O'clock standup, planning poker or retro)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers import events as events_r
from resolvers import meetings as meetings_r
from resolvers import worklogs as worklogs_r
from schema import teams, users
from schema.common import CtxInfo, Node
from schema.cost import upstream
from schema.ids import encode_id
from schema.scalars import MeetingKind, Service, service_of

if TYPE_CHECKING:
    from schema.services.oncall import OncallEvent
    from schema.services.teamoclock import TeamOclockMeetingDetail
    from schema.services.teampulse import TeamPulseTimeEntry
    from schema.services.tempo import TempoWorklog
    from schema.teams import Team
    from schema.users import User

UserRef = Annotated["User", strawberry.lazy("schema.users")]
TeamRef = Annotated["Team", strawberry.lazy("schema.teams")]


@strawberry.type(description="An on-call shift (an oncall event).")
class Event(Node):
    record: strawberry.Private[events_r.ShiftRecord]

    @classmethod
    def of(cls, record: events_r.ShiftRecord) -> Event:
        return cls(id=encode_id("Event", str(record.event.id)), record=record)

    @strawberry.field(description="The on-call role: primary, secondary, shadow, manager…")
    def role(self) -> str:
        return self.record.event.role

    @strawberry.field(description="When the shift starts.")
    def start(self) -> dt.datetime:
        return self.record.event.start

    @strawberry.field(description="When the shift ends.")
    def end(self) -> dt.datetime:
        return self.record.event.end

    @strawberry.field(description="The oncall username.")
    def username(self) -> str:
        return self.record.event.user

    @strawberry.field(description="A note left on the shift.")
    def note(self) -> str | None:
        return self.record.event.note

    @strawberry.field(description="Who is on call, linked across services.")
    def user(self) -> UserRef | None:
        return users.User.of(self.record.person) if self.record.person else None

    @strawberry.field(description="Whose shift it is, linked across services.")
    def team(self) -> TeamRef | None:
        return teams.Team.of(self.record.team) if self.record.team else None

    @strawberry.field(description="This shift as oncall has it.", metadata=upstream("request", 0))
    async def oncall(
        self, info: CtxInfo
    ) -> Annotated[OncallEvent, strawberry.lazy("schema.services.oncall")] | None:
        from schema.services import oncall

        return await oncall.event_of(info, self.record)


@strawberry.type(description="Time logged: a Tempo worklog or a TeamPulse time entry.")
class Worklog(Node):
    record: strawberry.Private[worklogs_r.WorklogRecord]

    @classmethod
    def of(cls, record: worklogs_r.WorklogRecord) -> Worklog:
        return cls(id=encode_id("Worklog", f"{record.service}:{record.id}"), record=record)

    @strawberry.field(description="Where it was logged: TEMPO or TEAMPULSE.")
    def service(self) -> Service:
        return service_of(self.record.service)

    @strawberry.field(description="The day the work was done.")
    def date(self) -> dt.date:
        return self.record.date

    @strawberry.field(description="Time spent, in seconds.")
    def duration_seconds(self) -> int:
        return self.record.duration_seconds

    @strawberry.field(description="What was done (Tempo description, TeamPulse note).")
    def description(self) -> str:
        return self.record.description

    @strawberry.field(description="Jira issue key (Tempo).")
    def issue_key(self) -> str | None:
        return self.record.issue_key

    @strawberry.field(description="Billable seconds (Tempo).")
    def billable_seconds(self) -> int | None:
        return self.record.billable_seconds

    @strawberry.field(description="Task name (TeamPulse).")
    def task(self) -> str | None:
        return self.record.task

    @strawberry.field(description="Project name (TeamPulse).")
    def project(self) -> str | None:
        return self.record.project

    @strawberry.field(description="The author's id in that service.")
    def author_id(self) -> str:
        return self.record.author_id

    @strawberry.field(description="The author, linked across services.")
    def user(self) -> UserRef | None:
        return users.User.of(self.record.person) if self.record.person else None

    @strawberry.field(
        description="This worklog as Tempo has it (null for TeamPulse time entries).",
        metadata=upstream("request", 0),
    )
    async def tempo(
        self, info: CtxInfo
    ) -> Annotated[TempoWorklog, strawberry.lazy("schema.services.tempo")] | None:
        from schema.services import tempo

        return await tempo.worklog_of(info, self.record)

    @strawberry.field(
        description="This time entry as TeamPulse has it (null for Tempo worklogs).",
        metadata=upstream("request", 0),
    )
    async def teampulse(
        self, info: CtxInfo
    ) -> Annotated[TeamPulseTimeEntry, strawberry.lazy("schema.services.teampulse")] | None:
        from schema.services import teampulse

        return await teampulse.worklog_of(info, self.record)


@strawberry.type(description="A Team O'clock standup, planning poker or retrospective.")
class Meeting(Node):
    record: strawberry.Private[meetings_r.MeetingRecord]

    @classmethod
    def of(cls, record: meetings_r.MeetingRecord) -> Meeting:
        return cls(id=encode_id("Meeting", f"{record.kind}:{record.id}"), record=record)

    @strawberry.field(description="Standup, planning poker or retrospective.")
    def kind(self) -> MeetingKind:
        return MeetingKind(self.record.kind)

    @strawberry.field(description="The meeting's name.")
    def name(self) -> str:
        return self.record.name

    @strawberry.field(description="When it started.")
    def date(self) -> dt.datetime:
        return self.record.date

    @strawberry.field(description="Web UI link.")
    def url(self) -> str | None:
        return self.record.url

    @strawberry.field(description="The team holding it, linked across services.")
    def team(self) -> TeamRef | None:
        return teams.Team.of(self.record.team) if self.record.team else None

    @strawberry.field(
        description="Its Team O'clock detail: standup notes, poker tasks and votes, retro "
        "columns and notes.",
        metadata=upstream("parent"),
    )
    async def teamoclock(
        self, info: CtxInfo
    ) -> Annotated[TeamOclockMeetingDetail, strawberry.lazy("schema.services.teamoclock")] | None:
        from schema.services import teamoclock

        return await teamoclock.meeting_of(info, self.record)
