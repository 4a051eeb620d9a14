"""The load generator of `bench/load.py`: closed-loop clients, and what each answer means.

Every answer is classified by what a caller would make of it:

- ``ok``: 200, ``data`` present with every top-level field non-null, no ``errors``;
- ``shed``: 503 with ``Retry-After`` and ``extensions.code == "OVERLOADED"``: the gateway said
  no, honestly and at once. A 503 missing either is *not* a shed but a defect (``other``);
- ``error``: 200 with ``errors`` (partial data), counted by ``extensions.code``. The emulator
  answers in its fixed latency, so an ``UPSTREAM_TIMEOUT`` here is the gateway blaming a
  healthy upstream for its own queueing;
- ``gateway_timeout``: 504 ``GATEWAY_TIMEOUT`` (``limits.request_timeout`` ran out);
- ``client_timeout``: no answer within the client's own timeout;
- ``other``: any other status or body, labelled.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx
import orjson

Kind = Literal["ok", "shed", "error", "gateway_timeout", "client_timeout", "other"]


@dataclass(frozen=True, slots=True)
class Outcome:
    kind: Kind
    # extensions.code of each distinct error in an `error` answer, sorted.
    codes: tuple[str, ...] = ()
    # What an `other` answer was, for the report ("HTTP 500", "503 without Retry-After").
    label: str = ""


CLIENT_TIMEOUT = Outcome("client_timeout", label="client timeout")


def classify(status: int, headers: Mapping[str, str], body: bytes) -> Outcome:
    """What one answer means to the caller; see the module docstring."""
    try:
        doc: Any = orjson.loads(body) if body else None
    except orjson.JSONDecodeError:
        doc = None
    if not isinstance(doc, dict):
        return Outcome("other", label=f"HTTP {status}, body not a JSON object")
    errors = doc.get("errors")
    if status == 503:
        return _classify_503(headers, errors)
    if status == 504:
        if _codes(errors) == ("GATEWAY_TIMEOUT",):
            return Outcome("gateway_timeout")
        return Outcome("other", label="504 without GATEWAY_TIMEOUT")
    if status != 200:
        code = ",".join(_codes(errors)) or "no code"
        return Outcome("other", label=f"HTTP {status} {code}")
    if errors:
        return Outcome("error", codes=_codes(errors) or ("NO_CODE",))
    data = doc.get("data")
    if not isinstance(data, dict) or not data or any(v is None for v in data.values()):
        return Outcome("other", label="200 without full data")
    return Outcome("ok")


def _classify_503(headers: Mapping[str, str], errors: object) -> Outcome:
    codes = _codes(errors)
    retry_after = headers.get("retry-after", "")
    if not retry_after.strip().isdigit():
        return Outcome("other", label="503 without Retry-After")
    if codes != ("OVERLOADED",):
        return Outcome("other", label=f"503 {','.join(codes) or 'without code'}")
    return Outcome("shed")


def _codes(errors: object) -> tuple[str, ...]:
    if not isinstance(errors, list):
        return ()
    found = set()
    for error in errors:
        ext = error.get("extensions") if isinstance(error, dict) else None
        code = ext.get("code") if isinstance(ext, dict) else None
        found.add(code if isinstance(code, str) else "NO_CODE")
    return tuple(sorted(found))


def retry_after_seconds(headers: Mapping[str, str], default: float = 1.0) -> float:
    value = headers.get("retry-after", "").strip()
    return float(value) if value.isdigit() else default


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100) of unsorted values; None for none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class LevelStats:
    """Answers that completed inside one level's measurement window."""

    ok_latencies: list[float] = field(default_factory=list)
    shed: int = 0
    errors: int = 0  # answers with `errors`; one answer may carry several codes
    error_codes: Counter[str] = field(default_factory=Counter)
    gateway_timeouts: int = 0
    client_timeouts: int = 0
    other: Counter[str] = field(default_factory=Counter)
    loadgen_max_lag: float = 0.0  # seconds the load generator's own loop ran late, at most

    def add(self, outcome: Outcome, seconds: float) -> None:
        if outcome.kind == "ok":
            self.ok_latencies.append(seconds)
        elif outcome.kind == "shed":
            self.shed += 1
        elif outcome.kind == "error":
            self.errors += 1
            self.error_codes.update(outcome.codes)
        elif outcome.kind == "gateway_timeout":
            self.gateway_timeouts += 1
        elif outcome.kind == "client_timeout":
            self.client_timeouts += 1
        else:
            self.other[outcome.label] += 1

    def summary(self, seconds: float) -> dict[str, Any]:
        ok = len(self.ok_latencies)
        p50, p99 = percentile(self.ok_latencies, 50), percentile(self.ok_latencies, 99)
        return {
            "ok": ok,
            "ok_per_s": ok / seconds if seconds > 0 else 0.0,
            "p50_ms": None if p50 is None else p50 * 1000,
            "p99_ms": None if p99 is None else p99 * 1000,
            "shed": self.shed,
            "errors": self.errors,
            "error_codes": dict(sorted(self.error_codes.items())),
            "false_upstream_timeouts": self.error_codes.get("UPSTREAM_TIMEOUT", 0),
            "gateway_timeouts": self.gateway_timeouts,
            "client_timeouts": self.client_timeouts,
            "other": dict(sorted(self.other.items())),
            "loadgen_max_lag_ms": self.loadgen_max_lag * 1000,
        }


