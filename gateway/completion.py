"""Completing values, as graphql-core's `complete_value` family does: non-null checks,
leaf coercion, lists (and the time slices long ones are completed in), objects and abstract
types. The fields of an object are the executor's (:mod:`gateway.executor`), which builds on
this; see there for why plans exist and how they follow graphql-core.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from types import CoroutineType
from typing import Any

from graphql import (
    GraphQLAbstractType,
    GraphQLError,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    located_error,
)
from graphql.execution import Executor
from graphql.execution.executor import CollectedErrors, invalid_return_type_error
from graphql.pyutils import Path, Undefined, gather_with_cancel, inspect, is_awaitable, is_iterable
from strawberry.types.cast import TYPE_CAST_ATTRIBUTE

from gateway.plans import Compiler, FieldPlan, ObjectPlan, Plans

# Give the event loop back after this much uninterrupted work on one answer.
SLICE_SECONDS = 0.05


# `new_path(Path, (prev, key, typename))` is `Path(prev, key, typename)`, made as the tuple
# it is: a NamedTuple's constructor (and `Path.add_key` on top of it) is a Python call
# apiece, and an answer needs a path per object and list item (about 440 for Q1).
new_path = tuple.__new__


async def join(*awaitables: Any, strict: bool) -> list[Any]:
    """What graphql-core's gather_with_cancel does: run the awaitables (coroutines)
    concurrently and return their results in order. `strict`: one may raise (a non-null
    field's error), and then the first raised cancels the rest at once, as there. Otherwise
    none raises (a nullable field's error is its null and an entry in `errors`): the others
    run as tasks, awaited in order, without a gather and its per-task callbacks (about 2 % of
    Q1), and the last runs in this task, which would only have waited for it (a task fewer
    per join: 16 of Q1's 56). A deadline or a cancellation reaches it here just as it would
    reach its own task: through the future it waits on."""
    if strict:
        return await gather_with_cancel(*awaitables)
    loop = asyncio.get_running_loop()
    *others, last = awaitables
    tasks = [loop.create_task(aw) for aw in others]
    try:
        done = await last
        return [*[await task for task in tasks], done]
    except BaseException:  # cancelled: so are they, as a gather's are
        for task in tasks:
            task.cancel()
        raise


class Completion(Compiler):
    """Completes resolved values into an answer's data, collecting field errors."""

    def __init__(self, plans: Plans, executor: Executor[Any]) -> None:
        super().__init__(plans, executor)
        self.errors = CollectedErrors()
        self.slice_started = time.perf_counter()

    def _fields(self, plan: ObjectPlan, source: Any, path: Path | None) -> Any:
        """An object's fields: the executor's part (gateway/executor.py)."""
        raise NotImplementedError

    def _item_error(self, exc: Exception, field: FieldPlan, item_type: Any, path: Path) -> Any:
        error = located_error(exc, field.nodes, path.as_list())
        if isinstance(item_type, GraphQLNonNull):
            raise error
        self.errors.add(error, path)
        return None

    # -- completing -------------------------------------------------------------------------

    def _complete(self, field: FieldPlan, type_: Any, path: Path, result: Any) -> Any:
        if isinstance(result, Exception):
            raise result
        if isinstance(type_, GraphQLNonNull):
            completed = self._complete(field, type_.of_type, path, result)
            if completed is None:
                raise TypeError(
                    "Cannot return null for non-nullable field"
                    f" {field.parent.name}.{field.nodes[0].name.value}."
                )
            return completed
        if result is None or result is Undefined:
            return None
        if isinstance(type_, GraphQLList):
            return self._complete_list(field, type_, path, result)
        if isinstance(type_, GraphQLLeafType):
            coerced = type_.coerce_output_value(result)
            if coerced is Undefined or coerced is None:
                raise TypeError(
                    f"Expected `{inspect(type_)}.coerce_output_value("
                    f"{inspect(result)})` to return non-nullable value, returned:"
                    f" {inspect(coerced)}"
                )
            return coerced
        if isinstance(type_, GraphQLObjectType):
            return self._complete_object(field, type_, path, result)
        return self._complete_abstract(field, type_, path, result)

    def _complete_list(
        self, field: FieldPlan, type_: GraphQLList[Any], path: Path, items: Any
    ) -> Any:
        if not is_iterable(items):
            raise GraphQLError(
                "Expected Iterable, but did not find one for field"
                f" '{field.parent.name}.{field.nodes[0].name.value}'."
            )
        return self._complete_items(field, type_.of_type, path, iter(items), 0, [], [])

    def _complete_items(
        self,
        field: FieldPlan,
        item_type: Any,
        path: Path,
        items: Iterator[Any],
        index: int,
        results: list[Any],
        awaiting: list[int],
    ) -> Any:
        plans = self.plans
        plain = plans.plain_classes
        named = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
        object_type = named if isinstance(named, GraphQLObjectType) else None
        # Every item of an object type is completed by the same plan: looked up once.
        item_plan = self.sub(field, object_type) if object_type is not None else None
        completed: Any
        for item in items:
            item_path = new_path(Path, (path, index, None))
            try:
                if item_plan is not None and (
                    (
                        item.__class__ is field.trusts  # what Plans.trusted answers, inlined
                        and not (field.trusts_uncast and TYPE_CAST_ATTRIBUTE in item.__dict__)
                    )
                    or plans.trusted(item_plan.type, item, field)
                ):
                    completed = self._fields(item_plan, item, item_path)
                elif item.__class__ not in plain and plans.is_awaitable(item):
                    completed = self._complete_awaitable_item(field, item_type, item_path, item)
                else:
                    completed = self._complete(field, item_type, item_path, item)
                if isinstance(completed, CoroutineType):
                    completed = self._await_item(field, item_type, item_path, completed)
                if isinstance(completed, CoroutineType):
                    awaiting.append(index)
            except Exception as exc:
                completed = self._item_error(exc, field, item_type, item_path)
            results.append(completed)
            index += 1
            if index & 127 == 0 and time.perf_counter() - self.slice_started > SLICE_SECONDS:
                # A long answer: let other requests run, then go on with the rest.
                return self._resume_items(field, item_type, path, items, index, results, awaiting)
        if not awaiting:
            return results
        return self._gather_items(results, awaiting, isinstance(item_type, GraphQLNonNull))

    async def _resume_items(
        self,
        field: FieldPlan,
        item_type: Any,
        path: Path,
        items: Iterator[Any],
        index: int,
        results: list[Any],
        awaiting: list[int],
    ) -> list[Any]:
        await asyncio.sleep(0)
        self.slice_started = time.perf_counter()
        rest = self._complete_items(field, item_type, path, items, index, results, awaiting)
        if isinstance(rest, CoroutineType):
            rest = await rest
        done: list[Any] = rest
        return done

    async def _gather_items(
        self, results: list[Any], awaiting: list[int], strict: bool
    ) -> list[Any]:
        if len(awaiting) == 1:
            results[awaiting[0]] = await results[awaiting[0]]
        else:
            done = await join(*(results[i] for i in awaiting), strict=strict)
            for index, value in zip(awaiting, done, strict=True):
                results[index] = value
        return results

    async def _await_item(
        self, field: FieldPlan, item_type: Any, path: Path, completed: Any
    ) -> Any:
        try:
            return await completed
        except Exception as exc:
            return self._item_error(exc, field, item_type, path)

    async def _complete_awaitable_item(
        self, field: FieldPlan, item_type: Any, path: Path, item: Any
    ) -> Any:
        try:
            resolved = await item
            completed = self._complete(field, item_type, path, resolved)
            if isinstance(completed, CoroutineType):
                completed = await completed
        except Exception as exc:
            return self._item_error(exc, field, item_type, path)
        return completed

    def _complete_object(
        self, field: FieldPlan, type_: GraphQLObjectType, path: Path, result: Any
    ) -> Any:
        if type_.is_type_of is not None:
            info: Any = None  # not read by the check (see Plans.check_needs_info)
            if self.plans.check_needs_info(type_):
                info = self.executor.build_resolve_info(
                    field.definition, field.nodes, field.parent, path
                )
            matches = type_.is_type_of(result, info)
            if matches.__class__ is not bool and is_awaitable(matches):
                return self._fields_when(matches, field, type_, path, result)
            if not matches:
                raise invalid_return_type_error(type_, result, field.details)
        return self._fields(self.sub(field, type_), result, path)

    async def _fields_when(
        self, matches: Any, field: FieldPlan, type_: GraphQLObjectType, path: Path, result: Any
    ) -> Any:
        if not await matches:
            raise invalid_return_type_error(type_, result, field.details)
        done = self._fields(self.sub(field, type_), result, path)
        return await done if isinstance(done, CoroutineType) else done

    def _complete_abstract(
        self, field: FieldPlan, type_: GraphQLAbstractType, path: Path, result: Any
    ) -> Any:
        info = self.executor.build_resolve_info(field.definition, field.nodes, field.parent, path)
        resolve = type_.resolve_type or self.executor.type_resolver
        name = resolve(result, info, type_)
        if is_awaitable(name):
            return self._abstract_when(name, field, type_, path, result, info)
        runtime = self.executor.ensure_valid_runtime_type(name, type_, field.details, info, result)
        return self._complete_object(field, runtime, path, result)

    async def _abstract_when(
        self,
        name: Any,
        field: FieldPlan,
        type_: GraphQLAbstractType,
        path: Path,
        result: Any,
        info: Any,
    ) -> Any:
        runtime = self.executor.ensure_valid_runtime_type(
            await name, type_, field.details, info, result
        )
        done = self._complete_object(field, runtime, path, result)
        return await done if isinstance(done, CoroutineType) else done
