"""oncall rows and the GraphQL that reaches each (see `tests/schema/coverage`).

Writes run on the demo cast at its fixed now (Monday 2026-11-23 10:30 UTC): platform's primary
shifts are events 1, 3, 5 (now), 7 and 9, weekly from Monday 00:00 UTC; alice's first
notification setting is 1. Each write's `then` reads the change back through GraphQL.
"""

from __future__ import annotations

from tests.schema.coverage import Case

API = "/api/v0"
TEAM = '"platform"'
ROSTER = '"platform-rotation"'
ERRORS = "userErrors { field message code }"


def write(operation: str, document: str, then: str) -> Case:
    """A write row's case: `document` (one or more mutations) and the read that shows it."""
    return Case(operation, document, then=then)


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
    # -- writes: teams, their admins, members and services ---------------------------------
    ("POST", f"{API}/teams"): write(
        "createOncallTeam",
        'mutation { createOncallTeam(input: {name: "sre", schedulingTimezone: "UTC", '
        'admin: "alice", email: "sre@teamgraph.example"}) '
        f"{{ result {{ name email admins {{ name }} team {{ key }} }} {ERRORS} }} }}",
        '{ oncall { team(name: "sre") { name email admins { name } users { name } } } }',
    ),
    ("PUT", f"{API}/teams/{{team}}"): write(
        "updateOncallTeam",
        f'mutation {{ updateOncallTeam(team: {TEAM}, input: {{description: "Keeps the lights '
        f'on", slackChannel: "#platform-oncall"}}) {{ result {{ description slackChannel }} '
        f"{ERRORS} }} }}",
        f"{{ oncall {{ team(name: {TEAM}) {{ description slackChannel }} }} }}",
    ),
    ("DELETE", f"{API}/teams/{{team}}"): write(
        "deleteOncallTeam",
        f'mutation {{ deleteOncallTeam(team: "mobile") {{ result {ERRORS} }} }}',
        '{ oncall { teams { name } team(name: "mobile") { name } } }',
    ),
    ("POST", f"{API}/teams/{{team}}/admins"): write(
        "addOncallTeamAdmin",
        f'mutation {{ addOncallTeamAdmin(team: {TEAM}, input: {{user: "bob"}}) '
        f"{{ result {{ admins {{ name }} }} {ERRORS} }} }}",
        f"{{ oncall {{ teamAdmins(team: {TEAM}) {{ name }} }} }}",
    ),
    ("DELETE", f"{API}/teams/{{team}}/admins/{{user}}"): write(
        "removeOncallTeamAdmin",
        f'mutation {{ removeOncallTeamAdmin(team: {TEAM}, user: "alice") '
        f"{{ result {{ admins {{ name }} users {{ name }} }} {ERRORS} }} }}",
        f"{{ oncall {{ teamAdmins(team: {TEAM}) {{ name }} }} }}",
    ),
    ("POST", f"{API}/teams/{{team}}/users"): write(
        "addOncallTeamUser",
        f'mutation {{ addOncallTeamUser(team: {TEAM}, input: {{user: "grace"}}) '
        f"{{ result {{ users {{ name }} }} {ERRORS} }} }}",
        f"{{ oncall {{ teamUsers(team: {TEAM}) {{ name }} }} }}",
    ),
    ("DELETE", f"{API}/teams/{{team}}/users/{{user}}"): write(
        "removeOncallTeamUser",
        f'mutation {{ removeOncallTeamUser(team: {TEAM}, user: "erin") '
        f"{{ result {{ users {{ name }} }} {ERRORS} }} }}",
        f"{{ oncall {{ teamUsers(team: {TEAM}) {{ name }} }} }}",
    ),
    ("POST", f"{API}/teams/{{team}}/services"): write(
        "addOncallTeamService",
        # A service belongs to one team at most: free one first.
        f'mutation {{ removeOncallTeamService(team: {TEAM}, service: "kubernetes") {{ {ERRORS} }} '
        'addOncallTeamService(team: "mobile", input: {service: "kubernetes"}) '
        f"{{ result {{ services {{ name }} }} {ERRORS} }} }}",
        '{ oncall { teamServices(team: "mobile") { name } serviceTeams(service: "kubernetes") '
        "{ name } } }",
    ),
    ("DELETE", f"{API}/teams/{{team}}/services/{{service}}"): write(
        "removeOncallTeamService",
        f'mutation {{ removeOncallTeamService(team: {TEAM}, service: "kubernetes") '
        f"{{ result {{ services {{ name }} }} {ERRORS} }} }}",
        f"{{ oncall {{ teamServices(team: {TEAM}) {{ name }} }} }}",
    ),
    ("PUT", f"{API}/services/{{service}}"): write(
        "updateOncallService",
        'mutation { updateOncallService(service: "kubernetes", input: {name: "k8s"}) '
        f"{{ result {{ name id teams {{ name }} }} {ERRORS} }} }}",
        "{ oncall { services { name } } }",
    ),
    ("DELETE", f"{API}/services/{{service}}"): write(
        "deleteOncallService",
        f'mutation {{ deleteOncallService(service: "warehouse") {{ result {ERRORS} }} }}',
        '{ oncall { services { name } service(name: "warehouse") { name } } }',
    ),
    # -- rosters, their members and schedules ----------------------------------------------
    ("POST", f"{API}/teams/{{team}}/rosters"): write(
        "createOncallRoster",
        f'mutation {{ createOncallRoster(team: {TEAM}, input: {{name: "platform-shadow"}}) '
        f"{{ result {{ name users {{ user {{ name }} }} }} {ERRORS} }} }}",
        f"{{ oncall {{ teamRosters(team: {TEAM}) {{ name }} }} }}",
    ),
    ("PUT", f"{API}/teams/{{team}}/rosters/{{roster}}"): write(
        "updateOncallRoster",
        f"mutation {{ updateOncallRoster(team: {TEAM}, roster: {ROSTER}, input: "
        '{name: "platform-primary", order: ["farid", "erin", "dmitri.k", "carmen", "bob", '
        '"alice"]}) { result { name users { rosterPriority user { name } } } '
        f"{ERRORS} }} }}",
        f'{{ oncall {{ teamRoster(team: {TEAM}, roster: "platform-primary") '
        "{ name users { rosterPriority user { name } } } } }",
    ),
    ("DELETE", f"{API}/teams/{{team}}/rosters/{{roster}}"): write(
        "deleteOncallRoster",
        f'mutation {{ deleteOncallRoster(team: "mobile", roster: "mobile-rotation") '
        f"{{ result {ERRORS} }} }}",
        '{ oncall { teamRosters(team: "mobile") { name } } }',
    ),
    ("POST", f"{API}/teams/{{team}}/rosters/{{roster}}/users"): write(
        "addOncallRosterUser",
        f"mutation {{ addOncallRosterUser(team: {TEAM}, roster: {ROSTER}, "
        'input: {user: "grace", inRotation: false}) '
        f"{{ result {{ users {{ inRotation user {{ name }} }} }} {ERRORS} }} }}",
        f"{{ oncall {{ rosterUsers(team: {TEAM}, roster: {ROSTER}) {{ name }} }} }}",
    ),
    ("PUT", f"{API}/teams/{{team}}/rosters/{{roster}}/users/{{user}}"): write(
        "updateOncallRosterUser",
        f"mutation {{ updateOncallRosterUser(team: {TEAM}, roster: {ROSTER}, user: "
        f'"erin", input: {{inRotation: true}}) {{ result {{ users {{ inRotation user {{ name }} }} '
        f"}} {ERRORS} }} }}",
        f"{{ oncall {{ rosterUsers(team: {TEAM}, roster: {ROSTER}, inRotation: false) "
        "{ name } } }",
    ),
    ("DELETE", f"{API}/teams/{{team}}/rosters/{{roster}}/users/{{user}}"): write(
        "removeOncallRosterUser",
        f'mutation {{ removeOncallRosterUser(team: {TEAM}, roster: {ROSTER}, user: "farid") '
        f"{{ result {{ users {{ user {{ name }} }} }} {ERRORS} }} }}",
        f"{{ oncall {{ rosterUsers(team: {TEAM}, roster: {ROSTER}) {{ name }} }} }}",
    ),
    ("POST", f"{API}/teams/{{team}}/rosters/{{roster}}/schedules"): write(
        "createOncallSchedule",
        f"mutation {{ createOncallSchedule(team: {TEAM}, roster: {ROSTER}, input: "
        '{role: "shadow", events: [{startSeconds: 86400, durationSeconds: 604800}]}) '
        f"{{ result {{ id role roster events {{ startSeconds durationSeconds }} }} {ERRORS} }} }}",
        f"{{ oncall {{ rosterSchedules(team: {TEAM}, roster: {ROSTER}) {{ id role }} }} }}",
    ),
    ("PUT", f"{API}/schedules/{{schedule_id}}"): write(
        "updateOncallSchedule",
        "mutation { updateOncallSchedule(id: 1, input: {autoPopulateThreshold: 14}) "
        f"{{ result {{ id autoPopulateThreshold }} {ERRORS} }} }}",
        "{ oncall { schedule(id: 1) { id autoPopulateThreshold } } }",
    ),
    ("DELETE", f"{API}/schedules/{{schedule_id}}"): write(
        "deleteOncallSchedule",
        f"mutation {{ deleteOncallSchedule(id: 2) {{ result {ERRORS} }} }}",
        f"{{ oncall {{ rosterSchedules(team: {TEAM}, roster: {ROSTER}) {{ id }} }} }}",
    ),
    ("POST", f"{API}/schedules/{{schedule_id}}/populate"): write(
        "populateOncallSchedule",
        'mutation { populateOncallSchedule(id: 1, input: {start: "2026-11-23T10:30:00Z"}) '
        f"{{ result {{ id role }} {ERRORS} }} }}",
        f'{{ oncall {{ events(team: {TEAM}, role: "primary", startAfter: "2026-11-30T00:00:00Z") '
        "{ id start scheduleId user { name } } } }",
    ),
    # -- events ----------------------------------------------------------------------------
    ("POST", f"{API}/events"): write(
        "createOncallEvent",
        'mutation { createOncallEvent(input: {start: "2026-11-24T09:00:00Z", '
        f'end: "2026-11-24T17:00:00Z", user: "bob", team: {TEAM}, role: "shadow", '
        'note: "pairing"}) { result { id start end note user { name } shift { id role } } '
        f"{ERRORS} }} }}",
        f'{{ oncall {{ events(team: {TEAM}, role: "shadow") {{ id note user {{ name }} }} }} }}',
    ),
    ("PUT", f"{API}/events/{{event_id}}"): write(
        "updateOncallEvent",
        'mutation { updateOncallEvent(id: 7, input: {start: "2026-11-30T00:00:00Z", '
        'end: "2026-12-07T00:00:00Z", user: "erin", note: "covering"}) '
        f"{{ result {{ id note user {{ name }} }} {ERRORS} }} }}",
        "{ oncall { event(id: 7) { id note user { name } } } }",
    ),
    ("DELETE", f"{API}/events/{{event_id}}"): write(
        "deleteOncallEvent",
        f"mutation {{ deleteOncallEvent(id: 9) {{ result {ERRORS} }} }}",
        "{ oncall { event(id: 9) { id } } }",
    ),
    ("POST", f"{API}/events/swap"): write(
        "swapOncallEvents",
        "mutation { swapOncallEvents(input: {first: {eventId: 7}, second: {eventId: 9}}) "
        f"{{ result {{ id user {{ name }} }} {ERRORS} }} }}",
        "{ oncall { seven: event(id: 7) { user { name } } nine: event(id: 9) { user { name } } } }",
    ),
    ("POST", f"{API}/events/override"): write(
        "overrideOncallEvents",
        'mutation { overrideOncallEvents(input: {eventIds: [7], start: "2026-12-01T00:00:00Z", '
        'end: "2026-12-02T00:00:00Z", user: "erin"}) '
        f"{{ result {{ id start end scheduleId user {{ name }} }} {ERRORS} }} }}",
        f'{{ oncall {{ events(team: {TEAM}, role: "primary", startAfter: "2026-11-30T00:00:00Z", '
        'endBefore: "2026-12-07T00:00:00Z") { id start end scheduleId user { name } } } }',
    ),
    ("POST", f"{API}/events/link"): write(
        "linkOncallEvents",
        "mutation { linkOncallEvents(input: {events: ["
        f'{{start: "2026-11-24T09:00:00Z", end: "2026-11-24T17:00:00Z", user: "bob", team: {TEAM}, '
        'role: "shadow"}, '
        f'{{start: "2026-11-25T09:00:00Z", end: "2026-11-25T17:00:00Z", user: "bob", team: {TEAM}, '
        'role: "shadow"}]}) '
        f"{{ result {{ linkId events {{ id linkId start }} }} {ERRORS} }} }}",
        f'{{ oncall {{ events(team: {TEAM}, role: "shadow") {{ id linkId start }} '
        'user(name: "bob") { upcoming(role: "shadow") { id numEvents } } } }',
    ),
    # -- users and their notification settings ----------------------------------------------
    ("POST", f"{API}/users"): write(
        "createOncallUser",
        f'mutation {{ createOncallUser(input: {{name: "zoe"}}) {{ result {{ id name active }} '
        f"{ERRORS} }} }}",
        '{ oncall { user(name: "zoe") { id name } } }',
    ),
    ("PUT", f"{API}/users/{{user_name}}"): write(
        "updateOncallUser",
        'mutation { updateOncallUser(user: "bob", input: {fullName: "Robert Okafor", '
        'contacts: {slack: "bobo"}}) '
        f"{{ result {{ fullName contacts {{ email slack }} user {{ key }} }} {ERRORS} }} }}",
        '{ oncall { user(name: "bob") { fullName contacts { email slack } } } }',
    ),
    ("DELETE", f"{API}/users/{{user_name}}"): write(
        "deleteOncallUser",
        f'mutation {{ deleteOncallUser(user: "wen") {{ result {ERRORS} }} }}',
        '{ oncall { user(name: "wen") { name } users { name } } }',
    ),
    ("POST", f"{API}/users/{{user_name}}/notifications"): write(
        "createOncallNotification",
        'mutation { createOncallNotification(user: "alice", input: {team: "platform", '
        'roles: ["primary"], mode: "sms", type: "event_created", onlyIfInvolved: true}) '
        f"{{ result {{ id type mode roles onlyIfInvolved team {{ name }} }} {ERRORS} }} }}",
        '{ oncall { user(name: "alice") { notifications { id type mode } } } }',
    ),
    ("PUT", f"{API}/notifications/{{notification_id}}"): write(
        "updateOncallNotification",
        'mutation { updateOncallNotification(user: "alice", id: 1, input: '
        '{roles: ["primary", "secondary"], mode: "sms", timeBefore: 3600}) '
        f"{{ result {{ id roles mode timeBefore }} {ERRORS} }} }}",
        '{ oncall { user(name: "alice") { notifications { id roles mode timeBefore } } } }',
    ),
    ("DELETE", f"{API}/notifications/{{notification_id}}"): write(
        "deleteOncallNotification",
        f"mutation {{ deleteOncallNotification(id: 1) {{ result {ERRORS} }} }}",
        '{ oncall { user(name: "alice") { notifications { id } } } }',
    ),
}
