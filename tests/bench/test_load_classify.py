"""bench/load.py's verdict on an answer: shed only when the gateway said so properly, and
every upstream error counted by code. Checked against the gateway's real answers
(in-process, no sockets) and against the defective shapes the benchmark must not excuse."""

from __future__ import annotations

import asyncio

import httpx
import orjson

from bench.load_client import LevelStats, Outcome, classify, percentile
from gateway.emulators import create_emulator_app
from gateway.emulators.cast import Cast
from gateway.settings import LimitsSettings, demo_settings
from tests.harness import open_gateway


def _body(doc: object) -> bytes:
    return orjson.dumps(doc)


class _Held(httpx.AsyncBaseTransport):
    """An upstream whose answers wait until the test lets them go."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.arrived = asyncio.Event()
        self.release = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.arrived.set()
        await self.release.wait()
        return await self.inner.handle_async_request(request)


async def test_the_gateways_own_answers_are_ok_and_shed(cast: Cast) -> None:
    # One slot and no queue: while the first operation's Tempo call is held, the second
    # is turned away.
    limits = LimitsSettings(max_in_flight=1, max_queue=0)
    settings = demo_settings(cast).model_copy(update={"limits": limits})
    tempo = _Held(httpx.ASGITransport(app=create_emulator_app(cast)))
    async with open_gateway(
        cast, settings=settings, transports={"tempo": tempo}, only=["tempo"]
    ) as gw:
        first = asyncio.create_task(gw.post("{ teams { name } }"))
        async with asyncio.timeout(5):
            await tempo.arrived.wait()
        second = await gw.post("{ teams { name } }")
        tempo.release.set()
        done = await first
    verdicts = [classify(r.status_code, r.headers, r.content) for r in (done, second)]
    assert verdicts == [Outcome("ok"), Outcome("shed")]


def test_a_503_is_a_shed_only_with_retry_after_and_overloaded() -> None:
    overloaded = _body({"errors": [{"message": "busy", "extensions": {"code": "OVERLOADED"}}]})
    assert classify(503, {"retry-after": "1"}, overloaded).kind == "shed"
    assert classify(503, {}, overloaded) == Outcome("other", label="503 without Retry-After")
    assert classify(503, {"retry-after": "soon"}, overloaded).kind == "other"
    unavailable = _body({"errors": [{"message": "x", "extensions": {"code": "UNAVAILABLE"}}]})
    assert classify(503, {"retry-after": "1"}, unavailable).label == "503 UNAVAILABLE"
    assert classify(503, {"retry-after": "1"}, b"<html>").kind == "other"


def test_partial_data_counts_each_code_and_false_upstream_timeouts() -> None:
    body = _body(
        {
            "data": {"teams": [{"rosters": None}]},
            "errors": [
                {"message": "t", "extensions": {"code": "UPSTREAM_TIMEOUT"}},
                {"message": "t", "extensions": {"code": "UPSTREAM_TIMEOUT"}},
                {"message": "u", "extensions": {"code": "UPSTREAM_UNAVAILABLE"}},
            ],
        }
    )
    outcome = classify(200, {}, body)
    assert outcome == Outcome("error", codes=("UPSTREAM_TIMEOUT", "UPSTREAM_UNAVAILABLE"))
    stats = LevelStats()
    stats.add(outcome, 0.5)
    stats.add(Outcome("ok"), 0.25)
    summary = stats.summary(1.0)
    assert (summary["ok"], summary["errors"], summary["false_upstream_timeouts"]) == (1, 1, 1)
    assert summary["p50_ms"] == 250


def test_other_answers_are_not_mistaken_for_success() -> None:
    assert classify(200, {}, _body({"data": {"teams": None}})).kind == "other"
    assert classify(200, {}, _body({"data": None})).kind == "other"
    timeout = _body({"errors": [{"message": "slow", "extensions": {"code": "GATEWAY_TIMEOUT"}}]})
    assert classify(504, {}, timeout).kind == "gateway_timeout"
    assert classify(502, {}, b"") == Outcome("other", label="HTTP 502, body not a JSON object")


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert (percentile(values, 50), percentile(values, 99), percentile([], 50)) == (50, 99, None)
    assert percentile([3.0], 99) == 3.0
