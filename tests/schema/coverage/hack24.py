"""Hack24 rows and the GraphQL that reaches each (see `tests/schema/coverage`).

Write cases change the demo data (Platform: alice-nguyen, bob-okafor, erin-walsh,
farid-haddad; Payments: grace-liu, ines-costa, jonas-berg, sam-taylor, kofi-mensah) and read
the change back.
"""

from __future__ import annotations

from tests.schema.coverage import Case

ERRORS = "userErrors { field message code }"

CASES: dict[tuple[str, str], Case] = {
    ("GET", "/teams"): Case(
        "hack24.teams", "{ hack24 { teams { id name team { key } members { id joined } } } }"
    ),
    ("GET", "/teams/{teamId}"): Case(
        "hack24.team", '{ hack24 { team(id: "platform") { id name members { id } } } }'
    ),
    ("GET", "/teams/{teamId}/members"): Case(
        "hack24.teamMembers",
        '{ hack24 { teamMembers(team: "platform") { id name joined user { key } } } }',
    ),
    ("GET", "/users"): Case(
        "hack24.users", "{ hack24 { users { id name teamId joined user { key } } } }"
    ),
    ("GET", "/users/{userId}"): Case(
        "hack24.user", '{ hack24 { user(id: "bob-okafor") { id name team { name } } } }'
    ),
    ("GET", "/users/{userId}/team"): Case(
        "hack24.userTeam", '{ hack24 { userTeam(user: "bob-okafor") { id name team { key } } } }'
    ),
    # -- writes ------------------------------------------------------------------------------
    ("POST", "/teams"): Case(
        "createHack24Team",
        'mutation { createHack24Team(input: {name: "Coverage Crew", memberIds: ["bob-okafor"]}) '
        f"{{ result {{ id name members {{ id }} team {{ key }} }} {ERRORS} }} }}",
        then='{ hack24 { team(id: "coverage-crew") { id name members { id joined } } '
        'user(id: "bob-okafor") { teamId } } }',
    ),
    ("POST", "/teams/{teamId}/members"): Case(
        "addHack24TeamMembers",
        'mutation { addHack24TeamMembers(team: "payments", input: {userIds: ["bob-okafor"]}) '
        f"{{ result {{ id teamId joined user {{ key }} }} {ERRORS} }} }}",
        then='{ hack24 { payments: teamMembers(team: "payments") { id joined } '
        'platform: teamMembers(team: "platform") { id } } }',
    ),
    ("PATCH", "/teams/{teamId}/members"): Case(
        "replaceHack24TeamMembers",
        'mutation { replaceHack24TeamMembers(team: "platform", '
        'input: {userIds: ["alice-nguyen", "grace-liu"]}) '
        f"{{ result {{ id teamId joined }} {ERRORS} }} }}",
        then='{ hack24 { teamMembers(team: "platform") { id } '
        'user(id: "bob-okafor") { teamId } } }',
    ),
    ("DELETE", "/teams/{teamId}/members"): Case(
        "removeHack24TeamMembers",
        'mutation { removeHack24TeamMembers(team: "platform", '
        'input: {userIds: ["erin-walsh", "farid-haddad"]}) '
        f"{{ result {{ teamId userIds team {{ members {{ id }} }} }} {ERRORS} }} }}",
        then='{ hack24 { teamMembers(team: "platform") { id } userTeam(user: "erin-walsh") '
        "{ id } } }",
    ),
    ("POST", "/users"): Case(
        "createHack24User",
        'mutation { createHack24User(input: {name: "Casey Cover", teamId: "mobile"}) '
        f"{{ result {{ id name teamId joined team {{ name }} }} {ERRORS} }} }}",
        then='{ hack24 { user(id: "casey-cover") { id name teamId team { id } } '
        'teamMembers(team: "mobile") { id } } }',
    ),
    ("PATCH", "/users/{userId}/team"): Case(
        "setHack24UserTeam",
        'mutation { setHack24UserTeam(user: "bob-okafor", input: {teamId: "data-analytics"}) '
        f"{{ result {{ userId teamId user {{ teamId joined }} }} {ERRORS} }} }}",
        then='{ hack24 { userTeam(user: "bob-okafor") { id name } '
        'teamMembers(team: "data-analytics") { id } } }',
    ),
}
