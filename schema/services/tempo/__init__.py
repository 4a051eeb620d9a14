"""Tempo REST API v3: its reads under `tempo { ... }`, and the tempo side of the unified types.

One module per concept: `refs` (people and periods as Tempo refers to them, the links into
the unified graph, shared arguments), `worklogs`, `accounts`, `timesheets` (schedules,
approvals, plans), `teams` (teams, members, memberships, roles, programs, permissions,
links), `users` (`TempoUser`: a person's own reads) and `query` (`TempoQuery`). Here: the
link contract the unified types call (`team_of`, `user_of`, `worklog_of`).
"""

from __future__ import annotations

from resolvers import teams as teams_r
from resolvers.backends import tempo
from resolvers.directory import id_in
from resolvers.identity import Identity
from resolvers.worklogs import WorklogRecord
from schema.common import CtxInfo
from schema.connections import shown_as
from schema.services.tempo.query import TempoQuery
from schema.services.tempo.refs import TempoUserRef
from schema.services.tempo.teams import TempoTeam
from schema.services.tempo.users import TempoUser
from schema.services.tempo.worklogs import TempoWorklog

__all__ = [
    "TempoQuery",
    "TempoTeam",
    "TempoUser",
    "TempoUserRef",
    "TempoWorklog",
    "team_of",
    "user_of",
    "worklog_of",
]


async def team_of(info: CtxInfo, record: Identity) -> TempoTeam | None:
    """The Tempo side of a unified Team (from the teams list the directory already holds:
    no further call); None when Tempo does not know it."""
    found = await teams_r.get_tempo_team(info.context, record)
    return shown_as(TempoTeam)(found) if found else None


async def user_of(info: CtxInfo, record: Identity) -> TempoUser | None:
    """The Tempo side of a unified User (no call: the reads are its fields); None when Tempo
    does not know them. Fails when Tempo could not list its people in this request."""
    account_id = await id_in(info.context, record, "tempo")
    if account_id is None:
        return None
    account = record.accounts.get("tempo")
    return TempoUser(account_id=account_id, display_name=account.name if account else None)


async def worklog_of(info: CtxInfo, record: WorklogRecord) -> TempoWorklog | None:
    """The Tempo side of a unified Worklog (the model it was mapped from); None for TeamPulse."""
    source = record.source
    return shown_as(TempoWorklog)(source) if isinstance(source, tempo.Worklog) else None
