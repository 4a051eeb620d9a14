"""Tempo rows and the GraphQL that reaches each (see `tests/schema/coverage`)."""

from __future__ import annotations

from tests.schema.coverage import Case

CASES: dict[tuple[str, str], Case] = {
    ("GET", "/roles"): Case("tempo.roles", "{ tempo { roles { id name default } } }"),
    ("GET", "/worklogs"): Case(
        "tempo.worklogs",
        '{ tempo { worklogs(from: "2026-11-16", to: "2026-11-22", first: 5) '
        "{ totalCount nodes { tempoWorklogId author { user { key } } } } } }",
    ),
}
