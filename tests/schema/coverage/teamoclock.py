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

# -- writes: each runs its mutation on the demo data, then reads the change back ---------------

ERRORS = "userErrors { field message code }"

CASES |= {
    ("POST", "/members"): Case(
        "createTeamOclockMember",
        'mutation { createTeamOclockMember(input: { username: "zoe", firstName: "Zoe", '
        'lastName: "Park", email: "zoe@teamgraph.example", role: MANAGER }) '
        f"{{ result {{ username role user {{ key }} }} {ERRORS} }} }}",
        then='{ teamoclock { member(username: "zoe") { username firstName role email } } }',
    ),
    ("PATCH", "/members/{username}"): Case(
        "updateTeamOclockMember",
        'mutation { updateTeamOclockMember(username: "bob", input: { lastName: "Builder", '
        f"role: MANAGER }}) {{ result {{ username lastName role user {{ key }} }} {ERRORS} }} }}",
        then='{ teamoclock { member(username: "bob") { lastName role } } }',
    ),
    ("DELETE", "/members/{username}"): Case(
        "deleteTeamOclockMember",
        f'mutation {{ deleteTeamOclockMember(username: "erin") {{ result {ERRORS} }} }}',
        then='{ teamoclock { member(username: "erin") { username } '
        'team(slug: "platform") { members { username } } } }',
    ),
    ("POST", "/teams"): Case(
        "createTeamOclockTeam",
        'mutation { createTeamOclockTeam(input: { name: "Growth", slug: "growth", '
        'videoUrl: "https://meet.example/growth", moodEnabled: true }) '
        f"{{ result {{ slug name videoUrl moodEnabled team {{ key }} }} {ERRORS} }} }}",
        then='{ teamoclock { team(slug: "growth") { slug name moodEnabled members { username } } '
        "teams { slug } } }",
    ),
    ("PATCH", "/teams/{slug}"): Case(
        "updateTeamOclockTeam",
        'mutation { updateTeamOclockTeam(slug: "payments", input: { name: "Payments Core", '
        f"moodEnabled: true }}) {{ result {{ slug name moodEnabled }} {ERRORS} }} }}",
        then='{ teamoclock { team(slug: "payments") { name moodEnabled } '
        'standups(team: "payments") { name } } }',
    ),
    ("DELETE", "/teams/{slug}"): Case(
        "deleteTeamOclockTeam",
        f'mutation {{ deleteTeamOclockTeam(slug: "mobile") {{ result {ERRORS} }} }}',
        then='{ teamoclock { team(slug: "mobile") { slug } teams { slug } '
        'planningPokers(team: "mobile") { id } } }',
    ),
    ("POST", "/teams/{slug}/members"): Case(
        "addTeamOclockTeamMembers",
        'mutation { addTeamOclockTeamMembers(slug: "platform", input: { usernames: ["grace", '
        '"lena"] }) { result { teamSlug usernames team { members { username } } } '
        f"{ERRORS} }} }}",
        then='{ teamoclock { team(slug: "platform") { members { username user { key } } } } }',
    ),
    ("DELETE", "/teams/{slug}/members"): Case(
        "removeTeamOclockTeamMembers",
        'mutation { removeTeamOclockTeamMembers(slug: "platform", input: { usernames: ["bob"] }) '
        f"{{ result {{ teamSlug usernames }} {ERRORS} }} }}",
        then='{ teamoclock { team(slug: "platform") { members { username } } '
        'member(username: "bob") { username } } }',
    ),
    ("POST", "/standup"): Case(
        "startTeamOclockStandup",
        'mutation { startTeamOclockStandup(input: { team: "mobile" }) '
        "{ result { alreadyActive meeting { id name teamSlug team { key } } } "
        f"{ERRORS} }} }}",
        then='{ teamoclock { standups { id teamSlug } standup(id: "mobile") { id name } } }',
    ),
    ("DELETE", "/standup/{id}"): Case(
        "endTeamOclockStandup",
        f'mutation {{ endTeamOclockStandup(id: "platform") {{ result {ERRORS} }} }}',
        then='{ teamoclock { standups { id } standup(id: "platform") { id } } }',
    ),
    ("POST", "/planpoker"): Case(
        "startTeamOclockPlanningPoker",
        'mutation { startTeamOclockPlanningPoker(input: { team: "platform", facilitator: "bob" }) '
        f"{{ result {{ alreadyActive meeting {{ id name teamSlug }} }} {ERRORS} }} }}",
        then='{ teamoclock { planningPokers { id } planningPoker(id: "platform") { id '
        "state { facilitatorUsername facilitator { key } tasks { id } } } } }",
    ),
    ("DELETE", "/planpoker/{id}"): Case(
        "endTeamOclockPlanningPoker",
        f'mutation {{ endTeamOclockPlanningPoker(id: "mobile") {{ result {ERRORS} }} }}',
        then='{ teamoclock { planningPokers { id } planningPoker(id: "mobile") { id } } }',
    ),
    ("POST", "/planpoker/{id}/tasks"): Case(
        "createTeamOclockPlanningPokerTask",
        'mutation { createTeamOclockPlanningPokerTask(id: "mobile", input: { text: "Offline '
        f'mode" }}) {{ result {{ id text status avgVote voters {{ username }} }} {ERRORS} }} }}',
        then='{ teamoclock { planningPokerTasks(id: "mobile") { id text status } } }',
    ),
    ("DELETE", "/planpoker/{id}/tasks/{task_id}"): Case(
        "deleteTeamOclockPlanningPokerTask",
        'mutation($task: String!) { deleteTeamOclockPlanningPokerTask(id: "mobile", '
        f"taskId: $task) {{ result {ERRORS} }} }}",
        {"task": MOBILE_TASK},
        then='{ teamoclock { planningPokerTasks(id: "mobile") { id text } } }',
    ),
    ("POST", "/retro"): Case(
        "startTeamOclockRetrospective",
        'mutation { startTeamOclockRetrospective(input: { team: "payments", facilitator: '
        f'"grace" }}) {{ result {{ id name teamSlug team {{ key }} }} {ERRORS} }} }}',
        then='{ teamoclock { retrospectives(team: "payments") { id name } } }',
    ),
    ("DELETE", "/retro/{id}"): Case(
        "endTeamOclockRetrospective",
        f"mutation($id: String!) {{ endTeamOclockRetrospective(id: $id) {{ result {ERRORS} }} }}",
        {"id": PLATFORM_RETRO},
        then='{ teamoclock { retrospectives(team: "platform") { id } } }',
    ),
    ("POST", "/actionitems"): Case(
        "createTeamOclockActionItem",
        'mutation { createTeamOclockActionItem(input: { team: "platform", text: "Write the '
        f'incident review" }}) {{ result {{ id text resolved team {{ key }} }} {ERRORS} }} }}',
        then='{ teamoclock { actionItems(team: "platform", first: 1) { nodes { id text '
        "resolved teamSlug } } } }",
    ),
    ("PATCH", "/actionitems/{id}"): Case(
        "updateTeamOclockActionItem",
        'mutation { updateTeamOclockActionItem(id: "A2", input: { text: "Fix the flaky CI job '
        f'for good", resolved: true }}) {{ result {{ id text resolved teamSlug }} {ERRORS} }} }}',
        then='{ teamoclock { actionItem(id: "A2") { id text resolved } } }',
    ),
    ("DELETE", "/actionitems/{id}"): Case(
        "deleteTeamOclockActionItem",
        f'mutation {{ deleteTeamOclockActionItem(id: "A1") {{ result {ERRORS} }} }}',
        then='{ teamoclock { actionItem(id: "A1") { id } } }',
    ),
    ("DELETE", "/timeline/{id}"): Case(
        "deleteTeamOclockTimelineRecord",
        f'mutation {{ deleteTeamOclockTimelineRecord(id: "S1") {{ result {ERRORS} }} }}',
        then='{ teamoclock { timelineRecord(id: "S1") { __typename } } }',
    ),
}
