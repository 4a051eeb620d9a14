"""oncall's writes to services: which team is on call for one, and the service itself.

Adding a service to a team or taking it off answers the team, read back with
`GET /teams/{team}` (its `services` show the change; oncall answers with an empty body).
Renaming a service answers it read back under its new name; deleting one answers its name.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.services import oncall as oncall_r
from schema.common import CtxInfo
from schema.payloads import IdempotencyKey, Payload, write
from schema.services.oncall import ServiceName, TeamName
from schema.services.oncall.catalog import OncallService
from schema.services.oncall.mutations_base import WRITE, client, deleted, fields_of, read_back, sent
from schema.services.oncall.mutations_teams import READ_TEAM, no_team, read_team
from schema.services.oncall.teams import OncallTeam


@strawberry.input(description="Which service an oncall team is to be on call for.")
class AddOncallTeamServiceInput:
    service: str = strawberry.field(
        description="The service's name; it must exist and belong to no other team."
    )


@strawberry.input(description="What to change about an oncall service.")
class UpdateOncallServiceInput:
    name: str = strawberry.field(description="The service's new name.")


async def _service(info: CtxInfo, name: str) -> OncallService | None:
    found = await oncall_r.get_service(info.context, name)
    return OncallService.named(found.name) if found else None


@strawberry.type(description="oncall's writes to services.")
class OncallServiceMutation:
    # -- services ----------------------------------------------------------------------------

    @strawberry.mutation(
        description="Put an oncall team on call for an existing service "
        f"(`POST /teams/{{team}}/services`).{READ_TEAM}",
        metadata=WRITE,
    )
    async def add_oncall_team_service(
        self,
        info: CtxInfo,
        team: TeamName,
        input: Annotated[
            AddOncallTeamServiceInput, strawberry.argument(description="The service.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[OncallTeam]:
        async def call() -> str:
            await client(info).add_team_service(team, input.service)
            return team

        outcome = await write(
            info, name="addOncallTeamService", service="oncall",
            data=sent(team=team, input=input), key=idempotency_key, result_type=str, call=call,
        )  # fmt: skip
        return await read_back(
            info, outcome, lambda n: read_team(info, n), no_team, fields_of(input, name="service")
        )

    @strawberry.mutation(
        description="Take a service off an oncall team "
        f"(`DELETE /teams/{{team}}/services/{{service}}`).{READ_TEAM}",
        metadata=WRITE,
    )
    async def remove_oncall_team_service(
        self,
        info: CtxInfo,
        team: TeamName,
        service: ServiceName,
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[OncallTeam]:
        async def call() -> str:
            await client(info).delete_team_service(team, service)
            return team

        outcome = await write(
            info, name="removeOncallTeamService", service="oncall",
            data=sent(team=team, service=service), key=idempotency_key, result_type=str,
            call=call,
        )  # fmt: skip
        return await read_back(info, outcome, lambda n: read_team(info, n), no_team)

    @strawberry.mutation(
        description="Rename an oncall service (`PUT /services/{service}`; an admin-only "
        "endpoint, open when oncall runs in auth-debug mode). Answers the service read back "
        "under its new name (`GET /services/{name}`); oncall answers 200 for an unknown "
        "service and changes nothing: that comes back as a NOT_FOUND user error.",
        metadata=WRITE,
    )
    async def update_oncall_service(
        self,
        info: CtxInfo,
        service: ServiceName,
        input: Annotated[UpdateOncallServiceInput, strawberry.argument(description="The changes.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[OncallService]:
        async def call() -> str:
            await client(info).update_service(service, new_name=input.name)
            return input.name

        outcome = await write(
            info, name="updateOncallService", service="oncall",
            data=sent(service=service, input=input), key=idempotency_key, result_type=str,
            call=call,
        )  # fmt: skip
        return await read_back(
            info, outcome, lambda n: _service(info, n),
            lambda _: f"no service named {service!r}, so nothing changed", fields_of(input),
        )  # fmt: skip

    @strawberry.mutation(
        description="Delete an oncall service and its team mapping (`DELETE /services/{service}`; "
        "admin-only like the other service writes). Answers the deleted service's name.",
        metadata=WRITE,
    )
    async def delete_oncall_service(
        self, info: CtxInfo, service: ServiceName, idempotency_key: IdempotencyKey = None
    ) -> Payload[str]:
        async def call() -> str:
            await client(info).delete_service(service)
            return service

        outcome = await write(
            info, name="deleteOncallService", service="oncall", data=sent(service=service),
            key=idempotency_key, result_type=str, call=call,
        )  # fmt: skip
        return deleted(info, outcome)
