"""TeamPulse rows and the GraphQL that reaches each (see `tests/schema/coverage`)."""

from __future__ import annotations

from tests.schema.coverage import Case

WEEK = {"from": "2026-11-16", "to": "2026-11-22"}

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
}
