"""`addTeamMember` and `removeTeamMember`: one person joins or leaves one team in every
service that knows both (logic in `resolvers/unified/members.py`)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.unified import members as members_u
from schema.common import CtxInfo
from schema.cost import upstream
from schema.payloads import IdempotencyKey, Payload
from schema.scalars import Service
from schema.teams import Team
from schema.unified.common import ChangeOutcome, ServiceStep, named, service_names
from schema.users import User

ATOMIC = (
    "All or nothing, as far as the APIs allow. Every service is read first, and if one "
    "fails nothing is written; the writes then run one service at a time (Tempo, oncall, "
    "Team O'clock, Hack24), and the first that fails stops them and undoes the others, "
    "newest first. Not guaranteed: isolation (someone may change the same things "
    "meanwhile), that undoing succeeds (it is not retried; a step that could not be put "
    "back is COMPENSATION_FAILED and its `left` lists what is still changed), and exact "
    "restoration where an API cannot (a Tempo membership deleted and made again gets a new "
    "id, Hack24 a new join date, an oncall roster's order is not restored)."
)
_TEAM = "The team: a `Team` id, key, any service's slug or id, or its name if only one team has it."
_USER = (
    "The person: a `User` id, key, email or username, or a display name if only one person "
    "has it (else an AMBIGUOUS user error lists the candidates)."
)
_SERVICES = (
    "Only these services; every service that knows both the person and the team when left out."
)


@strawberry.input(description="Who joins which team, where, and how.")
class AddTeamMemberInput:
    team: str = strawberry.field(description=_TEAM)
    user: str = strawberry.field(description=_USER)
    services: list[Service] | None = strawberry.field(default=None, description=_SERVICES)
    role: str | None = strawberry.field(
        default=None, description="Their Tempo role, by name (Tempo's default role when left out)."
    )
    commitment_percent: int | None = strawberry.field(
        default=None, description="Their Tempo commitment, 0 to 100 (100 when left out)."
    )
    roster: str | None = strawberry.field(
        default=None,
        description="An oncall roster of the team to put them in (which makes them a team "
        "member too); only a team member when left out.",
    )
    in_rotation: bool = strawberry.field(
        default=True, description="With `roster`: whether its schedules may pick them."
    )
    atomic: bool = strawberry.field(default=False, description=ATOMIC)


@strawberry.input(description="Who leaves which team, and where.")
class RemoveTeamMemberInput:
    team: str = strawberry.field(description=_TEAM)
    user: str = strawberry.field(description=_USER)
    services: list[Service] | None = strawberry.field(default=None, description=_SERVICES)
    atomic: bool = strawberry.field(default=False, description=ATOMIC)


@strawberry.type(description="What adding or removing a team member did, service by service.")
class TeamMemberChange:
    record: strawberry.Private[members_u.MembershipChange]

    @classmethod
    def of(cls, record: members_u.MembershipChange) -> TeamMemberChange:
        return cls(record=record)

    @strawberry.field(description="The team, as it is now.")
    def team(self) -> Team:
        return Team.of(self.record.team)

    @strawberry.field(description="The person.")
    def user(self) -> User:
        return User.of(self.record.user)

    @strawberry.field(description="How the change ended as a whole.")
    def outcome(self) -> ChangeOutcome:
        return ChangeOutcome(self.record.outcome)

    @strawberry.field(description="Whether the change was asked to be atomic.")
    def atomic(self) -> bool:
        return self.record.atomic

    @strawberry.field(
        description="Each service's part, in the order the writes ran: Tempo, oncall, "
        "Team O'clock, Hack24 (and TeamPulse when asked for)."
    )
    def steps(self) -> list[ServiceStep]:
        return [ServiceStep(record=s) for s in self.record.steps]


@strawberry.type
class MembersMutation:
    @strawberry.mutation(
        description="One person joins one team in every service that knows both (Tempo "
        "membership with role and commitment, oncall team user and, if asked, roster, Team "
        "O'clock team member, Hack24 team member), or only in `services`. Each service's "
        "step says whether it was applied, skipped (and why) or failed; a failure is also "
        "in `errors[]`. See `atomic` for what all-or-nothing guarantees.",
        metadata=upstream("request", 10),
    )
    async def add_team_member(
        self,
        info: CtxInfo,
        input: Annotated[AddTeamMemberInput, strawberry.argument(description="The change.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TeamMemberChange]:
        outcome = await members_u.change_membership(
            info.context,
            adding=True,
            team=named(input.team, "Team"),
            user=named(input.user, "User"),
            services=service_names(input.services),
            role=input.role,
            commitment_percent=input.commitment_percent,
            roster=input.roster,
            in_rotation=input.in_rotation,
            atomic=input.atomic,
            key=idempotency_key,
        )
        return Payload.of(outcome, TeamMemberChange.of)

    @strawberry.mutation(
        description="One person leaves one team in every service that knows both, or only "
        "in `services`: their Tempo membership ends yesterday (or is deleted if it began "
        "today), they leave the oncall team, its rosters and admins, the Team O'clock team "
        "and the Hack24 team. Steps, failures and `atomic` as for `addTeamMember`.",
        metadata=upstream("request", 10),
    )
    async def remove_team_member(
        self,
        info: CtxInfo,
        input: Annotated[RemoveTeamMemberInput, strawberry.argument(description="The change.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TeamMemberChange]:
        outcome = await members_u.change_membership(
            info.context,
            adding=False,
            team=named(input.team, "Team"),
            user=named(input.user, "User"),
            services=service_names(input.services),
            atomic=input.atomic,
            key=idempotency_key,
        )
        return Payload.of(outcome, TeamMemberChange.of)
