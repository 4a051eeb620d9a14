"""What every Tempo type shares: references to people and periods, the links into the
unified graph, and the arguments Tempo's reads take."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers.backends.tempo import Period, UserRef
from schema import teams, users
from schema.common import CtxInfo
from schema.cost import upstream

if TYPE_CHECKING:
    from schema.services.tempo.users import TempoUser
    from schema.teams import Team
    from schema.users import User

UserLink = Annotated["User", strawberry.lazy("schema.users")]
TeamLink = Annotated["Team", strawberry.lazy("schema.teams")]
TempoUserLink = Annotated["TempoUser", strawberry.lazy("schema.services.tempo.users")]

# Arguments -----------------------------------------------------------------------------------

OptFrom = Annotated[
    date | None,
    strawberry.argument(name="from", description="First day, inclusive; open when left out."),
]
OptTo = Annotated[
    date | None, strawberry.argument(description="Last day, inclusive; open when left out.")
]
UpdatedFrom = Annotated[
    date | None,
    strawberry.argument(description="Only those created or changed on or after this day."),
]
AccountId = Annotated[str, strawberry.argument(description="The person's Atlassian account id.")]
TeamId = Annotated[int, strawberry.argument(description="The Tempo team's id.")]

# Links into the unified graph ----------------------------------------------------------------


async def linked_person(info: CtxInfo, account_id: str | None) -> User | None:
    """The linked person a Tempo accountId belongs to; None when nobody known has it."""
    if not account_id:
        return None
    found = (await info.context.directory()).person("tempo", account_id)
    return users.User.of(found) if found else None


async def linked_team(info: CtxInfo, team_id: int | None) -> Team | None:
    """The linked team a Tempo team id belongs to; None when no known team has it."""
    if team_id is None:
        return None
    found = (await info.context.directory()).team("tempo", str(team_id))
    return teams.Team.of(found) if found else None


LINK = upstream("request", 0)  # a link needs only the linked directory
PER_PARENT = upstream("parent", identity=False)  # one Tempo call per distinct parent


# Types -----------------------------------------------------------------------------------------


@strawberry.experimental.pydantic.type(
    model=UserRef,
    all_fields=True,
    description="A Jira user as Tempo refers to one (Tempo has no user endpoint of its own).",
)
class TempoUserRef:
    @strawberry.field(description="This person, linked across services.", metadata=LINK)
    async def user(root: UserRef, info: CtxInfo) -> UserLink | None:
        return await linked_person(info, root.account_id)

    @strawberry.field(
        description="This person's own Tempo reads: plans, schedule, timesheets, worklogs."
    )
    def tempo(root: UserRef) -> TempoUserLink:
        from schema.services.tempo.users import TempoUser

        return TempoUser(account_id=root.account_id, display_name=root.display_name)


@strawberry.experimental.pydantic.type(
    model=Period, all_fields=True, description="A timesheet period: the days one covers."
)
class TempoPeriod:
    pass
