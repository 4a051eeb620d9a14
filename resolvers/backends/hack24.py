"""A typed client for the Hack24 API (JSON:API, documentation of 2016-02-19).

Hack24 knows users and teams by slug (``barry``, ``refactor-tractor``); a user is in at most
one team, and each membership carries the moment the user joined. Use it as::

    client = Hack24Client(http)  # http: httpx.AsyncClient with base_url (and auth, if any)
    users = await client.list_users()  # everyone with team_id and joined, in one call
    team = await client.get_team("refactor-tractor")  # None when Hack24 says 404

The API neither paginates nor filters, so every list is one call. Requests carry
``application/vnd.api+json`` as JSON:API asks. The docs list no errors; JSON:API error
documents are read into one line, each ``detail`` after its ``source.pointer``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Annotated, Generic, TypeVar

import httpx
from pydantic import AliasPath, BaseModel, BeforeValidator, ConfigDict, Field

from resolvers.backends.base import BaseClient
from resolvers.backends.errors import UpstreamBadResponse


def _joined(value: object) -> datetime | None:
    """A documented join timestamp (``2016-01-23T12:00:00.0000000Z``, 7 fractional digits).

    The docs' own example has ``2016-01-45T...``: an impossible date is read as unknown
    (None) rather than failing the whole document it sits in.
    """
    if value is None or isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            # Python 3.11 reads "Z" and truncates fractions past microseconds.
            moment = datetime.fromisoformat(value)
        except ValueError:
            return None
    else:
        raise ValueError(f"expected a timestamp string, got {type(value).__name__}")
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)  # the API speaks UTC ("Z")
    return moment.astimezone(UTC)


Joined = Annotated[datetime | None, BeforeValidator(_joined)]


class _Model(BaseModel):
    # Attribute docstrings become field descriptions, here and in the GraphQL types
    # derived from these models (schema/services).
    model_config = ConfigDict(
        populate_by_name=True, extra="ignore", frozen=True, use_attribute_docstrings=True
    )


class MemberLink(_Model):
    """One membership as JSON:API linkage: ``{"type", "id", "meta": {"joined"}}``.

    In a team's ``members`` the id is a user's; in a user's ``team`` it is the team's.
    """

    id: str
    joined: Joined = Field(default=None, validation_alias=AliasPath("meta", "joined"))


class Team(_Model):
    """A ``teams`` resource. ``members`` is empty when the document carries no linkage."""

    id: str
    """Hack24's id of the team: a slug Hack24 derived from its name ("refactor-tractor")."""
    name: str = Field(validation_alias=AliasPath("attributes", "name"))
    """The team's name, e.g. "Refactor Tractor"."""
    members: list[MemberLink] = Field(
        default_factory=list, validation_alias=AliasPath("relationships", "members", "data")
    )
    """Who is in the team and when they joined, as the document links them."""


class User(_Model):
    """A ``users`` resource, with its one team (if any) and when it joined it."""

    id: str
    """Hack24's id of the user: a slug Hack24 derived from their name ("barry")."""
    name: str = Field(validation_alias=AliasPath("attributes", "name"))
    """The user's name, e.g. "Barry"."""
    team_id: str | None = Field(
        default=None, validation_alias=AliasPath("relationships", "team", "data", "id")
    )
    """The id of the one team the user is in; null when they are in none."""
    joined: Joined = Field(
        default=None,
        validation_alias=AliasPath("relationships", "team", "data", "meta", "joined"),
    )
    """When the user joined their team; null when they are in none, or Hack24 gave no
    valid timestamp."""


MEDIA_TYPE = "application/vnd.api+json"

D = TypeVar("D")
M = TypeVar("M", Team, User)


class _Document(_Model, Generic[D]):
    """A JSON:API top-level document; ``included`` mixes types, so it is sorted out later."""

    data: D
    included: list[dict[str, object]] = Field(default_factory=list)


def _one_error(error: dict[str, object]) -> str:
    said = str(error.get("detail") or error.get("title") or "")
    source = error.get("source")
    where = (source.get("pointer") or source.get("parameter")) if isinstance(source, dict) else None
    return f"{where}: {said}" if where and said else said


def _identifiers(kind: str, ids: Iterable[str]) -> list[dict[str, str]]:
    # Sorted and deduplicated: the request (and so a recorded test) does not depend on order.
    return [{"type": kind, "id": i} for i in sorted(set(ids))]


