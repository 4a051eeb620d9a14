"""The Tempo client's team side: teams, members, memberships, roles, programs, team
permissions and team links."""

from __future__ import annotations

from resolvers.backends.tempo_base import TempoBase, seg
from resolvers.backends.tempo_teams_models import (
    Membership,
    MembershipInput,
    MembershipUpdate,
    Program,
    ProgramInput,
    Role,
    Team,
    TeamInput,
    TeamLink,
    TeamMember,
    TeamPermission,
    TeamRef,
)


class TempoTeams(TempoBase):
    # -- teams ------------------------------------------------------------------------------------

    async def list_teams(self) -> list[Team]:
        """All teams the token's user may browse, each with its lead and program."""
        return await self._list("/teams", Team)

    async def get_team(self, team_id: int) -> Team | None:
        return await self.get_optional(f"/teams/{team_id}", Team)

    async def create_team(self, team: TeamInput) -> Team:
        return await self._write("POST", "/teams", Team, team)

    async def update_team(self, team_id: int, team: TeamInput) -> Team:
        """Replaces the whole team: fields left out of `team` are cleared."""
        return await self._write("PUT", f"/teams/{team_id}", Team, team)

    async def delete_team(self, team_id: int) -> None:
        await self._delete(f"/teams/{team_id}")

    # -- members and memberships ------------------------------------------------------------------

    async def list_team_members(self, team_id: int) -> list[TeamMember]:
        """The team's members with their active membership (``None`` for former members)."""
        return await self._list_or_empty(f"/teams/{team_id}/members", TeamMember)

    async def get_team_member(self, team_id: int, account_id: str) -> TeamMember | None:
        """``None`` when the team does not exist or the user is not a member of it."""
        return await self.get_optional(f"/teams/{team_id}/members/{seg(account_id)}", TeamMember)

    async def list_memberships(self, team_id: int, account_id: str) -> list[Membership]:
        """Every membership period of a user in a team (``member`` is ``None`` here)."""
        path = f"/teams/{team_id}/members/{seg(account_id)}/memberships"
        return await self._list_or_empty(path, Membership)

    async def get_membership(self, membership_id: int) -> Membership | None:
        return await self.get_optional(f"/team-memberships/{membership_id}", Membership)

    async def create_membership(self, membership: MembershipInput) -> Membership:
        return await self._write("POST", "/team-memberships", Membership, membership)

    async def update_membership(
        self, membership_id: int, membership: MembershipUpdate
    ) -> Membership:
        """Replaces the membership's role, commitment and dates (team and user stay)."""
        path = f"/team-memberships/{membership_id}"
        return await self._write("PUT", path, Membership, membership)

    async def delete_membership(self, membership_id: int) -> None:
        await self._delete(f"/team-memberships/{membership_id}")

    # -- roles ------------------------------------------------------------------------------------

    async def list_roles(self) -> list[Role]:
        return await self._list("/roles", Role)

    async def get_role(self, role_id: int) -> Role | None:
        return await self.get_optional(f"/roles/{role_id}", Role)

    async def create_role(self, name: str) -> Role:
        return await self._write("POST", "/roles", Role, {"name": name})

    async def update_role(self, role_id: int, name: str) -> Role:
        return await self._write("PUT", f"/roles/{role_id}", Role, {"name": name})

    async def delete_role(self, role_id: int) -> None:
        await self._delete(f"/roles/{role_id}")

    # -- programs ---------------------------------------------------------------------------------

    async def list_programs(self) -> list[Program]:
        return await self._list("/programs", Program)

    async def get_program(self, program_id: int) -> Program | None:
        return await self.get_optional(f"/programs/{program_id}", Program)

    async def list_program_teams(self, program_id: int) -> list[TeamRef]:
        return await self._list_or_empty(f"/programs/{program_id}/teams", TeamRef)

    async def create_program(self, program: ProgramInput) -> Program:
        return await self._write("POST", "/programs", Program, program)

    async def update_program(self, program_id: int, program: ProgramInput) -> Program:
        """Replaces the whole program; ``team_ids`` is its complete list of teams."""
        return await self._write("PUT", f"/programs/{program_id}", Program, program)

    async def delete_program(self, program_id: int) -> None:
        await self._delete(f"/programs/{program_id}")

    # -- permissions and links --------------------------------------------------------------------

    async def list_team_permissions(self, team_id: int) -> list[TeamPermission]:
        return await self._list_or_empty(f"/teams/{team_id}/permissions", TeamPermission)

    async def get_team_permission(self, team_id: int, key: str) -> TeamPermission | None:
        """``None`` when the team or the permission does not exist."""
        path = f"/teams/{team_id}/permissions/{seg(key)}"
        return await self.get_optional(path, TeamPermission)

    async def list_team_links(self, team_id: int) -> list[TeamLink]:
        """A team's links (``/teams/{id}/links``: referenced by every team, undocumented)."""
        return await self._list_or_empty(f"/teams/{team_id}/links", TeamLink)

    async def get_team_link(self, link_id: int) -> TeamLink | None:
        return await self.get_optional(f"/team-links/{link_id}", TeamLink)

    async def delete_team_link(self, link_id: int) -> None:
        await self._delete(f"/team-links/{link_id}")
