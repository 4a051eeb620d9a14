"""A request's payloads go when it is answered, by reference counting alone.

Left to the cyclic collector (graphql-core's executor refers to itself through its helpers,
an exception's traceback to the frames that raised it), every request's payload models
stayed alive until a collection, and each collection meanwhile traversed all of them: at
concurrency 16 that was a quarter of the CPU per query (README, Performance). These tests
run with the collector off and count the payload models still alive after each answer.
"""

from __future__ import annotations

import collections
import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import pytest
from pydantic import BaseModel

from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from gateway.settings import Settings
from resolvers.context import Context
from tests.harness import DIFFERENTIAL, configured, open_gateway

JOIN = (
    "{ teams { name memberships(service: TEMPO) { role user { name } }"
    " rosters { name members { user { name } } } } }"
)
PARTIAL = "{ teams { name } users { name } }"  # Team Pulse and Hack24 down below


def _alive() -> collections.Counter[str]:
    """Live payload models (what the clients validated upstream bodies into) and contexts."""
    found: collections.Counter[str] = collections.Counter()
    for o in gc.get_objects():
        payload = isinstance(o, BaseModel) and str(type(o).__module__).startswith("resolvers.")
        if payload or isinstance(o, Context):
            found[type(o).__qualname__] += 1
    return found


@contextmanager
def _collector_off() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


async def _left_after(
    cast: Cast,
    query: str,
    settings: Settings | None = None,
    faults: Mapping[str, Faults] | None = None,
) -> collections.Counter[str]:
    async with open_gateway(cast, settings=settings, faults=faults) as gw:
        await gw.execute(query)  # clients, the directory: what lives between requests
        with _collector_off():
            before = _alive()
            result = await gw.execute(query)
            left = _alive() - before
    assert result["data"]["teams"], result
    return left


async def test_the_compiled_path_leaves_nothing_of_a_request(cast: Cast) -> None:
    left = await _left_after(cast, JOIN)
    if DIFFERENTIAL:  # graphql-core's twin answered too, and leaves its context's shell
        left.pop("Context", None)
    assert left == collections.Counter()


async def test_graphql_cores_path_leaves_no_payload(cast: Cast) -> None:
    settings = configured(cast, server={"executor": "graphql-core"})
    left = await _left_after(cast, JOIN, settings=settings)
    assert [kind for kind in left if kind != "Context"] == []


@pytest.mark.parametrize("directory_ttl", [0, 60])
async def test_a_partial_answer_leaves_no_payload(cast: Cast, directory_ttl: float) -> None:
    down = {service: Faults(down=True) for service in ("teampulse", "hack24")}
    settings = configured(cast, directory_ttl=directory_ttl)
    left = await _left_after(cast, PARTIAL, faults=down, settings=settings)
    assert [kind for kind in left if kind != "Context"] == []
