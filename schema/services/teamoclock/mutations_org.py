"""Team O'clock's organisation writes: members, teams and team membership.

Members answer as `TeamOclockMember` (linked to the unified `User`), teams as
`TeamOclockTeam` (linked to the unified `Team`). Usernames and slugs are keys: a create
chooses one, and nothing changes it afterwards.
"""

from __future__ import annotations

from typing import Annotated, cast

import strawberry
from pydantic import BaseModel, ConfigDict

from resolvers.backends import teamoclock as tc
from resolvers.services import teamoclock as toc_r
from schema.common import CtxInfo
from schema.connections import shown_as
from schema.cost import upstream
from schema.payloads import IdempotencyKey, Payload
from schema.services.teamoclock.mutations_base import (
    ONE_WRITE,
    Slug,
    Username,
    toc_delete,
    toc_write,
)
from schema.services.teamoclock.org import TeamOclockMember, TeamOclockMemberRole, TeamOclockTeam


def _role(role: TeamOclockMemberRole | None) -> tc.MemberRole | None:
    """The client's name for a GraphQL role (`enum_value` hides the string from mypy)."""
    return cast("tc.MemberRole", role.value) if role is not None else None


# -- inputs -----------------------------------------------------------------------------------


@strawberry.input(description="A new member of the Team O'clock organisation.")
class CreateTeamOclockMemberInput:
    username: str = strawberry.field(
        description="Their username: their key, unique in the organisation, one path segment "
        "(no `/`); it cannot be changed later."
    )
    first_name: str | None = strawberry.field(default=None, description="First name.")
    last_name: str | None = strawberry.field(default=None, description="Last name.")
    avatar: str | None = strawberry.field(
        default=None, description="Avatar image, a file name or URL."
    )
    email: str | None = strawberry.field(
        default=None,
        description="Email address (the gateway links people across services by it).",
    )
    role: TeamOclockMemberRole | None = strawberry.field(
        default=None, description="Organisation role; Team O'clock makes it MEMBER if left out."
    )


@strawberry.input(
    description="What to change about a Team O'clock member: the fields left out (or null) "
    "stay as they are."
)
class UpdateTeamOclockMemberInput:
    first_name: str | None = strawberry.field(default=None, description="New first name.")
    last_name: str | None = strawberry.field(default=None, description="New last name.")
    avatar: str | None = strawberry.field(
        default=None, description="New avatar image, a file name or URL."
    )
    email: str | None = strawberry.field(default=None, description="New email address.")
    role: TeamOclockMemberRole | None = strawberry.field(
        default=None, description="New organisation role."
    )


@strawberry.input(description="A new Team O'clock team, with no members yet.")
class CreateTeamOclockTeamInput:
    name: str = strawberry.field(description="Its name (not empty).")
    slug: str = strawberry.field(
        description="Its slug: its key, unique in the organisation, one path segment (no `/`); "
        "it cannot be changed later."
    )
    video_url: str | None = strawberry.field(
        default=None, description="The link of its video call."
    )
    mood_enabled: bool | None = strawberry.field(
        default=None, description="Whether mood tracking is on (off if left out)."
    )


@strawberry.input(
    description="What to change about a Team O'clock team: the fields left out (or null) stay "
    "as they are."
)
class UpdateTeamOclockTeamInput:
    name: str | None = strawberry.field(
        default=None,
        description="Its new name (not empty); its active meetings' names follow it.",
    )
    video_url: str | None = strawberry.field(
        default=None, description="The new link of its video call."
    )
    mood_enabled: bool | None = strawberry.field(
        default=None, description="Whether mood tracking is on."
    )


@strawberry.input(description="Members of the organisation to add to a Team O'clock team.")
class AddTeamOclockTeamMembersInput:
    usernames: list[str] = strawberry.field(
        description="Their usernames, each a member of the organisation; anyone already in "
        "the team stays where they are."
    )


@strawberry.input(description="Members to take out of a Team O'clock team.")
class RemoveTeamOclockTeamMembersInput:
    usernames: list[str] = strawberry.field(
        description="Their usernames; naming someone not in the team changes nothing. They "
        "stay members of the organisation."
    )


# -- what a membership change answers ---------------------------------------------------------


