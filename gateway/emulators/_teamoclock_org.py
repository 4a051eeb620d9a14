"""The Team O'clock emulator's members, teams and team membership: reads and writes."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from gateway.emulators._teamoclock_http import (
    ApiError,
    api_root,
    body_data,
    body_fields,
    lookup,
    no_content,
    ok,
    reference,
)
from gateway.emulators._teamoclock_store import JsonObject, Store

# The documented body fields, in the order responses show them.
_MEMBER: dict[str, type] = {
    "username": str,
    "first_name": str,
    "last_name": str,
    "avatar": str,
    "email": str,
    "role": str,
}
_TEAM: dict[str, type] = {"name": str, "slug": str, "video_url": str, "mood_enabled": bool}
ROLES = ("administrator", "manager", "member")


def _new_key(name: object, taken: dict[str, JsonObject]) -> str:
    """A new username or slug: one path segment, not in use (else the documented 400)."""
    if not isinstance(name, str) or not name.strip() or "/" in name or name in taken:
        raise ApiError(400)
    return name


def _same_key(changes: JsonObject, key: str, current: str) -> None:
    """A PATCH may repeat the username or slug, but not change it (catalog §1.4-15)."""
    if changes.get(key, current) != current:
        raise ApiError(400)


def _check_role(fields: JsonObject) -> None:
    if fields.get("role", "member") not in ROLES:
        raise ApiError(400)


class Org:
    """``/members``, ``/teams`` and ``/teams/{slug}/members``, over one app's store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- members ------------------------------------------------------------------------------

    async def members(self, request: Request) -> Response:
        root = api_root(request)
        return ok([self.store.render_member(u, root) for u in self.store.members])

    async def member(self, request: Request) -> Response:
        return ok(self.store.render_member(self.username_of(request)))

    def username_of(self, request: Request) -> str:
        return str(lookup(self.store.members, request.path_params["username"])["username"])

    async def create_member(self, request: Request) -> Response:
        fields = await body_fields(request, _MEMBER, required=["username"])
        username = _new_key(fields["username"], self.store.members)
        _check_role(fields)
        fields.setdefault("role", "member")  # the documented default
        self.store.members[username] = fields
        return ok(self.store.render_member(username, api_root(request)), 201)

    async def update_member(self, request: Request) -> Response:
        username = self.username_of(request)
        changes = await body_fields(request, _MEMBER)
        _same_key(changes, "username", username)
        _check_role(changes)
        self.store.members[username].update(changes)
        return ok(self.store.render_member(username))

    async def delete_member(self, request: Request) -> Response:
        self.store.delete_member(self.username_of(request))
        return no_content()

    # -- teams --------------------------------------------------------------------------------

    async def teams(self, request: Request) -> Response:
        root = api_root(request)
        return ok([self.store.render_team(slug, root) for slug in self.store.teams])

    async def team(self, request: Request) -> Response:
        return ok(self.store.render_team(self.slug_of(request)))

    def slug_of(self, request: Request) -> str:
        return str(lookup(self.store.teams, request.path_params["slug"])["slug"])

    async def create_team(self, request: Request) -> Response:
        fields = await body_fields(request, _TEAM, required=["name", "slug"])
        slug = _new_key(fields["slug"], self.store.teams)
        self.store.teams[slug] = fields
        self.store.team_members[slug] = []
        self.store.former_teams.pop(slug, None)  # a slug used again is that team again
        return ok(self.store.render_team(slug, api_root(request)), 201)

    async def update_team(self, request: Request) -> Response:
        slug = self.slug_of(request)
        changes = await body_fields(request, _TEAM)
        _same_key(changes, "slug", slug)
        if changes.get("name", "x") == "":  # a team keeps a name
            raise ApiError(400)
        self.store.teams[slug].update(changes)
        return ok(self.store.render_team(slug))

    async def delete_team(self, request: Request) -> Response:
        self.store.delete_team(self.slug_of(request))
        return no_content()

    # -- team membership ----------------------------------------------------------------------

    async def team_members(self, request: Request) -> Response:
        root = api_root(request)
        usernames = self.store.team_members[self.slug_of(request)]
        return ok([self.store.render_member(u, root) for u in usernames])

    async def add_team_members(self, request: Request) -> Response:
        """Add members (in the order given); ones already in the team stay where they are."""
        team = self.store.team_members[self.slug_of(request)]
        for username in await self.usernames_in(request, known_only=True):
            if username not in team:
                team.append(username)
        return no_content()

    async def remove_team_members(self, request: Request) -> Response:
        """Remove members; naming someone who is not in the team changes nothing."""
        team = self.store.team_members[self.slug_of(request)]
        gone = set(await self.usernames_in(request, known_only=False))
        team[:] = [u for u in team if u not in gone]
        return no_content()

    async def usernames_in(self, request: Request, *, known_only: bool) -> list[str]:
        """The names in a ``{"data": [{"username": ...}]}`` body; 400 if it is not one (or,
        with `known_only`, if it names someone who is not a member of the organisation)."""
        data = await body_data(request)
        if not isinstance(data, list):
            raise ApiError(400)
        table = self.store.members if known_only else None
        return [reference(entry, "username", table, missing=400) for entry in data]
