"""Fields the compiled executor reads at once (plain attributes and `def name(self)`
resolvers, gateway/plans.py `Spec.direct`) answer as graphql-core does when they fail: the
error located at the field's path, null where nullable, the parent nulled where not.

A small schema of its own, because no demo field fails on demand: run through both
executors (gateway.operations, compiled and graphql-core) and compared whole.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest
import strawberry

from gateway.executor import _consume, _resume
from gateway.operations import Operations
from gateway.settings import LimitsSettings


class Refused(Exception):
    """Not a builtin: graphql-core's String would serialize it through str() if asked."""


@strawberry.type
class Item:
    n: int

    @strawberry.field
    def label(self) -> str:
        return f"item {self.n}"

    @strawberry.field
    def fragile(self) -> str | None:
        if self.n == 2:
            raise ValueError(f"item {self.n} cannot say")
        return "fine"

    @strawberry.field
    def returned(self) -> str | None:  # an error returned, not raised: graphql-core raises it
        return Refused(f"item {self.n} returned an error") if self.n == 4 else "ok"  # type: ignore[return-value]

    @strawberry.field
    def big(self) -> int | None:  # the first is one past Int's range, the second its least
        return 2**31 if self.n == 1 else -(2**31)

    @strawberry.field
    def strict(self) -> str:
        if self.n == 3:
            raise ValueError(f"item {self.n} refuses")
        return "kept"


LATE: list[str] = []  # paths of fields completed after the answer


@strawberry.type
class Detail:
    @strawberry.field
    def where(self, info: strawberry.Info) -> str:
        LATE.append(".".join(str(key) for key in info.path.as_list()))
        return "here"


@strawberry.type
class Slow:
    n: int

    @strawberry.field
    async def slow(self) -> Detail:
        await asyncio.sleep(0.05)
        return Detail()

    @strawberry.field
    def strict(self) -> str:
        raise ValueError(f"item {self.n} refuses")


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Dog(Named):
    """Strawberry's own is_type_of: an isinstance check that never reads its info."""


CHECKED: list[str] = []  # the field each hand-written check was given an info for
ENDED: list[int] = []  # `waits` fields ended (cancelled)


@strawberry.type
class Cat(Named):
    @classmethod
    def is_type_of(cls, obj: Any, info: strawberry.Info) -> bool:
        CHECKED.append(info.field_name)
        return isinstance(obj, Cat)


@strawberry.type
class Query:
    @strawberry.field
    def numbers(self, up_to: int) -> list[int]:
        return list(range(1, up_to + 1))

    @strawberry.field
    def dogs(self) -> list[Dog]:
        return [Dog(name="Rex")]

    @strawberry.field
    def cats(self) -> list[Cat | None]:
        return [Cat(name="Tom"), Dog(name="Not a cat")]  # type: ignore[list-item]

    @strawberry.field
    def mixed_dogs(self) -> list[Dog | None]:
        # Only the first is completed without its is_type_of (Plans.trusted).
        not_a_dog = strawberry.cast(Cat, Dog(name="cast as a cat"))
        return [Dog(name="Rex"), not_a_dog, Cat(name="Tom"), None, ValueError("gone")]  # type: ignore[list-item]

    @strawberry.field
    def dog(self) -> Dog | None:
        return strawberry.cast(Cat, Dog(name="cast as a cat"))

    @strawberry.field
    def strict_dog(self) -> Dog:
        return Item(n=1)  # type: ignore[return-value]  # not a Named

    @strawberry.field
    async def waits(self, n: int) -> int | None:
        try:
            await asyncio.sleep(3600)
        finally:
            ENDED.append(n)
        return n

    @strawberry.field
    def slow_items(self) -> list[Slow | None]:
        return [Slow(n=1)]

    @strawberry.field
    def items(self) -> list[Item | None]:
        return [Item(n=n) for n in range(1, 5)]


SCHEMA = strawberry.Schema(query=Query, types=[Dog, Cat])


async def _run(compiled: bool, query: str) -> dict[str, Any]:
    operations = Operations(SCHEMA, LimitsSettings(), compiled=compiled)
    prepared = operations.prepare(query, None)
    assert not prepared.errors
    result = await operations.execute(prepared, variables=None, operation_name=None, context=None)
    return dict(result.formatted)


@pytest.mark.parametrize(
    "query",
    [
        "{ items { n label fragile } }",
        "{ items { n strict } }",
        "{ items { label fragile strict } }",
        "{ items { n returned } }",
        "{ items { n big } }",
    ],
)
async def test_failing_direct_fields_answer_as_graphql_core_does(query: str) -> None:
    compiled, reference = await _run(True, query), await _run(False, query)
    assert compiled == reference
    assert compiled["errors"]  # each query has a field that fails
    assert all(error["path"][0] == "items" for error in compiled["errors"])


async def test_work_left_by_a_nulled_parent_settles_as_graphql_cores_does() -> None:
    """`slow` is waiting when `strict` fails and nulls its item: graphql-core lets it settle
    in the background, resolve infos and all; so does the compiled path (the executor keeps
    what builds them until that work is done)."""
    LATE.clear()
    answer = await _run(True, "{ slowItems { slow { where } strict } }")
    assert answer["data"] == {"slowItems": [None]}
    await asyncio.sleep(0.1)
    assert LATE == ["slowItems.0.slow.where"]


async def test_type_checks_get_an_info_when_they_read_it() -> None:
    """The compiled path skips building a resolve info for Strawberry's own is_type_of
    (which ignores it), never for one written by hand; both judge as graphql-core does."""
    query = "{ dogs { name } cats { name } }"
    reference = await _run(False, query)
    CHECKED.clear()
    compiled = await _run(True, query)
    assert compiled == reference
    assert compiled["data"] == {"dogs": [{"name": "Rex"}], "cats": [{"name": "Tom"}, None]}
    assert "Expected value of type 'Cat'" in compiled["errors"][0]["message"]
    assert CHECKED == ["cats", "cats"]


