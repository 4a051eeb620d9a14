"""Real servers for tests: a free loopback port, and a throwaway redis-server on one."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager


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
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.05)
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)
