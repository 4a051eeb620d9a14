"""The server-wide lookups: roles, notification types, modes, timezones, search, the audit log
and the health check."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from gateway.emulators._oncall_auth import Endpoints
from gateway.emulators._oncall_filters import NUM_OPS, TEXT_OPS, constraints, mysql_number, select
from gateway.emulators._oncall_http import OncallError, OncallJSON, params_of, server_error
from gateway.emulators._oncall_tables import (
    MODES,
    NOTIFICATION_TYPES,
    ROLES,
    SUPPORTED_TIMEZONES,
    AuditRow,
)


class Catalog(Endpoints):
    role_filters = constraints({
        "id": (lambda r: r[0], NUM_OPS), "name": (lambda r: r[1], TEXT_OPS),
    })  # fmt: skip

    async def roles(self, request: Request) -> Response:
        rows = select(list(enumerate(ROLES, 1)), self.role_filters, params_of(request))
        return OncallJSON([{"id": i, "name": n, "display_order": i} for i, n in rows])

    async def notification_types(self, request: Request) -> Response:
        return OncallJSON([{"name": n, "is_reminder": r} for n, r in NOTIFICATION_TYPES])

    async def modes(self, request: Request) -> Response:
        return OncallJSON(list(MODES))

    async def timezones(self, request: Request) -> Response:
        return OncallJSON(list(SUPPORTED_TIMEZONES))

    async def search(self, request: Request) -> Response:
        keyword = request.query_params.get("keyword")
        if keyword is None:
            raise OncallError(400, "Missing parameter", 'The "keyword" parameter is required.')
        fields = request.query_params.getlist("fields") or ["teams", "services", "users"]
        teams = [t for t in self.db.teams.values() if t.active]
        out: dict[str, Any] = {}
        if "teams" in fields:
            out["teams"] = [t.name for t in teams if keyword in t.name]
        if "services" in fields:
            out["services"] = {
                name: [t.name for t in self.db.teams.values() if sid in t.services]
                for sid, name in self.db.services.items()
                if keyword in name
            }
        if "users" in fields or "team_users" in fields:
            pool = list(self.db.users.values())
            if "team_users" in fields:
                team = self.db.team_named(request.query_params.get("team") or "")
                pool = [self.db.users[u] for u in sorted(team.users)] if team else []
            out["users"] = [
                {"full_name": u.full_name, "name": u.name}
                for u in pool
                if u.name.startswith(keyword) or (u.full_name or "").startswith(keyword)
            ]
        return OncallJSON(out)

    async def audit(self, request: Request) -> Response:
        """``GET /audit``: not in the 2017 docs; filters owner, team, action (repeatable),
        start and end (inclusive bounds on the timestamp); unknown keys are ignored."""
        params = params_of(request)
        actions = request.query_params.getlist("action")

        def keep(row: AuditRow) -> bool:
            return (
                params.get("owner", row.owner) == row.owner
                and params.get("team", row.team) == row.team
                and (not actions or row.action in actions)
                and ("start" not in params or row.timestamp >= mysql_number(params["start"]))
                and ("end" not in params or row.timestamp <= mysql_number(params["end"]))
            )

        return OncallJSON([
            {"owner": r.owner, "team": r.team, "action": r.action, "timestamp": r.timestamp,
             "context": r.context}
            for r in self.db.audit if keep(r)
        ])  # fmt: skip

    async def team_changes(self, request: Request) -> Response:
        raise server_error()  # upstream queries a table that does not exist (`audit_log`)

    async def healthcheck(self, request: Request) -> Response:
        return PlainTextResponse("GOOD")  # what auth-debug and debug configs answer
