"""Programs: named groups of teams with a manager. A team belongs to at most one program."""

from __future__ import annotations

from dataclasses import replace

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
from gateway.emulators._tempo_store import ProgramRec, Site, TempoState, body_user, user_ref


def render_program(site: Site, program: ProgramRec) -> JSON:
    doc = site.program_ref(program.id)
    if program.manager:
        doc["manager"] = user_ref(program.manager)
    teams = [site.team_ref(t) for t in site.state.program_teams(program.id)]
    doc["teams"] = {"self": f"{site.base}programs/{program.id}/teams", "values": teams}
    return doc


class ProgramsApi:
    def __init__(self, state: TempoState) -> None:
        self.state = state

    def routes(self) -> list[Route]:
        return [
            route("/programs", GET=self.list_programs, POST=self.create_program),
            route("/programs/{id}", GET=self.get_program, PUT=self.update_program,
                  DELETE=self.delete_program),
            route("/programs/{id}/teams", GET=self.list_program_teams),
        ]  # fmt: skip

    def _program(self, request: Request) -> ProgramRec:
        wanted = int_id(request.path_params["id"])
        return found(self.state.programs.get(wanted), "Program not found")

    async def _save(self, request: Request, program_id: int) -> Response:
        """Stores a program from a POST or PUT body. ``teamIds`` is the whole list: teams it
        names move into this program, teams it leaves out that were in it leave it."""
        body = await read_body(request)
        name = body.text("name", required="Program name is required")
        manager = body_user(self.state, body, "managerAccountId")
        team_ids = body.integers("teamIds")
        for team_id in team_ids:
            if team_id not in self.state.teams:
                body.problem(f"Team with id '{team_id}' not found")
        body.check()
        assert name is not None
        program = self.state.programs[program_id] = ProgramRec(program_id, name, manager)
        for team in list(self.state.teams.values()):
            if team.id in team_ids:
                self.state.teams[team.id] = replace(team, program_id=program_id)
            elif team.program_id == program_id:
                self.state.teams[team.id] = replace(team, program_id=None)
        return JSONResponse(render_program(Site.of(self.state, request), program))

    async def list_programs(self, request: Request) -> Response:
        site = Site.of(self.state, request)
        programs = self.state.programs.values()
        return collection(request, [render_program(site, p) for p in programs])

    async def get_program(self, request: Request) -> Response:
        return JSONResponse(render_program(Site.of(self.state, request), self._program(request)))

    async def create_program(self, request: Request) -> Response:
        return await self._save(request, self.state.new_id("program", self.state.programs))

    async def update_program(self, request: Request) -> Response:
        return await self._save(request, self._program(request).id)

    async def delete_program(self, request: Request) -> Response:
        program = self._program(request)
        del self.state.programs[program.id]
        for team in list(self.state.teams.values()):
            if team.program_id == program.id:
                self.state.teams[team.id] = replace(team, program_id=None)
        return no_content()

    async def list_program_teams(self, request: Request) -> Response:
        program, site = self._program(request), Site.of(self.state, request)
        teams = self.state.program_teams(program.id)
        return collection(request, [site.team_ref(t) for t in teams])
