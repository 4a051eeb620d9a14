"""Execution plans: how each field of a validated document is read, decided once.

See `gateway/executor.py` for why plans exist and how they run. Here: what a schema field is
(`Spec`: a plain attribute, a resolver called with the parent alone, one that wants `info` or
arguments, async or not), what one selection on one object type shows (`ObjectPlan`), and
each selected field's arguments, converted to Python once (or once per execution when they
use variables).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from graphql import GraphQLObjectType, GraphQLOutputType, GraphQLSchema, OperationType
from graphql.execution import Executor
from graphql.execution.collect_fields import FieldDetailsList, collect_subfields
from graphql.execution.values import get_argument_values
from strawberry.types.arguments import convert_arguments
from strawberry.types.field import StrawberryField

# Where Strawberry defines the is_type_of it gives types with interfaces (see
# Plans.check_needs_info); a Strawberry upgrade that moves it only costs the shortcut.
_STRAWBERRY_CONVERTER = "strawberry.schema.schema_converter"
_STRAWBERRY_CHECK = "._get_is_type_of.<locals>.is_type_of"


class NotCompiled(Exception):
    """The document uses something the plan does not cover: graphql-core runs it."""


class Spec:
    """How to read one schema field, decided once per schema."""

    __slots__ = (
        "arguments", "direct", "func", "info_name", "is_async", "kind", "name", "plain",
        "root_name", "self_first", "strawberry_field",
    )  # fmt: skip

    def __init__(self, field: StrawberryField | None, name: str) -> None:
        self.name = name
        self.strawberry_field = field
        self.kind = "typename" if name == "__typename" else "attr"
        self.func: Callable[..., Any] | None = None
        self.self_first = False
        self.plain = False
        self.root_name: str | None = None
        self.info_name: str | None = None
        self.is_async = False
        # Read at once, without building a path unless it fails (see _Run._fields): a plain
        # attribute, or a plain synchronous resolver.
        self.direct = self.kind == "attr"
        self.arguments = field.arguments if field is not None else []
        if field is None or self.kind == "typename":
            return
        if field.extensions or getattr(field, "permission_classes", None):
            self.kind = "unsupported"
            self.direct = False
            return
        resolver = field.base_resolver
        self.name = field.python_name
        if resolver is None:
            return
        self.kind = "call"
        self.func = resolver.wrapped_func  # type: ignore[assignment]
        self.self_first = resolver.self_parameter is not None
        for parameter in (resolver.root_parameter, resolver.parent_parameter):
            if parameter is not None:
                self.root_name = parameter.name
        info = resolver.info_parameter
        self.info_name = info.name if info is not None else None
        self.is_async = field.is_async
        # `def name(self) -> str`: called with the parent alone, the commonest resolver.
        self.plain = (
            self.self_first and self.root_name is None and self.info_name is None
            and not self.arguments
        )  # fmt: skip
        self.direct = self.plain and not self.is_async


class ObjectPlan:
    """The fields one object type shows for one selection, compiled on first use."""

    __slots__ = ("fields", "type")

    def __init__(self, type_: GraphQLObjectType, fields: list[FieldPlan]) -> None:
        self.type = type_
        self.fields = fields


class FieldPlan:
    __slots__ = (
        "args",
        "args_error",
        "definition",
        "details",
        "dynamic",
        "key",
        "nodes",
        "parent",
        "return_type",
        "spec",
        "sub",
    )  # fmt: skip

    def __init__(self, key: str, parent: GraphQLObjectType, details: FieldDetailsList) -> None:
        self.key = key
        self.parent = parent
        self.details = details
        self.nodes = [d.node for d in details]
        self.args: dict[str, Any] | None = None
        self.args_error: Exception | None = None
        self.dynamic = False
        self.sub: dict[str, ObjectPlan] = {}  # runtime type name -> its selection
        self.definition: Any = None
        self.return_type: GraphQLOutputType | None = None
        self.spec: Spec | None = None


class Plans:
    """Compiles and runs plans for one Strawberry schema."""

    def __init__(self, schema: strawberry.Schema) -> None:
        self.strawberry = schema
        self.schema: GraphQLSchema = schema._schema
        self._registry = schema.schema_converter.scalar_registry
        self._config = schema.config
        self._specs: dict[tuple[str, str], Spec] = {}
        self._check_needs_info: dict[str, bool] = {}

    def check_needs_info(self, type_: GraphQLObjectType) -> bool:
        """Whether `type_.is_type_of` reads its resolve info. Strawberry gives every type
        that implements an interface (Node: Team, User, Worklog...) an isinstance check
        that ignores it; building an info for each object it checks cost more than the
        check. Any other is_type_of (written by hand) gets a real info."""
        found = self._check_needs_info.get(type_.name)
        if found is None:
            check = type_.is_type_of
            found = self._check_needs_info[type_.name] = not (
                getattr(check, "__module__", None) == _STRAWBERRY_CONVERTER
                and getattr(check, "__qualname__", "").endswith(_STRAWBERRY_CHECK)
            )
        return found

    def spec(self, parent: GraphQLObjectType, name: str) -> Spec:
        key = (parent.name, name)
        found = self._specs.get(key)
        if found is None:
            definition = self.schema.get_field(parent, name)
            ext = (definition.extensions or {}) if definition is not None else {}
            field = ext.get("strawberry-definition")
            found = self._specs[key] = Spec(field, name)
        return found


class Compiler:
    """Decides, once per document and selection, how each field is read; shared by every
    object the selection applies to. Compiles lazily: a sub-selection when first reached."""

    def __init__(self, plans: Plans, executor: Executor[Any]) -> None:
        self.plans = plans
        self.executor = executor
        self.schema = plans.schema
        self._dynamic_args: dict[int, dict[str, Any] | Exception] = {}
        operation = executor.operation
        if operation.operation == OperationType.SUBSCRIPTION:
            raise NotCompiled("subscription")
        if any(d.variable_signatures for d in executor.fragments.values()):
            raise NotCompiled("fragment arguments")

    def object_plan(
        self, type_: GraphQLObjectType, grouped: dict[str, FieldDetailsList]
    ) -> ObjectPlan:
        fields = []
        for key, details in grouped.items():
            name = details[0].node.name.value
            if name in ("__schema", "__type"):
                raise NotCompiled("introspection")
            definition = self.schema.get_field(type_, name)
            if definition is None:
                continue
            field = FieldPlan(key, type_, details)
            field.definition = definition
            field.return_type = definition.type
            field.spec = self.plans.spec(type_, name)
            if field.spec.kind == "unsupported":
                raise NotCompiled(f"{type_.name}.{name} has extensions")
            self._arguments(field)
            fields.append(field)
        return ObjectPlan(type_, fields)

    def _arguments(self, field: FieldPlan) -> None:
        node = field.nodes[0]
        if not (field.definition.args or node.arguments):
            field.args = {}
            return
        if any(_uses_variable(a.value) for a in node.arguments or ()):
            field.dynamic = True
            return
        try:
            field.args = self._convert(field, get_argument_values(field.definition, node))
        except Exception as exc:
            field.args_error = exc

    def _convert(self, field: FieldPlan, raw: dict[str, Any]) -> dict[str, Any]:
        spec = field.spec
        assert spec is not None
        if spec.kind != "call" or not raw:
            return raw
        converted: dict[str, Any] = convert_arguments(
            raw, spec.arguments, scalar_registry=self.plans._registry, config=self.plans._config
        )
        return converted

    def args_of(self, field: FieldPlan) -> dict[str, Any]:
        if field.args_error is not None:
            raise field.args_error
        if not field.dynamic:
            assert field.args is not None
            return field.args
        found = self._dynamic_args.get(id(field))
        if found is None:
            try:
                raw = get_argument_values(
                    field.definition, field.nodes[0], self.executor.variable_values
                )
                found = self._convert(field, raw)
            except Exception as exc:
                found = exc
            self._dynamic_args[id(field)] = found
        if isinstance(found, Exception):
            raise found
        return found

    def sub(self, field: FieldPlan, runtime: GraphQLObjectType) -> ObjectPlan:
        found = field.sub.get(runtime.name)
        if found is None:
            collected = collect_subfields(
                self.schema,
                self.executor.fragments,
                self.executor.variable_values,
                self.executor.operation,
                runtime,
                field.details,
            )
            found = field.sub[runtime.name] = self.object_plan(runtime, collected.grouped_field_set)
        return found

    # -- running ----------------------------------------------------------------------------


def _uses_variable(node: Any) -> bool:
    kind = getattr(node, "kind", "")
    if kind == "variable":
        return True
    if kind == "list_value":
        return any(_uses_variable(v) for v in node.values)
    if kind == "object_value":
        return any(_uses_variable(f.value) for f in node.fields)
    return False
