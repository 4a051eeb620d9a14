"""oncall rosters (who rotates through a team's shifts) and schedules (the shift templates)."""

from __future__ import annotations

import strawberry

from resolvers.backends import oncall
from schema.connections import shown_as
from schema.services.oncall import teams as teams_t
from schema.services.oncall import users as users_t
from schema.services.oncall._shared import TeamRef, UserRef, doc


@strawberry.experimental.pydantic.type(
    model=oncall.RosterUser, description="A member of an oncall roster."
)
class OncallRosterMember:
    in_rotation: strawberry.auto
    roster_priority: strawberry.auto

    @strawberry.field(description="The member.")
    def user(root: oncall.RosterUser) -> UserRef:
        return users_t.OncallUser.named(root.name)


@strawberry.type(
    description="One shift of a schedule's weekly template.",
)
class OncallScheduleEvent:
    @strawberry.field(
        description=f"{doc(oncall.ScheduleEvent, 'start').removesuffix('.')}, in seconds."
    )
    def start_seconds(root: oncall.ScheduleEvent) -> int:
        return int(root.start.total_seconds())

    @strawberry.field(description="How long the shift lasts, in seconds.")
    def duration_seconds(root: oncall.ScheduleEvent) -> int:
        return int(root.duration.total_seconds())


@strawberry.experimental.pydantic.type(
    model=oncall.Schedule,
    description="A schedule: the weekly template of one role's shifts, filled in from a "
    "roster by the scheduler.",
)
class OncallSchedule:
    id: strawberry.auto
    role: strawberry.auto
    roster: strawberry.auto
    advanced_mode: strawberry.auto
    auto_populate_threshold: strawberry.auto
    role_id: strawberry.auto
    roster_id: strawberry.auto
    team_id: strawberry.auto
    timezone: strawberry.auto
    scheduler: strawberry.auto

    @strawberry.field(description="Its team.")
    def team(root: oncall.Schedule) -> TeamRef | None:
        return teams_t.OncallTeam.named(root.team) if root.team else None

    @strawberry.field(description=doc(oncall.Schedule, "events"))
    def events(root: oncall.Schedule) -> list[OncallScheduleEvent]:
        return [shown_as(OncallScheduleEvent)(e) for e in root.events]


@strawberry.experimental.pydantic.type(
    model=oncall.Roster,
    description="An oncall roster: the people a team's schedules pick from.",
)
class OncallRoster:
    name: strawberry.auto
    id: strawberry.auto

    @strawberry.field(
        description="Its members, in oncall's order (by user id). Only a single roster's "
        "answer (`teamRoster`) carries their rotation order."
    )
    def users(root: oncall.Roster) -> list[OncallRosterMember]:
        return [shown_as(OncallRosterMember)(u) for u in root.users]

    @strawberry.field(description="The schedules that draw from it, by id.")
    def schedules(root: oncall.Roster) -> list[OncallSchedule]:
        return [
            shown_as(OncallSchedule)(s) for s in sorted(root.schedules.get(), key=lambda s: s.id)
        ]
