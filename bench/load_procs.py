"""The processes `bench/load.py` measures: start them on real sockets, read /proc, stop them.

Linux only: CPU time and memory come from ``/proc/<pid>/stat`` and ``/proc/<pid>/status``,
and pinning from ``taskset`` (for the children) and ``sched_setaffinity`` (for ourselves).
"""

from __future__ import annotations

import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    """A port free right now (another process could take it before we bind: unlikely)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


@dataclass(frozen=True)
class Pinning:
    """Which CPUs the gateway gets, and which the emulator and the load generator share."""

    gateway: frozenset[int] | None
    others: frozenset[int] | None

    @classmethod
    def plan(cls, enabled: bool) -> Pinning:
        cpus = sorted(os.sched_getaffinity(0))
        if not enabled or len(cpus) < 2 or shutil.which("taskset") is None:
            return cls(None, None)
        return cls(frozenset(cpus[:1]), frozenset(cpus[1:]))

    def describe(self) -> str:
        if self.gateway is None or self.others is None:
            return "not pinned"
        gateway, others = _cpu_list(self.gateway), _cpu_list(self.others)
        return f"gateway on CPU {gateway}, emulator and load generator on CPU {others}"

    def pin_self(self) -> None:
        if self.others is not None:
            os.sched_setaffinity(0, self.others)


def _cpu_list(cpus: frozenset[int]) -> str:
    return ",".join(str(c) for c in sorted(cpus))


class Child:
    """One `python -m gateway ...` process of this checkout, its output in a log file."""

    def __init__(
        self,
        name: str,
        args: list[str],
        *,
        log_path: Path,
        cpus: frozenset[int] | None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.name = name
        self.log_path = log_path
        # `-m gateway` from the repository root runs this checkout's code, not whichever
        # copy the environment's `teamgraph` script was installed from.
        argv = [sys.executable, "-m", "gateway", *args]
        if cpus is not None:
            argv = ["taskset", "-c", _cpu_list(cpus), *argv]  # taskset execs: same pid
        with log_path.open("wb") as log:
            self.process = subprocess.Popen(
                argv,
                cwd=REPO,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, **(env or {})},
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_http(self, url: str, *, ok: bool, timeout: float = 30.0) -> None:
        """Until `url` answers (any status, or 200 when `ok`); raise if the process dies."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                code = self.process.returncode
                raise RuntimeError(f"{self.name} exited ({code}):\n{self.tail()}")
            try:
                status = httpx.get(url, timeout=1.0).status_code
                if not ok or status == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not answer {url} within {timeout:g}s:\n{self.tail()}")

    def cpu_seconds(self) -> float:
        """User + system CPU time of the process, all threads."""
        stat = Path(f"/proc/{self.pid}/stat").read_text()
        # The command name may hold spaces; the fields after it are fixed (proc(5)).
        fields = stat.rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS

    def memory_kb(self, key: str) -> int:
        """A `Vm*` line of /proc/<pid>/status (VmRSS now, VmHWM peak), in kB; 0 if gone."""
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith(key + ":"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def log_size(self) -> int:
        try:
            return self.log_path.stat().st_size
        except OSError:
            return 0

    def log_since(self, offset: int) -> str:
        """What the process logged from byte `offset` on."""
        try:
            with self.log_path.open("rb") as log:
                log.seek(offset)
                return log.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> int | None:
        """SIGINT (uvicorn's graceful shutdown), then SIGKILL; the exit code if it had
        already exited on its own (a crash), else None."""
        code = self.process.poll()
        if code is not None:
            return code
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return None


# What the gateway's log says that its answers may not: an upstream blamed for a timeout
# (the emulator is never slow, so each is false, and each feeds that service's circuit
# breaker even when the operation ended in a 504), and tasks left behind by a cancelled one.
# Each is counted as the lines holding all of its parts.
LOG_MARKERS: dict[str, tuple[str, ...]] = {
    "upstream_timeouts": (" teamgraph.upstream ", " timed out after "),
    "tracebacks": ("Traceback (most recent call last)",),
    "exceptions_never_retrieved": ("Task exception was never retrieved",),
    "tasks_destroyed_pending": ("Task was destroyed but it is pending",),
    "request_timeouts": (" teamgraph.http ", "(limits.request_timeout)"),
}


def count_markers(log: str) -> dict[str, int]:
    counts = dict.fromkeys(LOG_MARKERS, 0)
    for line in log.splitlines():
        for name, parts in LOG_MARKERS.items():
            if all(part in line for part in parts):
                counts[name] += 1
    return counts


def machine_busy_seconds() -> float:
    """CPU time all CPUs spent not idle, since boot (the first line of /proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    # guest time is already inside user time
    return (sum(values[:8]) - idle) / _TICKS


class CpuWindow:
    """CPU utilisation of the measured processes and of everything else on the machine
    over one window: another job on the same cores skews a benchmark, so it is shown."""

    def __init__(self, gateway: Child, emulator: Child) -> None:
        self.gateway = gateway
        self.emulator = emulator
        self._start: tuple[float, float, float, float, float] | None = None
        self.result: dict[str, float] = {}

    def _read(self) -> tuple[float, float, float, float, float]:
        me = os.times()
        return (
            time.perf_counter(),
            self.gateway.cpu_seconds(),
            self.emulator.cpu_seconds(),
            me.user + me.system,
            machine_busy_seconds(),
        )

    def begin(self) -> None:
        self._start = self._read()

    def end(self) -> None:
        if self._start is None:
            return
        end = self._read()
        wall, gw, emu, me, busy = (b - a for a, b in zip(self._start, end, strict=True))
        if wall <= 0:
            return
        self.result = {
            "gateway_cpu_pct": 100 * gw / wall,
            "emulator_cpu_pct": 100 * emu / wall,
            "loadgen_cpu_pct": 100 * me / wall,
            "other_cpu_pct": max(0.0, 100 * (busy - gw - emu - me) / wall),
        }
