"""TeamPulse rows and the GraphQL that reaches each (see `tests/schema/coverage`).

Write cases change the demo data and read the change back. The update names the seeded
entry 3001 with the `iversion` the demo gives it (read from the emulator's seed, so the case
follows the cast).
"""

from __future__ import annotations

from gateway.emulators._teampulse_data import build_state
from gateway.emulators.cast_build import build_cast
from tests.conftest import NOW
from tests.schema.coverage import Case

WEEK = {"from": "2026-11-16", "to": "2026-11-22"}
ERRORS = "userErrors { field message code }"
_SEEDED = build_state(build_cast(now=NOW), username="gateway").entries[3001]

CASES: dict[tuple[str, str], Case] = {
    ("GET", "/users/{user-id}"): Case(
        "teampulse.user", "{ teampulse { user(id: 2) { id name displayName user { key } } } }"
    ),
    ("GET", "/users/me"): Case("teampulse.me", "{ teampulse { me { id name displayName } } }"),
    ("GET", "/users"): Case(
        "teampulse.users", "{ teampulse { users { id name displayName user { key } } } }"
    ),
    ("GET", "/activities/users"): Case(
        "teampulse.mentionableUsers", "{ teampulse { mentionableUsers { id name } } }"
    ),
    ("GET", "/projects/{project-id}/users"): Case(
        "teampulse.projects.users", "{ teampulse { projects { id users { id user { key } } } } }"
    ),
    ("GET", "/projects"): Case("teampulse.projects", "{ teampulse { projects { id name } } }"),
    ("GET", "/tasks/{task-id}"): Case(
        "teampulse.task",
        "{ teampulse { task(id: 75090) { id name project { id } estimate { pert } } } }",
    ),
    ("GET", "/tasks"): Case(
        "teampulse.tasks", "{ teampulse { tasks { id name project { id } workItem { type } } } }"
    ),
    ("GET", "/projects/{project-id}/tasks"): Case(
        "teampulse.tasks(project:)",
        "{ teampulse { tasks(project: 1) { id name workCompleted } } }",
    ),
    ("GET", "/timeentries/{timeentry-id}"): Case(
        "teampulse.timeEntry",
        "{ teampulse { timeEntry(id: 3001) "
        "{ id date hours user { user { key } } task { name } } } }",
    ),
    ("GET", "/timeentries"): Case(
        "teampulse.timeEntries",
        "query($from: Date!, $to: Date!) { teampulse { timeEntries(from: $from, to: $to) "
        "{ id date hours type billable user { id } taskId } } }",
        WEEK,
    ),
    ("GET", "/projects/{project-id}/timeentrytypes"): Case(
        "teampulse.projects.timeEntryTypes",
        "{ teampulse { projects { id timeEntryTypes { id name sequenceNumber } } } }",
    ),
    ("GET", "/activities"): Case(
        "teampulse.activities",
        "{ teampulse { activities { id systemEvent author { name user { key } } } } }",
    ),
    ("GET", "/activities/count"): Case(
        "teampulse.unreadCounts", "{ teampulse { unreadCounts { flagged unflagged total } } }"
    ),
    # -- writes ------------------------------------------------------------------------------
    ("POST", "/timeentries"): Case(
        "createTeamPulseTimeEntry",
        'mutation { createTeamPulseTimeEntry(input: {date: "2026-11-20", hours: 1.5, '
        'taskId: 4011, userId: 2, type: BILLABLE, note: "Logged through GraphQL"}) '
        "{ result { id date hours type note iversion taskId task { name } "
        f"user {{ id user {{ key }} }} }} {ERRORS} }} }}",
        then='{ teampulse { user(id: 2) { timeEntries(from: "2026-11-20", to: "2026-11-20") '
        "{ id hours type note taskId } } } }",
    ),
    ("PUT", "/timeentries/{timeentry-id}"): Case(
        "updateTeamPulseTimeEntry",
        f'mutation {{ updateTeamPulseTimeEntry(id: 3001, input: {{date: "{_SEEDED.date}", '
        f"hours: 2.5, taskId: {_SEEDED.task_id}, userId: {_SEEDED.user_id}, "
        f'iversion: {_SEEDED.iversion}, note: "Corrected through GraphQL"}}) '
        f"{{ result {{ id hours note iversion task {{ name }} }} {ERRORS} }} }}",
        then="{ teampulse { timeEntry(id: 3001) { hours note iversion } } }",
    ),
    ("PUT", "/activities/seenupto/{activity-id}"): Case(
        "markTeamPulseActivitiesSeen",
        "mutation { markTeamPulseActivitiesSeen(upTo: 41606) "
        f"{{ result {{ flagged unflagged total }} {ERRORS} }} }}",
        then="{ teampulse { unreadCounts { flagged unflagged total } } }",
    ),
    ("POST", "/activities"): Case(
        "shareTeamPulseMessage",
        'mutation { shareTeamPulseMessage(input: {message: "Release train leaves at 4pm."}) '
        f"{{ result {{ message }} {ERRORS} }} }}",
        then="{ teampulse { activities { id systemEvent content author { displayName } } } }",
    ),
    ("POST", "/comments"): Case(
        "createTeamPulseComment",
        "mutation { createTeamPulseComment(input: {projectId: 1, workItemId: 109, "
        'workItemType: FEEDBACK, description: "Agreed, let us ship it.", type: PORTAL_COMMENT}) '
        f"{{ result {{ id description type workItem {{ id type }} project {{ id }} }} "
        f"{ERRORS} }} }}",
        then="{ teampulse { activities { id content project { id } "
        "workItem { id type isVisibleInPortal } author { name } } } }",
    ),
}
