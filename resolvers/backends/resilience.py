"""What keeps one client honest between requests: its circuit breaker, its rate-limit gate,
the loop-lag clock its timeouts use, and what it must never repeat (credentials).

Built by ``gateway.backends`` with each client and shared by every request. Why not a library
for the breaker: purgatory's half-open state admits every concurrent call (a burst reaches a
service that may still be down), pybreaker's async path needs Tornado, and aiobreaker has not
been released since 2021. The state machine is small; it is all here.
"""

from __future__ import annotations

import asyncio
import base64
import re
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from resolvers.backends.cache import UpstreamCache
    from resolvers.backends.observer import CallObserver
    from resolvers.backends.parsed import ParsedAnswers

CircuitState = Literal["closed", "open", "half-open"]


class CircuitBreaker:
    """Consecutive failures open the circuit; while open, calls fail fast. After
    ``open_seconds`` one probe may go through (half-open): its success closes the circuit,
    its failure opens it again. Other calls keep failing fast while the probe is out."""

    def __init__(
        self,
        *,
        failures: int = 5,
        open_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.failures = failures
        self.open_seconds = open_seconds
        self._clock = clock
        self._consecutive = 0
        self._opened_at: float | None = None
        self._probing = False
        # Called with the new state on every change (metrics, logs).
        self.listeners: list[Callable[[CircuitState], None]] = []

    @property
    def state(self) -> CircuitState:
        if self._opened_at is None:
            return "closed"
        if self._probing or self._clock() - self._opened_at >= self.open_seconds:
            return "half-open"
        return "open"

    def retry_in(self) -> float:
        if self._opened_at is None:
            return 0.0
        return max(0.0, self._opened_at + self.open_seconds - self._clock())

    def allow(self) -> bool:
        """May a call go out now? Claims the probe when the circuit is half-open."""
        if self._opened_at is None:  # closed: every call asks, so this is answered first
            return True
        state = self.state
        if state == "closed":
            return True
        if state == "half-open" and not self._probing:
            self._probing = True
            return True
        return False

    def record_success(self) -> None:
        if self._opened_at is None:  # closed (no probe is out then): nothing changes
            self._consecutive = 0
            return
        was = self.state
        self._consecutive = 0
        self._opened_at = None
        self._probing = False
        if was != "closed":
            self._notify("closed")

    def record_failure(self) -> None:
        self._consecutive += 1
        if self._probing or self._consecutive >= self.failures:
            reopened = self._opened_at is None or self._probing
            self._opened_at = self._clock()
            self._probing = False
            if reopened:
                self._notify("open")

    def release_probe(self) -> None:
        """The probe ended without a verdict (cancelled, or a 4xx): let another one try."""
        self._probing = False

    def _notify(self, state: CircuitState) -> None:
        for listener in self.listeners:
            listener(state)


class RateLimitGate:
    """After a 429, no call to the service (with the same credentials) before its
    ``Retry-After`` has passed."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        # Until when each credentials' calls wait; empty (falsy) while no 429 is pending.
        self.blocked: dict[str, float] = {}

    def wait_left(self, key: str) -> float:
        until = self.blocked.get(key)
        if until is None:
            return 0.0
        left = until - self._clock()
        if left <= 0:
            del self.blocked[key]
            return 0.0
        return left

    def block(self, key: str, seconds: float) -> None:
        self.blocked[key] = max(self.blocked.get(key, 0.0), self._clock() + seconds)


def parse_retry_after(value: str | None, *, default: float = 1.0) -> float:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return default
    value = value.strip()
    if value.isdigit():
        return min(float(value), 3600.0)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    return min(max(0.0, moment.timestamp() - time.time()), 3600.0)


class LoopLag:
    """How far behind schedule the event loop has run, in total.

    An upstream timeout must measure the upstream, not the gateway's own queueing: when the
    loop is saturated, a reply that arrived in 20 ms may wait seconds to be read. Timeouts
    subtract the lag that accrued while they ran (see ``BaseClient``)."""

    def __init__(self, *, interval: float = 0.02) -> None:
        self.interval = interval
        self._total = 0.0
        # Lateness of recent ticks, smoothed over about the last five (admission's signal).
        self.recent = 0.0
        self._expected: float | None = None
        self._handle: asyncio.TimerHandle | None = None

    def start(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        loop = loop or asyncio.get_running_loop()
        self._expected = loop.time() + self.interval
        self._handle = loop.call_at(self._expected, self._tick, loop)

    def stop(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _tick(self, loop: asyncio.AbstractEventLoop) -> None:
        now = loop.time()
        late = 0.0 if self._expected is None else max(0.0, now - self._expected)
        self._total += late
        self.recent += (late - self.recent) * 0.2
        self._expected = now + self.interval
        self._handle = loop.call_at(self._expected, self._tick, loop)

    def now(self) -> float:
        """How late the loop runs lately: the smoothed lateness of recent ticks, or the
        overdue tick's, if the loop is late right now."""
        if self._expected is None:
            return 0.0
        overdue = asyncio.get_running_loop().time() - self._expected
        return max(self.recent, overdue)

    def total(self, loop: asyncio.AbstractEventLoop) -> float:
        """Lag so far, including the tick that is overdue right now."""
        pending = 0.0
        if self._expected is not None:
            pending = max(0.0, loop.time() - self._expected)
        return self._total + pending


class _Watched:
    """One exchange under its deadline (see :class:`UpstreamDeadlines`)."""

    __slots__ = ("cancelling", "expiry", "fired", "lag_seen", "task")

    def __init__(self, task: asyncio.Task[object], expiry: float, lag_seen: float) -> None:
        self.task = task
        self.expiry = expiry
        self.lag_seen = lag_seen
        self.cancelling = task.cancelling()
        self.fired = False


class Lending:
    """Exchanges started while an operation's task runs, on loan, the first steps of a
    coroutine that another task may go on running: the compiled executor runs an async
    resolver at once in the operation's task, and only one that must wait goes on in a task
    of its own (gateway/executor.py). A deadline cancels the task its exchange started in;
    so the task that goes on running the resolver takes over the deadlines of the exchanges
    its first steps started (`adopt`), and a timeout ends that resolver alone, not the
    operation. The executor opens the loan around each first step and takes `caught`."""

    __slots__ = ("caught", "open")

    def __init__(self) -> None:
        self.open = False
        self.caught: list[_Watched] | None = None


def adopt(caught: list[_Watched]) -> None:
    """The current task goes on running the exchanges in `caught`: theirs to time out."""
    task = asyncio.current_task()
    if task is None:
        return
    for watched in caught:
        watched.task = task
        watched.cancelling = task.cancelling()


# The operation's lending (see `Lending`), set by the compiled executor for its run.
lending: ContextVar[Lending | None] = ContextVar("teamgraph_lending", default=None)


class UpstreamDeadlines:
    """The timeouts of one client's upstream exchanges, on one timer.

    Each exchange is bounded as ``asyncio.timeout(seconds)`` would bound it (its task is
    cancelled when the time is up, and that cancellation, and only that one, becomes
    ``TimeoutError``), but without a timer, a ``Timeout`` and their scheduling per call: the
    one timer is set for the earliest deadline, and an exchange, which nearly always ends long
    before its own, only joins and leaves a set.

    Time the loop spent running behind schedule does not count (:class:`LoopLag`): under load
    a reply can sit unread while other requests use the CPU, and that is the gateway's
    queueing, not the upstream's slowness. When a deadline comes, lag that accrued meanwhile
    is added on, until none did. The request's own deadline still bounds the exchange (the
    caller never asks for more than is left of it).
    """

    # Deadlines this close to the timer's moment are due: a loop runs a timer up to its clock
    # resolution early.
    SLACK = 0.001

    def __init__(self, lag: LoopLag | None = None) -> None:
        self.lag = lag
        self._watched: set[_Watched] = set()
        self._timer: asyncio.TimerHandle | None = None
        self._timer_at = float("inf")
        self._loop: asyncio.AbstractEventLoop | None = None

    def watch(
        self,
        seconds: float,
        loop: asyncio.AbstractEventLoop,
        task: asyncio.Task[Any] | None = None,
    ) -> _Watched:
        """Bound the exchange `task` (the current one, unless the caller has it already)
        runs to `seconds` from now; `leave` when it ends."""
        task = task or asyncio.current_task(loop)
        assert task is not None, "an upstream exchange runs in a task"
        lag_seen = self.lag.total(loop) if self.lag is not None else 0.0
        watched = _Watched(task, loop.time() + max(0.0, seconds), lag_seen)
        self._watched.add(watched)
        lent = lending.get()
        if lent is not None and lent.open:  # another task may go on with this exchange
            if lent.caught is None:
                lent.caught = []
            lent.caught.append(watched)
        if loop is not self._loop:  # the first exchange, or a client used on another loop
            self._loop, self._timer, self._timer_at = loop, None, float("inf")
        if watched.expiry < self._timer_at:
            self._arm(watched.expiry)
        return watched

    def leave(self, watched: _Watched) -> bool:
        """The exchange is over (or being interrupted); True when its deadline cancelled it,
        in which case the cancellation is taken back, as ``asyncio.timeout`` does. Only the
        first call for an exchange answers True."""
        self._watched.discard(watched)
        if not watched.fired:
            return False
        watched.fired = False
        return watched.task.uncancel() <= watched.cancelling

    def _arm(self, when: float) -> None:
        assert self._loop is not None
        if self._timer is not None:
            self._timer.cancel()
        self._timer_at = when
        self._timer = self._loop.call_at(when, self._due, self._loop)

    def _due(self, loop: asyncio.AbstractEventLoop) -> None:
        if loop is not self._loop:
            return  # a timer left on a loop this client no longer runs on
        self._timer, self._timer_at = None, float("inf")
        now = loop.time() + self.SLACK
        lag_now = self.lag.total(loop) if self.lag is not None else 0.0
        earliest = float("inf")
        for watched in list(self._watched):
            if watched.expiry <= now:
                lagged = lag_now - watched.lag_seen
                if lagged > 0.005:  # the loop was behind meanwhile: that time is added on
                    watched.lag_seen = lag_now
                    watched.expiry = now - self.SLACK + lagged
                else:
                    self._watched.discard(watched)
                    watched.fired = True
                    watched.task.cancel()
                    continue
            earliest = min(earliest, watched.expiry)
        if earliest != float("inf"):
            self._arm(earliest)


# "Bearer <value>" and its kin, where the value looks like a credential (8+ characters with
# a digit, a symbol or mixed case): "bearer token" in prose is left alone.
_AUTH_VALUE = re.compile(
    r"\b((?i:Bearer|Basic|hmac|Token|Digest))\s+"
    r"((?=[^\s\"',;]*(?:[0-9=._:/+-]|[a-z][^\s\"',;]*[A-Z]|[A-Z][^\s\"',;]*[a-z]))"
    r"[^\s\"',;]{8,})"
)
REDACTED = "[redacted]"


@dataclass
class Redactor:
    """Removes every configured secret, and anything shaped like an Authorization value,
    from text that leaves the gateway (error messages, log lines)."""

    secrets: set[str] = field(default_factory=set)

    def add(self, *values: str | None) -> None:
        for value in values:
            if value and len(value) >= 4:
                self.secrets.add(value)

    def add_basic(self, user: str, password: str) -> None:
        """Basic credentials, in every form an upstream might echo them."""
        self.add(password, base64.b64encode(f"{user}:{password}".encode()).decode())

    def extend(self, others: Iterable[str]) -> None:
        self.add(*others)

    def __call__(self, text: str, extra: Iterable[str] = ()) -> str:
        for secret in sorted({*self.secrets, *extra}, key=len, reverse=True):
            if secret and secret in text:
                text = text.replace(secret, REDACTED)
        return _AUTH_VALUE.sub(lambda m: f"{m.group(1)} {REDACTED}", text)


_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def summarize(text: str, *, limit: int = 200) -> str:
    """One short, printable line of someone else's text (an upstream's error body)."""
    line = _CONTROL.sub(" ", text).strip()
    return line if len(line) <= limit else line[: limit - 1] + "…"


@dataclass
class ClientPolicy:
    """Everything between requests that a client's request path consults."""

    breaker: CircuitBreaker = field(default_factory=CircuitBreaker)
    rate_limits: RateLimitGate = field(default_factory=RateLimitGate)
    lag: LoopLag | None = None
    redact: Redactor = field(default_factory=Redactor)
    retries: int = 2
    max_response_bytes: int = 16 * 1024 * 1024
    # Seconds one exchange may take (None: the httpx client's own timeout).
    timeout: float | None = None
    # The shared upstream cache (None: every GET goes to the upstream).
    cache: UpstreamCache | None = None
    # Metrics and traces of every call (None: telemetry off).
    observer: CallObserver | None = None
    # Answers already validated, by their bytes (None: every answer is validated).
    parsed: ParsedAnswers | None = None
    # The exchanges' timeouts, discounting `lag`.
    deadlines: UpstreamDeadlines = field(init=False)

    def __post_init__(self) -> None:
        self.deadlines = UpstreamDeadlines(self.lag)
