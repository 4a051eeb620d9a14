"""oncall rows and the GraphQL that reaches each (see `tests/schema/coverage`)."""

from __future__ import annotations

from tests.schema.coverage import Case

API = "/api/v0"
TEAM = '"platform"'
ROSTER = '"platform-rotation"'

CASES: dict[tuple[str, str], Case] = {
    ("GET", f"{API}/teams"): Case("oncall.teams", "{ oncall { teams { name team { key } } } }"),
    ("GET", f"{API}/teams/{{team}}"): Case(
        "oncall.team",
        f"{{ oncall {{ team(name: {TEAM}) {{ id email schedulingTimezone users {{ name }} }} }} }}",
    ),
    ("GET", f"{API}/teams/{{team}}/summary"): Case(
        "oncall.team.summary",
        f"{{ oncall {{ team(name: {TEAM}) {{ summary {{ current {{ role user {{ name }} }} "
        "next { role start } } } } }",
    ),
    ("GET", f"{API}/teams/{{team}}/oncall/{{role}}"): Case(
        "oncall.team.oncallNow",
        f'{{ oncall {{ team(name: {TEAM}) {{ oncallNow(role: "primary") '
        "{ start end user { name } contacts { email } } } } }",
    ),
    ("GET", f"{API}/teams/{{team}}/admins"): Case(
        "oncall.teamAdmins", f"{{ oncall {{ teamAdmins(team: {TEAM}) {{ name }} }} }}"
    ),
    ("GET", f"{API}/teams/{{team}}/users"): Case(
        "oncall.teamUsers", f"{{ oncall {{ teamUsers(team: {TEAM}) {{ name }} }} }}"
    ),
    ("GET", f"{API}/teams/{{team}}/rosters"): Case(
        "oncall.teamRosters",
        f"{{ oncall {{ teamRosters(team: {TEAM}) {{ name users {{ inRotation user {{ name }} }} "
        "schedules { id role } } } }",
    ),
    ("GET", f"{API}/teams/{{team}}/rosters/{{roster}}"): Case(
        "oncall.teamRoster",
        f"{{ oncall {{ teamRoster(team: {TEAM}, roster: {ROSTER}) "
        "{ name users { rosterPriority user { name } } } } }",
    ),
    ("GET", f"{API}/teams/{{team}}/rosters/{{roster}}/users"): Case(
        "oncall.rosterUsers",
        f"{{ oncall {{ rosterUsers(team: {TEAM}, roster: {ROSTER}, inRotation: true) "
        "{ name } } }",
    ),
    ("GET", f"{API}/teams/{{team}}/rosters/{{roster}}/schedules"): Case(
        "oncall.rosterSchedules",
        f"{{ oncall {{ rosterSchedules(team: {TEAM}, roster: {ROSTER}) "
        "{ id role events { startSeconds durationSeconds } } } }",
    ),
    ("GET", f"{API}/teams/{{team}}/services"): Case(
        "oncall.teamServices", f"{{ oncall {{ teamServices(team: {TEAM}) {{ name }} }} }}"
    ),
    ("GET", f"{API}/schedules/{{schedule_id}}"): Case(
        "oncall.schedule", "{ oncall { schedule(id: 1) { id role roster team { name } } } }"
    ),
    ("GET", f"{API}/services"): Case("oncall.services", "{ oncall { services { name } } }"),
    ("GET", f"{API}/services/{{service}}"): Case(
        "oncall.service", '{ oncall { service(name: "api-gateway") { id name } } }'
    ),
    ("GET", f"{API}/services/{{service}}/oncall/{{role}}"): Case(
        "oncall.service.oncallNow",
        '{ oncall { service(name: "api-gateway") { oncallNow(role: "primary") '
        "{ user { name } team { name } } } } }",
    ),
    ("GET", f"{API}/services/{{service}}/teams"): Case(
        "oncall.serviceTeams", '{ oncall { serviceTeams(service: "api-gateway") { name } } }'
    ),
    ("GET", f"{API}/roles"): Case("oncall.roles", "{ oncall { roles { id name displayOrder } } }"),
    ("GET", f"{API}/events"): Case(
        "oncall.events",
        f'{{ oncall {{ events(team: {TEAM}, role: "primary") '
        "{ id start end user { name } } } }",
    ),
    ("GET", f"{API}/events/{{event_id}}"): Case(
        "oncall.event", "{ oncall { event(id: 1) { id role user { name } team { name } } } }"
    ),
    ("GET", f"{API}/users"): Case(
        "oncall.users", "{ oncall { users { name fullName contacts { email } } } }"
    ),
    ("GET", f"{API}/users/{{user_name}}"): Case(
        "oncall.user", '{ oncall { user(name: "alice") { id fullName timeZone } } }'
    ),
    ("GET", f"{API}/users/{{user_name}}/teams"): Case(
        "oncall.userTeams", '{ oncall { userTeams(user: "alice") { name } } }'
    ),
    ("GET", f"{API}/users/{{user_name}}/notifications"): Case(
        "oncall.user.notifications",
        '{ oncall { user(name: "alice") { notifications { id type mode team { name } } } } }',
    ),
    ("GET", f"{API}/users/{{user_name}}/upcoming"): Case(
        "oncall.user.upcoming",
        '{ oncall { user(name: "carmen") { upcoming(limit: 5) { id start role } } } }',
    ),
    ("GET", f"{API}/notification_types"): Case(
        "oncall.notificationTypes", "{ oncall { notificationTypes { name isReminder } } }"
    ),
    ("GET", f"{API}/search"): Case(
        "oncall.search",
        '{ oncall { search(keyword: "pay") { teams { name } services { service { name } } '
        "users { name } } } }",
    ),
}
