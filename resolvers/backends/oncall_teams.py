"""oncall teams: the team itself, its members, admins and services, and who is on call."""

from __future__ import annotations

from collections.abc import Sequence

from resolvers.backends.base import gather_limited
from resolvers.backends.errors import BadRequest
from resolvers.backends.oncall_base import CREATED, OncallBase, given, path
from resolvers.backends.oncall_models import OncallEntry, TeamDetail, TeamSummary, User, _Pair


class OncallTeams(OncallBase):
    async def list_team_names(self) -> list[str]:
        """Names of all active teams."""
        return await self._names("/teams")

    async def list_team_ids(self) -> dict[str, int]:
        """``{team name: team id}`` for all active teams, in one call on 2.x servers.

        Servers older than ``get_id`` answer bare names; then each team is fetched (trimmed
        to its base columns), at most 8 at a time.
        """
        data = await self.get_json("/teams", params={"get_id": "true"})
        pairs: list[tuple[str, int] | str] = self.parse(
            list[tuple[str, int] | str], data, where="GET /teams?get_id=true"
        )
        if all(isinstance(p, tuple) for p in pairs):
            return dict(p for p in pairs if isinstance(p, tuple))
        names = [p if isinstance(p, str) else p[0] for p in pairs]
        teams = await gather_limited(self.get_team(n, fields=["id"]) for n in names)
        return {t.name: t.id for t in teams if t is not None}

    async def create_team(
        self, name: str, *, scheduling_timezone: str, admin: str | None = None,
        email: str | None = None, slack_channel: str | None = None,
        slack_channel_notifications: str | None = None, description: str | None = None,
        iris_plan: str | None = None, iris_enabled: bool | None = None,
        override_phone_number: str | None = None,
    ) -> None:  # fmt: skip
        """Create a team. Its creator becomes admin and member: signed (HMAC) requests must
        name an existing user as ``admin``; a logged-in user becomes it themselves."""
        body = given(
            name=name, scheduling_timezone=scheduling_timezone, admin=admin, email=email,
            slack_channel=slack_channel, slack_channel_notifications=slack_channel_notifications,
            description=description, iris_plan=iris_plan, iris_enabled=iris_enabled,
            override_phone_number=override_phone_number,
        )  # fmt: skip
        await self._write("POST", "/teams", body, expect=CREATED)

    async def get_team(
        self, name: str, *, fields: Sequence[str] | None = None
    ) -> TeamDetail | None:
        """One team with its users, admins, services and rosters (or only ``fields`` of them).

        ``fields`` picks among ``users``, ``admins``, ``services``, ``rosters``; any other value
        trims the answer to the base columns.
        """
        params = {"fields": sorted(set(fields))} if fields is not None else None
        return await self.get_optional(path("teams", name), TeamDetail, params=params)

    async def update_team(
        self, name: str, *, new_name: str | None = None, email: str | None = None,
        slack_channel: str | None = None, slack_channel_notifications: str | None = None,
        scheduling_timezone: str | None = None, description: str | None = None,
        iris_plan: str | None = None, iris_enabled: bool | None = None,
        override_phone_number: str | None = None, api_managed_roster: bool | None = None,
    ) -> None:  # fmt: skip
        """Change the given columns. 2.1.7 answers 200 for an unknown team (and changes
        nothing); ``scheduling_timezone`` must be one the server supports."""
        body = given(
            name=new_name, email=email, slack_channel=slack_channel,
            slack_channel_notifications=slack_channel_notifications,
            scheduling_timezone=scheduling_timezone, description=description,
            iris_plan=iris_plan, iris_enabled=iris_enabled,
            override_phone_number=override_phone_number, api_managed_roster=api_managed_roster,
        )  # fmt: skip
        if not body:
            raise BadRequest("update_team needs at least one field to change")
        await self._write("PUT", path("teams", name), body)

    async def delete_team(self, name: str) -> None:
        """Soft-delete a team: it is renamed and deactivated, its name free for reuse."""
        await self._write("DELETE", path("teams", name))

    # -- members, admins, services ---------------------------------------------------------

    async def list_team_users(self, team: str) -> list[str]:
        """Usernames of a team's members, by user id; ``[]`` if the team is unknown."""
        return await self._names(path("teams", team, "users"))

    async def add_team_user(self, team: str, user: str) -> User:
        """Make ``user`` a member of ``team`` (deprecated upstream, "for testing")."""
        return await self._create(path("teams", team, "users"), {"name": user}, User)

    async def delete_team_user(self, team: str, user: str) -> None:
        """End a membership (roster places and admin rights stay)."""
        await self._write("DELETE", path("teams", team, "users", user))

    async def list_team_admins(self, team: str) -> list[str]:
        return await self._names(path("teams", team, "admins"))

    async def add_team_admin(self, team: str, user: str) -> User:
        """Make ``user`` an admin (and a member) of ``team``; answers the user."""
        return await self._create(path("teams", team, "admins"), {"name": user}, User)

    async def delete_team_admin(self, team: str, user: str) -> None:
        """Revoke admin rights; the user leaves the team unless they are in a roster."""
        await self._write("DELETE", path("teams", team, "admins", user))

    async def list_team_services(self, team: str) -> list[str]:
        return await self._names(path("teams", team, "services"))

    async def add_team_service(self, team: str, service: str) -> None:
        """Map an existing service to ``team`` (a service belongs to one team at most)."""
        await self._write("POST", path("teams", team, "services"), {"name": service},
                          expect=CREATED)  # fmt: skip

    async def delete_team_service(self, team: str, service: str) -> None:
        await self._write("DELETE", path("teams", team, "services", service))

    # -- who is on call ----------------------------------------------------------------------

    async def list_oncall(self, team: str, role: str | None = None) -> list[OncallEntry]:
        """Who is on call for ``team`` right now (optionally one role), with contacts."""
        parts = ("teams", team, "oncall") + ((role,) if role else ())
        entries = await self.get_model(path(*parts), list[OncallEntry])
        # Docs-era answers lack team and role; we know both from the question.
        return [e.model_copy(update={"team": e.team or team, "role": e.role or role})
                for e in entries]  # fmt: skip

    async def get_team_summary(self, team: str) -> TeamSummary | None:
        """Current and next shifts by role; ``None`` for an unknown team."""
        return await self.get_optional(path("teams", team, "summary"), TeamSummary)

    async def list_team_memberships(self) -> list[tuple[str, str]]:
        """Every ``(team, username)`` membership, in one call."""
        pairs = await self.get_model("/team_users", list[_Pair])
        return [(p.team, p.user) for p in pairs if p.user is not None]

    async def list_service_assignments(self) -> list[tuple[str, str]]:
        """Every ``(team, service)`` mapping, in one call."""
        pairs = await self.get_model("/team_services", list[_Pair])
        return [(p.team, p.service) for p in pairs if p.service is not None]