class TeamMembersChange(BaseModel):
    """What ``POST``/``DELETE /teams/{slug}/members`` did: the API answers an empty 204, so
    this is the request, kept for an idempotency key."""

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)

    slug: str
    """The team's slug."""
    usernames: list[str]
    """The usernames the request named, in its order."""


@strawberry.experimental.pydantic.type(
    model=TeamMembersChange,
    description="A change to a Team O'clock team's members (the API answers it with no "
    "body: `team` reads the team as it is now).",
)
class TeamOclockTeamMembersChange:
    usernames: strawberry.auto

    @strawberry.field(description="The slug of the team changed.")
    def team_slug(root: TeamMembersChange) -> str:
        return root.slug

    @strawberry.field(
        description="The team as it is now, `members` included (read after the change: one "
        "call, and one more for its members); null if it is gone.",
        metadata=upstream("parent", identity=False),
    )
    async def team(root: TeamMembersChange, info: CtxInfo) -> TeamOclockTeam | None:
        found = await toc_r.get_team(info.context, root.slug)
        return shown_as(TeamOclockTeam)(found) if found else None


# -- the mutations ----------------------------------------------------------------------------


@strawberry.type(description="Team O'clock's writes of members, teams and team membership.")
class TeamOclockOrgMutation:
    # -- members ------------------------------------------------------------------------------

    @strawberry.mutation(
        description="Add a member to the Team O'clock organisation (`POST /members`). Refused "
        "as \"Invalid request: Enter a valid json body\" (Team O'clock's one answer to any "
        "bad body, naming no field) when the username is taken, empty or has a `/`.",
        metadata=ONE_WRITE,
    )
    async def create_team_oclock_member(
        self,
        info: CtxInfo,
        input: Annotated[
            CreateTeamOclockMemberInput, strawberry.argument(description="The new member.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TeamOclockMember]:
        outcome = await toc_write(
            info,
            name="createTeamOclockMember",
            data=input,
            key=idempotency_key,
            result_type=tc.Member,
            call=lambda c: c.create_member(
                input.username,
                first_name=input.first_name,
                last_name=input.last_name,
                avatar=input.avatar,
                email=input.email,
                role=_role(input.role),
            ),
        )
        return Payload.of(outcome, shown_as(TeamOclockMember))

    @strawberry.mutation(
        description="Change a Team O'clock member (`PATCH /members/{username}`): the fields "
        "given. NOT_FOUND when there is no such member.",
        metadata=ONE_WRITE,
    )
    async def update_team_oclock_member(
        self,
        info: CtxInfo,
        username: Username,
        input: Annotated[
            UpdateTeamOclockMemberInput, strawberry.argument(description="What to change.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TeamOclockMember]:
        outcome = await toc_write(
            info,
            name="updateTeamOclockMember",
            data=(username, input),
            key=idempotency_key,
            result_type=tc.Member,
            call=lambda c: c.update_member(
                username,
                first_name=input.first_name,
                last_name=input.last_name,
                avatar=input.avatar,
                email=input.email,
                role=_role(input.role),
            ),
        )
        return Payload.of(outcome, shown_as(TeamOclockMember))

    @strawberry.mutation(
        description="Remove a member from the Team O'clock organisation, and so from every "
        "team (`DELETE /members/{username}`); what they said in meetings stays. Answers their "
        "username; NOT_FOUND when there is no such member.",
        metadata=ONE_WRITE,
    )
    async def delete_team_oclock_member(
        self, info: CtxInfo, username: Username, idempotency_key: IdempotencyKey = None
    ) -> Payload[str]:
        outcome = await toc_delete(
            info,
            name="deleteTeamOclockMember",
            id=username,
            data=username,
            key=idempotency_key,
            call=lambda c: c.delete_member(username),
        )
        return Payload.of(outcome)

    # -- teams --------------------------------------------------------------------------------

    @strawberry.mutation(
        description="Create a Team O'clock team with no members (`POST /teams`). Refused as "
        "\"Invalid request: Enter a valid json body\" (Team O'clock's one answer to any bad "
        "body, naming no field) when the slug is taken, empty or has a `/`, or the name is "
        "empty.",
        metadata=ONE_WRITE,
    )
    async def create_team_oclock_team(
        self,
        info: CtxInfo,
        input: Annotated[CreateTeamOclockTeamInput, strawberry.argument(description="The team.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TeamOclockTeam]:
        outcome = await toc_write(
            info,
            name="createTeamOclockTeam",
            data=input,
            key=idempotency_key,
            result_type=tc.Team,
            call=lambda c: c.create_team(
                input.name, input.slug, video_url=input.video_url, mood_enabled=input.mood_enabled
            ),
        )
        return Payload.of(outcome, shown_as(TeamOclockTeam))

    @strawberry.mutation(
        description="Change a Team O'clock team (`PATCH /teams/{slug}`): the fields given. "
        'NOT_FOUND when there is no such team; an empty name is refused as "Invalid request: '
        "Enter a valid json body\" (Team O'clock's one answer to any bad body).",
        metadata=ONE_WRITE,
    )
    async def update_team_oclock_team(
        self,
        info: CtxInfo,
        slug: Slug,
        input: Annotated[
            UpdateTeamOclockTeamInput, strawberry.argument(description="What to change.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TeamOclockTeam]:
        outcome = await toc_write(
            info,
            name="updateTeamOclockTeam",
            data=(slug, input),
            key=idempotency_key,
            result_type=tc.Team,
            call=lambda c: c.update_team(
                slug, name=input.name, video_url=input.video_url, mood_enabled=input.mood_enabled
            ),
        )
        return Payload.of(outcome, shown_as(TeamOclockTeam))

    @strawberry.mutation(
        description="Delete a Team O'clock team (`DELETE /teams/{slug}`): its active meetings "
        "end with it; its action items and timeline stay. Answers its slug; NOT_FOUND when "
        "there is no such team.",
        metadata=ONE_WRITE,
    )
    async def delete_team_oclock_team(
        self, info: CtxInfo, slug: Slug, idempotency_key: IdempotencyKey = None
    ) -> Payload[str]:
        outcome = await toc_delete(
            info,
            name="deleteTeamOclockTeam",
            id=slug,
            data=slug,
            key=idempotency_key,
            call=lambda c: c.delete_team(slug),
        )
        return Payload.of(outcome)

    # -- team membership ----------------------------------------------------------------------

    @strawberry.mutation(
        description="Add organisation members to a Team O'clock team (`POST /teams/{slug}/"
        "members`). NOT_FOUND when there is no such team; naming someone who is not a member "
        'of the organisation is refused as "Invalid request: Enter a valid json body" (Team '
        "O'clock's one answer to any bad body, naming no one), and then nobody is added.",
        metadata=ONE_WRITE,
    )
    async def add_team_oclock_team_members(
        self,
        info: CtxInfo,
        slug: Slug,
        input: Annotated[
            AddTeamOclockTeamMembersInput, strawberry.argument(description="Who to add.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TeamOclockTeamMembersChange]:
        async def add(client: tc.TeamOclockClient) -> TeamMembersChange:
            await client.add_team_members(slug, input.usernames)
            return TeamMembersChange(slug=slug, usernames=input.usernames)

        outcome = await toc_write(
            info,
            name="addTeamOclockTeamMembers",
            data=(slug, input),
            key=idempotency_key,
            result_type=TeamMembersChange,
            call=add,
        )
        return Payload.of(outcome, shown_as(TeamOclockTeamMembersChange))

    @strawberry.mutation(
        description="Take members out of a Team O'clock team (`DELETE /teams/{slug}/members`); "
        "they stay in the organisation. NOT_FOUND when there is no such team.",
        metadata=ONE_WRITE,
    )
    async def remove_team_oclock_team_members(
        self,
        info: CtxInfo,
        slug: Slug,
        input: Annotated[
            RemoveTeamOclockTeamMembersInput, strawberry.argument(description="Who to remove.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TeamOclockTeamMembersChange]:
        async def remove(client: tc.TeamOclockClient) -> TeamMembersChange:
            await client.remove_team_members(slug, input.usernames)
            return TeamMembersChange(slug=slug, usernames=input.usernames)

        outcome = await toc_write(
            info,
            name="removeTeamOclockTeamMembers",
            data=(slug, input),
            key=idempotency_key,
            result_type=TeamMembersChange,
            call=remove,
        )
        return Payload.of(outcome, shown_as(TeamOclockTeamMembersChange))
