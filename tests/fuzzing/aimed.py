"""The schema under fuzz, every field an operation can reach, and operations aimed at one.

hypothesis-graphql alone leaves some fields out of thousands of operations, so
:func:`_aimed` picks a field (or takes the one asked for) and reaches it from the root by a
random shortest route, with random literal arguments on the way; :func:`targets` lists them all.
"""

from __future__ import annotations

from collections.abc import Mapping

import graphql
from graphql import ArgumentNode, DocumentNode, NameNode, OperationDefinitionNode, ValueNode
from hypothesis import strategies as st
from hypothesis_graphql import nodes

from schema import schema as _strawberry_schema

SCHEMA: graphql.GraphQLSchema = _strawberry_schema._schema


# -- operations aimed at one field --------------------------------------------------------
#
# hypothesis-graphql picks fields unevenly: in a thousand operations some fields never turn
# up (`Roster.members`, `Account.id`, `Contacts.email`), others once or twice
# (`Membership.from`). So a third of the operations are aimed: pick any field of any type,
# evenly, and reach it from the root by a random shortest route (`teams`, `team(key:)` or
# `node(id:)` for a Team field, say), with random arguments on the way.

_Composite = graphql.GraphQLObjectType | graphql.GraphQLInterfaceType


Target = tuple[str, str]  # (object type, field), e.g. ("Membership", "from")


def targets() -> list[Target]:
    """Every field of every object type an operation can reach."""
    return _reachable()[1]


def _reachable() -> tuple[dict[str, int], list[Target]]:
    """Each object type's distance from the root, and every (type, field) to aim at."""
    assert SCHEMA.query_type is not None
    depth = {SCHEMA.query_type.name: 0}
    queue = [SCHEMA.query_type]
    while queue:
        parent = queue.pop(0)
        for field_ in parent.fields.values():
            for child in _concrete(graphql.get_named_type(field_.type)):
                if child.name not in depth:
                    depth[child.name] = depth[parent.name] + 1
                    queue.append(child)
    targets = [(name, field_name) for name in depth for field_name in _object(name).fields]
    return depth, targets


def _object(name: str) -> graphql.GraphQLObjectType:
    found = SCHEMA.get_type(name)
    assert isinstance(found, graphql.GraphQLObjectType)
    return found


def _concrete(named: graphql.GraphQLNamedType) -> list[graphql.GraphQLObjectType]:
    """The object types a field of this type can return."""
    if isinstance(named, graphql.GraphQLObjectType):
        return [named]
    if isinstance(named, graphql.GraphQLInterfaceType):
        return list(SCHEMA.get_implementations(named).objects)
    if isinstance(named, graphql.GraphQLUnionType):
        return list(named.types)
    return []


def _value(
    type_: graphql.GraphQLInputType, scalars: Mapping[str, st.SearchStrategy[ValueNode]]
) -> st.SearchStrategy[ValueNode]:
    """Literal values of an input type, `null` included where the type allows it."""
    if isinstance(type_, graphql.GraphQLNonNull):
        inner = type_.of_type
        if isinstance(inner, graphql.GraphQLList):
            return st.lists(_value(inner.of_type, scalars), max_size=3).map(nodes.List)
        if isinstance(inner, graphql.GraphQLInputObjectType):
            return st.fixed_dictionaries(
                {n: _value(f.type, scalars) for n, f in inner.fields.items()}
            ).map(
                lambda values: nodes.Object(
                    [
                        graphql.ObjectFieldNode(name=NameNode(value=n), value=v)
                        for n, v in values.items()
                    ]
                )
            )
        if isinstance(inner, graphql.GraphQLEnumType):
            return st.sampled_from(list(inner.values)).map(nodes.Enum)
        if inner.name in scalars:
            return scalars[inner.name]
        return _BUILT_IN[inner.name]
    return st.one_of(st.just(nodes.Null), _value(graphql.GraphQLNonNull(type_), scalars))


_BUILT_IN: dict[str, st.SearchStrategy[ValueNode]] = {
    "Int": st.integers(-(2**31), 2**31 - 1).map(nodes.Int),
    "Float": st.floats(allow_nan=False, allow_infinity=False).map(nodes.Float),
    "Boolean": st.booleans().map(nodes.Boolean),
}


def _aimed(
    scalars: Mapping[str, st.SearchStrategy[ValueNode]], aim: Target | None
) -> st.SearchStrategy[DocumentNode]:
    """Operations reaching `aim`, or a field picked evenly among all of them."""
    depth, every = _reachable()
    # Into each type from the level above it: (parent type, field), through interfaces too.
    routes = {
        child: sorted(
            (parent, name)
            for parent, d in depth.items()
            if d == depth[child] - 1
            for name, f in _object(parent).fields.items()
            if child in (t.name for t in _concrete(graphql.get_named_type(f.type)))
        )
        for child in depth
    }

    def arguments(draw: st.DrawFn, field_: graphql.GraphQLField) -> tuple[ArgumentNode, ...]:
        out = []
        for name, argument in field_.args.items():
            if not graphql.is_required_argument(argument) and draw(st.booleans()):
                continue  # left out: its default applies
            value = draw(_value(argument.type, scalars))
            out.append(ArgumentNode(name=NameNode(value=name), value=value))
        return tuple(out)

    def field_node(
        draw: st.DrawFn,
        field_: graphql.GraphQLField,
        name: str,
        selections: tuple[graphql.SelectionNode, ...] = (),
    ) -> graphql.FieldNode:
        selection_set = graphql.SelectionSetNode(selections=selections) if selections else None
        return graphql.FieldNode(
            name=NameNode(value=name),
            arguments=arguments(draw, field_),
            directives=(),
            selection_set=selection_set,
        )

    def leaf_selection(
        draw: st.DrawFn, named: graphql.GraphQLNamedType
    ) -> tuple[graphql.SelectionNode, ...]:
        """Something to select under a composite field: one of its leaves, or `__typename`."""
        if not isinstance(named, _Composite):
            return ()
        leaves = [
            n
            for n, f in named.fields.items()
            if graphql.is_leaf_type(graphql.get_named_type(f.type))
        ]
        name = draw(st.sampled_from(leaves or ["__typename"]))
        if name == "__typename":
            return (graphql.FieldNode(name=NameNode(value=name), arguments=(), directives=()),)
        return (field_node(draw, named.fields[name], name),)

    @st.composite
    def aimed(draw: st.DrawFn) -> DocumentNode:
        type_name, field_name = aim or draw(st.sampled_from(every))
        target = _object(type_name).fields[field_name]
        selection: graphql.SelectionNode = field_node(
            draw, target, field_name, leaf_selection(draw, graphql.get_named_type(target.type))
        )
        while depth[type_name] > 0:  # climb towards the root, one level at a time
            parent, name = draw(st.sampled_from(routes[type_name]))
            route = _object(parent).fields[name]
            if graphql.get_named_type(route.type).name != type_name:  # through an interface
                selection = graphql.InlineFragmentNode(
                    type_condition=graphql.NamedTypeNode(name=NameNode(value=type_name)),
                    directives=(),
                    selection_set=graphql.SelectionSetNode(selections=(selection,)),
                )
            selection = field_node(draw, route, name, (selection,))
            type_name = parent
        operation = OperationDefinitionNode(
            operation=graphql.OperationType.QUERY,
            variable_definitions=(),
            directives=(),
            selection_set=graphql.SelectionSetNode(selections=(selection,)),
        )
        return DocumentNode(definitions=(operation,))

    return aimed()
