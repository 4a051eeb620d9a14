"""A closed-loop load generator: `conc` clients, each sending its next query when the last
one is answered, with a warm-up, then one measured window.

Every answer is checked: a non-200, an answer with ``errors``, or data that differs from the
expected answer counts as an error. Identical bodies are checked once (by their bytes), so
checking costs the load generator almost nothing per query.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson

Check = Callable[[dict[str, Any]], bool]  # the answer's `data` is the expected one


@dataclass
class Window:
    completed: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    error_samples: list[str] = field(default_factory=list)
    # Filled in by the caller's hooks at the window's edges.
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.completed / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        if len(self.latencies_ms) == 1:
            return self.latencies_ms[0]
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[int(q) - 1]


@dataclass
class Plan:
    conc: int
    warmup_seconds: float
    warmup_queries: int
    window_seconds: float
    window_queries: int  # at least this many answers in the window ...
    max_seconds: float  # ... unless the window has run this long


class _Checker:
    def __init__(self, check: Check) -> None:
        self.check = check
        self.good: set[bytes] = set()

    def problem(self, status: int, body: bytes) -> str | None:
        if status != 200:
            return f"HTTP {status}: {body[:200]!r}"
        if body in self.good:
            return None
        try:
            answer = orjson.loads(body)
        except orjson.JSONDecodeError:
            return f"not JSON: {body[:200]!r}"
        if answer.get("errors"):
            return f"errors: {orjson.dumps(answer['errors'])[:300].decode()}"
        if not isinstance(answer.get("data"), dict) or not self.check(answer["data"]):
            return f"wrong answer: {body[:200]!r}"
        if len(self.good) < 64:  # answers may differ in order only; keep a few
            self.good.add(body)
        return None


async def run(
    url: str,
    payload: dict[str, Any],
    check: Check,
    plan: Plan,
    *,
    on_start: Callable[[], dict[str, Any]],
    on_end: Callable[[], dict[str, Any]],
) -> Window:
    body = orjson.dumps(payload)
    checker = _Checker(check)
    window = Window()
    state = {"measuring": False, "stop": False, "warm": 0}
    limits = httpx.Limits(max_connections=plan.conc, max_keepalive_connections=plan.conc)
    headers = {"content-type": "application/json"}
    async with httpx.AsyncClient(limits=limits, timeout=600) as client:

        async def one() -> None:
            while not state["stop"]:
                started = time.perf_counter()
                try:
                    r = await client.post(url, content=body, headers=headers)
                    problem = checker.problem(r.status_code, r.content)
                except httpx.HTTPError as exc:
                    problem = f"{type(exc).__name__}: {exc}"
                done = time.perf_counter()
                if not state["measuring"]:
                    state["warm"] += 1
                    if problem and len(window.error_samples) < 3:
                        window.error_samples.append("warm-up: " + problem)
                    continue
                if state["stop"]:
                    continue  # answered after the window closed
                # Counted by when it was answered: in a steady closed loop the work done
                # inside the window matches the answers inside it, whenever they started.
                window.completed += 1
                window.latencies_ms.append((done - started) * 1000)
                if problem:
                    window.errors += 1
                    if len(window.error_samples) < 5:
                        window.error_samples.append(problem)

        workers = [asyncio.create_task(one()) for _ in range(plan.conc)]
        began = time.monotonic()
        while (time.monotonic() - began < plan.warmup_seconds
               or state["warm"] < plan.warmup_queries):  # fmt: skip
            if time.monotonic() - began > plan.max_seconds:
                break
            await asyncio.sleep(0.05)
        window.before = on_start()
        state["measuring"] = True
        t0 = time.monotonic()
        while (time.monotonic() - t0 < plan.window_seconds
               or window.completed < plan.window_queries):  # fmt: skip
            if time.monotonic() - t0 > plan.max_seconds:
                break
            await asyncio.sleep(0.02)
        window.after = on_end()
        window.seconds = time.monotonic() - t0
        state["stop"] = True
        # Drain: let answers in flight arrive so the next window starts on an idle gateway.
        await asyncio.wait(workers, timeout=plan.max_seconds)
        for w in workers:
            w.cancel()
    return window
