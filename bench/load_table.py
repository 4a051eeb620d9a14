"""The report of `bench/load.py`: one Markdown table (it goes into the README as printed),
and the problems a run shows about the gateway."""

from __future__ import annotations

from typing import Any

# The admission settings a reader needs to read a row; the rest of [limits] is in --json.
SHOWN_LIMITS = ("max_in_flight", "max_queue", "queue_timeout", "request_timeout")

COLUMNS = (
    "config", "clients", "ok/s", "p50 ms", "p99 ms", "ok", "shed", "errors", "504",
    "client t/o", "other", "gw RSS MB", "gw CPU %", "emu CPU %", "other CPU %",
    "loadgen lag ms", "gateway log",
)  # fmt: skip
# Short names for the gateway-log counts in the table (bench/load_procs.LOG_MARKERS).
LOG_SHOWN = {
    "upstream_timeouts": "upstream timeouts",
    "exceptions_never_retrieved": "task exceptions never retrieved",
    "tasks_destroyed_pending": "pending tasks destroyed",
}


def render_table(report: dict[str, Any]) -> str:
    m, s = report["machine"], report["settings"]
    query = "TeamOverview" if s["query"] == "overview" else "q1"
    retry = "honoured" if s["honour_retry_after"] else "ignored (retried at once)"
    lines = [
        f"{query} query; emulator adds {s['latency_ms']:g} ms to every upstream response "
        f"(cast scale {s['scale']})",
        f"{m['nproc']} CPUs ({m['cpu_model']}), {m['date']}, Python {m['python']}; "
        f"{m['pinning']}; load average before: {' '.join(m['loadavg_before'])}",
        f"closed-loop clients, Retry-After {retry}; {s['warmup_s']:g} s warm-up and "
        f"{s['duration_s']:g} s measured per level",
    ]
    for run in report["runs"]:
        limits = ", ".join(f"{k} {_num(run['limits'][k])}" for k in SHOWN_LIMITS)
        lines.append(f"- {run['variant']}: {limits}")
    lines += ["", _row(COLUMNS), _row(["---"] * len(COLUMNS))]
    for run in report["runs"]:
        for level in run["levels"]:
            lines.append(_row(_cells(run["variant"], level)))
    lines.append("")
    for run in report["runs"]:
        crashed = "; CRASHED" if run["gateway_crashed"] else ""
        lines.append(
            f"{run['variant']}: gateway peak RSS (VmHWM) {run['gateway_peak_rss_mb']:.0f} MB, "
            f"{run['gateway_log']['tracebacks']} tracebacks in its log{crashed}"
        )
    found = problems(report)
    lines.append("problems: " + ("none" if not found else ""))
    lines += [f"- {p}" for p in found]
    return "\n".join(lines)


def _cells(variant: str, r: dict[str, Any]) -> list[str]:
    return [
        variant,
        str(r["concurrency"]),
        f"{r['ok_per_s']:.1f}",
        _ms(r["p50_ms"]),
        _ms(r["p99_ms"]),
        str(r["ok"]),
        str(r["shed"]),
        _with_detail(r["errors"], r["error_codes"]),
        str(r["gateway_timeouts"]),
        str(r["client_timeouts"]),
        _with_detail(sum(r["other"].values()), r["other"]),
        f"{r['rss_peak_mb']:.0f}",
        _pct(r.get("gateway_cpu_pct")),
        _pct(r.get("emulator_cpu_pct")),
        _pct(r.get("other_cpu_pct")),
        f"{r['loadgen_max_lag_ms']:.0f}",
        ", ".join(f"{LOG_SHOWN[k]} {r['gateway_log'][k]}" for k in LOG_SHOWN
                  if r["gateway_log"].get(k)) or "-",
    ]  # fmt: skip


def _num(value: float) -> str:
    return str(value) if isinstance(value, int) else f"{value:g}"


def _row(cells: Any) -> str:
    return "| " + " | ".join(cells) + " |"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _with_detail(total: int, counts: dict[str, int]) -> str:
    if not total:
        return "0"
    return f"{total} ({', '.join(f'{k} {v}' for k, v in counts.items())})"


def problems(report: dict[str, Any]) -> list[str]:
    """What the run shows wrong with the gateway. Slow answers without admission are the
    point of the comparison, not a problem; wrong answers are a problem at any setting."""
    found: list[str] = []
    for run in report["runs"]:
        name = run["variant"]
        if run["gateway_crashed"]:
            found.append(f"{name}: the gateway exited or died during the run")
        if run["gateway_log"]["tracebacks"]:
            found.append(f"{name}: {run['gateway_log']['tracebacks']} tracebacks in its log")
        for r in run["levels"]:
            at = f"{name}, {r['concurrency']} clients"
            logged = {LOG_SHOWN[k]: r["gateway_log"][k] for k in LOG_SHOWN if r["gateway_log"][k]}
            if logged:
                found.append(f"{at}: the gateway logged {logged}")
            if r["false_upstream_timeouts"]:
                found.append(
                    f"{at}: {r['false_upstream_timeouts']} answers blamed a healthy upstream "
                    "(UPSTREAM_TIMEOUT)"
                )
            others = {k: v for k, v in r["error_codes"].items() if k != "UPSTREAM_TIMEOUT"}
            if others:
                found.append(f"{at}: answers with errors {others}")
            if r["other"]:
                found.append(f"{at}: unexpected answers {r['other']}")
            if run["admission"] and (r["gateway_timeouts"] or r["client_timeouts"]):
                found.append(
                    f"{at}: {r['gateway_timeouts']} 504s and {r['client_timeouts']} client "
                    "timeouts although admission is on"
                )
    return found
