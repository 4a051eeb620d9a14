"""bench/peers' load generator against a real socket: a gateway that sheds load (503 with
Retry-After) has the query sent again after the wait, counted as shed, not as an error."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from bench.peers import load, report

ANSWER = b'{"data":{"ok":true}}'


async def close_all(writers: set[asyncio.StreamWriter]) -> None:
    """The server's side of every connection (closing the server does not, on 3.11)."""
    for writer in writers:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()


async def shedding_server(
    refusals: int, writers: set[asyncio.StreamWriter]
) -> tuple[asyncio.Server, str, dict[str, int]]:
    """Answers the first `refusals` requests 503 + Retry-After: 0, then 200 with ANSWER."""
    seen = {"requests": 0}

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writers.add(writer)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                await reader.readexactly(length)
                seen["requests"] += 1
                if seen["requests"] <= refusals:
                    body = b'{"errors":[{"message":"busy","extensions":{"code":"OVERLOADED"}}]}'
                    status = b"503 Service Unavailable\r\nRetry-After: 0"
                else:
                    body, status = ANSWER, b"200 OK"
                writer.write(
                    b"HTTP/1.1 " + status + b"\r\nContent-Type: application/json\r\n"
                    b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}/graphql", seen


def plan() -> load.Plan:
    return load.Plan(conc=1, warmup_seconds=0, warmup_queries=0, window_seconds=0.05,
                     window_queries=4, max_seconds=5)  # fmt: skip


async def test_a_shed_query_is_sent_again_after_retry_after_and_not_an_error() -> None:
    writers: set[asyncio.StreamWriter] = set()
    server, url, seen = await shedding_server(3, writers)

    def check(data: dict[str, Any]) -> bool:
        return data == {"ok": True}

    async with server:
        window = await load.run(url, {"query": "{ ok }"}, check, plan(),
                                on_start=dict, on_end=dict)  # fmt: skip
        await close_all(writers)
    assert window.errors == 0, window.error_samples
    assert window.shed == 3 and window.completed >= 4
    assert seen["requests"] == window.completed + 3  # each refusal sent once more


async def test_a_refusal_without_retry_after_is_an_error() -> None:
    writers: set[asyncio.StreamWriter] = set()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writers.add(writer)
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/graphql"
    async with server:
        window = await load.run(url, {"query": "{ ok }"}, lambda _d: True, plan(),
                                on_start=dict, on_end=dict)  # fmt: skip
        await close_all(writers)
    assert window.shed == 0 and window.errors == window.completed >= 4


def test_only_errors_of_the_builds_under_test_fail_the_run() -> None:
    rows = [
        {"gateway": "teamgraph", "errors": 0},
        {"gateway": "baseline", "errors": 12},  # the old code timing out at concurrency 64
        {"gateway": "tailcall", "errors": 0},
    ]
    assert report.failed(rows, "baseline") == []
    rows.append({"gateway": "cache", "errors": 1})
    assert report.failed(rows, "baseline") == ["cache"]
    assert report.failed(rows, None) == ["baseline", "cache"]  # no baseline in this run
