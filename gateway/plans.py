"""Execution plans: how each field of a validated document is read, decided once.

See `gateway/executor.py` for why plans exist and how they run. Here: what a schema field is
(`Spec`: a plain attribute, a resolver called with the parent alone, one that wants `info` or
arguments, async or not), what one selection on one object type shows (`ObjectPlan`), and
each selected field's arguments, converted to Python once (or once per execution when they
use variables).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from operator import attrgetter
from types import GeneratorType
from typing import Any

import strawberry
from graphql import (
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLID,
    GraphQLInt,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLString,
    OperationType,
)
from graphql.execution import Executor
from graphql.execution.collect_fields import (
    FieldDetailsList,
    collect_fields,
    collect_subfields,
)
from graphql.execution.values import get_argument_values
from graphql.pyutils import Undefined, is_awaitable
from strawberry.types.arguments import convert_arguments
from strawberry.types.cast import TYPE_CAST_ATTRIBUTE
from strawberry.types.field import StrawberryField

# Where Strawberry defines the is_type_of it gives types with interfaces (see
# Plans.check_needs_info); a Strawberry upgrade that moves it only costs the shortcut.
_STRAWBERRY_CONVERTER = "strawberry.schema.schema_converter"
_STRAWBERRY_CHECK = "._get_is_type_of.<locals>.is_type_of"


# Builtin scalars that complete a value of exactly this class to the value itself
# (graphql-core's coerce_output_value; Int also checks the range, see _Run._fields).
_PASSES: dict[Any, type] = {
    GraphQLString: str,
    GraphQLID: str,
    GraphQLBoolean: bool,
    GraphQLInt: int,
}


# Plans.trusted: whether values of a class complete as an object type without a check.
_CHECKED, _TRUSTED, _UNLESS_CAST = 0, 1, 2


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
        "non_null",
        "object_type",
        "parent",
        "passes",
        "read",
        "return_type",
        "spec",
        "sub",
        "trusts",
        "trusts_uncast",
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
        # The Python class whose values this field's scalar type answers unchanged (str for
        # String and ID, bool, int within Int's range): completed without a call.
        self.passes: type | None = None
        # The object type it returns (null or not), if it returns one (see Plans.trusted).
        self.object_type: GraphQLObjectType | None = None
        self.non_null = False
        # How to read it from its parent when that is all it takes (`Spec.direct`, and no
        # arguments to judge): the resolver itself, or a getter of the attribute.
        self.read: Callable[[Any], Any] | None = None
        # The class of the last of its values `Plans.trusted` trusted (each of its values
        # is of one object type): the next of that class is trusted without asking again,
        # if not cast to another type where `trusts_uncast` says that must be checked.
        self.trusts: type | None = None
        self.trusts_uncast = False


class Plans:
    """Compiles and runs plans for one Strawberry schema."""

    def __init__(self, schema: strawberry.Schema, *, max_roots: int = 1000) -> None:
        self.strawberry = schema
        # Operations whose plans are kept, the oldest dropped first: as many as the parse
        # cache keeps documents (`limits.document_cache_size`, gateway/operations.py).
        self.max_roots = max_roots
        self.schema: GraphQLSchema = schema._schema
        self._registry = schema.schema_converter.scalar_registry
        self._config = schema.config
        self._specs: dict[tuple[str, str], Spec] = {}
        self._check_needs_info: dict[str, bool] = {}
        self._trusted: dict[tuple[str, type], int] = {}
        # Compiled operations: id(operation node) -> (the node, its root plan).
        self.roots: dict[int, tuple[Any, ObjectPlan]] = {}
        # Enum type name -> member -> the name it completes to (see _complete_sync_leaf).
        self.enum_names: dict[str, dict[Enum, Any]] = {
            name: {} for name, t in self.schema.type_map.items() if isinstance(t, GraphQLEnumType)
        }
        # Classes whose instances are not awaitable: a list item of one of these needs no
        # is_awaitable (a failed `__await__` lookup each) before it is completed.
        self.plain_classes: set[type] = {str, int, float, bool, dict, list, tuple}

    def is_awaitable(self, value: Any) -> bool:
        """graphql-core's is_awaitable, remembering the classes that are not (generators
        aside: whether one is a coroutine is per object)."""
        if is_awaitable(value):
            return True
        if not isinstance(value, GeneratorType):
            self.plain_classes.add(value.__class__)
        return False

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

    def trusted(self, type_: GraphQLObjectType, value: Any, field: FieldPlan) -> bool:
        """Whether `value` (of `field`) completes as an object of `type_` with nothing
        checked: not null, not an error or an awaitable, and `type_` has no is_type_of, or
        Strawberry's and `value` is of the type's own class, not cast to another
        (strawberry.cast). Decided once per type and class, and remembered on the field for
        its next value (`FieldPlan.trusts`); each object then has its fields read at once,
        without the general path's type tests and check call (for Q1, 270 objects a query)."""
        cls = value.__class__
        key = (type_.name, cls)
        found = self._trusted.get(key)
        if found is None:
            found = self._trusted[key] = self._trust(type_, cls)
        if found != _CHECKED:
            field.trusts, field.trusts_uncast = cls, found == _UNLESS_CAST
        if found == _UNLESS_CAST:
            return TYPE_CAST_ATTRIBUTE not in value.__dict__
        return found == _TRUSTED

    def _trust(self, type_: GraphQLObjectType, cls: type) -> int:
        if (
            cls in (type(None), type(Undefined), GeneratorType)
            or issubclass(cls, BaseException)
            or hasattr(cls, "__await__")
        ):
            return _CHECKED
        if type_.is_type_of is None:
            return _TRUSTED
        if self.check_needs_info(type_):  # written by hand: always asked
            return _CHECKED
        definition = (type_.extensions or {}).get("strawberry-definition")
        if cls is getattr(definition, "origin", None) and cls.__dictoffset__:
            return _UNLESS_CAST
        return _CHECKED

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

    def root_plan(self, root: GraphQLObjectType) -> ObjectPlan:
        """The operation's plan, compiled once per document: later requests with the same
        document start from the plan (and the sub-plans) the first one compiled. Unless
        @skip or @include take a variable: then what is selected depends on the request."""
        operation = self.executor.operation
        cached = self.plans.roots.get(id(operation))
        if cached is not None and cached[0] is operation:
            return cached[1]
        collected = collect_fields(
            self.schema, self.executor.fragments, self.executor.variable_values, root, operation
        )
        plan = self.object_plan(root, collected.grouped_field_set)
        selections = [operation.selection_set]
        selections += [f.definition.selection_set for f in self.executor.fragments.values()]
        # Queries only: a mutation runs once, and its literal inputs (converted once, into
        # objects a resolver could change) are better not shared with the next one.
        query = operation.operation == OperationType.QUERY
        if query and not any(_conditions_use_variables(s) for s in selections):
            roots = self.plans.roots
            if len(roots) >= self.plans.max_roots:
                roots.pop(next(iter(roots)))  # the oldest
            # The operation is kept with its plan, so its id cannot be reused meanwhile.
            roots[id(operation)] = (operation, plan)
        return plan

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
            field.passes = _PASSES.get(getattr(definition.type, "of_type", definition.type))
            named = definition.type
            named = named.of_type if isinstance(named, GraphQLNonNull) else named
            field.object_type = named if isinstance(named, GraphQLObjectType) else None
            field.spec = self.plans.spec(type_, name)
            if field.spec.kind == "unsupported":
                raise NotCompiled(f"{type_.name}.{name} has extensions")
            self._arguments(field)
            field.non_null = isinstance(definition.type, GraphQLNonNull)
            spec = field.spec
            if spec.direct and not field.dynamic and field.args_error is None:
                field.read = spec.func or attrgetter(spec.name)
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


def _conditions_use_variables(selections: Any) -> bool:
    """Whether a @skip or @include in `selections` (or below) takes a variable."""
    for node in selections.selections:
        for directive in node.directives or ():
            if directive.name.value in ("skip", "include") and any(
                _uses_variable(a.value) for a in directive.arguments
            ):
                return True
        inner = getattr(node, "selection_set", None)
        if inner is not None and _conditions_use_variables(inner):
            return True
    return False


def _uses_variable(node: Any) -> bool:
    kind = getattr(node, "kind", "")
    if kind == "variable":
        return True
    if kind == "list_value":
        return any(_uses_variable(v) for v in node.values)
    if kind == "object_value":
        return any(_uses_variable(f.value) for f in node.fields)
    return False
