"""From query text to a result: parse, measure, validate (once per document), execute.

A document is parsed with a token limit, measured by :mod:`schema.cost` (fragments folded,
never expanded), then validated by graphql-core; the outcome, rejections included, is kept
in a bounded LRU keyed by the text and operation name, so a repeated document (every
production client repeats its documents) costs a dictionary lookup. Nothing runs until all
three pass, so a hostile document costs milliseconds.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import strawberry
from graphql import (
    ArgumentNode,
    DocumentNode,
    ExecutionResult,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    Visitor,
    execute,
    parse,
    validate,
    visit,
)
from graphql.validation import NoSchemaIntrospectionCustomRule, specified_rules

from gateway.executor import execute_plan
from gateway.plans import NotCompiled, Plans
from gateway.settings import LimitsSettings
from schema.cost import Analysis, Analyzer, Limits, too_complex

# Documents longer than this are not kept: they are rare, and the cache is bounded by count.
_CACHEABLE_CHARS = 64 * 1024


@dataclass(frozen=True, slots=True)
class Prepared:
    """A document ready to run, or the request errors that stop it."""

    document: DocumentNode | None
    errors: tuple[GraphQLError, ...] = ()
    analysis: Analysis | None = None
    operation: OperationType | None = None


def request_error(message: str, code: str, **extensions: object) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code, **extensions})


class Operations:
    """Prepares and executes operations against one schema under one set of limits."""

    def __init__(
        self,
        schema: strawberry.Schema,
        limits: LimitsSettings,
        *,
        introspection: bool = True,
        compiled: bool = True,
    ) -> None:
        self.schema: GraphQLSchema = schema._schema
        self.plans = Plans(schema, max_roots=limits.document_cache_size) if compiled else None
        self.limits = limits
        self.analyzer = Analyzer(
            self.schema,
            Limits(
                max_depth=limits.max_depth,
                max_aliases=limits.max_aliases,
                max_directives=limits.max_directives,
                max_cost=limits.max_cost,
                max_estimated_upstream_calls=limits.max_estimated_upstream_calls,
                list_size=limits.list_size,
            ),
        )
        rules = list(specified_rules)
        if not introspection:
            rules.append(NoSchemaIntrospectionCustomRule)
        self._rules = tuple(rules)
        self._cache: OrderedDict[tuple[str, str | None], Prepared] = OrderedDict()

    def prepare(self, query: str, operation_name: str | None) -> Prepared:
        key = (query, operation_name)
        found = self._cache.get(key)
        if found is not None:
            self._cache.move_to_end(key)
            return found
        prepared = self._prepare(query, operation_name)
        if len(query) <= _CACHEABLE_CHARS:
            self._cache[key] = prepared
            if len(self._cache) > self.limits.document_cache_size:
                self._cache.popitem(last=False)
        return prepared

    def _prepare(self, query: str, operation_name: str | None) -> Prepared:
        try:
            document = parse(query, max_tokens=self.limits.max_tokens)
        except GraphQLError as syntax:
            if "more than" in syntax.message and "tokens" in syntax.message:
                return Prepared(None, (_too_many_tokens(self.limits.max_tokens),))
            if "nested too deeply" in syntax.message:
                return Prepared(None, (_nested_too_deeply(),))
            syntax.extensions = {**(syntax.extensions or {}), "code": "GRAPHQL_PARSE_FAILED"}
            return Prepared(None, (syntax,))
        except RecursionError:
            return Prepared(None, (_nested_too_deeply(),))
        try:
            analysis = self.analyzer.analyze(document, operation_name)
        except GraphQLError as rejected:
            return Prepared(document, (rejected,))
        try:
            errors = validate(self.schema, document, self._rules, max_errors=20)
        except RecursionError:
            return Prepared(document, (_nested_too_deeply(),))
        if errors:
            return Prepared(document, tuple(_coded(document, errors)))
        return Prepared(document, (), analysis, _operation_type(document, operation_name))

    async def execute(
        self,
        prepared: Prepared,
        *,
        variables: Mapping[str, Any] | None,
        operation_name: str | None,
        context: object,
        root_value: object = None,
    ) -> ExecutionResult:
        """Run a prepared operation. A subscription runs once per event, with the event as
        `root_value` (what its root field answers)."""
        assert prepared.document is not None and not prepared.errors
        if self.plans is not None:
            try:
                return await execute_plan(
                    self.plans,
                    prepared.document,
                    variables=dict(variables) if variables is not None else None,
                    operation_name=operation_name,
                    context=context,
                    root_value=root_value,
                )
            except NotCompiled:
                pass  # introspection, subscriptions: graphql-core runs them
        result = execute(
            self.schema,
            prepared.document,
            root_value=root_value,
            context_value=context,
            variable_values=dict(variables) if variables is not None else None,
            operation_name=operation_name,
        )
        if isinstance(result, ExecutionResult):
            return result
        awaited: ExecutionResult = await result
        return awaited


def _coded(document: DocumentNode, errors: list[GraphQLError]) -> list[GraphQLError]:
    """Validation errors with a code; a literal argument a scalar refused (a date out of
    range) is the caller's input: BAD_USER_INPUT, naming the argument and its field."""
    arguments: dict[int, tuple[str, str]] = {}
    for field_node, argument in _arguments(document):
        if argument.value.loc is not None:
            arguments[argument.value.loc.start] = (field_node.name.value, argument.name.value)
    out = []
    for error in errors:
        found = None
        if error.message.startswith("Expected value of type") and error.nodes:
            loc = error.nodes[0].loc
            found = arguments.get(loc.start) if loc is not None else None
        if found is None:
            error.extensions = {**(error.extensions or {}), "code": "GRAPHQL_VALIDATION_FAILED"}
            out.append(error)
            continue
        field_name, argument_name = found
        out.append(
            GraphQLError(
                f"argument `{argument_name}` of `{field_name}`: {error.message}",
                error.nodes,
                extensions={"code": "BAD_USER_INPUT", "argument": argument_name},
            )
        )
    return out


def _arguments(document: DocumentNode) -> list[tuple[FieldNode, ArgumentNode]]:
    found: list[tuple[FieldNode, ArgumentNode]] = []

    class Collect(Visitor):
        def enter_field(self, node: FieldNode, *_: object) -> None:
            found.extend((node, argument) for argument in node.arguments or ())

    visit(document, Collect())
    return found


def _operation_type(document: DocumentNode, name: str | None) -> OperationType | None:
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode) and (
            name is None or (definition.name is not None and definition.name.value == name)
        ):
            return definition.operation
    return None


def _too_many_tokens(limit: int) -> GraphQLError:
    return too_complex(
        f"the document has more than {limit} tokens (limits.max_tokens); send a shorter "
        "document, or split it into several operations",
        limit=limit,
        measured=limit + 1,
        kind="max_tokens",
    )


def _nested_too_deeply() -> GraphQLError:
    return request_error(
        "the document is nested too deeply to read; send fewer nested levels "
        "(selections, lists or input objects)",
        "OPERATION_TOO_COMPLEX",
        setting="limits.max_depth",
    )
