"""A closed-loop load generator: `conc` clients, each sending its next query when the last
one is answered; a warm-up, then one measured batch.

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
from urllib.parse import urlsplit

import orjson

Check = Callable[[dict[str, Any]], bool]  # the answer's `data` is the expected one
TIMEOUT_SECONDS = 600.0


# A refused query is sent again at most this often, waiting at most this long each time.
MAX_SHED_RETRIES = 20
MAX_RETRY_AFTER = 5.0


class Connection:
    """One keep-alive HTTP/1.1 connection that POSTs the same body again and again.

    Hand-written rather than httpx because the load generator shares a core with nginx: at
    the peers' rates httpx's per-request cost would limit RPS before the gateway does.
    """

    def __init__(self, url: str, body: bytes) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.request = (
            f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        # The last answer's Retry-After, in seconds (None: it had none, or not a number).
        self.retry_after: float | None = None

    async def post(self) -> tuple[int, bytes]:
        try:
            async with asyncio.timeout(TIMEOUT_SECONDS):
                return await self._post()
        except BaseException:
            self.close()  # the stream is in an unknown state
            raise

    async def _post(self) -> tuple[int, bytes]:
        reused = self.streams is not None
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port, limit=1 << 20)
        reader, writer = self.streams
        try:
            writer.write(self.request)
            raw = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            # A kept-alive connection the server closed while idle (uvicorn does after 5 s):
            # nothing was answered, so send again on a new one, as any HTTP client does.
            if not reused or (isinstance(exc, asyncio.IncompleteReadError) and exc.partial):
                raise
            self.close()
            return await self._post()
        head = raw.decode("latin-1").split("\r\n")
        status = int(head[0].split()[1])
        fields = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in head[1:])}
        if "content-length" in fields:
            body = await reader.readexactly(int(fields["content-length"]))
        elif fields.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                chunks.append(await reader.readexactly(size))
                await reader.readexactly(2)
            await reader.readuntil(b"\r\n")  # no trailers are expected
            body = b"".join(chunks)
        else:
            body = await reader.read()
            self.close()
        try:
            self.retry_after = float(fields["retry-after"])
        except (KeyError, ValueError):
            self.retry_after = None
        if fields.get("connection", "").lower() == "close":
            self.close()
        return status, body

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


@dataclass
class Window:
    completed: int = 0
    errors: int = 0
    # 503s with Retry-After (a gateway shedding load): waited out and sent again, as a
    # well-behaved client does; the query counts once, when answered, its latency includes
    # the waits, and the CPU spent refusing is in its CPU per query.
    shed: int = 0
    response_bytes: int = 0  # size of one answer (answers of one query are the same size)
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
    window_seconds: float  # the measured batch is sized to last about this long ...
    window_queries: int  # ... with at least this many queries ...
    max_seconds: float  # ... and at most about this long (also caps the warm-up)


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
    """Warm up, drain, then send one batch of queries from an idle gateway back to idle.

    Measuring from idle to idle makes CPU per query and upstream calls per query exact: no
    query is half inside the window, which matters when a query takes longer than a window
    (Teamgraph at concurrency 64). The batch is sized from the warm-up's rate to last about
    `window_seconds`, with at least `window_queries` and twice `conc` queries (capped by
    `max_seconds`), so the closing ramp, where fewer than `conc` are in flight, stays small.
    """
    body = orjson.dumps(payload)
    checker = _Checker(check)
    window = Window()
    # One connection per client: a closed loop never has two queries of one client in flight.
    free = [Connection(url, body) for _ in range(plan.conc)]
    try:

        async def send() -> tuple[float, str | None, int]:
            conn = free.pop()
            started = time.perf_counter()
            shed = 0
            try:
                while True:
                    status, content = await conn.post()
                    wait = conn.retry_after if status == 503 else None
                    if wait is None or shed >= MAX_SHED_RETRIES:
                        break
                    shed += 1
                    await asyncio.sleep(min(wait, MAX_RETRY_AFTER))
                problem = checker.problem(status, content)
                window.response_bytes = len(content)
            except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
                problem = f"{type(exc).__name__}: {exc}"
            free.append(conn)
            return (time.perf_counter() - started) * 1000, problem, shed

        # Warm-up: a closed loop until both minimums are met (or time is up), then drain.
        warm = {"done": 0}
        began = time.monotonic()

        def warming() -> bool:
            elapsed = time.monotonic() - began
            wanted = elapsed < plan.warmup_seconds or warm["done"] < plan.warmup_queries
            return wanted and elapsed < plan.max_seconds

        async def warm_one() -> None:
            while warming():
                _, problem, _ = await send()
                warm["done"] += 1
                if problem and len(window.error_samples) < 2:
                    window.error_samples.append("warm-up: " + problem)

        await asyncio.gather(*(warm_one() for _ in range(plan.conc)))
        rate = warm["done"] / max(time.monotonic() - began, 1e-3)
        batch = max(plan.window_queries, 2 * plan.conc, int(rate * plan.window_seconds))
        batch = min(batch, max(plan.conc, plan.window_queries, int(rate * plan.max_seconds)))

        # The measured batch: `conc` workers take queries until `batch` have been sent.
        left = {"n": batch}

        async def measured_one() -> None:
            while left["n"] > 0:
                left["n"] -= 1
                ms, problem, shed = await send()
                window.completed += 1
                window.shed += shed
                window.latencies_ms.append(ms)
                if problem:
                    window.errors += 1
                    if len(window.error_samples) < 5:
                        window.error_samples.append(problem)

        window.before = on_start()
        t0 = time.monotonic()
        await asyncio.gather(*(measured_one() for _ in range(plan.conc)))
        window.seconds = time.monotonic() - t0
        window.after = on_end()
    finally:
        for conn in free:
            conn.close()
    return window
