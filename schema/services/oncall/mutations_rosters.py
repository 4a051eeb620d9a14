"""oncall's writes to rosters (who rotates through a team's shifts) and their members.

Every change answers the roster read back with `GET /teams/{team}/rosters/{roster}` (oncall's
own answer is empty, or the added user alone): its members in oncall's order with their
rotation order, and its schedules. Deleting a roster answers its name.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.backends import oncall
from resolvers.services import oncall as oncall_r
from schema.common import CtxInfo
from schema.connections import shown_as
from schema.payloads import IdempotencyKey, Payload, write
from schema.services.oncall import RosterName, TeamName, UserName
from schema.services.oncall.mutations_base import (
    WRITE,
    client,
    deleted,
    fields_of,
    read_back,
    sent,
    unchanged,
)
from schema.services.oncall.rosters import OncallRoster


def _read(why: str = "oncall answers with an empty body") -> str:
    read = "read back with `GET /teams/{team}/rosters/{roster}`"
    return f" Answers the roster as oncall has it afterwards, {read} ({why})."


EMPTY = _read()


@strawberry.input(description="A new roster in an oncall team.")
class CreateOncallRosterInput:
    name: str = strawberry.field(
        description="The roster's name, unique in its team and without `/`."
    )


@strawberry.input(description="What to change about an oncall roster: a name, an order, or both.")
class UpdateOncallRosterInput:
    name: str | None = strawberry.field(
        default=None, description=unchanged("A new name for the roster")
    )
    order: list[str] | None = strawberry.field(
        default=None,
        description="The rotation order: every member's username, each once, first to pick "
        "first; unchanged if left out.",
    )


@strawberry.input(description="Who to add to an oncall roster.")
class AddOncallRosterUserInput:
    user: str = strawberry.field(
        description="The username; they join the team too, if they were not a member."
    )
    in_rotation: bool = strawberry.field(
        default=True, description="Whether schedules may pick them (they may by default)."
    )


@strawberry.input(description="A roster member's place in the rotation.")
class UpdateOncallRosterUserInput:
    in_rotation: bool = strawberry.field(description="Whether schedules may pick them from now on.")


async def _roster(
    info: CtxInfo, team: str, name: str, member: str | None = None
) -> OncallRoster | None:
    """The roster read back; None without it, or without `member` in it."""
    found = await oncall_r.get_roster(info.context, team, name)
    if found is None or (member is not None and all(u.name != member for u in found.users)):
        return None
    return shown_as(OncallRoster)(found)


def _no_roster(team: str, roster: str) -> str:
    return f"no roster {roster!r} in team {team!r}"


@strawberry.type(description="oncall's writes to rosters and their members.")
class OncallRosterMutation:
    @strawberry.mutation(
        description=f"Create an empty roster in an oncall team (`POST /teams/{{team}}/rosters`)."
        f"{EMPTY}",
        metadata=WRITE,
    )
    async def create_oncall_roster(
        self,
        info: CtxInfo,
        team: TeamName,
        input: Annotated[CreateOncallRosterInput, strawberry.argument(description="The roster.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[OncallRoster]:
        async def call() -> str:
            await client(info).create_roster(team, input.name)
            return input.name

        outcome = await write(
            info, name="createOncallRoster", service="oncall", data=sent(team=team, input=input),
            key=idempotency_key, result_type=str, call=call,
        )  # fmt: skip
        return await read_back(
            info, outcome, lambda r: _roster(info, team, r), lambda r: _no_roster(team, r),
            fields_of(input),
        )  # fmt: skip

    @strawberry.mutation(
        description="Rename an oncall roster and/or set its rotation order "
        f"(`PUT /teams/{{team}}/rosters/{{roster}}`).{EMPTY}",
        metadata=WRITE,
    )
    async def update_oncall_roster(
        self,
        info: CtxInfo,
        team: TeamName,
        roster: RosterName,
        input: Annotated[UpdateOncallRosterInput, strawberry.argument(description="The changes.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[OncallRoster]:
        async def call() -> str:
            await client(info).update_roster(team, roster, new_name=input.name, order=input.order)
            return input.name or roster

        outcome = await write(
            info, name="updateOncallRoster", service="oncall",
            data=sent(team=team, roster=roster, input=input), key=idempotency_key,
            result_type=str, call=call,
        )  # fmt: skip
        return await read_back(
            info, outcome, lambda r: _roster(info, team, r),
            lambda _: f"{_no_roster(team, roster)}, so nothing changed",
            fields_of(input, roster_order="order"),
        )  # fmt: skip

    @strawberry.mutation(
        description="Delete an oncall roster with its schedules "
        "(`DELETE /teams/{team}/rosters/{roster}`); members in no other roster of the team, "
        "and not its admins, leave the team. Answers the deleted roster's name.",
        metadata=WRITE,
    )
    async def delete_oncall_roster(
        self,
        info: CtxInfo,
        team: TeamName,
        roster: RosterName,
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[str]:
        async def call() -> str:
            await client(info).delete_roster(team, roster)
            return roster

        outcome = await write(
            info, name="deleteOncallRoster", service="oncall", data=sent(team=team, roster=roster),
            key=idempotency_key, result_type=str, call=call,
        )  # fmt: skip
        return deleted(info, outcome)

    # -- members -----------------------------------------------------------------------------

    @strawberry.mutation(
        description="Add a user to an oncall roster, last in its rotation order, and to its "
        "team (`POST /teams/{team}/rosters/{roster}/users`)."
        f"{_read('oncall answers with the user alone')}",
        metadata=WRITE,
    )
    async def add_oncall_roster_user(
        self,
        info: CtxInfo,
        team: TeamName,
        roster: RosterName,
        input: Annotated[AddOncallRosterUserInput, strawberry.argument(description="The member.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[OncallRoster]:
        outcome = await write(
            info, name="addOncallRosterUser", service="oncall",
            data=sent(team=team, roster=roster, input=input), key=idempotency_key,
            result_type=oncall.User,
            call=lambda: client(info).add_roster_user(
                team, roster, input.user, in_rotation=input.in_rotation
            ),
        )  # fmt: skip
        return await read_back(
            info, outcome, lambda _: _roster(info, team, roster),
            lambda _: _no_roster(team, roster), fields_of(input, name="user"),
        )  # fmt: skip

    @strawberry.mutation(
        description="Put an oncall roster member into or out of rotation "
        f"(`PUT /teams/{{team}}/rosters/{{roster}}/users/{{user}}`).{EMPTY} oncall answers "
        "200 for someone not in the roster and changes nothing: that comes back as a NOT_FOUND "
        "user error.",
        metadata=WRITE,
    )
    async def update_oncall_roster_user(
        self,
        info: CtxInfo,
        team: TeamName,
        roster: RosterName,
        user: UserName,
        input: Annotated[
            UpdateOncallRosterUserInput, strawberry.argument(description="Their rotation.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[OncallRoster]:
        async def call() -> str:
            await client(info).update_roster_user(team, roster, user, in_rotation=input.in_rotation)
            return roster

        outcome = await write(
            info, name="updateOncallRosterUser", service="oncall",
            data=sent(team=team, roster=roster, user=user, input=input), key=idempotency_key,
            result_type=str, call=call,
        )  # fmt: skip
        return await read_back(
            info, outcome, lambda r: _roster(info, team, r, member=user),
            lambda _: f"{user!r} is not in roster {roster!r} of team {team!r}, so nothing changed",
            fields_of(input),
        )  # fmt: skip

    @strawberry.mutation(
        description="Take a user off an oncall roster "
        "(`DELETE /teams/{team}/rosters/{roster}/users/{user}`); they leave the team unless "
        f"they are in another of its rosters or its admin.{EMPTY}",
        metadata=WRITE,
    )
    async def remove_oncall_roster_user(
        self,
        info: CtxInfo,
        team: TeamName,
        roster: RosterName,
        user: UserName,
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[OncallRoster]:
        async def call() -> str:
            await client(info).delete_roster_user(team, roster, user)
            return roster

        outcome = await write(
            info, name="removeOncallRosterUser", service="oncall",
            data=sent(team=team, roster=roster, user=user), key=idempotency_key,
            result_type=str, call=call,
        )  # fmt: skip
        return await read_back(
            info, outcome, lambda r: _roster(info, team, r), lambda r: _no_roster(team, r)
        )
