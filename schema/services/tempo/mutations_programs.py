"""Tempo's writes of programs (groups of teams under a manager) and team roles."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.backends import tempo
from schema.common import CtxInfo
from schema.connections import shown_as
from schema.payloads import IdempotencyKey, Payload
from schema.services.tempo.mutations_base import ONE_WRITE, id_of, tempo_delete, tempo_write
from schema.services.tempo.teams import TempoProgram, TempoRole


@strawberry.experimental.pydantic.input(
    model=tempo.ProgramInput, all_fields=True, description="A new Tempo program."
)
class CreateTempoProgramInput:
    pass


@strawberry.experimental.pydantic.input(
    model=tempo.ProgramInput,
    all_fields=True,
    description="The whole new state of a Tempo program. PUT replaces it: a manager left out "
    "is cleared, and `teamIds` is its complete list of teams.",
)
class UpdateTempoProgramInput:
    pass


@strawberry.input(description="A new role Tempo team members can have.")
class CreateTempoRoleInput:
    name: str = strawberry.field(description='The role\'s name, e.g. "Developer".')


@strawberry.input(description="A team role's new name (all Tempo holds of a role besides its id).")
class UpdateTempoRoleInput(CreateTempoRoleInput):
    pass


ProgramId = Annotated[int, id_of("program")]
RoleId = Annotated[int, id_of("role")]


@strawberry.type
class TempoProgramMutation:
    # -- programs ---------------------------------------------------------------------------

    @strawberry.mutation(
        description="Create a Tempo program (`POST /programs`).",
        metadata=ONE_WRITE,
    )
    async def create_tempo_program(
        self,
        info: CtxInfo,
        input: Annotated[CreateTempoProgramInput, strawberry.argument(description="The program.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TempoProgram]:
        outcome = await tempo_write(
            info,
            name="createTempoProgram",
            input=input,
            key=idempotency_key,
            result_type=tempo.Program,
            call=lambda c: c.create_program(input.to_pydantic()),
        )
        return Payload.of(outcome, shown_as(TempoProgram))

    @strawberry.mutation(
        description="Replace a Tempo program (`PUT /programs/{id}`): the input is its whole new "
        "state, so a manager left out is cleared and teams left out leave it.",
        metadata=ONE_WRITE,
    )
    async def update_tempo_program(
        self,
        info: CtxInfo,
        id: ProgramId,
        input: Annotated[
            UpdateTempoProgramInput, strawberry.argument(description="Its whole new state.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TempoProgram]:
        outcome = await tempo_write(
            info,
            name="updateTempoProgram",
            path=id,
            input=input,
            key=idempotency_key,
            result_type=tempo.Program,
            call=lambda c: c.update_program(id, input.to_pydantic()),
        )
        return Payload.of(outcome, shown_as(TempoProgram))

    @strawberry.mutation(
        description="Delete a Tempo program (`DELETE /programs/{id}`); answers its id.",
        metadata=ONE_WRITE,
    )
    async def delete_tempo_program(
        self, info: CtxInfo, id: ProgramId, idempotency_key: IdempotencyKey = None
    ) -> Payload[int]:
        outcome = await tempo_delete(
            info,
            name="deleteTempoProgram",
            path=id,
            key=idempotency_key,
            call=lambda c: c.delete_program(id),
        )
        return Payload.of(outcome)

    # -- roles ------------------------------------------------------------------------------

    @strawberry.mutation(description="Create a team role (`POST /roles`).", metadata=ONE_WRITE)
    async def create_tempo_role(
        self,
        info: CtxInfo,
        input: Annotated[CreateTempoRoleInput, strawberry.argument(description="The role.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TempoRole]:
        outcome = await tempo_write(
            info,
            name="createTempoRole",
            input=input,
            key=idempotency_key,
            result_type=tempo.Role,
            call=lambda c: c.create_role(input.name),
        )
        return Payload.of(outcome, shown_as(TempoRole))

    @strawberry.mutation(description="Rename a team role (`PUT /roles/{id}`).", metadata=ONE_WRITE)
    async def update_tempo_role(
        self,
        info: CtxInfo,
        id: RoleId,
        input: Annotated[UpdateTempoRoleInput, strawberry.argument(description="Its new name.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TempoRole]:
        outcome = await tempo_write(
            info,
            name="updateTempoRole",
            path=id,
            input=input,
            key=idempotency_key,
            result_type=tempo.Role,
            call=lambda c: c.update_role(id, input.name),
        )
        return Payload.of(outcome, shown_as(TempoRole))

    @strawberry.mutation(
        description="Delete a team role (`DELETE /roles/{id}`); answers its id.",
        metadata=ONE_WRITE,
    )
    async def delete_tempo_role(
        self, info: CtxInfo, id: RoleId, idempotency_key: IdempotencyKey = None
    ) -> Payload[int]:
        outcome = await tempo_delete(
            info,
            name="deleteTempoRole",
            path=id,
            key=idempotency_key,
            call=lambda c: c.delete_role(id),
        )
        return Payload.of(outcome)
