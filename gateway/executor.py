"""The fast path: a plan compiled once per document that builds the answer directly.

graphql-core resolves every field through the same general machinery: it collects the
selection anew for every object, builds a resolve-info object and a Strawberry `Info` for
every field, converts arguments for every parent, and asks "is this awaitable?" everywhere.
That is about 10 µs a field, more than a whole answer of a compiled gateway. A plan does that
work once: which fields each object type shows (fragments and @skip/@include resolved),
whether each is a plain attribute, a sync or an async resolver, its arguments converted to
Python once (per execution when they use variables), and how each value is completed.

It must give exactly graphql-core's answers, errors and null propagation included, so it
follows graphql-core 3.3's executor step for step (`execute_fields`, `execute_field`,
`complete_value`, ...) and reuses its parts wherever they are not per-field overhead:
`Executor.build` (operation, fragments, variable coercion and its errors),
`collect_fields` / `collect_subfields`, `located_error`, `CollectedErrors` and
`gather_with_cancel`. `tests/gateway/test_executor.py` runs the same documents through both.

Not compiled (graphql-core runs them): subscriptions, introspection (`__schema`, `__type`),
fragment arguments, fields with Strawberry extensions or permission classes.

Fields are executed here; their values are completed (lists, objects, abstract types) by
:class:`gateway.completion.Completion`, which this builds on. Long answers do not hold the
event loop: completing a list yields to other requests once a slice of work has run
:data:`gateway.completion.SLICE_SECONDS`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable
from enum import Enum
from types import CoroutineType
from typing import Any

from graphql import (
    ExecutionResult,
    GraphQLError,
    GraphQLLeafType,
    GraphQLNonNull,
    OperationType,
    located_error,
)
from graphql.execution import Executor
from graphql.pyutils import (
    Path,
    Undefined,
    is_awaitable,
)
from strawberry.types.cast import TYPE_CAST_ATTRIBUTE

from gateway.completion import Completion, join, new_path
from gateway.plans import FieldPlan, NotCompiled, ObjectPlan, Plans, Spec
from resolvers.backends.resilience import Lending, adopt, lending

# GraphQL's Int: 32 bits, signed.
_MIN_INT, _MAX_INT = -(2**31), 2**31 - 1


async def execute_plan(
    plans: Plans,
    document: Any,
    *,
    variables: dict[str, Any] | None,
    operation_name: str | None,
    context: object,
    root_value: object = None,
) -> ExecutionResult:
    """Run `document` with compiled plans; raises NotCompiled for what graphql-core must run."""
    built = Executor.build(
        plans.schema,
        document,
        root_value=root_value,
        context_value=context,
        raw_variable_values=variables,
        operation_name=operation_name,
    )
    if isinstance(built, list):  # request errors: operation, variables
        return ExecutionResult(None, built)
    try:
        return await _Run(plans, built).operation()
    finally:
        # graphql-core's executor and its helpers refer to each other (bound methods), and
        # through it the request's context holds every payload: left for the cyclic
        # collector, each request's data outlived it and was traversed again and again.
        # Broken here, it all goes by reference counting the moment the answer is built;
        # unless siblings of a field whose error nulled their parent still settle in the
        # background, as graphql-core lets them: they may need the helpers (resolve infos).
        if not built.background_futures:
            del built.async_helpers


async def _resume(coroutine: Any, waiting_on: Any, caught: list[Any] | None = None) -> Any:
    """Go on running a coroutine that yielded `waiting_on` (an asyncio future, or None for a
    bare yield), the way a task steps it: wait, then send, until it returns. The upstream
    exchanges its first steps started (`caught`) are this task's to time out from now on."""
    if caught:
        adopt(caught)
    try:
        while True:
            if waiting_on is None:
                await asyncio.sleep(0)
            else:
                # The coroutine takes the future's error (or cancellation) when resumed.
                with contextlib.suppress(Exception, asyncio.CancelledError):
                    await waiting_on
            try:
                waiting_on = coroutine.send(None)
            except StopIteration as done:
                return done.value
            _consume(waiting_on)
    except BaseException:
        # Closed while waiting (GeneratorExit), or interrupted: so is the coroutine it runs,
        # its own `finally` blocks included. (Once it has finished, close() does nothing.)
        coroutine.close()
        raise


