"""Hack24's writes, one root mutation per endpoint row: the pattern every API follows.

Each takes an input type (or plain arguments for a bare id), runs its client call through
`schema.payloads.write` (idempotency key, the API's refusals as `userErrors`, one log line),
and answers a `Payload` with the changed object, linked into the unified graph like reads.

Hack24 answers a member list (`POST`/`PATCH /teams/{id}/members`) with the team's users, so
those answer the read type `teamMembers` answers. Removing members and setting a user's team
answer ``204`` with no document: their payloads say what was asked and link to the object as
Hack24 has it afterwards. A refusal names the member of the request document it is about
(``/data/attributes/name``), which becomes the user error's ``field``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import strawberry
from pydantic import BaseModel, ConfigDict

from resolvers.backends import hack24
from resolvers.backends.hack24 import Hack24Client
from resolvers.services import hack24 as hack24_r
from resolvers.writes import Outcome
from schema.common import CtxInfo
from schema.connections import shown_as
from schema.cost import upstream
from schema.payloads import IdempotencyKey, Payload, write
from schema.services.hack24 import Hack24Team, Hack24User

G = TypeVar("G")

_ONE_CALL = upstream("request", identity=False)  # a write is one call; so is each link

TeamId = Annotated[str, strawberry.argument(description="Hack24's id of the team (a slug).")]
UserId = Annotated[str, strawberry.argument(description="Hack24's id of the user (a slug).")]


# -- inputs ------------------------------------------------------------------------------------


@strawberry.input(description="A new Hack24 team.")
class CreateHack24TeamInput:
    name: str = strawberry.field(description="Its name; Hack24 derives the team's id from it.")
    member_ids: list[str] = strawberry.field(
        default_factory=list,
        description="Users to put in it (moved out of any other team), by Hack24 id.",
    )


@strawberry.input(description="Users to add to a Hack24 team.")
class AddHack24TeamMembersInput:
    user_ids: list[str] = strawberry.field(
        description="The users, by Hack24 id: anyone in another team is moved out of it; "
        "anyone already in this one keeps their join date."
    )


@strawberry.input(description="Everyone a Hack24 team should have.")
class ReplaceHack24TeamMembersInput:
    user_ids: list[str] = strawberry.field(
        description="Exactly the team's users from now on, by Hack24 id: members left out "
        "are in no team afterwards, and anyone in another team is moved into this one."
    )


@strawberry.input(description="Users to take out of a Hack24 team.")
class RemoveHack24TeamMembersInput:
    user_ids: list[str] = strawberry.field(
        description="The users, by Hack24 id; Hack24 ignores any who are not in the team."
    )


@strawberry.input(description="A new Hack24 user.")
class CreateHack24UserInput:
    name: str = strawberry.field(description="Their name; Hack24 derives the user's id from it.")
    team_id: str | None = strawberry.field(
        default=None, description="A team to put them in, by Hack24 id; none when left out."
    )


@strawberry.input(description="The team a Hack24 user should be in.")
class SetHack24UserTeamInput:
    team_id: str | None = strawberry.field(
        default=None,
        description="The team, by Hack24 id (they leave their old team); null or left out "
        "takes them out of any team.",
    )


# -- what the 204 answers mean -----------------------------------------------------------------


class _Result(BaseModel):
    # Attribute docstrings become the GraphQL fields' descriptions.
    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)


class MembersRemoved(_Result):
    """Users taken out of a team (Hack24 answers with no document)."""

    team_id: str
    """Hack24's id of the team."""
    user_ids: list[str]
    """The users asked to be taken out, by Hack24 id (sorted, each once); Hack24 ignores any
    who were not in the team."""


class UserTeamSet(_Result):
    """A user's team as set (Hack24 answers with no document)."""

    user_id: str
    """Hack24's id of the user."""
    team_id: str | None
    """The team they are in now; null when they left any team."""


@strawberry.experimental.pydantic.type(
    model=MembersRemoved,
    all_fields=True,
    description="Users taken out of a Hack24 team, and the team as Hack24 has it now.",
)
class Hack24TeamMembersRemoved:
    @strawberry.field(
        description="The team after the change, with its members (one call); null when "
        "Hack24 no longer has it.",
        metadata=_ONE_CALL,
    )
    async def team(root: MembersRemoved, info: CtxInfo) -> Hack24Team | None:
        found = await hack24_r.get_team(info.context, root.team_id)
        return shown_as(Hack24Team)(found) if found else None


@strawberry.experimental.pydantic.type(
    model=UserTeamSet,
    all_fields=True,
    description="A Hack24 user's team as set, and the user as Hack24 has them now.",
)
class Hack24UserTeamSet:
    @strawberry.field(
        description="The user after the change, with their team and when they joined it "
        "(one call); null when Hack24 no longer has them.",
        metadata=_ONE_CALL,
    )
    async def user(root: UserTeamSet, info: CtxInfo) -> Hack24User | None:
        found = await hack24_r.get_user(info.context, root.user_id)
        return shown_as(Hack24User)(found) if found else None


