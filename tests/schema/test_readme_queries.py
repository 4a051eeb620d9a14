"""Every GraphQL document the README shows is valid against the schema, so a copied example
never fails on a renamed field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import DocumentNode, OperationDefinitionNode, parse, validate

from schema import schema

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


def graphql_blocks(markdown: str) -> list[str]:
    """The text of every ```graphql block (bench/tooling hands them to the frontend tools)."""
    return re.findall(r"```graphql\n(.*?)```", markdown, flags=re.S)


BLOCKS = graphql_blocks(README)


def operations(block: str) -> list[DocumentNode]:
    """One document per operation of a README block, with the block's fragments: a block may
    list several examples side by side, and each is sent (and checked) on its own."""
    parsed = parse(block)
    ops = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    others = tuple(d for d in parsed.definitions if not isinstance(d, OperationDefinitionNode))
    return [DocumentNode(definitions=(op, *others)) for op in ops]


def test_the_readme_shows_queries() -> None:
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_a_readme_query_validates(block: str) -> None:
    documents = operations(block)
    assert documents
    for document in documents:
        errors = validate(schema._schema, document)
        assert not errors, [e.message for e in errors]
