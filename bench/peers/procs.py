"""Processes under test: start pinned to a core, wait until they answer, measure, stop.

CPU and memory come from /proc so that every gateway, whatever its language, is measured the
same way: user+system ticks of the process and all its live descendants (Hive Gateway and
uvicorn may run workers), plus the ticks of descendants already reaped (cutime+cstime).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.popen.poll() is not None:
            return
        # Each gateway leads its own process group (start_new_session), so its workers go too.
        try:
            os.killpg(self.popen.pid, signal.SIGTERM)
            self.popen.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=10)


def start(
    name: str,
    argv: Sequence[str],
    *,
    log: Path,
    cpu: int | None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Proc:
    """Start `argv` (pinned to `cpu` with taskset when given), output to `log`."""
    cmd = (["taskset", "-c", str(cpu)] if cpu is not None else []) + list(argv)
    log.parent.mkdir(parents=True, exist_ok=True)
    out = log.open("wb")
    popen = subprocess.Popen(
        cmd,
        stdout=out,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        start_new_session=True,
    )
    out.close()
    return Proc(name, popen, log)


def wait_graphql(proc: Proc, url: str, *, timeout: float = 120.0) -> None:
    """Until `url` answers a trivial GraphQL query with 200, or fail with the log's tail."""
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if not proc.alive():
            raise RuntimeError(f"{proc.name} exited ({proc.popen.returncode}):\n{proc.tail()}")
        try:
            r = httpx.post(url, json={"query": "{ __typename }"}, timeout=5)
            if r.status_code == 200:
                return
            last = f"HTTP {r.status_code}: {r.text[:200]}"
        except httpx.HTTPError as exc:
            last = repr(exc)
        time.sleep(0.25)
    raise RuntimeError(f"{proc.name} did not answer at {url} ({last}):\n{proc.tail()}")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        stat = _stat(int(entry))
        if stat:
            tree.setdefault(int(stat[1]), []).append(int(entry))
    return tree


def _stat(pid: int) -> list[str] | None:
    """Fields of /proc/pid/stat from `state` on (index 0 = state, 1 = ppid, ...)."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2 :].split()


def descendants(pid: int) -> list[int]:
    tree, out, todo = _children(), [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(tree.get(p, []))
    return out


def cpu_seconds(pid: int) -> float:
    """utime+stime of `pid` and its live descendants, plus their reaped children's."""
    ticks = 0
    for p in descendants(pid):
        stat = _stat(p)
        if stat:  # utime, stime, cutime, cstime are stat fields 14-17 (11-14 from `state`)
            ticks += sum(int(v) for v in stat[11:15])
    return ticks / TICKS_PER_SECOND


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def reset_peak_rss(pid: int) -> None:
    """Reset VmHWM (the kernel's peak RSS) so the next reading covers one window only."""
    for p in descendants(pid):
        # Not ours to reset (or gone): that reading is then the peak since start.
        with contextlib.suppress(OSError):
            Path(f"/proc/{p}/clear_refs").write_text("5")


def peak_rss_mb(pid: int) -> float:
    """Sum of VmHWM over the process tree, in MB (an upper bound if peaks did not coincide)."""
    return sum(_status_kb(p, "VmHWM") for p in descendants(pid)) / 1024


def core_busy_seconds(cpu: int) -> float:
    """Non-idle time of one core so far (/proc/stat), whoever used it: compared with the
    gateway's own CPU it shows how much else ran on the gateway's core during a batch."""
    for line in Path("/proc/stat").read_text().splitlines():
        fields = line.split()
        if fields[0] == f"cpu{cpu}":
            user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[1:9])
            return (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND
    return 0.0