# -- the mutations -----------------------------------------------------------------------------


@strawberry.type
class Hack24Mutation:
    @strawberry.mutation(description="Create a Hack24 team (`POST /teams`).", metadata=_ONE_CALL)
    async def create_hack24_team(
        self,
        info: CtxInfo,
        input: Annotated[CreateHack24TeamInput, strawberry.argument(description="The team.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[Hack24Team]:
        outcome = await _write(
            info,
            name="createHack24Team",
            data=input,
            key=idempotency_key,
            result_type=hack24.Team,
            call=lambda c: c.create_team(input.name, member_ids=input.member_ids),
        )
        return Payload.of(outcome, shown_as(Hack24Team))

    @strawberry.mutation(
        description="Add users to a Hack24 team (`POST /teams/{id}/members`); answers the "
        "team's users after the change, in the order they joined.",
        metadata=_ONE_CALL,
    )
    async def add_hack24_team_members(
        self,
        info: CtxInfo,
        team: TeamId,
        input: Annotated[AddHack24TeamMembersInput, strawberry.argument(description="Who to add.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[list[Hack24User]]:
        outcome = await _write(
            info,
            name="addHack24TeamMembers",
            data=(team, input),
            key=idempotency_key,
            result_type=list[hack24.User],
            call=lambda c: c.add_team_members(team, input.user_ids),
        )
        return Payload.of(outcome, _users)

    @strawberry.mutation(
        description="Make exactly these users a Hack24 team's members (`PATCH "
        "/teams/{id}/members`); answers the team's users after the change.",
        metadata=_ONE_CALL,
    )
    async def replace_hack24_team_members(
        self,
        info: CtxInfo,
        team: TeamId,
        input: Annotated[
            ReplaceHack24TeamMembersInput, strawberry.argument(description="The members.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[list[Hack24User]]:
        outcome = await _write(
            info,
            name="replaceHack24TeamMembers",
            data=(team, input),
            key=idempotency_key,
            result_type=list[hack24.User],
            call=lambda c: c.replace_team_members(team, input.user_ids),
        )
        return Payload.of(outcome, _users)

    @strawberry.mutation(
        description="Take users out of a Hack24 team (`DELETE /teams/{id}/members`).",
        metadata=_ONE_CALL,
    )
    async def remove_hack24_team_members(
        self,
        info: CtxInfo,
        team: TeamId,
        input: Annotated[
            RemoveHack24TeamMembersInput, strawberry.argument(description="Who to take out.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[Hack24TeamMembersRemoved]:
        async def call(client: Hack24Client) -> MembersRemoved:
            await client.remove_team_members(team, input.user_ids)
            return MembersRemoved(team_id=team, user_ids=sorted(set(input.user_ids)))

        outcome = await _write(
            info,
            name="removeHack24TeamMembers",
            data=(team, input),
            key=idempotency_key,
            result_type=MembersRemoved,
            call=call,
        )
        return Payload.of(outcome, shown_as(Hack24TeamMembersRemoved))

    @strawberry.mutation(
        description="Create a Hack24 user, maybe in a team (`POST /users`).", metadata=_ONE_CALL
    )
    async def create_hack24_user(
        self,
        info: CtxInfo,
        input: Annotated[CreateHack24UserInput, strawberry.argument(description="The user.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[Hack24User]:
        outcome = await _write(
            info,
            name="createHack24User",
            data=input,
            key=idempotency_key,
            result_type=hack24.User,
            call=lambda c: c.create_user(input.name, team_id=input.team_id),
        )
        return Payload.of(outcome, shown_as(Hack24User))

    @strawberry.mutation(
        description="Move a Hack24 user into a team, or out of any (`PATCH /users/{id}/team`).",
        metadata=_ONE_CALL,
    )
    async def set_hack24_user_team(
        self,
        info: CtxInfo,
        user: UserId,
        input: Annotated[SetHack24UserTeamInput, strawberry.argument(description="The team.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[Hack24UserTeamSet]:
        async def call(client: Hack24Client) -> UserTeamSet:
            await client.set_user_team(user, input.team_id)
            return UserTeamSet(user_id=user, team_id=input.team_id)

        outcome = await _write(
            info,
            name="setHack24UserTeam",
            data=(user, input),
            key=idempotency_key,
            result_type=UserTeamSet,
            call=call,
        )
        return Payload.of(outcome, shown_as(Hack24UserTeamSet))


# -- shared ------------------------------------------------------------------------------------


async def _write(
    info: CtxInfo,
    *,
    name: str,
    data: object,
    key: str | None,
    result_type: object,
    call: Callable[[Hack24Client], Awaitable[G]],
) -> Outcome[G]:
    """`call` on the Hack24 client as the mutation `name` (`schema.payloads.write`)."""
    client = info.context.backends.require("hack24")
    return await write(
        info,
        name=name,
        service="hack24",
        data=data,
        key=key,
        result_type=result_type,
        call=lambda: call(client),
    )


def _users(users: list[hack24.User]) -> list[Hack24User]:
    return [shown_as(Hack24User)(u) for u in users]
