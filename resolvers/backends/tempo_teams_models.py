"""Tempo's team-side payloads: teams, members, memberships, roles, programs, team
permissions and team links, and the bodies that write them."""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

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
    id: int
    name: str


class TeamRef(TempoModel):
    id: int
    name: str


class Team(TempoModel):
    id: int
    name: str
    summary: str | None = None
    lead: UserRef | None = None
    program: ProgramRef | None = None


class ActiveMembership(TempoModel):
    id: int
    commitment_percent: int
    from_: date | None = Field(default=None, alias="from")
    to: date | None = None
    role: RoleRef


class TeamMember(TempoModel):
    """A member of a team; ``active`` is their current membership, absent when none is."""

    member: UserRef
    active: ActiveMembership | None = None

    @model_validator(mode="before")
    @classmethod
    def _flatten(cls, data: object) -> object:
        return lift(data, "memberships", "active", "active")


class Membership(ActiveMembership):
    """One membership period. In a member's membership list Tempo links the team and the
    member by URL only: ``team_id`` is then read from the URL and ``member`` is ``None``."""

    team_id: int | None = None
    member: UserRef | None = None

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
    id: int
    name: str
    manager: UserRef | None = None
    teams: tuple[TeamRef, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _flatten(cls, data: object) -> object:
        return lift(data, "teams", "values", "teams")


class TeamPermission(TempoModel):
    """Who holds one permission in a team (``tempo.teams.browse.team``,
    ``tempo.timesheets.approve.timesheet``, ``tempo.planner.plan.permission``)."""

    key: str
    users: tuple[UserRef, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _flatten(cls, data: object) -> object:
        return lift(data, "users", "values", "users")


class TeamLink(TempoModel):
    """A team's link to a Jira project or board (``scope_type`` PROJECT or BOARD)."""

    id: int
    team_id: int | None = None
    scope_type: str
    scope_id: int

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
    summary: str | None = None
    lead_account_id: str | None = None
    program_id: int | None = None


class MembershipUpdate(TempoInput):
    """The whole new state of a membership; the role defaults to the default team role and
    the commitment to 100."""

    role_id: int | None = None
    commitment_percent: int | None = None
    from_: date | None = Field(default=None, alias="from")
    to: date | None = None


class MembershipInput(MembershipUpdate):
    """A new membership of ``account_id`` in ``team_id``."""

    team_id: int
    account_id: str


class ProgramInput(TempoInput):
    """A program to create, or the whole new state of one: ``team_ids`` lists every team
    in it."""

    name: str
    manager_account_id: str | None = None
    team_ids: tuple[int, ...] = ()
