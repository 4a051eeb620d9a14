"""Every endpoint row reachable through GraphQL: one test per row (`service-METHOD-path`),
each running its operation over the emulators and checking that the row's endpoint was
called and answered 2xx."""

from __future__ import annotations

import pytest

from gateway.emulators.cast import Cast
from tests.endpoint_rows import Row, load_rows
from tests.harness import open_gateway
from tests.schema.coverage import all_cases

CASES = all_cases()
ROWS = [r for r in load_rows() if (r.service, r.method, r.path) in CASES]


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_the_row_is_reached_through_graphql(cast: Cast, row: Row) -> None:
    case = CASES[(row.service, row.method, row.path)]
    assert row.operation == case.operation, "tests/endpoints.csv names another operation"
    async with open_gateway(cast) as gw:
        result = await gw.execute(case.document, case.variables)
        assert "errors" not in result, result["errors"]
        hits = [c for c in gw.log.calls if row.matches(c)]
        assert hits, f"{row.id} was not called; calls: {[str(c) for c in gw.log.calls]}"
        assert any(c.status is not None and 200 <= c.status < 300 for c in hits), [
            (str(c), c.status) for c in hits
        ]
        if case.then is not None:
            after = await gw.execute(case.then)
            assert "errors" not in after, after["errors"]


def test_every_case_names_a_real_row() -> None:
    rows = {(r.service, r.method, r.path) for r in load_rows()}
    assert set(CASES) <= rows, sorted(set(CASES) - rows)


def test_the_operation_column_names_only_covered_rows() -> None:
    for row in load_rows():
        if row.operation:
            assert (row.service, row.method, row.path) in CASES, row.id


def test_docs_endpoints_md_is_up_to_date() -> None:
    from tests.endpoint_rows import DOC, markdown

    assert DOC.read_text(encoding="utf-8") == markdown(), (
        "docs/endpoints.md is stale: run `python -m tests.endpoint_rows`"
    )
