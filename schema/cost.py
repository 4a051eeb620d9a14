"""What an operation will cost, known before it runs.

Every operation is measured once per document, after fragments are expanded, before graphql-
core validates or executes it: its depth, its aliases and directives, the fields it will
resolve (each list multiplying what is under it by ``list_size``), and the upstream calls it
is estimated to cause. Fragments are measured once each and combined arithmetically, never
expanded, so a document whose expansion has ten million fields is measured in microseconds
and rejected with ``OPERATION_TOO_COMPLEX``.

Which fields call which upstreams is declared where each field is defined, with
``metadata=upstream(...)`` (the same facts as the README's call contract):

* ``per="request"``: one call per request for each distinct set of arguments (a range
  endpoint: all worklogs from..to, whoever asks);
* ``per="parent"``: one call per distinct parent object (Tempo members of one team), at most
  ``list_size`` parents estimated;
* ``identity=True``: the field needs the linked directory of people and teams, whose calls
  (every service's people and teams, plus Tempo's members per team) are counted once.

An async field without a declaration is estimated at one call per parent; a plain attribute
at none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SchemaMetaFieldDef,
    SelectionSetNode,
    TypeMetaFieldDef,
    TypeNameMetaFieldDef,
    get_named_type,
    get_nullable_type,
    is_list_type,
    print_ast,
)

CALLS = "teamgraph.calls"
# Calls building the linked directory costs, besides Tempo's members per team: every
# service's people and teams lists.
DIRECTORY_CALLS = 7


@dataclass(frozen=True, slots=True)
class Calls:
    per: Literal["parent", "request"]
    n: int = 1
    identity: bool = True


def upstream(
    per: Literal["parent", "request"], n: int = 1, *, identity: bool = True
) -> dict[str, object]:
    """Field metadata: the upstream calls this field causes (see the module docstring)."""
    return {CALLS: Calls(per, n, identity)}


NO_CALLS: dict[str, object] = {CALLS: None}


@dataclass(frozen=True, slots=True)
class Limits:
    max_depth: int = 12
    max_aliases: int = 30
    max_directives: int = 50
    max_cost: int = 50_000
    max_estimated_upstream_calls: int = 1000
    list_size: int = 10


@dataclass(frozen=True, slots=True)
class Analysis:
    depth: int
    aliases: int
    directives: int
    cost: int  # fields resolved, lists multiplied by list_size
    estimated_calls: int

    def as_dict(self) -> dict[str, int]:
        return {
            "depth": self.depth,
            "aliases": self.aliases,
            "directives": self.directives,
            "fields": self.cost,
            "estimatedUpstreamCalls": self.estimated_calls,
        }


@dataclass
class _Summary:
    """A selection set measured at multiplier 1; combined by sums and maxima."""

    cost: float = 0.0
    depth: int = 0
    aliases: float = 0.0
    directives: float = 0.0
    # (field coordinate, printed arguments) -> calls; dictionaries stay as small as the
    # document, however much fragments multiply.
    calls: dict[tuple[str, str], Calls] = field(default_factory=dict)

    def add(self, other: _Summary, times: float = 1.0) -> None:
        self.cost += other.cost * times
        self.depth = max(self.depth, other.depth)
        self.aliases += other.aliases * times
        self.directives += other.directives * times
        self.calls.update(other.calls)


class Analyzer:
    """Measures operations against one schema. Build once; ``analyze`` is pure."""

    def __init__(self, schema: GraphQLSchema, limits: Limits) -> None:
        self.schema = schema
        self.limits = limits
        self._calls: dict[tuple[str, str], Calls | None] = {}
        for type_name, named in schema.type_map.items():
            for field_name, definition in getattr(named, "fields", {}).items():
                strawberry_field = (definition.extensions or {}).get("strawberry-definition")
                metadata = getattr(strawberry_field, "metadata", None) or {}
                if CALLS in metadata:
                    self._calls[(type_name, field_name)] = metadata[CALLS]
                elif strawberry_field is not None and getattr(strawberry_field, "is_async", False):
                    self._calls[(type_name, field_name)] = Calls("parent")

    def analyze(self, document: DocumentNode, operation_name: str | None) -> Analysis:
        """Measure the operation; raise GraphQLError when it passes a limit."""
        operation = _operation(document, operation_name)
        if operation is None:
            # No operation to run: graphql-core's validation says what is wrong.
            return Analysis(0, 0, 0, 0, 0)
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        root = self.schema.get_root_type(operation.operation)
        if root is None:
            return Analysis(0, 0, 0, 0, 0)
        summaries = self._fragments(fragments)
        top = self._selection_set(operation.selection_set, root.name, summaries)
        top.directives += len(operation.directives or ())
        analysis = Analysis(
            depth=top.depth,
            aliases=int(min(top.aliases, 1e12)),
            directives=int(min(top.directives, 1e12)),
            cost=int(min(top.cost, 1e12)),
            estimated_calls=self._estimate(top.calls.values()),
        )
        self._check(analysis)
        return analysis

    # -- limits -----------------------------------------------------------------------------

    def _check(self, a: Analysis) -> None:
        lim = self.limits
        checks = [
            ("depth", a.depth, lim.max_depth, "max_depth", "ask for fewer nested levels"),
            ("aliases", a.aliases, lim.max_aliases, "max_aliases", "use fewer aliases"),
            ("directives", a.directives, lim.max_directives, "max_directives",
             "use fewer directives"),
            ("cost", a.cost, lim.max_cost, "max_cost",
             "select fewer fields under lists, or page with `first`"),
            ("estimated upstream calls", a.estimated_calls, lim.max_estimated_upstream_calls,
             "max_estimated_upstream_calls", "ask for fewer distinct ranges or objects"),
        ]  # fmt: skip
        for what, value, limit, key, advice in checks:
            if value > limit:
                raise too_complex(
                    f"the operation's {what} is {value}, above the limit of {limit} "
                    f"(limits.{key}); {advice}, or split it into several operations",
                    limit=limit,
                    measured=value,
                    kind=key,
                )

    def _estimate(self, calls: Iterable[Calls]) -> int:
        total = 0
        identity = False
        for c in calls:
            total += c.n * (1 if c.per == "request" else self.limits.list_size)
            identity = identity or c.identity
        if identity:
            total += DIRECTORY_CALLS + self.limits.list_size
        return total

    # -- measuring --------------------------------------------------------------------------

    def _fragments(self, fragments: dict[str, FragmentDefinitionNode]) -> dict[str, _Summary]:
        """Every fragment measured once, dependencies first, without recursion (a chain of
        a thousand fragments must not exhaust Python's stack)."""
        done: dict[str, _Summary] = {}
        state: dict[str, str] = {}
        for start in fragments:
            stack: list[tuple[str, bool]] = [(start, False)]
            while stack:
                name, expanded = stack.pop()
                if name in done or name not in fragments:
                    continue
                if expanded:
                    fragment = fragments[name]
                    on = fragment.type_condition.name.value
                    done[name] = self._selection_set(fragment.selection_set, on, done)
                    state[name] = "done"
                    continue
                if state.get(name) == "open":
                    raise GraphQLError(
                        f"fragment {name!r} spreads itself (directly or through others); "
                        "remove the cycle",
                        extensions={"code": "GRAPHQL_VALIDATION_FAILED"},
                    )
                state[name] = "open"
                stack.append((name, True))
                for spread in _spreads(fragments[name].selection_set):
                    if spread not in done:
                        if state.get(spread) == "open":
                            raise GraphQLError(
                                f"fragment {spread!r} spreads itself (directly or through "
                                "others); remove the cycle",
                                extensions={"code": "GRAPHQL_VALIDATION_FAILED"},
                            )
                        stack.append((spread, False))
        return done

    def _selection_set(
        self, root: SelectionSetNode, type_name: str, fragments: dict[str, _Summary]
    ) -> _Summary:
        """Measure a selection tree without recursion: visit it with an explicit stack,
        noting each field's summary and its parent's, then fold children into parents."""
        result = _Summary()
        # (selection set, its type, its summary, inside introspection)
        work: list[tuple[SelectionSetNode, str, _Summary, bool]] = [
            (root, type_name, result, False)
        ]
        # (child, parent, list multiplier, is introspection), parents before children.
        order: list[tuple[_Summary, _Summary, float, bool]] = []
        while work:
            selection_set, parent_type, summary, inside = work.pop()
            for selection in selection_set.selections:
                summary.directives += len(selection.directives or ())
                if isinstance(selection, FragmentSpreadNode):
                    found = fragments.get(selection.name.value)
                    if found is not None:
                        summary.add(found)
                    continue
                if isinstance(selection, InlineFragmentNode):
                    condition = selection.type_condition
                    on = condition.name.value if condition else parent_type
                    work.append((selection.selection_set, on, summary, inside))
                    continue
                assert isinstance(selection, FieldNode)
                name = selection.name.value
                summary.cost += 1
                if selection.alias is not None:
                    summary.aliases += 1
                definition = _field(self.schema, parent_type, name)
                calls = self._calls.get((parent_type, name))
                if calls is not None:
                    key = (f"{parent_type}.{name}", _printed_args(selection))
                    summary.calls[key] = calls
                if selection.selection_set is None or definition is None:
                    summary.depth = max(summary.depth, 1)
                    continue
                child = _Summary()
                # Introspection answers from the schema, whose size is fixed: its lists do
                # not multiply, and validation's MaxIntrospectionDepthRule bounds nesting.
                introspection = inside or name.startswith("__") or parent_type.startswith("__")
                listed = _is_list(definition) and not introspection
                multiplier = float(self.limits.list_size) if listed else 1.0
                child_type = get_named_type(definition.type).name
                order.append((child, summary, multiplier, introspection and not inside))
                work.append((selection.selection_set, child_type, child, introspection))
        # Children were noted after their parents: fold them in reverse.
        for child, parent, multiplier, introspection in reversed(order):
            parent.cost += child.cost * multiplier
            # Aliases and directives are counted as written (fragments expanded), not per
            # list item: they cost once each however long the list.
            parent.aliases += child.aliases
            parent.directives += child.directives
            parent.calls.update(child.calls)
            # Introspection nests deeply by design (ofType chains); it has its own bound.
            depth = 1 + child.depth
            if introspection:
                depth = 1 if depth <= INTROSPECTION_DEPTH else depth
            parent.depth = max(parent.depth, depth)
        return result


INTROSPECTION_DEPTH = 20


def too_complex(message: str, *, limit: int, measured: int, kind: str) -> GraphQLError:
    return GraphQLError(
        message,
        extensions={
            "code": "OPERATION_TOO_COMPLEX",
            "limit": limit,
            "measured": measured,
            "setting": f"limits.{kind}",
        },
    )


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name and o.name.value == name), None)


def _spreads(root: SelectionSetNode) -> list[str]:
    found: list[str] = []
    stack = [root]
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                found.append(selection.name.value)
            elif isinstance(selection, (FieldNode, InlineFragmentNode)) and selection.selection_set:
                stack.append(selection.selection_set)
    return found


_META_FIELDS = {
    "__schema": SchemaMetaFieldDef,
    "__type": TypeMetaFieldDef,
    "__typename": TypeNameMetaFieldDef,
}


def _field(schema: GraphQLSchema, type_name: str, name: str) -> GraphQLField | None:
    if name in _META_FIELDS:
        return _META_FIELDS[name]
    named = schema.type_map.get(type_name)
    if not isinstance(named, (GraphQLObjectType, GraphQLInterfaceType)):
        return None
    found: GraphQLField | None = named.fields.get(name)
    return found


def _is_list(definition: GraphQLField) -> bool:
    return is_list_type(get_nullable_type(definition.type))


def _printed_args(node: FieldNode) -> str:
    if not node.arguments:
        return ""
    return ",".join(f"{a.name.value}:{print_ast(a.value)}" for a in node.arguments)