class Hack24Client(BaseClient):
    """Reads and writes Hack24 users, teams and memberships.

    ``get_*`` return ``None`` when Hack24 answers 404; every other failure raises one of
    :mod:`resolvers.backends.errors` with ``service == "hack24"``.
    """

    service = "hack24"

    # JSON:API clients send and accept its media type, not application/json.
    media_type = MEDIA_TYPE

    # -- reads ----------------------------------------------------------------------------

    async def list_teams(self) -> list[Team]:
        """Every team with its member linkage (one call)."""
        # The docs' example puts a single resource in `data`; a real collection is an array.
        doc = await self.get_model("/teams", _Document[Team | list[Team]])
        return doc.data if isinstance(doc.data, list) else [doc.data]

    async def get_team(self, team_id: str) -> Team | None:
        """One team with its member linkage, or ``None`` if there is no such team."""
        doc = await self.get_optional(f"/teams/{team_id}", _Document[Team])
        return doc.data if doc else None

    async def list_team_members(self, team_id: str) -> list[User]:
        """The team's users with their join dates; raises UpstreamNotFound for no such team."""
        path = f"/teams/{team_id}/members"
        return self._members(team_id, await self.get_model(path, _Document[list[MemberLink]]))

    async def list_users(self) -> list[User]:
        """Every user with their team id and join date, in one call."""
        doc = await self.get_model("/users", _Document[list[User]])
        return doc.data

    async def get_user(self, user_id: str) -> User | None:
        """One user with their team id and join date, or ``None`` if there is no such user."""
        doc = await self.get_optional(f"/users/{user_id}", _Document[User])
        return doc.data if doc else None

    async def get_user_team(self, user_id: str) -> Team | None:
        """The user's team, or ``None`` when the user has no team or does not exist.

        The documented answer includes the team without its member linkage, so ``members``
        is empty here; use :meth:`get_team` or :meth:`list_team_members` for those.
        """
        path = f"/users/{user_id}/team"
        doc = await self.get_optional(path, _Document[MemberLink | None])
        if doc is None or doc.data is None:
            return None
        teams = self._included(Team, "teams", doc.included, where=f"GET {path}")
        found = next((t for t in teams if t.id == doc.data.id), None)
        # A server may leave `included` out; the linkage still names the team.
        return found if found is not None else await self.get_team(doc.data.id)

    # -- writes ---------------------------------------------------------------------------

    async def create_team(self, name: str, *, member_ids: Iterable[str] = ()) -> Team:
        """Create a team; Hack24 derives its id from the name (409 when that id is taken).

        Listed users already in another team are moved into this one.
        """
        body = {
            "data": {
                "type": "teams",
                "attributes": {"name": name},
                "relationships": {"members": {"data": _identifiers("users", member_ids)}},
            }
        }
        response = await self.send("POST", "/teams", json=body, expect=(201,))
        return self.read_model(_Document[Team], response, where="POST /teams").data

    async def add_team_members(self, team_id: str, user_ids: Iterable[str]) -> list[User]:
        """Add users (moving them out of any other team); returns the whole member list."""
        return await self._write_members("POST", team_id, user_ids)

    async def replace_team_members(self, team_id: str, user_ids: Iterable[str]) -> list[User]:
        """Make exactly these users the team's members; returns the new member list."""
        return await self._write_members("PATCH", team_id, user_ids)

    async def remove_team_members(self, team_id: str, user_ids: Iterable[str]) -> None:
        """Remove the listed users from the team (users not in it are ignored)."""
        body = {"data": _identifiers("users", user_ids)}
        await self.send("DELETE", f"/teams/{team_id}/members", json=body, expect=(204,))

    async def create_user(self, name: str, *, team_id: str | None = None) -> User:
        """Create a user, optionally in a team; the id is derived from the name."""
        data: dict[str, object] = {"type": "users", "attributes": {"name": name}}
        if team_id is not None:
            data["relationships"] = {"team": {"data": {"type": "teams", "id": team_id}}}
        response = await self.send("POST", "/users", json={"data": data}, expect=(201,))
        return self.read_model(_Document[User], response, where="POST /users").data

    async def set_user_team(self, user_id: str, team_id: str | None) -> None:
        """Move the user into ``team_id``, or out of any team with ``None``."""
        data = None if team_id is None else {"type": "teams", "id": team_id}
        await self.send("PATCH", f"/users/{user_id}/team", json={"data": data}, expect=(204,))

    # -- errors ---------------------------------------------------------------------------

    def error_detail(self, response: httpx.Response) -> str | None:
        """Every JSON:API error's ``detail`` (or ``title``), after the member it is about.

        ``{"errors": [{"detail": "...", "source": {"pointer": "/data/attributes/name"}}]}``
        reads ``/data/attributes/name: ...``, so a rejected write names the bad field.
        """
        return "; ".join(filter(None, map(_one_error, response.json()["errors"]))) or None

    # -- helpers --------------------------------------------------------------------------

    async def _write_members(
        self, method: str, team_id: str, user_ids: Iterable[str]
    ) -> list[User]:
        path = f"/teams/{team_id}/members"
        response = await self.send(method, path, json={"data": _identifiers("users", user_ids)})
        where = f"{method} {path}"
        doc: _Document[list[MemberLink]] = self.parse(
            _Document[list[MemberLink]], self.decode(response), where=where
        )
        return self._members(team_id, doc)

    def _members(self, team_id: str, doc: _Document[list[MemberLink]]) -> list[User]:
        """Users of a members document: names from ``included``, join dates from linkage."""
        where = f"members of team {team_id!r}"
        names = {u.id: u.name for u in self._included(User, "users", doc.included, where=where)}
        missing = [link.id for link in doc.data if link.id not in names]
        if missing:
            raise UpstreamBadResponse(
                self.service,
                f"{where}: `included` lacks the users {', '.join(missing)} named in `data`",
            )
        return [
            User(id=link.id, name=names[link.id], team_id=team_id, joined=link.joined)
            for link in doc.data
        ]

    def _included(
        self, tp: type[M], kind: str, included: list[dict[str, object]], *, where: str
    ) -> list[M]:
        chosen = [r for r in included if r.get("type") == kind]
        where = f"{where} (included {kind})"
        return [self.parse(tp, resource, where=where) for resource in chosen]
