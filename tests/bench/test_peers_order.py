"""bench/peers measures a gateway's concurrencies in a palindrome and makes one round's
figure per concurrency from all its batches: CPU per query is total CPU over total queries."""

from __future__ import annotations

import math
from typing import Any

import pytest

from bench.peers.__main__ import cell, palindrome
from bench.peers.gateways import Target


def test_the_last_concurrency_is_the_middle_and_the_way_back_is_a_new_process() -> None:
    assert palindrome([1, 16, 64], 5.0) == [[(1, 2.5), (16, 2.5), (64, 5.0)], [(16, 2.5), (1, 2.5)]]
    assert palindrome([1, 16], 4.0) == [[(1, 2.0), (16, 4.0)], [(1, 2.0)]]
    assert palindrome([16], 3.0) == [[(16, 3.0)]]
    for concs in ([1, 16, 64], [1, 16], [2, 4, 8, 16]):
        legs = palindrome(concs, 5.0)
        seconds: dict[int, float] = {}
        for leg in legs:
            for conc, s in leg:
                seconds[conc] = seconds.get(conc, 0.0) + s
        assert seconds == dict.fromkeys(concs, 5.0)  # each gets one whole window
        assert max(concs) not in [c for leg in legs[1:] for c, _ in leg]  # nothing after it


def part(cpu: float, completed: int, calls: int, seconds: float, latencies: list[float],
         **extra: Any) -> dict[str, Any]:  # fmt: skip
    return {"cpu": cpu, "others": 0.0, "calls": calls, "upstream_errors": 0,
            "completed": completed, "seconds": seconds, "latencies": latencies, "errors": 0,
            "shed": 0, "rss_mb": 50.0, "samples": [], "response_kb": 9.0, **extra}  # fmt: skip


def test_a_cell_divides_sums_by_sums_and_pools_latencies() -> None:
    # Two halves of unequal size: the mean of their CPU per query (6.5 ms) would be wrong.
    first = part(0.040, 10, 330, 1.0, [1.0] * 10, rss_mb=60.0, samples=["a"], errors=1)
    second = part(0.270, 30, 990, 2.0, [3.0] * 30, samples=["b"])
    c = cell(Target("tg", "teamgraph"), "Q1", 4, 16, [first, second])
    assert c["cpu_ms"] == pytest.approx(310 / 40)
    assert c["calls"] == pytest.approx(33.0)
    assert c["rps"] == pytest.approx(40 / 3.0)
    assert c["p50"] == 3.0 and c["completed"] == 40 and c["batches"] == 2
    assert c["rss_mb"] == 60.0 and c["errors"] == 1 and c["samples"] == ["a", "b"]
    assert (c["gateway"], c["query"], c["scale"], c["conc"]) == ("tg", "Q1", 4, 16)


def test_a_cell_with_no_answered_query_reports_nothing_per_query() -> None:
    c = cell(Target("tg", "teamgraph"), "Q1", 4, 1, [part(0.1, 0, 0, 1.0, [])])
    assert c["completed"] == 0 and math.isnan(c["p50"])
