"""Teams: the team CRUD, a team's members, its permissions and its links."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from gateway.emulators._tempo_http import (
    JSON,
    collection,
    found,
    int_id,
    no_content,
    read_body,
    route,
)
from gateway.emulators._tempo_memberships import render_membership, render_team_member
from gateway.emulators._tempo_store import (
    JIRA,
    MembershipRec,
    Site,
    TeamLinkRec,
    TeamRec,
    TempoState,
    body_user,
    project_url,
    user_ref,
)
from gateway.emulators.cast import TempoAccount

BROWSE, APPROVE, PLAN = (
    "tempo.teams.browse.team",
    "tempo.timesheets.approve.timesheet",
    "tempo.planner.plan.permission",
)
PERMISSIONS = (BROWSE, APPROVE, PLAN)


def permission_holders(state: TempoState, team: TeamRec, key: str) -> list[TempoAccount]:
    """Who holds a team permission, derived from the team (the docs say the API to grant
    them was removed): its lead plans; its lead and its program's manager approve
    timesheets; those and every current member browse it."""
    people: list[TempoAccount] = [team.lead] if team.lead else []
    if key == PLAN:
        return people
    program = state.programs.get(team.program_id) if team.program_id is not None else None
    if program and program.manager:
        people.append(program.manager)
    if key == BROWSE:
        active = state.memberships_in(team.id).values()
        people.extend(ms[0].user for ms in active if any(m.active_on(state.today) for m in ms))
    return list(dict.fromkeys(people))


def reviewers_of(state: TempoState, user: TempoAccount) -> list[TempoAccount]:
    """Users with the approve-timesheet permission in the teams `user` is a member of now."""
    teams = [
        state.teams[m.team_id]
        for m in state.memberships.values()
        if m.user == user and m.active_on(state.today)
    ]
    found_people = [p for t in teams for p in permission_holders(state, t, APPROVE)]
    return list(dict.fromkeys(found_people))


def render_team(site: Site, team: TeamRec) -> JSON:
    doc = site.team_ref(team.id)
    if team.summary:
        doc["summary"] = team.summary
    if team.lead:
        doc["lead"] = user_ref(team.lead)
    if team.program_id is not None:
        doc["program"] = site.program_ref(team.program_id)
    for part in ("links", "members", "permissions"):
        doc[part] = {"self": f"{site.base}teams/{team.id}/{part}"}
    return doc


def render_permission(site: Site, team: TeamRec, key: str) -> JSON:
    own = f"{site.base}teams/{team.id}/permissions/{key}"
    users = [user_ref(u) for u in permission_holders(site.state, team, key)]
    return {"self": own, "key": key, "users": {"self": f"{own}/users", "values": users}}


def render_link(site: Site, link: TeamLinkRec) -> JSON:
    if link.scope_type == "PROJECT":
        scope_url = project_url(link.scope_id)
    else:
        scope_url = f"{JIRA}/rest/agile/1.0/board/{link.scope_id}"
    return {
        "self": f"{site.base}team-links/{link.id}",
        "id": link.id,
        "team": site.team_ref(link.team_id),
        "scope": {"self": scope_url, "id": link.scope_id, "type": link.scope_type},
    }


def seed_team_links(state: TempoState) -> None:
    """Every team works on its Jira project; the first team also plans on a Scrum board."""
    links = [TeamLinkRec(0, p.team_id, "PROJECT", p.id) for p in state.projects]
    first = min(state.teams, default=None)
    if first is not None:
        links.append(TeamLinkRec(0, first, "BOARD", first))
    links.sort(key=lambda ln: (ln.team_id, ln.scope_type != "PROJECT"))
    for n, link in enumerate(links, 1):
        state.team_links[n] = replace(link, id=n)


class TeamsApi:
    def __init__(self, state: TempoState) -> None:
        self.state = state

    def routes(self) -> list[Route]:
        return [
            route("/teams", GET=self.list_teams, POST=self.create_team),
            route("/teams/{id}", GET=self.get_team, PUT=self.update_team,
                  DELETE=self.delete_team),
            route("/teams/{id}/members", GET=self.list_members),
            route("/teams/{id}/members/{account_id}", GET=self.get_member),
            route("/teams/{id}/members/{account_id}/memberships", GET=self.list_memberships),
            route("/teams/{id}/permissions", GET=self.list_permissions),
            route("/teams/{id}/permissions/{key}", GET=self.get_permission),
            route("/teams/{id}/links", GET=self.list_links),
            route("/team-links/{id}", GET=self.get_link, DELETE=self.delete_link),
        ]  # fmt: skip

    def _team(self, request: Request) -> TeamRec:
        return found(self.state.teams.get(int_id(request.path_params["id"])), "Team not found")

    def _member(self, request: Request) -> tuple[TeamRec, list[MembershipRec]]:
        team = self._team(request)
        memberships = self.state.memberships_in(team.id).get(request.path_params["account_id"])
        # "Team cannot be found in the system or user is not a member of this team"
        return team, found(memberships or None, "Team not found")

    # -- teams ------------------------------------------------------------------------------------

    async def list_teams(self, request: Request) -> Response:
        site = Site.of(self.state, request)
        return collection(request, [render_team(site, t) for t in self.state.teams.values()])

    async def get_team(self, request: Request) -> Response:
        return JSONResponse(render_team(Site.of(self.state, request), self._team(request)))

    async def _fields(self, request: Request, team_id: int) -> TeamRec:
        """A team from a POST or PUT body; PUT replaces every field, so omitted ones clear."""
        body = await read_body(request)
        name = body.text("name", required="Team name is required")
        summary = body.text("summary")
        lead = body_user(self.state, body, "leadAccountId")
        program_id = body.integer("programId")
        if program_id is not None and program_id not in self.state.programs:
            body.problem("Program not found")
        taken = [t for t in self.state.teams.values() if t.name == name and t.id != team_id]
        if taken:
            body.problem(f"Team with that name ('{name}') already exists")
        body.check()
        assert name is not None
        return TeamRec(team_id, name, summary or None, lead, program_id)

    async def create_team(self, request: Request) -> Response:
        team = await self._fields(request, self.state.new_id("team", self.state.teams))
        self.state.teams[team.id] = team
        return JSONResponse(render_team(Site.of(self.state, request), team))

    async def update_team(self, request: Request) -> Response:
        team = await self._fields(request, self._team(request).id)
        self.state.teams[team.id] = team
        return JSONResponse(render_team(Site.of(self.state, request), team))

    async def delete_team(self, request: Request) -> Response:
        team = self._team(request)
        del self.state.teams[team.id]
        for table in (self.state.memberships, self.state.team_links):
            for key in [k for k, v in table.items() if v.team_id == team.id]:
                del table[key]
        return no_content()

    # -- members ----------------------------------------------------------------------------------

    async def list_members(self, request: Request) -> Response:
        team, site = self._team(request), Site.of(self.state, request)
        members = self.state.memberships_in(team.id).values()
        return collection(request, [render_team_member(site, team, ms) for ms in members])

    async def get_member(self, request: Request) -> Response:
        team, memberships = self._member(request)
        return JSONResponse(render_team_member(Site.of(self.state, request), team, memberships))

    async def list_memberships(self, request: Request) -> Response:
        _, memberships = self._member(request)
        memberships = sorted(memberships, key=lambda m: m.start or date.min)
        site = Site.of(self.state, request)
        return collection(request, [render_membership(site, m, brief=True) for m in memberships])

    # -- permissions and links --------------------------------------------------------------------

    async def list_permissions(self, request: Request) -> Response:
        team, site = self._team(request), Site.of(self.state, request)
        return collection(request, [render_permission(site, team, k) for k in PERMISSIONS])

    async def get_permission(self, request: Request) -> Response:
        team, key = self._team(request), request.path_params["key"]
        found(key if key in PERMISSIONS else None, f"Permission {key} not found")
        return JSONResponse(render_permission(Site.of(self.state, request), team, key))

    async def list_links(self, request: Request) -> Response:
        team, site = self._team(request), Site.of(self.state, request)
        links = [ln for ln in self.state.team_links.values() if ln.team_id == team.id]
        return collection(request, [render_link(site, ln) for ln in links])

    async def get_link(self, request: Request) -> Response:
        link = self._link(request)
        return JSONResponse(render_link(Site.of(self.state, request), link))

    async def delete_link(self, request: Request) -> Response:
        del self.state.team_links[self._link(request).id]
        return no_content()

    def _link(self, request: Request) -> TeamLinkRec:
        wanted = int_id(request.path_params["id"])
        return found(self.state.team_links.get(wanted), "Team link not found")