def _consume(waiting_on: Any) -> None:
    """What Task.__step does with a yielded future at once: take back the flag the
    coroutine's `await` set. Left set, anyone else awaiting the same future (a dataloader's,
    shared by many fields) would be refused with "await wasn't used with future"."""
    if waiting_on is not None:
        waiting_on._asyncio_future_blocking = False


class _Run(Completion):
    """One execution: graphql-core's algorithm over compiled field plans."""

    def __init__(self, plans: Plans, executor: Executor[Any]) -> None:
        super().__init__(plans, executor)
        self.context = executor.context_value
        # Upstream exchanges a resolver's first steps start here, for the task that goes on
        # running it (see `_complete_async`).
        self.lending = Lending()

    async def operation(self) -> ExecutionResult:
        operation = self.executor.operation
        root = self.schema.get_root_type(operation.operation)
        if root is None:
            raise NotCompiled("no root type")
        plan = self.root_plan(root)
        lent = lending.set(self.lending)
        try:
            if operation.operation == OperationType.MUTATION:
                data: Any = await self._serially(plan, self.executor.root_value)
            else:
                data = self._fields(plan, self.executor.root_value, None)
                if isinstance(data, CoroutineType):
                    data = await data
        except GraphQLError as error:
            self.errors.add(error, None)
            data = None
        finally:
            lending.reset(lent)
        return ExecutionResult(data, self.errors.errors or None)

    async def _serially(self, plan: ObjectPlan, source: Any) -> dict[str, Any]:
        results: dict[str, Any] = {}
        for field in plan.fields:
            result = self._field(field, source, Path(None, field.key, plan.type.name))
            if is_awaitable(result):
                result = await result
            results[field.key] = result
        return results

    def _fields(self, plan: ObjectPlan, source: Any, path: Path | None) -> Any:
        results: dict[str, Any] = {}
        awaiting: list[str] = []
        strict = False  # a non-null field among them, whose error would raise (see `join`)
        type_name = plan.type.name
        try:
            for field in plan.fields:
                read = field.read
                if read is not None:
                    # The common cases, inlined: a plain attribute, or `def name(self)`,
                    # completed at once; its path is built only if it fails.
                    try:
                        value: Any = read(source)
                    except Exception as exc:
                        results[field.key] = self._field_error(
                            exc, field, Path(path, field.key, type_name)
                        )
                        continue
                    passes = field.passes
                    if value.__class__ is passes and (
                        passes is not int or _MIN_INT <= value <= _MAX_INT  # type: ignore[operator]
                    ):
                        results[field.key] = value  # what the scalar's coercion would return
                        continue
                    object_type = field.object_type
                    if object_type is not None and (
                        (
                            value.__class__ is field.trusts  # Plans.trusted's answer, inlined
                            and not (field.trusts_uncast and TYPE_CAST_ATTRIBUTE in value.__dict__)
                        )
                        or self.plans.trusted(object_type, value, field)
                    ):
                        # What `_field_value` would do with it, its type tests and is_type_of
                        # known to pass: its own fields, read at once.
                        at = new_path(Path, (path, field.key, type_name))
                        sub = field.sub.get(object_type.name) or self.sub(field, object_type)
                        try:
                            result = self._fields(sub, value, at)
                        except Exception as exc:
                            result = self._field_error(exc, field, at)
                        else:
                            if isinstance(result, CoroutineType):
                                result = self._await_completed(field, result, at)
                    else:
                        result = self._complete_sync_leaf(field, value, path, type_name)
                else:
                    result = self._field(
                        field, source, new_path(Path, (path, field.key, type_name))
                    )
                results[field.key] = result
                if isinstance(result, CoroutineType):
                    awaiting.append(field.key)
                    strict = strict or field.non_null
        except Exception:
            if awaiting:
                self.executor.settle_in_background([results[k] for k in awaiting])
            raise
        if not awaiting:
            return results
        return self._gather_fields(results, awaiting, strict)

    async def _gather_fields(
        self, results: dict[str, Any], awaiting: list[str], strict: bool
    ) -> dict[str, Any]:
        if len(awaiting) == 1:
            results[awaiting[0]] = await results[awaiting[0]]
        else:
            done = await join(*(results[k] for k in awaiting), strict=strict)
            results.update(zip(awaiting, done, strict=True))
        return results

    def _complete_sync_leaf(
        self, field: FieldPlan, value: Any, path: Path | None, type_name: str
    ) -> Any:
        """An attribute's value: scalars and enums completed here, anything else by the
        general path (with its own error handling)."""
        return_type = field.return_type
        nullable = return_type
        if isinstance(return_type, GraphQLNonNull):
            nullable = return_type.of_type
        quick = value is not None and value is not Undefined and not isinstance(value, Exception)
        if isinstance(nullable, GraphQLLeafType) and quick:  # a returned error: the general path
            # An enum member's name, found once per member: Strawberry's enum coercion scans
            # every value of the enum, for each of the thousand `service` fields of a list.
            names = self.plans.enum_names.get(nullable.name) if isinstance(value, Enum) else None
            if names is not None and value in names:
                return names[value]
            try:
                coerced = nullable.coerce_output_value(value)
            except Exception:  # the general path below raises it again, located
                coerced = Undefined
            if coerced is not Undefined and coerced is not None:
                if names is not None:
                    names[value] = coerced
                return coerced
        return self._field_value(field, value, new_path(Path, (path, field.key, type_name)))

    def _field(self, field: FieldPlan, source: Any, path: Path) -> Any:
        spec = field.spec
        assert spec is not None
        try:
            if spec.kind == "typename":
                value: Any = field.parent.name
            elif spec.kind == "attr":
                self.args_of(field)
                value = getattr(source, spec.name)
            else:
                value = self._call(field, spec, source, path)
                if spec.is_async:
                    return self._complete_async(field, value, path)
        except Exception as exc:
            return self._field_error(exc, field, path)
        return self._field_value(field, value, path)

    def _complete_async(self, field: FieldPlan, coroutine: Any, path: Path) -> Any:
        """An async resolver's coroutine, run at once: most finish without waiting (their
        data already loaded in this request), and need neither a task nor a gather. One
        that must wait goes on in `_resume`, as a task would run it."""
        lent = self.lending  # these steps are on loan: another task may go on with them
        lent.open, lent.caught = True, None
        try:
            waiting_on = coroutine.send(None)
        except StopIteration as done:
            lent.open = False
            return self._field_value(field, done.value, path)
        except Exception as exc:
            lent.open = False
            return self._field_error(exc, field, path)
        finally:
            lent.open = False
        caught, lent.caught = lent.caught, None
        _consume(waiting_on)
        return self._complete_awaitable(field, _resume(coroutine, waiting_on, caught), path)

    def _call(self, field: FieldPlan, spec: Spec, source: Any, path: Path) -> Any:
        if spec.plain and not field.dynamic and field.args_error is None:
            assert spec.func is not None
            return spec.func(source)
        kwargs = dict(self.args_of(field))
        if spec.root_name is not None:
            kwargs[spec.root_name] = source
        if spec.info_name is not None:
            raw = self.executor.build_resolve_info(
                field.definition, field.nodes, field.parent, path
            )
            assert spec.strawberry_field is not None
            kwargs[spec.info_name] = self.plans._config.info_class(
                _raw_info=raw, _field=spec.strawberry_field
            )
        assert spec.func is not None
        if spec.self_first:
            return spec.func(source, **kwargs)
        return spec.func(**kwargs)

    def _field_value(self, field: FieldPlan, value: Any, path: Path) -> Any:
        assert field.return_type is not None
        try:
            completed = self._complete(field, field.return_type, path, value)
        except Exception as exc:
            return self._field_error(exc, field, path)
        if isinstance(completed, CoroutineType):
            return self._await_completed(field, completed, path)
        return completed

    async def _await_completed(
        self, field: FieldPlan, completed: Awaitable[Any], path: Path
    ) -> Any:
        try:
            return await completed
        except Exception as exc:
            return self._field_error(exc, field, path)

    async def _complete_awaitable(self, field: FieldPlan, value: Awaitable[Any], path: Path) -> Any:
        assert field.return_type is not None
        try:
            resolved = await value
            completed = self._complete(field, field.return_type, path, resolved)
            if isinstance(completed, CoroutineType):
                completed = await completed
        except Exception as exc:
            return self._field_error(exc, field, path)
        return completed

    def _field_error(self, exc: Exception, field: FieldPlan, path: Path) -> Any:
        """graphql-core's handle_field_error: a nullable field becomes null (None is
        returned), a non-null one passes the error to its parent."""
        assert field.return_type is not None
        error = located_error(exc, field.nodes, path.as_list())
        if isinstance(field.return_type, GraphQLNonNull):
            raise error
        self.errors.add(error, path)
        return None
