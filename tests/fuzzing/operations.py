"""The operations the fuzz tests send: hypothesis-graphql's, one root field's, or aimed ones.

Built from the scalars in :mod:`tests.fuzzing.scalars` and the aimed documents in
:mod:`tests.fuzzing.aimed`, then with some argument values moved into variables (hostile
operations also leave variables out or send the wrong JSON type); :func:`well_formed` and
:func:`operations` are the strategies the tests draw from.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import graphql
from graphql import (
    ArgumentNode,
    DocumentNode,
    NameNode,
    OperationDefinitionNode,
    TypeInfo,
    TypeInfoVisitor,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
)
from hypothesis import strategies as st
from hypothesis_graphql import queries

from tests.fuzzing.aimed import SCHEMA, Target, _aimed
from tests.fuzzing.scalars import Seeds, _pick, _weighted, custom_scalars

# -- operations ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Operation:
    query: str
    variables: dict[str, Any] | None = None


# How a hostile operation sends a hoisted argument's variable: its literal's value, left
# out of `variables` (the argument's default applies, or a non-null one is missing), or a
# JSON value of the wrong type (variable coercion must refuse it cleanly).
_AS_GIVEN, _MISSING, _WRONG_TYPE = "as given", "missing", "wrong type"
_HOSTILE_VARIABLE = st.sampled_from([_AS_GIVEN, _AS_GIVEN, _MISSING, _WRONG_TYPE])
_WRONG_JSON = st.one_of(
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.lists(st.text(max_size=4), max_size=2),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)


def _with_variables(draw: st.DrawFn, document: DocumentNode, *, hostile: bool) -> Operation:
    """Move some argument values into variables of the argument's exact type."""
    type_info = TypeInfo(SCHEMA)
    definitions: list[VariableDefinitionNode] = []
    variables: dict[str, Any] = {}

    class Hoist(Visitor):
        def enter_argument(self, node: ArgumentNode, *_: object) -> ArgumentNode | None:
            argument = type_info.get_argument()
            if argument is None or not draw(st.booleans()):
                return None  # keep the literal
            name = f"v{len(definitions)}"
            variable = VariableNode(name=NameNode(value=name))
            type_node = graphql.parse_type(str(argument.type))
            definitions.append(VariableDefinitionNode(variable=variable, type=type_node))
            fate = draw(_HOSTILE_VARIABLE) if hostile else _AS_GIVEN
            if fate == _AS_GIVEN:
                variables[name] = graphql.value_from_ast_untyped(node.value)
            elif fate == _WRONG_TYPE:
                variables[name] = draw(_WRONG_JSON)
            return ArgumentNode(name=node.name, value=variable)

    edited: DocumentNode = graphql.visit(document, TypeInfoVisitor(type_info, Hoist()))
    if not definitions:
        return Operation(graphql.print_ast(edited))
    (operation,) = edited.definitions
    assert isinstance(operation, OperationDefinitionNode)
    named = OperationDefinitionNode(
        operation=operation.operation,
        name=NameNode(value="Fuzz"),
        variable_definitions=tuple(definitions),
        directives=(),
        selection_set=operation.selection_set,
    )
    return Operation(graphql.print_ast(DocumentNode(definitions=(named,))), variables)


def _operations(
    seeds: Seeds, *, hostile: bool, aim: Target | None = None
) -> st.SearchStrategy[Operation]:
    scalars = custom_scalars(seeds, hostile=hostile)

    def documents(fields: list[str] | None) -> st.SearchStrategy[DocumentNode]:
        return queries(
            SCHEMA, fields=fields, custom_scalars=scalars, print_ast=lambda document: document
        )

    chosen: st.SearchStrategy[DocumentNode]
    if aim is not None:
        chosen = _aimed(scalars, aim)
    else:
        # Left to itself, hypothesis-graphql picks root fields unevenly (`worklogs(user:)` or
        # a root `events` with its filters turn up once in hundreds of operations): a third
        # of the operations are about one root field each, chosen evenly, and a third aimed
        # at one field anywhere (see `_aimed`).
        assert SCHEMA.query_type is not None
        single = [documents([name]) for name in SCHEMA.query_type.fields]
        chosen = _weighted(
            (1, documents(None)),
            (1, _pick(single).flatmap(lambda s: s)),
            (1, _aimed(scalars, None)),
        )

    @st.composite
    def operation(draw: st.DrawFn) -> Operation:
        return _with_variables(draw, draw(chosen), hostile=hostile)

    return operation()


@functools.cache  # built once per seeds: building it is far slower than drawing from it
def well_formed(seeds: Seeds) -> st.SearchStrategy[Operation]:
    """Operations with nothing hostile in them: each must pass validation, and run."""
    return _operations(seeds, hostile=False)


@functools.cache
def operations(seeds: Seeds, aim: Target | None = None) -> st.SearchStrategy[Operation]:
    """Mostly well-formed operations, which pass validation and run (a reversed or too long
    range still fails its field); a quarter hostile ones, with dates outside the accepted
    range or malformed, and variables missing or of the wrong type, which are mostly
    refused before they run. Mixing both in one operation would leave little that runs.

    With `aim`, every operation reaches that field (with random arguments on the way)."""
    return _weighted(
        (3, _operations(seeds, hostile=False, aim=aim)),
        (1, _operations(seeds, hostile=True, aim=aim)),
    )
