"""Tempo's team-side payloads: teams, members, memberships, roles, programs, team
permissions and team links, and the bodies that write them."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AliasChoices, AliasPath, BeforeValidator, Field, model_validator

from resolvers.backends.tempo_base import TempoInput, TempoModel, UserRef, id_in_url, lift


class RoleRef(TempoModel):
    """A team role, as memberships refer to it."""

    id: int
    """Tempo's id of the role."""
    name: str
    """The role's name, e.g. "Developer"."""


class Role(RoleRef):
    """A role a Tempo team member can have."""

    default: bool = False
    """Whether new memberships get this role when none is given."""


class ProgramRef(TempoModel):
    """A program, as a team refers to it."""

    id: int
    """Tempo's id of the program."""
    name: str
    """The program's name."""


class TeamRef(TempoModel):
    """A team, as a program refers to it."""

    id: int
    """Tempo's id of the team."""
    name: str
    """The team's name."""


class Team(TempoModel):
    """A Tempo team."""

    id: int
    """Tempo's id of the team."""
    name: str
    """The team's name, unique in Tempo."""
    summary: str | None = None
    """What the team is about."""
    lead: UserRef | None = None
    """The team's lead."""
    program: ProgramRef | None = None
    """The program the team is part of."""


class ActiveMembership(TempoModel):
    """A membership of a user in a team, for a period."""

    id: int
    """Tempo's id of the membership."""
    commitment_percent: int
    """How much of their time the member commits to the team, in percent."""
    from_: date | None = Field(default=None, alias="from")
    """The membership's first day; open when absent."""
    to: date | None = None
    """The membership's last day (inclusive); open when absent."""
    role: RoleRef
    """The member's role in the team."""


def _team_id(value: object) -> object:
    # A team linked by URL only ({"self": ".../teams/7"}): its id is in the path.
    return id_in_url(value, "teams") if isinstance(value, str) and "/" in value else value


class TeamMember(TempoModel):
    """A member of a team; ``active`` is their current membership, absent when none is.
    ``team_id`` is read from the ``team`` reference (Tempo gives its URL only)."""

    # Tempo's nesting is unwrapped by alias paths, which pydantic-core follows in the JSON
    # itself: a `mode="before"` validator would turn every member into Python dicts first.
    member: UserRef
    """The member."""
    active: ActiveMembership | None = Field(
        default=None, validation_alias=AliasChoices("active", AliasPath("memberships", "active"))
    )
    """The membership active today; absent for a former member."""
    team_id: Annotated[int | None, BeforeValidator(_team_id)] = Field(
        default=None,
        validation_alias=AliasChoices("teamId", AliasPath("team", "id"), AliasPath("team", "self")),
    )
    """The team's id."""


class Membership(ActiveMembership):
    """One membership period. In a member's membership list Tempo links the team and the
    member by URL only: ``team_id`` is then read from the URL and ``member`` is ``None``."""

    team_id: int | None = None
    """The team's id."""
    member: UserRef | None = None
    """The member; absent in a member's own list of memberships."""

    @model_validator(mode="before")
    @classmethod
    def _flatten(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        out = dict(data)
        team, member = out.get("team"), out.get("member")
        if isinstance(team, dict) and "teamId" not in out:
            out["teamId"] = team.get("id", id_in_url(team.get("self"), "teams"))
        if isinstance(member, dict) and "accountId" not in member:
            del out["member"]  # a bare {self}: no name to show
        return out


class Program(TempoModel):
    """A Tempo program: a group of teams under one manager."""

    id: int
    """Tempo's id of the program."""
    name: str
    """The program's name."""
    manager: UserRef | None = None
    """The program's manager."""
    teams: tuple[TeamRef, ...] = ()
    """The teams in the program."""

    @model_validator(mode="before")
    @classmethod
    def _flatten(cls, data: object) -> object:
        return lift(data, "teams", "values", "teams")


class TeamPermission(TempoModel):
    """Who holds one permission in a team (``tempo.teams.browse.team``,
    ``tempo.timesheets.approve.timesheet``, ``tempo.planner.plan.permission``)."""

    key: str
    """The permission: tempo.teams.browse.team, tempo.timesheets.approve.timesheet or
    tempo.planner.plan.permission."""
    users: tuple[UserRef, ...] = ()
    """Who holds it in the team."""

    @model_validator(mode="before")
    @classmethod
    def _flatten(cls, data: object) -> object:
        return lift(data, "users", "values", "users")


class TeamLink(TempoModel):
    """A team's link to a Jira project or board (``scope_type`` PROJECT or BOARD)."""

    id: int
    """Tempo's id of the link."""
    team_id: int | None = None
    """The linked team's id."""
    scope_type: str
    """What the team is linked to: PROJECT (a Jira project) or BOARD (a Jira board)."""
    scope_id: int
    """The Jira project's or board's id."""

    @model_validator(mode="before")
    @classmethod
    def _flatten(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        out = dict(data)
        team, scope = out.get("team"), out.get("scope")
        if isinstance(team, dict) and "teamId" not in out:
            out["teamId"] = team.get("id", id_in_url(team.get("self"), "teams"))
        if isinstance(scope, dict):
            out.setdefault("scopeType", scope.get("type"))
            out.setdefault("scopeId", scope.get("id"))
        return out


# -- bodies ---------------------------------------------------------------------------------------


class TeamInput(TempoInput):
    """A team to create, or the whole new state of one (PUT clears what is left out)."""

    name: str
    """The team's name, unique in Tempo."""
    summary: str | None = None
    """What the team is about."""
    lead_account_id: str | None = None
    """The Atlassian account id of the team's lead."""
    program_id: int | None = None
    """The id of the program the team is part of."""


class MembershipUpdate(TempoInput):
    """The whole new state of a membership; the role defaults to the default team role and
    the commitment to 100."""

    role_id: int | None = None
    """The member's role in the team (the default team role when left out)."""
    commitment_percent: int | None = None
    """How much of their time the member commits to the team: 0 to 100 (100 when left out)."""
    from_: date | None = Field(default=None, alias="from")
    """The membership's first day; open when left out."""
    to: date | None = None
    """The membership's last day (inclusive); open when left out."""


class MembershipInput(MembershipUpdate):
    """A new membership of ``account_id`` in ``team_id``."""

    team_id: int
    """The team's id."""
    account_id: str
    """The Atlassian account id of the member."""


class ProgramInput(TempoInput):
    """A program to create, or the whole new state of one: ``team_ids`` lists every team
    in it."""

    name: str
    """The program's name."""
    manager_account_id: str | None = None
    """The Atlassian account id of the program's manager."""
    team_ids: tuple[int, ...] = ()
    """Every team in the program, by id: teams named move into it, teams left out leave it."""
