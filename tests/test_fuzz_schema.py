"""Random valid operations over the whole schema, sent over HTTP to the real app and the
emulators: no 5xx, no masked bug, every error with a code (see ``tests/fuzzing/``).

Random operations reach some fields far more often than others, so another test aims a
few operations at each field of each type: every field is resolved on every run. A third
keeps the generator honest: its well-formed operations must all pass validation and run.

Bounded and reproducible for CI: a fixed number of examples, derandomized, no example
database, one gateway for all of them. ``python bench/fuzz.py --minutes 10`` runs the same
property for as long as you like and prints each distinct failure, minimized.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import graphql
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gateway.emulators.cast_build import build_cast
from tests.conftest import NOW
from tests.fuzzing.aimed import SCHEMA, Target, targets
from tests.fuzzing.checks import violations
from tests.fuzzing.fuzz_gateway import FuzzGateway
from tests.fuzzing.operations import Operation, operations, well_formed

EXAMPLES = 120
EXAMPLES_PER_FIELD = 1  # ~700 fields: one aimed operation each keeps CI under a minute
WELL_FORMED_EXAMPLES = 30


@pytest.fixture(scope="module")
def fuzz() -> Iterator[FuzzGateway]:
    with FuzzGateway(build_cast(now=NOW)) as gateway:
        yield gateway


BOUNDED = settings(
    derandomize=True,  # the same operations on every run: CI must not be flaky
    database=None,  # nothing carried over between runs, nothing written to the checkout
    # Far above the ~40 ms an operation takes here; only a hang or a pathological slowdown
    # trips it (the gateway's own request timeout is 30 s).
    deadline=timedelta(seconds=5),
    # Operations are big composite draws; generating one is most of an example's time.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def check(fuzz: FuzzGateway, operation: Operation) -> None:
    outcome = fuzz.send(operation)
    found = violations(outcome)
    assert not found, "\n".join(v.text for v in found) + "\n\n" + outcome.describe()


@settings(BOUNDED, max_examples=EXAMPLES)
@given(data=st.data())
def test_random_operations_never_fail_unexpectedly(fuzz: FuzzGateway, data: st.DataObject) -> None:
    check(fuzz, data.draw(operations(fuzz.seeds), label="operation"))


@settings(BOUNDED, max_examples=WELL_FORMED_EXAMPLES)
@given(data=st.data())
def test_well_formed_operations_run(fuzz: FuzzGateway, data: st.DataObject) -> None:
    """The generator's own promise: without the hostile part, every operation passes
    validation and variable coercion and runs, so the fuzz mostly reaches the resolvers
    rather than bouncing off validation (a field may still fail, e.g. a reversed range)."""
    operation = data.draw(well_formed(fuzz.seeds), label="operation")
    assert graphql.validate(SCHEMA, graphql.parse(operation.query)) == []
    outcome = fuzz.send(operation)
    assert not violations(outcome), outcome.describe()
    request_errors = [e for e in outcome.body.get("errors", []) if "path" not in e]
    assert "data" in outcome.body and not request_errors, outcome.describe()


@pytest.mark.parametrize("aim", targets(), ids=".".join)
@settings(BOUNDED, max_examples=EXAMPLES_PER_FIELD)
@given(data=st.data())
def test_every_field_answers_cleanly(fuzz: FuzzGateway, aim: Target, data: st.DataObject) -> None:
    check(fuzz, data.draw(operations(fuzz.seeds, aim), label="operation"))
