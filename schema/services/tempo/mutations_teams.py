"""Tempo's writes of teams, team links and team memberships."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.backends import tempo
from schema.common import CtxInfo
from schema.connections import shown_as
from schema.payloads import IdempotencyKey, Payload
from schema.services.tempo.mutations_base import ONE_WRITE, id_of, tempo_delete, tempo_write
from schema.services.tempo.teams import TempoMembership, TempoTeam


@strawberry.experimental.pydantic.input(
    model=tempo.TeamInput, all_fields=True, description="A new Tempo team."
)
class CreateTempoTeamInput:
    pass


@strawberry.experimental.pydantic.input(
    model=tempo.TeamInput,
    all_fields=True,
    description="The whole new state of a Tempo team. PUT replaces it: optional fields left "
    "out (summary, lead, program) are cleared.",
)
class UpdateTempoTeamInput:
    pass


@strawberry.experimental.pydantic.input(
    model=tempo.MembershipInput,
    all_fields=True,
    description="A new membership of a user in a Tempo team, for a period that overlaps none "
    "of their other memberships in it.",
)
class CreateTempoTeamMembershipInput:
    pass


@strawberry.experimental.pydantic.input(
    model=tempo.MembershipUpdate,
    all_fields=True,
    description="The whole new role, commitment and period of a membership (its team and "
    "member stay). PUT replaces them: fields left out fall back to the default team role, "
    "a commitment of 100 and open dates.",
)
class UpdateTempoTeamMembershipInput:
    pass


TeamId = Annotated[int, id_of("team")]
MembershipId = Annotated[int, id_of("membership")]


@strawberry.type
class TempoTeamMutation:
    # -- teams ------------------------------------------------------------------------------

    @strawberry.mutation(description="Create a Tempo team (`POST /teams`).", metadata=ONE_WRITE)
    async def create_tempo_team(
        self,
        info: CtxInfo,
        input: Annotated[CreateTempoTeamInput, strawberry.argument(description="The team.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TempoTeam]:
        outcome = await tempo_write(
            info,
            name="createTempoTeam",
            input=input,
            key=idempotency_key,
            result_type=tempo.Team,
            call=lambda c: c.create_team(input.to_pydantic()),
        )
        return Payload.of(outcome, shown_as(TempoTeam))

    @strawberry.mutation(
        description="Replace a Tempo team (`PUT /teams/{id}`): the input is its whole new "
        "state, so optional fields left out are cleared.",
        metadata=ONE_WRITE,
    )
    async def update_tempo_team(
        self,
        info: CtxInfo,
        id: TeamId,
        input: Annotated[
            UpdateTempoTeamInput, strawberry.argument(description="Its whole new state.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TempoTeam]:
        outcome = await tempo_write(
            info,
            name="updateTempoTeam",
            path=id,
            input=input,
            key=idempotency_key,
            result_type=tempo.Team,
            call=lambda c: c.update_team(id, input.to_pydantic()),
        )
        return Payload.of(outcome, shown_as(TempoTeam))

    @strawberry.mutation(
        description="Delete a Tempo team (`DELETE /teams/{id}`); answers its id.",
        metadata=ONE_WRITE,
    )
    async def delete_tempo_team(
        self, info: CtxInfo, id: TeamId, idempotency_key: IdempotencyKey = None
    ) -> Payload[int]:
        outcome = await tempo_delete(
            info,
            name="deleteTempoTeam",
            path=id,
            key=idempotency_key,
            call=lambda c: c.delete_team(id),
        )
        return Payload.of(outcome)

    @strawberry.mutation(
        description="Delete a team's link to a Jira project or board (`DELETE "
        "/team-links/{id}`); answers its id.",
        metadata=ONE_WRITE,
    )
    async def delete_tempo_team_link(
        self,
        info: CtxInfo,
        id: Annotated[int, id_of("team link")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[int]:
        outcome = await tempo_delete(
            info,
            name="deleteTempoTeamLink",
            path=id,
            key=idempotency_key,
            call=lambda c: c.delete_team_link(id),
        )
        return Payload.of(outcome)

    # -- memberships ------------------------------------------------------------------------

    @strawberry.mutation(
        description="Add a user to a Tempo team for a period (`POST /team-memberships`).",
        metadata=ONE_WRITE,
    )
    async def create_tempo_team_membership(
        self,
        info: CtxInfo,
        input: Annotated[
            CreateTempoTeamMembershipInput, strawberry.argument(description="The membership.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TempoMembership]:
        outcome = await tempo_write(
            info,
            name="createTempoTeamMembership",
            input=input,
            key=idempotency_key,
            result_type=tempo.Membership,
            call=lambda c: c.create_membership(input.to_pydantic()),
        )
        return Payload.of(outcome, shown_as(TempoMembership))

    @strawberry.mutation(
        description="Replace a membership's role, commitment and period (`PUT "
        "/team-memberships/{id}`); fields left out fall back to Tempo's defaults.",
        metadata=ONE_WRITE,
    )
    async def update_tempo_team_membership(
        self,
        info: CtxInfo,
        id: MembershipId,
        input: Annotated[
            UpdateTempoTeamMembershipInput,
            strawberry.argument(description="Its whole new role, commitment and period."),
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TempoMembership]:
        outcome = await tempo_write(
            info,
            name="updateTempoTeamMembership",
            path=id,
            input=input,
            key=idempotency_key,
            result_type=tempo.Membership,
            call=lambda c: c.update_membership(id, input.to_pydantic()),
        )
        return Payload.of(outcome, shown_as(TempoMembership))

    @strawberry.mutation(
        description="Delete a membership period (`DELETE /team-memberships/{id}`); answers its id.",
        metadata=ONE_WRITE,
    )
    async def delete_tempo_team_membership(
        self, info: CtxInfo, id: MembershipId, idempotency_key: IdempotencyKey = None
    ) -> Payload[int]:
        outcome = await tempo_delete(
            info,
            name="deleteTempoTeamMembership",
            path=id,
            key=idempotency_key,
            call=lambda c: c.delete_membership(id),
        )
        return Payload.of(outcome)
