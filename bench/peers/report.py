"""Rounds -> one row per (gateway, query, scale, concurrency) -> one table of ratios.

Each figure is the median over rounds (errors are summed, peak RSS is the largest seen).
Ratios compare CPU per query: to the floor (Q1 only), to Tailcall and Hive at the same
query, scale and concurrency, and to the build labelled "baseline".
"""

from __future__ import annotations

import math
import os
import platform
import statistics
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

Row = dict[str, Any]
KEY = ("gateway", "query", "scale", "conc")


def aggregate(cells: list[Row]) -> list[Row]:
    groups: dict[tuple[Any, ...], list[Row]] = {}
    for cell in cells:
        groups.setdefault(tuple(cell[k] for k in KEY), []).append(cell)
    rows = []
    for key, group in groups.items():
        ok = [c for c in group if c.get("completed")]
        row: Row = dict(zip(KEY, key, strict=True))
        for metric in ("cpu_ms", "calls", "rps", "p50", "p99", "response_kb", "core0_other_pct"):
            values = [c[metric] for c in ok if not math.isnan(c.get(metric, math.nan))]
            row[metric] = statistics.median(values) if values else math.nan
        row["errors"] = sum(c["errors"] for c in group)
        row["shed"] = sum(c.get("shed", 0) for c in group)
        row["completed"] = sum(c.get("completed", 0) for c in group)
        row["upstream_errors"] = sum(c.get("upstream_errors", 0) for c in group)
        row["rss_mb"] = max((c.get("rss_mb", 0.0) for c in group), default=0.0)
        row["rounds"] = len(group)
        row["samples"] = [s for c in group for s in c.get("samples", [])][:5]
        row["per_round_cpu_ms"] = [c.get("cpu_ms") for c in group]
        rows.append(row)
    return rows


def add_ratios(rows: list[Row], floor_ms: dict[int, float], kinds: dict[str, str],
               baseline: str | None) -> None:  # fmt: skip
    by_key = {tuple(r[k] for k in KEY): r for r in rows}

    def ratio(row: Row, other: str | None) -> float:
        if other is None:
            return math.nan
        ref = by_key.get((other, row["query"], row["scale"], row["conc"]))
        return row["cpu_ms"] / ref["cpu_ms"] if ref and ref["cpu_ms"] else math.nan

    tailcall = next((g for g, k in kinds.items() if k == "tailcall"), None)
    hive = next((g for g, k in kinds.items() if k == "hive"), None)
    stack = next((g for g, k in kinds.items() if k == "stack"), None)
    for row in rows:
        floor = floor_ms.get(row["scale"]) if row["query"] == "Q1" else None
        row["x_floor"] = row["cpu_ms"] / floor if floor else math.nan
        row["x_tailcall"] = ratio(row, tailcall)
        row["x_hive"] = ratio(row, hive)
        row["x_stack"] = ratio(row, stack)
        row["x_baseline"] = ratio(row, baseline)


# f"{TIMES}floor" reads "times the floor" (the sign is spelled by name to keep the source ASCII).
TIMES = "\N{MULTIPLICATION SIGN}"
COLUMNS = [
    ("gateway", "gateway", "<", ""),
    ("query", "query", "<", ""),
    ("scale", "scale", ">", "d"),
    ("conc", "conc", ">", "d"),
    ("cpu_ms", "CPU ms/q", ">", ".1f"),
    ("x_floor", f"{TIMES}floor", ">", ".0f"),
    ("x_tailcall", f"{TIMES}Tailcall", ">", ".1f"),
    ("x_hive", f"{TIMES}Hive", ">", ".2f"),
    ("x_stack", f"{TIMES}stack", ">", ".1f"),
    ("x_baseline", f"{TIMES}base", ">", ".2f"),
    ("calls", "calls/q", ">", ".1f"),
    ("rps", "RPS", ">", ".1f"),
    ("p50", "p50 ms", ">", ".0f"),
    ("p99", "p99 ms", ">", ".0f"),
    ("errors", "errors", ">", "d"),
    ("shed", "shed", ">", "d"),
    ("response_kb", "answer KB", ">", ".1f"),
    ("rss_mb", "peak RSS MB", ">", ".0f"),
    ("core0_other_pct", "core0 other %", ">", ".0f"),
]


def _cell(value: Any, fmt: str) -> str:
    if isinstance(value, float) and math.isnan(value):
        return "-"
    return format(value, fmt) if fmt else str(value)


def table(rows: list[Row], order: list[str]) -> str:
    """A Markdown table, gateways in the order given, then query, scale, concurrency."""
    rank = {g: i for i, g in enumerate(order)}
    rows = sorted(rows, key=lambda r: (r["query"] != "Q1", r["query"], r["scale"],
                                       rank.get(r["gateway"], 99), r["conc"]))  # fmt: skip
    cells = [[_cell(r[k], f) for k, _, _, f in COLUMNS] for r in rows]
    heads = [h for _, h, _, _ in COLUMNS]
    widths = [max(len(h), *(len(c[i]) for c in cells)) if cells else len(h)
              for i, h in enumerate(heads)]  # fmt: skip
    aligns = [a for _, _, a, _ in COLUMNS]

    def line(values: list[str]) -> str:
        padded = (f"{v:{a}{w}}" for v, a, w in zip(values, aligns, widths, strict=True))
        return "| " + " | ".join(padded) + " |"

    rule = "| " + " | ".join(("-" * (w - 1) + ":") if a == ">" else "-" * w
                             for a, w in zip(aligns, widths, strict=True)) + " |"  # fmt: skip
    return "\n".join([line(heads), rule, *(line(c) for c in cells)])


def machine() -> dict[str, Any]:
    model = "unknown"
    try:
        for text in Path("/proc/cpuinfo").read_text().splitlines():
            if text.startswith("model name"):
                model = text.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "node": node,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def failed(rows: list[dict[str, Any]], baseline: str | None) -> list[str]:
    """The gateways with wrong answers, which fail the run. The baseline is the old code,
    measured for comparison: its errors (it times out at concurrency 64, README) show in
    the table, but are not this build's failure."""
    return sorted({r["gateway"] for r in rows if r["errors"] and r["gateway"] != baseline})
