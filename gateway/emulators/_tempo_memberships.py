"""Team memberships (who is in which team, in which role, when) and the team roles."""

from __future__ import annotations

from dataclasses import replace

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from gateway.emulators._tempo_http import (
    JSON,
    TempoError,
    collection,
    found,
    int_id,
    no_content,
    read_body,
    route,
)
from gateway.emulators._tempo_store import (
    MembershipRec,
    RoleRec,
    Site,
    TeamRec,
    TempoState,
    body_user,
    user_ref,
)

# The roles a new emulator starts with; the cast's Member.role names map onto these.
ROLE_NAMES = ("Default team role", "Team Lead", "Developer", "Designer", "Tester")


def render_role(site: Site, role: RoleRec) -> JSON:
    return {**site.role_ref(role.id), "default": role.default}


def render_membership(site: Site, m: MembershipRec, *, brief: bool = False) -> JSON:
    """`brief`: as in a member's membership list, team and member carry `self` only."""
    member = user_ref(m.user)
    return {
        "self": f"{site.base}team-memberships/{m.id}",
        "id": m.id,
        "commitmentPercent": m.commitment_percent,
        "from": m.start.isoformat() if m.start else None,
        "to": m.end.isoformat() if m.end else None,
        "role": site.role_ref(m.role_id),
        "team": site.team_ref(m.team_id, brief=brief),
        "member": {"self": member["self"]} if brief else member,
    }


def render_team_member(site: Site, team: TeamRec, memberships: list[MembershipRec]) -> JSON:
    """A member of a team with the membership active today (omitted when there is none)."""
    user = memberships[0].user
    own = f"{site.base}teams/{team.id}/members/{user.account_id}"
    links: JSON = {"self": f"{own}/memberships"}
    active = next((m for m in memberships if m.active_on(site.state.today)), None)
    if active:
        doc = render_membership(site, active)
        links["active"] = {k: v for k, v in doc.items() if k not in ("team", "member")}
    return {
        "self": own,
        "team": site.team_ref(team.id, brief=True),
        "member": user_ref(user),
        "memberships": links,
    }


class MembershipsApi:
    def __init__(self, state: TempoState) -> None:
        self.state = state

    def routes(self) -> list[Route]:
        return [
            route("/team-memberships", POST=self.create_membership),
            route("/team-memberships/{id}", GET=self.get_membership,
                  PUT=self.update_membership, DELETE=self.delete_membership),
            route("/roles", GET=self.list_roles, POST=self.create_role),
            route("/roles/{id}", GET=self.get_role, PUT=self.update_role,
                  DELETE=self.delete_role),
        ]  # fmt: skip

    # -- memberships ------------------------------------------------------------------------------

    def _membership(self, request: Request) -> MembershipRec:
        raw = request.path_params["id"]
        found_one = self.state.memberships.get(int_id(raw))
        return found(found_one, f"Membership with id '{raw}' does not exist")

    async def _fields(self, request: Request, current: MembershipRec | None) -> MembershipRec:
        """A membership from a POST body, or a PUT body replacing `current`'s period."""
        body = await read_body(request)
        team_id, user = (current.team_id, current.user) if current else (None, None)
        if current is None:
            team_id = body.integer("teamId", required=True)
            user = body_user(self.state, body, "accountId", required=True)
            if team_id is not None and team_id not in self.state.teams:
                body.problem("Team not found")
        role_id = body.integer("roleId")
        if role_id is not None and role_id not in self.state.roles:
            body.problem("Role not found")
        commitment = body.integer("commitmentPercent")
        if commitment is not None and not 0 <= commitment <= 100:
            body.problem("commitmentPercent must be between 0 and 100")
        start, end = body.day("from"), body.day("to")
        if start and end and end < start:
            body.problem("'from' must not be after 'to'")
        body.check()
        assert team_id is not None and user is not None
        own_id = current.id if current else self.state.new_id("membership", self.state.memberships)
        others = self.state.memberships_in(team_id).get(user.account_id, [])
        if any(m.id != own_id and m.overlaps(start, end) for m in others):
            raise TempoError(400, "User is already a member of this team on this date.")
        role = role_id if role_id is not None else self.state.default_role().id
        pct = 100 if commitment is None else commitment
        return MembershipRec(own_id, team_id, user, role, pct, start, end)

    async def create_membership(self, request: Request) -> Response:
        membership = await self._fields(request, None)
        self.state.memberships[membership.id] = membership
        return JSONResponse(render_membership(Site.of(self.state, request), membership))

    async def get_membership(self, request: Request) -> Response:
        membership = self._membership(request)
        return JSONResponse(render_membership(Site.of(self.state, request), membership))

    async def update_membership(self, request: Request) -> Response:
        membership = await self._fields(request, self._membership(request))
        self.state.memberships[membership.id] = membership
        return JSONResponse(render_membership(Site.of(self.state, request), membership))

    async def delete_membership(self, request: Request) -> Response:
        del self.state.memberships[self._membership(request).id]
        return no_content()

    # -- roles ------------------------------------------------------------------------------------

    def _role(self, request: Request) -> RoleRec:
        return found(self.state.roles.get(int_id(request.path_params["id"])), "Role not found")

    async def _name(self, request: Request) -> str:
        body = await read_body(request)
        name = body.text("name", required="Role name cannot be blank")
        body.check()
        assert name is not None
        return name

    async def list_roles(self, request: Request) -> Response:
        site = Site.of(self.state, request)
        return collection(request, [render_role(site, r) for r in self.state.roles.values()])

    async def get_role(self, request: Request) -> Response:
        return JSONResponse(render_role(Site.of(self.state, request), self._role(request)))

    async def create_role(self, request: Request) -> Response:
        name = await self._name(request)
        role = RoleRec(self.state.new_id("role", self.state.roles), name, default=False)
        self.state.roles[role.id] = role
        return JSONResponse(render_role(Site.of(self.state, request), role))

    async def update_role(self, request: Request) -> Response:
        role = self._role(request)
        role = self.state.roles[role.id] = replace(role, name=await self._name(request))
        return JSONResponse(render_role(Site.of(self.state, request), role))

    async def delete_role(self, request: Request) -> Response:
        role = self._role(request)
        if role.default:
            raise TempoError(400, "The default team role cannot be deleted")
        del self.state.roles[role.id]
        fallback = self.state.default_role().id
        for m in list(self.state.memberships.values()):
            if m.role_id == role.id:  # its members keep their memberships, in the default role
                self.state.memberships[m.id] = replace(m, role_id=fallback)
        return no_content()
