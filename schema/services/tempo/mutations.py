"""Tempo REST API v3's writes: one root mutation per write endpoint, named verb + Tempo +
object (`createTempoWorklog`, `approveTempoTimesheet`, …).

Each takes its body as an `input` derived from the client's `*Input` model (one definition of
the fields, their types and descriptions), the path id as a plain argument, and an optional
`idempotencyKey`; it runs one client call under the write conventions (`mutations_base`) and
answers a `Payload` of the read type of what changed, linked into the unified graph like the
reads (deletes answer the deleted object's id or key). Tempo answers creates with 200 and the
object, PUT replaces the whole object (optional fields left out are cleared), DELETE gives 204.

The writes live by concept: `mutations_accounts` (accounts, categories, customers),
`mutations_teams` (teams, team links, memberships), `mutations_programs` (programs, roles),
`mutations_worklogs`, `mutations_timesheets` (plans, approval actions). This module merges
them into `TempoMutation`, which `schema/mutation.py` merges into the root.
"""

from __future__ import annotations

from strawberry.tools import merge_types

from schema.services.tempo.mutations_accounts import TempoAccountMutation
from schema.services.tempo.mutations_programs import TempoProgramMutation
from schema.services.tempo.mutations_teams import TempoTeamMutation
from schema.services.tempo.mutations_timesheets import TempoTimesheetMutation
from schema.services.tempo.mutations_worklogs import TempoWorklogMutation

TempoMutation = merge_types(
    "TempoMutation",
    (
        TempoAccountMutation,
        TempoTeamMutation,
        TempoProgramMutation,
        TempoWorklogMutation,
        TempoTimesheetMutation,
    ),
)

__all__ = ["TempoMutation"]
