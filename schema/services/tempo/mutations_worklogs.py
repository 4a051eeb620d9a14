"""Tempo's writes of worklogs. A work attribute's value goes in as JSON text, as
`TempoWorkAttributeValue.value` reads it, so a worklog read can be written back unchanged."""

from __future__ import annotations

from typing import Annotated

import orjson
import strawberry

from resolvers.backends import tempo
from resolvers.backends.errors import BadRequest
from schema.common import CtxInfo
from schema.connections import shown_as
from schema.payloads import IdempotencyKey, Payload
from schema.services.tempo.mutations_base import ONE_WRITE, id_of, tempo_delete, tempo_write
from schema.services.tempo.worklogs import TempoWorklog


@strawberry.input(description="A worklog's value of one work attribute.")
class TempoWorkAttributeValueInput:
    key: str = strawberry.field(
        description='The work attribute\'s key, e.g. "_COLOR_" (see `tempo.workAttributes`).'
    )
    value: str = strawberry.field(
        description='The value as JSON text (`"\\"red\\""`, `true`, `12.5`…), as '
        "`TempoWorkAttributeValue.value` reads it: its JSON type follows the attribute's type."
    )

    def to_pydantic(self) -> tempo.WorkAttributeValue:
        """The client's value (strawberry's conversion calls this for each list item)."""
        try:
            value = orjson.loads(self.value)
        except orjson.JSONDecodeError:
            raise BadRequest(
                f"the value of work attribute {self.key!r} is not JSON text: write a string "
                'with its quotes ("\\"red\\""), or true, false, a number'
            ) from None
        return tempo.WorkAttributeValue(key=self.key, value=value)


@strawberry.experimental.pydantic.input(
    model=tempo.WorklogInput, all_fields=True, description="A new Tempo worklog."
)
class CreateTempoWorklogInput:
    attributes: list[TempoWorkAttributeValueInput]


@strawberry.experimental.pydantic.input(
    model=tempo.WorklogInput,
    all_fields=True,
    description="The whole new state of a Tempo worklog. PUT replaces it: optional fields "
    "left out are cleared, and attributes left out are removed.",
)
class UpdateTempoWorklogInput:
    attributes: list[TempoWorkAttributeValueInput]


WorklogId = Annotated[int, id_of("worklog")]


@strawberry.type
class TempoWorklogMutation:
    @strawberry.mutation(
        description="Log time on a Jira issue in Tempo (`POST /worklogs`).", metadata=ONE_WRITE
    )
    async def create_tempo_worklog(
        self,
        info: CtxInfo,
        input: Annotated[CreateTempoWorklogInput, strawberry.argument(description="The worklog.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TempoWorklog]:
        outcome = await tempo_write(
            info,
            name="createTempoWorklog",
            input=input,
            key=idempotency_key,
            result_type=tempo.Worklog,
            call=lambda c: c.create_worklog(input.to_pydantic()),
        )
        return Payload.of(outcome, shown_as(TempoWorklog))

    @strawberry.mutation(
        description="Replace a Tempo worklog (`PUT /worklogs/{worklogId}`): the input is its "
        "whole new state, so optional fields and attributes left out are cleared.",
        metadata=ONE_WRITE,
    )
    async def update_tempo_worklog(
        self,
        info: CtxInfo,
        id: WorklogId,
        input: Annotated[
            UpdateTempoWorklogInput, strawberry.argument(description="Its whole new state.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TempoWorklog]:
        outcome = await tempo_write(
            info,
            name="updateTempoWorklog",
            path=id,
            input=input,
            key=idempotency_key,
            result_type=tempo.Worklog,
            call=lambda c: c.update_worklog(id, input.to_pydantic()),
        )
        return Payload.of(outcome, shown_as(TempoWorklog))

    @strawberry.mutation(
        description="Delete a Tempo worklog (`DELETE /worklogs/{worklogId}`); answers its id.",
        metadata=ONE_WRITE,
    )
    async def delete_tempo_worklog(
        self, info: CtxInfo, id: WorklogId, idempotency_key: IdempotencyKey = None
    ) -> Payload[int]:
        outcome = await tempo_delete(
            info,
            name="deleteTempoWorklog",
            path=id,
            key=idempotency_key,
            call=lambda c: c.delete_worklog(id),
        )
        return Payload.of(outcome)
