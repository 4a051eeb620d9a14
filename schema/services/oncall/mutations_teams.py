"""oncall's writes to teams: the team itself, its admins and its members.

A change to a team or a part of it answers the team, read back with `GET /teams/{team}` (the
loader `OncallTeam`'s fields use), so its `admins` and `users` show the change. Deleting a
team answers its name.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import unquote

import strawberry

from resolvers.backends import oncall
from resolvers.services import oncall as oncall_r
from schema.common import CtxInfo
from schema.payloads import IdempotencyKey, Payload, write
from schema.services.oncall import TeamName, UserName
from schema.services.oncall._shared import doc
from schema.services.oncall.mutations_base import (
    WRITE,
    client,
    deleted,
    fields_of,
    read_back,
    sent,
    unchanged,
)
from schema.services.oncall.teams import OncallTeam

Detail = oncall.TeamDetail


@strawberry.input(description="A new oncall team (`POST /teams`).")
class CreateOncallTeamInput:
    name: str = strawberry.field(
        description="The team's name: its key in every oncall path. Unique among active "
        "teams, without `/`; oncall trims surrounding spaces."
    )
    scheduling_timezone: str = strawberry.field(
        description=f"{doc(Detail, 'scheduling_timezone').removesuffix('.')}: one the "
        "server supports, such as `US/Pacific` or `UTC`."
    )
    admin: str = strawberry.field(
        description="The username of an existing oncall user who becomes the team's first "
        "admin and member. Required: the gateway writes to oncall as an application (HMAC), "
        'and oncall 2.1.7 refuses an application\'s new team without one ("invalid admin").'
    )
    email: str | None = strawberry.field(default=None, description=doc(Detail, "email"))
    slack_channel: str | None = strawberry.field(
        default=None, description=doc(Detail, "slack_channel")
    )
    slack_channel_notifications: str | None = strawberry.field(
        default=None,
        description=f"{doc(Detail, 'slack_channel_notifications').removesuffix('.')}, "
        "starting with `#`.",
    )
    description: str | None = strawberry.field(default=None, description=doc(Detail, "description"))
    iris_plan: str | None = strawberry.field(default=None, description=doc(Detail, "iris_plan"))
    iris_enabled: bool | None = strawberry.field(
        default=None, description=doc(Detail, "iris_enabled")
    )
    override_phone_number: str | None = strawberry.field(
        default=None, description=doc(Detail, "override_phone_number")
    )


@strawberry.input(
    description="What to change about an oncall team (`PUT /teams/{team}`): at least one field."
)
class UpdateOncallTeamInput:
    name: str | None = strawberry.field(
        default=None, description=unchanged("A new name for the team, without `/`")
    )
    scheduling_timezone: str | None = strawberry.field(
        default=None,
        description=unchanged(f"{doc(Detail, 'scheduling_timezone').removesuffix('.')}, one the "
                           "server supports"),
    )  # fmt: skip
    email: str | None = strawberry.field(default=None, description=unchanged(doc(Detail, "email")))
    slack_channel: str | None = strawberry.field(
        default=None, description=unchanged(doc(Detail, "slack_channel"))
    )
    slack_channel_notifications: str | None = strawberry.field(
        default=None, description=unchanged(doc(Detail, "slack_channel_notifications"))
    )
    description: str | None = strawberry.field(
        default=None, description=unchanged(doc(Detail, "description"))
    )
    iris_plan: str | None = strawberry.field(
        default=None, description=unchanged(doc(Detail, "iris_plan"))
    )
    iris_enabled: bool | None = strawberry.field(
        default=None, description=unchanged(doc(Detail, "iris_enabled"))
    )
    override_phone_number: str | None = strawberry.field(
        default=None, description=unchanged(doc(Detail, "override_phone_number"))
    )
    api_managed_roster: bool | None = strawberry.field(
        default=None, description=unchanged(doc(Detail, "api_managed_roster"))
    )


@strawberry.input(description="Who to make an admin of an oncall team.")
class AddOncallTeamAdminInput:
    user: str = strawberry.field(
        description="The username; they become a member too, if they were not."
    )


@strawberry.input(description="Who to make a member of an oncall team.")
class AddOncallTeamUserInput:
    user: str = strawberry.field(description="The username.")


async def read_team(info: CtxInfo, name: str) -> OncallTeam | None:
    found = await oncall_r.get_team(info.context, name)
    return OncallTeam.named(found.name) if found else None


def no_team(name: str) -> str:
    return f"no active team named {name!r}, so nothing changed"


def _answers(why: str = "oncall answers with an empty body") -> str:
    read = "read back with `GET /teams/{team}`"
    return f" Answers the team as oncall has it afterwards, {read} ({why})."


READ_TEAM = _answers()
WITH_USER = _answers("oncall answers with the user alone")


@strawberry.type(description="oncall's writes to teams, their admins and members.")
class OncallTeamMutation:
    # -- teams -------------------------------------------------------------------------------

    @strawberry.mutation(
        description="Create an oncall team (`POST /teams`); `input.admin` becomes its admin "
        f"and member.{READ_TEAM}",
        metadata=WRITE,
    )
    async def create_oncall_team(
        self,
        info: CtxInfo,
        input: Annotated[CreateOncallTeamInput, strawberry.argument(description="The team.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[OncallTeam]:
        # oncall keeps the name percent-decoded and trimmed: read it back the same way.
        name = unquote(input.name).strip()

        async def call() -> str:
            await client(info).create_team(
                input.name, scheduling_timezone=input.scheduling_timezone, admin=input.admin,
                email=input.email, slack_channel=input.slack_channel,
                slack_channel_notifications=input.slack_channel_notifications,
                description=input.description, iris_plan=input.iris_plan,
                iris_enabled=input.iris_enabled, override_phone_number=input.override_phone_number,
            )  # fmt: skip
            return name

        outcome = await write(
            info, name="createOncallTeam", service="oncall", data=sent(input=input),
            key=idempotency_key, result_type=str, call=call,
        )  # fmt: skip
        return await read_back(
            info, outcome, lambda n: read_team(info, n), no_team, fields_of(input)
        )

    @strawberry.mutation(
        description="Change an oncall team's columns (`PUT /teams/{team}`); a new `name` "
        f"renames it.{READ_TEAM} oncall answers 200 for an unknown team and changes nothing: "
        "that comes back as a NOT_FOUND user error.",
        metadata=WRITE,
    )
    async def update_oncall_team(
        self,
        info: CtxInfo,
        team: TeamName,
        input: Annotated[UpdateOncallTeamInput, strawberry.argument(description="The changes.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[OncallTeam]:
        async def call() -> str:
            await client(info).update_team(
                team, new_name=input.name, email=input.email, slack_channel=input.slack_channel,
                slack_channel_notifications=input.slack_channel_notifications,
                scheduling_timezone=input.scheduling_timezone, description=input.description,
                iris_plan=input.iris_plan, iris_enabled=input.iris_enabled,
                override_phone_number=input.override_phone_number,
                api_managed_roster=input.api_managed_roster,
            )  # fmt: skip
            return input.name or team

        outcome = await write(
            info, name="updateOncallTeam", service="oncall", data=sent(team=team, input=input),
            key=idempotency_key, result_type=str, call=call,
        )  # fmt: skip
        return await read_back(
            info, outcome, lambda n: read_team(info, n), lambda _: no_team(team), fields_of(input)
        )

    @strawberry.mutation(
        description="Delete an oncall team (`DELETE /teams/{team}`): oncall deactivates it "
        "under another name, so its name is free again, and its rosters, schedules and events "
        "go. Answers the deleted team's name.",
        metadata=WRITE,
    )
    async def delete_oncall_team(
        self, info: CtxInfo, team: TeamName, idempotency_key: IdempotencyKey = None
    ) -> Payload[str]:
        async def call() -> str:
            await client(info).delete_team(team)
            return team

        outcome = await write(
            info, name="deleteOncallTeam", service="oncall", data=sent(team=team),
            key=idempotency_key, result_type=str, call=call,
        )  # fmt: skip
        return deleted(info, outcome)

    # -- admins and members ------------------------------------------------------------------

    @strawberry.mutation(
        description="Make a user an admin (and a member) of an oncall team "
        f"(`POST /teams/{{team}}/admins`).{WITH_USER}",
        metadata=WRITE,
    )
    async def add_oncall_team_admin(
        self,
        info: CtxInfo,
        team: TeamName,
        input: Annotated[AddOncallTeamAdminInput, strawberry.argument(description="The admin.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[OncallTeam]:
        outcome = await write(
            info, name="addOncallTeamAdmin", service="oncall", data=sent(team=team, input=input),
            key=idempotency_key, result_type=oncall.User,
            call=lambda: client(info).add_team_admin(team, input.user),
        )  # fmt: skip
        return await read_back(
            info,
            outcome,
            lambda _: read_team(info, team),
            lambda _: no_team(team),
            fields_of(input, name="user"),
        )

    @strawberry.mutation(
        description="Take a user's admin rights on an oncall team away "
        "(`DELETE /teams/{team}/admins/{user}`); they leave the team unless they are in one of "
        f"its rosters.{READ_TEAM}",
        metadata=WRITE,
    )
    async def remove_oncall_team_admin(
        self, info: CtxInfo, team: TeamName, user: UserName, idempotency_key: IdempotencyKey = None
    ) -> Payload[OncallTeam]:
        async def call() -> str:
            await client(info).delete_team_admin(team, user)
            return team

        outcome = await write(
            info, name="removeOncallTeamAdmin", service="oncall", data=sent(team=team, user=user),
            key=idempotency_key, result_type=str, call=call,
        )  # fmt: skip
        return await read_back(info, outcome, lambda n: read_team(info, n), no_team)

    @strawberry.mutation(
        description="Make a user a member of an oncall team (`POST /teams/{team}/users`; "
        f"oncall calls it a testing aid: rosters are how people usually join).{WITH_USER}",
        metadata=WRITE,
    )
    async def add_oncall_team_user(
        self,
        info: CtxInfo,
        team: TeamName,
        input: Annotated[AddOncallTeamUserInput, strawberry.argument(description="The member.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[OncallTeam]:
        outcome = await write(
            info, name="addOncallTeamUser", service="oncall", data=sent(team=team, input=input),
            key=idempotency_key, result_type=oncall.User,
            call=lambda: client(info).add_team_user(team, input.user),
        )  # fmt: skip
        return await read_back(
            info,
            outcome,
            lambda _: read_team(info, team),
            lambda _: no_team(team),
            fields_of(input, name="user"),
        )

    @strawberry.mutation(
        description="End a user's membership of an oncall team "
        "(`DELETE /teams/{team}/users/{user}`); their roster places and admin rights stay."
        f"{READ_TEAM}",
        metadata=WRITE,
    )
    async def remove_oncall_team_user(
        self, info: CtxInfo, team: TeamName, user: UserName, idempotency_key: IdempotencyKey = None
    ) -> Payload[OncallTeam]:
        async def call() -> str:
            await client(info).delete_team_user(team, user)
            return team

        outcome = await write(
            info, name="removeOncallTeamUser", service="oncall", data=sent(team=team, user=user),
            key=idempotency_key, result_type=str, call=call,
        )  # fmt: skip
        return await read_back(info, outcome, lambda n: read_team(info, n), no_team)
