"""Team O'clock members, teams and team membership: ``/members`` and ``/teams``."""

from __future__ import annotations

from collections.abc import Iterable

from resolvers.backends.teamoclock_base import (
    TeamOclockBase,
    data_of,
    given,
    segment,
    usernames_body,
)
from resolvers.backends.teamoclock_models import Data, Member, MemberRole, Team


class OrgMethods(TeamOclockBase):
    """People are keyed by ``username`` and teams by ``slug``; neither can be changed."""

    # -- members ------------------------------------------------------------------------------

    async def list_members(self) -> list[Member]:
        return (await self.get_model("/members", Data[list[Member]])).data

    async def get_member(self, username: str) -> Member | None:
        return data_of(await self.get_optional(f"/members/{segment(username)}", Data[Member]))

    async def create_member(
        self, username: str, *, first_name: str | None = None, last_name: str | None = None,
        avatar: str | None = None, email: str | None = None, role: MemberRole | None = None,
    ) -> Member:  # fmt: skip
        """Add a member to the organisation; ``role`` defaults to ``member`` upstream.

        A username already in use is rejected (``UpstreamRejected``).
        """
        body = given(username=username, first_name=first_name, last_name=last_name,
                     avatar=avatar, email=email, role=role)  # fmt: skip
        return await self._write("POST", "/members", Data[Member], body, expect=201)

    async def update_member(
        self, username: str, *, first_name: str | None = None, last_name: str | None = None,
        avatar: str | None = None, email: str | None = None, role: MemberRole | None = None,
    ) -> Member:  # fmt: skip
        """Change the fields given (the others stay); ``UpstreamNotFound`` if no such member."""
        body = given(first_name=first_name, last_name=last_name, avatar=avatar, email=email,
                     role=role)  # fmt: skip
        return await self._write("PATCH", f"/members/{segment(username)}", Data[Member], body)

    async def delete_member(self, username: str) -> None:
        """Remove a member from the organisation, and so from every team."""
        await self._delete(f"/members/{segment(username)}")

    # -- teams --------------------------------------------------------------------------------

    async def list_teams(self) -> list[Team]:
        return (await self.get_model("/teams", Data[list[Team]])).data

    async def get_team(self, slug: str) -> Team | None:
        return data_of(await self.get_optional(f"/teams/{segment(slug)}", Data[Team]))

    async def create_team(
        self, name: str, slug: str, *, video_url: str | None = None,
        mood_enabled: bool | None = None,
    ) -> Team:  # fmt: skip
        """Create a team with no members; a slug already in use is rejected."""
        body = given(name=name, slug=slug, video_url=video_url, mood_enabled=mood_enabled)
        return await self._write("POST", "/teams", Data[Team], body, expect=201)

    async def update_team(
        self, slug: str, *, name: str | None = None, video_url: str | None = None,
        mood_enabled: bool | None = None,
    ) -> Team:  # fmt: skip
        """Change the fields given; ``UpstreamNotFound`` if no such team."""
        body = given(name=name, video_url=video_url, mood_enabled=mood_enabled)
        return await self._write("PATCH", f"/teams/{segment(slug)}", Data[Team], body)

    async def delete_team(self, slug: str) -> None:
        """Delete a team (its active meetings end with it)."""
        await self._delete(f"/teams/{segment(slug)}")

    # -- team membership ----------------------------------------------------------------------

    async def list_team_members(self, slug: str) -> list[Member]:
        """Members of team `slug`; raises ``UpstreamNotFound`` if the team does not exist."""
        path = f"/teams/{segment(slug)}/members"
        return (await self.get_model(path, Data[list[Member]])).data

    async def add_team_members(self, slug: str, usernames: Iterable[str]) -> None:
        """Add organisation members to the team (ones already in it stay)."""
        body = usernames_body(usernames)
        await self.send("POST", f"/teams/{segment(slug)}/members", json={"data": body},
                        expect=(204,))  # fmt: skip

    async def remove_team_members(self, slug: str, usernames: Iterable[str]) -> None:
        """Take members out of the team (they stay in the organisation)."""
        await self._delete(f"/teams/{segment(slug)}/members", data=usernames_body(usernames))
