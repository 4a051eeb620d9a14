"""Team O'clock API v2's writes: one root mutation per write endpoint, named verb + TeamOclock
+ object, with Team O'clock's own verbs for meetings (`startTeamOclockStandup`,
`endTeamOclockRetrospective`, …).

Each takes its body as an `input` (path ids as plain arguments) and an optional
`idempotencyKey`, runs its one Team O'clock call under the write conventions
(`mutations_base`: what the API refuses as `userErrors`, outages as errors naming
teamoclock, one log line), and answers a `Payload` of the read type of what changed, linked
into the unified graph like the reads (deletes and ends answer the key of what is gone).

By concept: `mutations_org` (members, teams, team membership), `mutations_meetings`
(standups, planning pokers and their tasks, retrospectives), `mutations_history` (action
items, the timeline). This module merges them into `TeamOclockMutation`, which
`schema/mutation.py` merges into the root.
"""

from __future__ import annotations

from strawberry.tools import merge_types

from schema.services.teamoclock.mutations_history import TeamOclockHistoryMutation
from schema.services.teamoclock.mutations_meetings import TeamOclockMeetingMutation
from schema.services.teamoclock.mutations_org import TeamOclockOrgMutation

TeamOclockMutation = merge_types(
    "TeamOclockMutation",
    (TeamOclockOrgMutation, TeamOclockMeetingMutation, TeamOclockHistoryMutation),
)

__all__ = ["TeamOclockMutation"]
