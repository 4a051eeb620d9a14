"""Every type, field, argument, input field and enum value of the schema is described: GraphiQL
shows the descriptions, and graphql-codegen copies them onto the generated TypeScript."""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    specified_scalar_types,
)

from schema import schema


def undescribed() -> list[str]:
    missing = []
    for name, named in schema._schema.type_map.items():
        if name.startswith("__") or name in specified_scalar_types:
            continue
        if not named.description:
            missing.append(name)
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in named.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                missing += [
                    f"{name}.{field_name}({arg_name}:)"
                    for arg_name, arg in field.args.items()
                    if not arg.description
                ]
        elif isinstance(named, GraphQLInputObjectType):
            missing += [f"{name}.{f}" for f, field in named.fields.items() if not field.description]
        elif isinstance(named, GraphQLEnumType):
            missing += [f"{name}.{v}" for v, value in named.values.items() if not value.description]
    return missing


def test_everything_in_the_schema_is_described() -> None:
    assert undescribed() == []
