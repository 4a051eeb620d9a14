"""Every GraphQL document the README shows is valid against the schema, so a copied example
never fails on a renamed field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import DocumentNode, OperationDefinitionNode, parse, validate

from schema import schema

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```graphql\n(.*?)```", README, flags=re.S)


def test_the_readme_shows_queries() -> None:
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("document", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_a_readme_query_validates(document: str) -> None:
    # A block may list several examples side by side: each operation is checked on its own.
    parsed = parse(document)
    operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    others = tuple(d for d in parsed.definitions if not isinstance(d, OperationDefinitionNode))
    assert operations
    for operation in operations:
        errors = validate(schema._schema, DocumentNode(definitions=(operation, *others)))
        assert not errors, [e.message for e in errors]
