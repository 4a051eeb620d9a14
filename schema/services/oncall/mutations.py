"""LinkedIn oncall's writes: one root mutation per write endpoint, named verb + `Oncall` +
object (`createOncallTeam`, `swapOncallEvents`, `populateOncallSchedule`, …).

Each takes its body as an `input` (path ids as plain arguments) and an optional
`idempotencyKey`, runs its one oncall call through `schema.payloads.write` (what oncall
refuses comes back as `userErrors` with its own reason, outages as errors naming oncall, one
log line), and answers a `Payload`: the changed object as the read surface shows it, linked
into the unified graph, or a deleted object's key. oncall answers most writes with an empty
body or an id, so the payload reads the object back (`mutations_base`). By concept:
`mutations_teams` (teams, their admins and members), `mutations_services` (a team's
services; services),
`mutations_rosters` (rosters and their members), `mutations_schedules`, `mutations_events`
and `mutations_users` (users and their notification settings).
"""

from __future__ import annotations

import strawberry

from schema.services.oncall.mutations_events import OncallEventMutation
from schema.services.oncall.mutations_rosters import OncallRosterMutation
from schema.services.oncall.mutations_schedules import OncallScheduleMutation
from schema.services.oncall.mutations_services import OncallServiceMutation
from schema.services.oncall.mutations_teams import OncallTeamMutation
from schema.services.oncall.mutations_users import OncallUserMutation


@strawberry.type(description="Every write LinkedIn oncall offers.")
class OncallMutation(
    OncallTeamMutation,
    OncallServiceMutation,
    OncallRosterMutation,
    OncallScheduleMutation,
    OncallEventMutation,
    OncallUserMutation,
):
    pass