async def test_objects_skip_their_type_check_only_when_it_must_pass() -> None:
    """An object of the type's own class, not cast, is completed without the check; a cast
    one, another class's (Strawberry's check lets a Cat pass as a Dog: both are Named), null
    or an error still meet graphql-core's checks."""
    query = "{ mixedDogs { name } dog { name } }"
    compiled, reference = await _run(True, query), await _run(False, query)
    assert compiled == reference
    assert compiled["data"] == {
        "mixedDogs": [{"name": "Rex"}, None, {"name": "Tom"}, None, None],
        "dog": None,
    }
    assert [e["path"] for e in compiled["errors"]] == [
        ["mixedDogs", 1], ["mixedDogs", 4], ["dog"],
    ]  # fmt: skip
    strict = "{ dogs { name } strictDog { name } }"
    compiled, reference = await _run(True, strict), await _run(False, strict)
    assert compiled == reference and compiled["data"] is None


@pytest.mark.parametrize("compiled", [True, False])
async def test_cancelling_an_operation_cancels_every_field_it_waits_for(compiled: bool) -> None:
    """Nullable siblings are awaited without a gather (gateway/completion.py `join`): an
    operation cancelled meanwhile still cancels each of them, as graphql-core's does."""
    ENDED.clear()
    running = asyncio.ensure_future(
        _run(compiled, "{ a: waits(n: 1) b: waits(n: 2) c: waits(n: 3) }")
    )
    await asyncio.sleep(0.05)
    assert ENDED == []
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running
    await asyncio.sleep(0)
    assert sorted(ENDED) == [1, 2, 3]


async def test_a_closed_resumer_closes_the_coroutine_it_runs() -> None:
    """`_resume` steps a resolver's coroutine as a task would. Closed while it waits (as the
    garbage collector closes an abandoned coroutine), it must end, and end the resolver's
    too, instead of swallowing GeneratorExit and stepping on ("coroutine ignored
    GeneratorExit")."""
    loop = asyncio.get_running_loop()
    never: asyncio.Future[None] = loop.create_future()
    ended: list[str] = []

    async def resolver() -> str:
        try:
            await never
            return "answered"
        finally:
            ended.append("resolver")

    inner = resolver()
    waiting_on = inner.send(None)  # what _complete_async does first
    _consume(waiting_on)
    resumer = _resume(inner, waiting_on)
    assert resumer.send(None) is never  # now waiting on the resolver's future
    resumer.close()  # raised RuntimeError before
    assert ended == ["resolver"]
    assert inspect.getcoroutinestate(inner) == inspect.CORO_CLOSED


async def test_a_resumer_hands_the_future_error_to_the_coroutine() -> None:
    loop = asyncio.get_running_loop()
    failing: asyncio.Future[None] = loop.create_future()

    async def resolver() -> str:
        try:
            await failing
        except LookupError as exc:
            return f"handled {exc}"
        return "not reached"

    inner = resolver()
    waiting_on = inner.send(None)
    _consume(waiting_on)
    failing.set_exception(LookupError("gone"))
    assert await _resume(inner, waiting_on) == "handled gone"


async def test_a_query_plan_is_compiled_once_per_document_unless_conditions_vary() -> None:
    """One Operations serves request after request: the plan compiled for a document is
    reused (its arguments from variables still read per request), except when @skip or
    @include take a variable. Each answer is graphql-core's."""
    compiled = Operations(SCHEMA, LimitsSettings(), compiled=True)
    reference = Operations(SCHEMA, LimitsSettings(), compiled=False)
    assert compiled.plans is not None
    plans = compiled.plans

    async def both(query: str, variables: dict[str, Any]) -> dict[str, Any]:
        answers = []
        for operations in (compiled, reference):
            prepared = operations.prepare(query, None)
            result = await operations.execute(
                prepared, variables=variables, operation_name=None, context=None
            )
            answers.append(dict(result.formatted))
        assert answers[0] == answers[1]
        return answers[0]

    plain = "query($n: Int!) { numbers(upTo: $n) two: numbers(upTo: 2) }"
    assert (await both(plain, {"n": 3}))["data"] == {"numbers": [1, 2, 3], "two": [1, 2]}
    assert len(plans.roots) == 1
    assert (await both(plain, {"n": 1}))["data"] == {"numbers": [1], "two": [1, 2]}
    assert len(plans.roots) == 1  # the same plan, the new variable read

    conditional = (
        "query($n: Int!, $more: Boolean!) { numbers(upTo: $n) "
        "... on Query @include(if: $more) { two: numbers(upTo: 2) } }"
    )
    assert (await both(conditional, {"n": 1, "more": True}))["data"] == {
        "numbers": [1],
        "two": [1, 2],
    }
    assert (await both(conditional, {"n": 2, "more": False}))["data"] == {"numbers": [1, 2]}
    assert len(plans.roots) == 1  # not kept: its selection depends on $more


async def test_kept_plans_are_bounded_like_the_parse_cache() -> None:
    operations = Operations(SCHEMA, LimitsSettings(document_cache_size=2), compiled=True)
    assert operations.plans is not None
    for n in (1, 2, 3):
        prepared = operations.prepare(f"{{ numbers(upTo: {n}) }}", None)
        result = await operations.execute(
            prepared, variables=None, operation_name=None, context=None
        )
        assert result.formatted["data"] == {"numbers": list(range(1, n + 1))}
    assert len(operations.plans.roots) == 2  # the oldest dropped
