"""Hack24 rows and the GraphQL that reaches each (see `tests/schema/coverage`)."""

from __future__ import annotations

from tests.schema.coverage import Case

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
}
