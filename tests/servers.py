"""Real servers for tests: a free loopback port, and a throwaway redis-server or tinyproxy on
one."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    return free_ports(1)[0]


def free_ports(count: int) -> list[int]:
    """`count` different free ports: held together while chosen, since two ports picked one
    after the other can be the same one (the kernel may hand a just-freed port out again),
    and a server started on the other's port then finds it taken, while the one already
    there answers in its place."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [int(s.getsockname()[1]) for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)


@contextmanager
def redis_server(port: int) -> Iterator[subprocess.Popen[bytes]]:
    """Debian's redis-server on `port`, nothing persisted; stopped on exit."""
    server = shutil.which("redis-server")
    if server is None:
        raise RuntimeError("redis-server is not installed: `apt-get install redis-server`")
    process = subprocess.Popen(
        [server, "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    _wait_for(port)
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


TINYPROXY = "/usr/bin/tinyproxy"


@dataclass(frozen=True)
class Tinyproxy:
    port: int
    log: Path

    def requests(self) -> list[str]:
        """Each request line it took ("CONNECT host:port HTTP/1.1", "GET http://... HTTP/1.1")."""
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return [line.split("): ", 1)[1] for line in text.splitlines() if " Request (" in line]


@contextmanager
def tinyproxy(folder: Path, *, user: str | None = None, password: str = "") -> Iterator[Tinyproxy]:
    """Debian's tinyproxy, a forward proxy on a free loopback port, asking for `user` and
    `password` (Basic) when `user` is given, logging each request; stopped on exit."""
    port = free_port()
    lines = [f"Port {port}", "Listen 127.0.0.1", "Allow 127.0.0.1", "Timeout 30",
             "MaxClients 100", "LogLevel Info", "DisableViaHeader Yes"]  # fmt: skip
    if user is not None:
        lines.append(f"BasicAuth {user} {password}")
    config = folder / "tinyproxy.conf"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    log = folder / "tinyproxy.log"  # with no LogFile it logs to stdout, a line per write
    with log.open("wb") as out:
        process = subprocess.Popen(
            [TINYPROXY, "-d", "-c", str(config)], stdout=out, stderr=subprocess.STDOUT
        )
    _wait_for(port)
    try:
        yield Tinyproxy(port, log)
    finally:
        process.terminate()
        process.wait(timeout=10)
