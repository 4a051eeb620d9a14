"""Upstream timeouts on one timer per client (`UpstreamDeadlines`): each exchange still
times out on its own, at its own moment, and a cancellation that is not the deadline's stays
a cancellation."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from resolvers.backends.errors import UpstreamTimeout
from resolvers.backends.resilience import ClientPolicy, UpstreamDeadlines
from resolvers.backends.tempo import TempoClient

EMPTY = {"self": "x", "metadata": {"count": 0}, "results": []}


def tempo(delays: dict[str, float], *, timeout: float) -> TempoClient:
    """A Tempo client whose upstream answers each path after its delay (default: at once)."""

    async def answer(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(delays.get(request.url.path.rsplit("/", 1)[-1], 0.0))
        return httpx.Response(200, json=EMPTY)

    http = httpx.AsyncClient(
        transport=httpx.MockTransport(answer), base_url="http://tempo.test/core/3"
    )
    return TempoClient(http, policy=ClientPolicy(timeout=timeout))


async def test_each_exchange_times_out_alone_and_on_time() -> None:
    client = tempo({"teams": 5.0, "roles": 0.05}, timeout=0.3)
    started = time.perf_counter()
    slow, fast, quick = await asyncio.gather(
        client.list_teams(),
        client.get_model("/roles", dict),
        client.get_model("/periods", dict),
        return_exceptions=True,
    )
    took = time.perf_counter() - started
    assert isinstance(slow, UpstreamTimeout)
    assert "GET /core/3/teams timed out after 0.3s" in str(slow)
    assert fast == EMPTY and quick == EMPTY  # the slow one's deadline touched only its own call
    assert 0.28 < took < 1.5
    await client.http.aclose()


async def test_a_shorter_deadline_after_a_longer_one_is_kept() -> None:
    # The timer is armed for the first (long) deadline; a later, shorter one re-arms it.
    deadlines = UpstreamDeadlines()
    loop = asyncio.get_running_loop()

    async def wait(seconds: float, sleep: float) -> float:
        watched = deadlines.watch(seconds, loop)
        started = time.perf_counter()
        try:
            await asyncio.sleep(sleep)
        except asyncio.CancelledError:
            assert deadlines.leave(watched)  # the deadline's own cancellation
            return time.perf_counter() - started
        finally:
            deadlines.leave(watched)
        return -1.0

    long_one = asyncio.ensure_future(wait(30.0, 0.5))
    await asyncio.sleep(0)
    short = await wait(0.05, 5.0)
    assert 0.04 < short < 0.5
    assert await long_one == -1.0  # finished its sleep, untouched
    assert not deadlines._watched


async def test_a_cancellation_that_is_not_the_deadlines_stays_one() -> None:
    client = tempo({"teams": 5.0}, timeout=10.0)
    call = asyncio.ensure_future(client.list_teams())
    await asyncio.sleep(0.05)
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call
    assert not client.policy.deadlines._watched
    # The client goes on working: its timer and set were left clean.
    assert await client.get_model("/roles", dict) == EMPTY
    await client.http.aclose()


async def test_a_client_reused_on_another_loop_still_times_out() -> None:
    client = tempo({"teams": 5.0}, timeout=0.1)

    def on_a_new_loop() -> BaseException | object:
        async def call() -> object:
            try:
                return await client.list_teams()
            except UpstreamTimeout as exc:
                return exc

        return asyncio.run(call())

    first = await asyncio.to_thread(on_a_new_loop)  # armed the timer on that loop
    assert isinstance(first, UpstreamTimeout)
    with pytest.raises(UpstreamTimeout):
        await client.list_teams()  # here, on this loop, the deadline still fires
