"""Services: ``/services[/{service}[/teams|/oncall[/{role}]]]``.

Creating, renaming and deleting services are ``@debug_only`` upstream: open in auth-debug
mode (no login needed at all, not even a valid signature), 403 otherwise.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from gateway.emulators._oncall_auth import Endpoints
from gateway.emulators._oncall_data import integrity, require
from gateway.emulators._oncall_filters import NUM_OPS, TEXT_OPS, constraints, select
from gateway.emulators._oncall_http import (
    OncallJSON,
    empty,
    json_body,
    not_found,
    params_of,
    server_error,
)
from gateway.emulators._oncall_render import oncall_json
from gateway.emulators._oncall_tables import TeamRow


class Services(Endpoints):
    filters = constraints({"id": (lambda r: r[0], NUM_OPS), "name": (lambda r: r[1], TEXT_OPS)})

    def _owners(self, service: str) -> list[TeamRow]:
        service_id = self.db.service_id(service)
        return [t for t in self.db.teams.values() if service_id in t.services]

    async def services(self, request: Request) -> Response:
        rows = select(self.db.services.items(), self.filters, params_of(request))
        return OncallJSON(sorted(name for _, name in rows))

    async def create_service(self, request: Request) -> Response:
        self.auth.debug_only()
        name = str(require(await json_body(request), "name")["name"])
        if self.db.service_id(name) is not None:
            raise integrity(f'service name "{name}" already exists')
        self.db.services[self.db.new_id("services")] = name
        return empty(201)

    async def service(self, request: Request) -> Response:
        name = request.path_params["service"]
        service_id = self.db.service_id(name)
        if service_id is None:
            raise not_found()
        return OncallJSON({"id": service_id, "name": name})

    async def update_service(self, request: Request) -> Response:
        self.auth.debug_only()
        new = str(require(await json_body(request), "name")["name"])
        service_id = self.db.service_id(request.path_params["service"])
        clash = self.db.service_id(new)
        if clash is not None and clash != service_id:
            raise server_error()  # the unique name index: an uncaught IntegrityError
        if service_id is not None:  # an unknown service is a silent no-op
            self.db.services[service_id] = new
        return empty()

    async def delete_service(self, request: Request) -> Response:
        self.auth.debug_only()
        service_id = self.db.service_id(request.path_params["service"])
        if service_id is None:
            raise not_found()
        del self.db.services[service_id]
        for team in self.db.teams.values():  # team_service rows cascade
            team.services.discard(service_id)
        return empty()

    async def service_teams(self, request: Request) -> Response:
        return OncallJSON([t.name for t in self._owners(request.path_params["service"])])

    async def service_oncall(self, request: Request) -> Response:
        role = request.path_params.get("role")
        owners = {t.id for t in self._owners(request.path_params["service"])}
        return OncallJSON(oncall_json(self.db, self.db.current(owners, role)))
