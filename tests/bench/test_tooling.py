"""The README's GraphQL examples pass the tools a frontend runs (bench/tooling): named
operations, a codegen config that maps every custom scalar, and, where `npm ci --prefix
bench/tooling` has installed the tools, graphql-inspector, graphql-codegen and strict tsc."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from graphql import GraphQLScalarType, specified_scalar_types

from bench.tooling.frontend import (
    NPM_CI,
    ToolingError,
    installed,
    readme_codegen_config,
    readme_operations,
    run,
)
from schema import schema
from tests.schema.test_readme_queries import graphql_blocks

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


def _tools() -> None:
    if installed():
        return
    if os.environ.get("CI"):  # CI installs them (.ci/run): missing there is a failure
        pytest.fail(f"the frontend tools are not installed: `{NPM_CI}`")
    pytest.skip(f"the frontend tools are not installed: `{NPM_CI}`")


def test_every_readme_operation_has_its_own_name() -> None:
    names = readme_operations(graphql_blocks(README))
    assert {"TeamOverview", "AddGraceToPlatform", "LinkShifts"} <= set(names)
    assert len(names) >= 17


def test_an_anonymous_or_repeated_operation_is_refused() -> None:
    with pytest.raises(ToolingError, match="anonymous query"):
        readme_operations(["query { teams { id } }"])
    with pytest.raises(ToolingError, match="two operations 'Q'"):
        readme_operations(["query Q { teams { id } }", "query Q { users { id } }"])


def test_the_readme_maps_every_custom_scalar_for_codegen() -> None:
    custom = {
        name
        for name, t in schema._schema.type_map.items()
        if isinstance(t, GraphQLScalarType) and name not in specified_scalar_types
    }
    config = readme_codegen_config(README)
    assert set(config["scalars"]) == custom
    assert set(config["scalars"].values()) == {"string"}  # they travel as ISO 8601 strings


def test_the_readme_passes_graphql_inspector_codegen_and_strict_tsc() -> None:
    _tools()
    steps = run()
    assert [s.name for s in steps if s.ok] == [
        "graphql-inspector validate",
        "graphql-codegen",
        "tsc --strict",
    ], steps[-1].output


def test_an_unknown_field_in_an_example_fails_validation() -> None:
    _tools()
    broken = README.replace("members { id name worklogs", "members { id nickname worklogs", 1)
    assert broken != README
    steps = run(broken)
    assert [(s.name, s.ok) for s in steps] == [("graphql-inspector validate", False)]
    assert "nickname" in steps[-1].output


def test_a_wrong_scalar_mapping_fails_tsc() -> None:
    _tools()
    # usage.ts passes dates as strings, as the README's mapping says they travel.
    broken = README.replace("Date: string      # YYYY-MM-DD", "Date: number", 1)
    assert broken != README
    steps = run(broken)
    assert [(s.name, s.ok) for s in steps] == [
        ("graphql-inspector validate", True),
        ("graphql-codegen", True),
        ("tsc --strict", False),
    ]
    assert "usage.ts" in steps[-1].output
