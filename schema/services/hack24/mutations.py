"""Hack24's writes, one root mutation per endpoint row: the pattern every API follows.

Each takes an input type (or plain arguments for a bare id), runs its client call through
`schema.payloads.write` (idempotency key, the API's refusals as `userErrors`, one log line),
and answers a `Payload` with the changed object, linked into the unified graph like reads.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.backends import hack24
from schema.common import CtxInfo
from schema.connections import shown_as
from schema.cost import upstream
from schema.payloads import IdempotencyKey, Payload, write
from schema.services.hack24 import Hack24Team


@strawberry.input(description="A new Hack24 team.")
class CreateHack24TeamInput:
    name: str = strawberry.field(description="Its name; Hack24 derives the team's id from it.")
    member_ids: list[str] = strawberry.field(
        default_factory=list,
        description="Users to put in it (moved out of any other team), by Hack24 id.",
    )


@strawberry.type
class Hack24Mutation:
    @strawberry.mutation(
        description="Create a Hack24 team (`POST /teams`).",
        metadata=upstream("request", identity=False),
    )
    async def create_hack24_team(
        self,
        info: CtxInfo,
        input: Annotated[CreateHack24TeamInput, strawberry.argument(description="The team.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[Hack24Team]:
        client = info.context.backends.require("hack24")
        outcome = await write(
            info,
            name="createHack24Team",
            service="hack24",
            data=input,
            key=idempotency_key,
            result_type=hack24.Team,
            call=lambda: client.create_team(input.name, member_ids=input.member_ids),
        )
        return Payload.of(outcome, shown_as(Hack24Team))