@dataclass(frozen=True)
class Level:
    url: str
    payload: bytes
    concurrency: int
    warmup: float
    duration: float
    client_timeout: float
    # Wait as long as a shed answer's Retry-After says (a polite client); False retries at
    # once, the retry storm a careless client makes.
    honour_retry_after: bool = True


@dataclass
class _Run:
    level: Level
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    answered: set[int] = field(default_factory=set)
    all_answered: asyncio.Event = field(default_factory=asyncio.Event)
    recording: bool = False
    stats: LevelStats = field(default_factory=LevelStats)
    recorded: int = 0
    enough_recorded: asyncio.Event = field(default_factory=asyncio.Event)

    def note(self, index: int, outcome: Outcome, seconds: float) -> None:
        n = self.level.concurrency
        self.answered.add(index)
        if len(self.answered) >= n:
            self.all_answered.set()
        if self.recording:
            self.stats.add(outcome, seconds)
            self.recorded += 1
            if self.recorded >= n:
                self.enough_recorded.set()


async def drive(
    level: Level,
    *,
    on_window_start: Callable[[], None] = lambda: None,
    on_window_end: Callable[[], None] = lambda: None,
) -> tuple[LevelStats, float]:
    """Run one level: warm up, measure, stop and drain the clients.

    Warm-up lasts `warmup` seconds and until every client has had an answer; the window
    lasts `duration` seconds and until it holds as many answers as there are clients (each
    capped by the client timeout). So a level whose answers take longer than `duration` is
    measured on a full wave, not on the few answers that happen to land in a short window.
    Returns the stats of the answers that completed inside the window, and its length.
    """
    run = _Run(level)
    clients = [asyncio.create_task(_client(run, i)) for i in range(level.concurrency)]
    lag = asyncio.create_task(_watch_lag(run))
    await asyncio.sleep(level.warmup)
    await _until(run.all_answered, level.client_timeout)
    run.recording = True
    opened = time.perf_counter()
    on_window_start()
    await asyncio.sleep(level.duration)
    await _until(run.enough_recorded, level.client_timeout)
    run.recording = False
    on_window_end()
    closed = time.perf_counter()
    run.stop.set()
    lag.cancel()
    # Answers in flight finish (uncounted) so the next level starts on a quiet gateway.
    _, pending = await asyncio.wait(clients, timeout=level.client_timeout + 5)
    for task in pending:
        task.cancel()
    await asyncio.gather(*clients, lag, return_exceptions=True)
    return run.stats, closed - opened


async def _watch_lag(run: _Run, interval: float = 0.01) -> None:
    """The load generator's own loop lag: when it runs late, every latency it measures
    is inflated by as much, and the table should not blame the gateway for that."""
    while True:
        expected = time.perf_counter() + interval
        await asyncio.sleep(interval)
        late = time.perf_counter() - expected
        if run.recording:
            run.stats.loadgen_max_lag = max(run.stats.loadgen_max_lag, late)


async def _until(event: asyncio.Event, at_most: float) -> None:
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(at_most):
            await event.wait()


async def _client(run: _Run, index: int) -> None:
    level = run.level
    headers = {"content-type": "application/json"}
    # One connection per client, as a browser tab or a service instance would hold: one
    # shared pool of hundreds of connections costs httpx's pool bookkeeping more CPU than
    # the requests themselves, on the core the emulator needs. Idle connections are dropped
    # well before uvicorn's 5 s keep-alive closes them: a request sent on a connection the
    # server is closing fails (ReadError) and would be counted against the gateway.
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1, keepalive_expiry=2)
    async with httpx.AsyncClient(limits=limits, timeout=level.client_timeout) as http:
        while not run.stop.is_set():
            started = time.perf_counter()
            wait = 0.0
            try:
                response = await http.post(level.url, content=level.payload, headers=headers)
                outcome = classify(response.status_code, response.headers, response.content)
                if outcome.kind == "shed" and level.honour_retry_after:
                    wait = retry_after_seconds(response.headers)
            except httpx.TimeoutException:
                outcome = CLIENT_TIMEOUT
            except httpx.TransportError as exc:
                outcome = Outcome("other", label=f"transport {type(exc).__name__}")
                wait = 0.1  # a refused connection must not spin the load generator's core
            run.note(index, outcome, time.perf_counter() - started)
            if wait:
                await _until(run.stop, wait)
