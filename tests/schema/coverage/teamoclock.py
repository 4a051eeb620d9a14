"""Team O'clock rows and the GraphQL that reaches each (see `tests/schema/coverage`)."""

from __future__ import annotations

from tests.schema.coverage import Case

# Ids the demo cast's emulator generates at `tests.conftest.NOW` (seeded by team and day):
# the platform team's active retrospective, and the first task of mobile's planning poker.
# Standup and planning poker ids are team slugs; timeline and action item ids are numbered
# from the oldest (`S1`, `A1`), so those need no such note.
PLATFORM_RETRO = "rwhy4um3ihkfrb"
MOBILE_TASK = "bpgq"

CASES: dict[tuple[str, str], Case] = {
    ("GET", "/members"): Case(
        "teamoclock.members", "{ teamoclock { members { username role user { key } } } }"
    ),
    ("GET", "/members/{username}"): Case(
        "teamoclock.member",
        '{ teamoclock { member(username: "alice") { username firstName email user { key } } } }',
    ),
    ("GET", "/teams"): Case(
        "teamoclock.teams", "{ teamoclock { teams { slug name videoUrl team { key } } } }"
    ),
    ("GET", "/teams/{slug}"): Case(
        "teamoclock.team", '{ teamoclock { team(slug: "platform") { slug name moodEnabled } } }'
    ),
    ("GET", "/teams/{slug}/members"): Case(
        "teamoclock.team.members",
        '{ teamoclock { team(slug: "platform") { members { username user { key } } } } }',
    ),
    ("GET", "/standup"): Case(
        "teamoclock.standups", "{ teamoclock { standups { id name date url teamSlug } } }"
    ),
    ("GET", "/standup/{id}"): Case(
        "teamoclock.standup",
        '{ teamoclock { standup(id: "platform") { id state { questions { q1 } '
        "roundupNotes { text } memberNotes { username user { key } questions { q1 } } } } } }",
    ),
    ("GET", "/planpoker"): Case(
        "teamoclock.planningPokers", "{ teamoclock { planningPokers { id name teamSlug } } }"
    ),
    ("GET", "/planpoker/{id}"): Case(
        "teamoclock.planningPoker",
        '{ teamoclock { planningPoker(id: "mobile") { id state { facilitator { key } '
        "tasks { id status avgVote voters { vote user { key } } } } } } }",
    ),
    ("GET", "/planpoker/{id}/tasks"): Case(
        "teamoclock.planningPokerTasks",
        '{ teamoclock { planningPokerTasks(id: "mobile") { id text status avgVote } } }',
    ),
    ("GET", "/planpoker/{id}/tasks/{task_id}"): Case(
        "teamoclock.planningPokerTask",
        'query($task: String!) { teamoclock { planningPokerTask(id: "mobile", taskId: $task) '
        "{ id text voters { username vote } } } }",
        {"task": MOBILE_TASK},
    ),
    ("GET", "/retro"): Case(
        "teamoclock.retrospectives", "{ teamoclock { retrospectives { id name teamSlug } } }"
    ),
    ("GET", "/retro/{id}"): Case(
        "teamoclock.retrospective",
        "query($id: String!) { teamoclock { retrospective(id: $id) { id state { stage "
        "facilitator { key } columns { id name } notes { text author { key } } } } } }",
        {"id": PLATFORM_RETRO},
    ),
    ("GET", "/actionitems"): Case(
        "teamoclock.actionItems",
        "{ teamoclock { actionItems(status: OPEN, first: 5) { pageInfo { hasNextPage } "
        "nodes { id text resolved team { key } } } } }",
    ),
    ("GET", "/actionitems/{id}"): Case(
        "teamoclock.actionItem",
        '{ teamoclock { actionItem(id: "A1") { id text resolved teamSlug } } }',
    ),
    ("GET", "/timeline"): Case(
        "teamoclock.timeline",
        "{ teamoclock { timeline(type: STANDUP, first: 5) { nodes { id type date teamSlug } } } }",
    ),
    ("GET", "/timeline/{id}"): Case(
        "teamoclock.timelineRecord",
        '{ teamoclock { timelineRecord(id: "S1") { __typename '
        "... on TeamOclockTimelineStandup { id isAsync asyncNotes { username text } } } } }",
    ),
}
