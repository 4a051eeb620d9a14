"""How every mutation runs: idempotency, what the API rejected, and one log line.

A write is never retried by the gateway. A caller that may retry sends an
``idempotencyKey``: the first run's outcome is kept for ``idempotency_window`` seconds where
the shared cache lives (this process, or Redis so replicas agree), and a repeat with the same
key and the same input gets it back without calling any upstream. The same key with another
input is an error, and so is a repeat while the first run is still going.

What an API rejects as invalid (400, 404, 409, 422, with its own reason) is the caller's to fix:
it comes back as ``userErrors`` in the payload, not as an error, and so does what the gateway
itself refuses before calling anyone (:class:`Refused`: an ambiguous person, say). Outages
stay errors.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

import orjson
import pydantic

from resolvers.backends.base import adapter_for
from resolvers.backends.errors import (
    BackendError,
    GatewayError,
    UpstreamNotFound,
    UpstreamRejected,
)
from resolvers.backends.redis_link import RedisLink, StoreUnavailable

T = TypeVar("T")

log = logging.getLogger("teamgraph.mutations")


@dataclass(frozen=True, slots=True)
class UserError:
    """Something about the input the API (or the gateway) refused, for the caller to fix."""

    message: str
    code: str
    field: tuple[str, ...] | None = None


@dataclass
class Outcome(Generic[T]):
    result: T | None = None
    user_errors: list[UserError] = field(default_factory=list)
    replayed: bool = False  # served from the idempotency store, no upstream called


class Refused(GatewayError):
    """The gateway refuses the input before changing anything (an ambiguous or unknown
    person, an argument that does not fit): raised inside a write's `call`, it becomes the
    payload's ``userErrors``, kept for the idempotency key like any outcome."""

    code = "BAD_USER_INPUT"

    def __init__(self, *errors: UserError) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = list(errors)


class IdempotencyConflict(GatewayError):
    code = "IDEMPOTENCY_KEY_REUSED"


class IdempotencyInProgress(GatewayError):
    code = "IDEMPOTENCY_IN_PROGRESS"


class IdempotencyUnavailable(GatewayError):
    """The store of idempotency records (Redis) cannot be reached, so a mutation sent with a
    key is refused before anything is called: run without its record, a repeat could write
    twice. The caller chooses: retry later, or send it without the key."""

    code = "IDEMPOTENCY_UNAVAILABLE"

    def __init__(self, retry_after: float) -> None:
        super().__init__(
            "idempotency keys are unavailable: the store that keeps them (Redis) cannot be "
            "reached, and nothing was changed; retry in a few seconds, or send the mutation "
            "without idempotencyKey to run it without protection against a repeat"
        )
        self.retry_after = max(1, math.ceil(retry_after))

    @property
    def extensions(self) -> dict[str, object]:
        return {"code": self.code, "retryAfter": self.retry_after}


class KeyValues(Protocol):
    """Where idempotency records live: `add` stores only when the key is absent. Any method
    may raise :class:`StoreUnavailable` (Redis failing); the in-process store never does."""

    async def get(self, key: str) -> bytes | None: ...

    async def add(self, key: str, value: bytes, ttl: float) -> bool: ...

    async def put(self, key: str, value: bytes, ttl: float) -> None: ...

    async def delete(self, key: str) -> None: ...


class MemoryKeyValues:
    """In this process. With `max_bytes`, the least recently used entries go first once keys
    and values pass that many bytes (the APQ store, which any client may write to)."""

    def __init__(self, *, max_bytes: int | None = None) -> None:
        self._items: OrderedDict[str, tuple[bytes, float]] = OrderedDict()
        self.max_bytes = max_bytes
        self.size = 0  # bytes of keys and values held

    async def get(self, key: str) -> bytes | None:
        found = self._items.get(key)
        if found is None or found[1] < time.monotonic():
            self._drop(key)
            return None
        self._items.move_to_end(key)
        return found[0]

    async def add(self, key: str, value: bytes, ttl: float) -> bool:
        if await self.get(key) is not None:
            return False
        self._store(key, value, ttl)
        return True

    async def put(self, key: str, value: bytes, ttl: float) -> None:
        self._store(key, value, ttl)

    async def delete(self, key: str) -> None:
        self._drop(key)

    def _store(self, key: str, value: bytes, ttl: float) -> None:
        self._drop(key)
        entry = len(key) + len(value)
        if self.max_bytes is not None and entry > self.max_bytes:
            return  # never fits: keeping it would evict everything else
        self._items[key] = (value, time.monotonic() + ttl)
        self.size += entry
        while self.max_bytes is not None and self.size > self.max_bytes:
            self._drop(next(iter(self._items)))

    def _drop(self, key: str) -> None:
        found = self._items.pop(key, None)
        if found is not None:
            self.size -= len(key) + len(found[0])


class RedisKeyValues:
    """In Redis, through the link the stores share (which its builder closes)."""

    def __init__(self, link: RedisLink, *, namespace: str = "teamgraph:idempotency:") -> None:
        self.link = link
        self.namespace = namespace

    async def get(self, key: str) -> bytes | None:
        found = await self.link.run(lambda redis: redis.get(self.namespace + key))
        return found if isinstance(found, bytes) or found is None else str(found).encode()

    async def add(self, key: str, value: bytes, ttl: float) -> bool:
        done = await self.link.run(
            lambda redis: redis.set(self.namespace + key, value, px=_ms(ttl), nx=True)
        )
        return bool(done)

    async def put(self, key: str, value: bytes, ttl: float) -> None:
        await self.link.run(lambda redis: redis.set(self.namespace + key, value, px=_ms(ttl)))

    async def delete(self, key: str) -> None:
        await self.link.run(lambda redis: redis.delete(self.namespace + key))


def _ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))


@dataclass
class Idempotency:
    store: KeyValues
    window: float = 24 * 3600.0
    # Outcomes of writes that ran but could not be recorded (the store failed after the
    # upstream call): kept here and written once the store answers, so the write's record is
    # not lost. None: a pending mark to delete (the write failed, a retry may run it).
    unsaved: OrderedDict[str, bytes | None] = field(default_factory=OrderedDict)


def digest(name: str, data: object) -> str:
    """The same mutation with the same input, whatever the key order."""
    body = orjson.dumps({"m": name, "i": data}, option=orjson.OPT_SORT_KEYS, default=str)
    return hashlib.sha256(body).hexdigest()


async def run_write(
    *,
    name: str,
    services: Sequence[str],
    caller: str,
    data: object,
    key: str | None,
    idempotency: Idempotency | None,
    result_type: object,
    call: Callable[[], Awaitable[T]],
    summary: Callable[[T], str] | None = None,
) -> Outcome[T]:
    """Run one mutation's upstream work under the conventions in the module docstring.

    `services` is read when the log line is written, so a list the call fills names the
    services it touched. `summary` words the outcome of a result for that line (a change
    across services says which of them failed); without it a result is "done".
    """
    started = time.perf_counter()
    outcome: Outcome[T] | None = None
    try:
        if key is None or idempotency is None:
            outcome = await _attempt(call)
            return outcome
        record = f"{caller}:{key}"
        sent = digest(name, data)
        try:  # the store failing here refuses the mutation: nothing has been called yet
            outcome = await _replay(idempotency, record, sent, result_type)
            if outcome is not None:
                return outcome
            await _save_unsaved(idempotency)
            pending = orjson.dumps({"d": sent, "state": "pending"})
            if not await idempotency.store.add(record, pending, idempotency.window):
                outcome = await _replay(idempotency, record, sent, result_type)
                if outcome is not None:
                    return outcome
                raise IdempotencyInProgress(
                    f"a request with idempotency key {key!r} is still running; retry in a moment"
                )
        except StoreUnavailable as exc:
            raise IdempotencyUnavailable(exc.retry_after) from None
        try:
            outcome = await _attempt(call)
        except BaseException:
            await _keep(idempotency, record, None)  # nothing done: a retry may run it
            raise
        await _keep(idempotency, record, _recorded(sent, outcome, result_type))
        return outcome
    finally:
        said = "replayed" if outcome and outcome.replayed else (
            "rejected" if outcome and outcome.user_errors else "done" if outcome else "failed"
        )  # fmt: skip
        if said == "done" and summary is not None and outcome and outcome.result is not None:
            said = summary(outcome.result)
        log.info(
            "mutation %s by %s on %s: %s (%.0f ms)",
            name, caller, ",".join(services) or "-", said, (time.perf_counter() - started) * 1000,
        )  # fmt: skip


async def _attempt(call: Callable[[], Awaitable[T]]) -> Outcome[T]:
    try:
        return Outcome(result=await call())
    except (UpstreamRejected, UpstreamNotFound) as exc:
        return Outcome(user_errors=user_errors(exc))
    except Refused as exc:
        return Outcome(user_errors=exc.errors)


async def _keep(idempotency: Idempotency, record: str, value: bytes | None) -> None:
    """Record a write's outcome (None: forget its pending mark). The write has run, so the
    store failing now must not fail it: the record waits in this process instead."""
    try:
        if value is None:
            await idempotency.store.delete(record)
        else:
            await idempotency.store.put(record, value, idempotency.window)
    except StoreUnavailable:
        log.warning("idempotency record %s not stored (redis failed); kept in this process "
                    "until redis answers", record)  # fmt: skip
        idempotency.unsaved[record] = value
        while len(idempotency.unsaved) > _MAX_UNSAVED:
            idempotency.unsaved.popitem(last=False)


# Records kept while the store is down, at most (the oldest go first): each one is a write
# that ran during the outage.
_MAX_UNSAVED = 10_000


async def _save_unsaved(idempotency: Idempotency) -> None:
    """Write the records kept while the store failed; StoreUnavailable if it still does."""
    while idempotency.unsaved:
        record, value = next(iter(idempotency.unsaved.items()))
        if value is None:
            await idempotency.store.delete(record)
        else:
            await idempotency.store.put(record, value, idempotency.window)
        if idempotency.unsaved.get(record, b"") == value:  # not replaced meanwhile
            del idempotency.unsaved[record]


async def _replay(
    idempotency: Idempotency, record: str, sent: str, result_type: object
) -> Outcome[Any] | None:
    if record in idempotency.unsaved:  # this process ran it while the store was down
        raw = idempotency.unsaved[record]
    else:
        raw = await idempotency.store.get(record)
    if raw is None:
        return None
    try:
        stored = orjson.loads(raw)
        if stored["d"] != sent:
            raise IdempotencyConflict(
                "this idempotency key was used with a different input; use a new key for a new "
                "request"
            )
        if stored["state"] == "pending":
            return None
        result = None
        if stored["result"] is not None:
            result = adapter_for(result_type).validate_python(stored["result"])
        errors = [UserError(e["message"], e["code"], tuple(e["field"]) if e["field"] else None)
                  for e in stored["userErrors"]]  # fmt: skip
    except (ValueError, KeyError, TypeError):  # orjson's and pydantic's errors are ValueErrors
        # Written by something else, or by an older gateway: whether the first request wrote
        # cannot be told, so neither replay it nor run it again.
        raise IdempotencyConflict(
            "the record kept for this idempotency key cannot be read, so whether the first "
            "request was done is unknown; check the data, then use a new key"
        ) from None
    return Outcome(result=result, user_errors=errors, replayed=True)


def _recorded(sent: str, outcome: Outcome[Any], result_type: object) -> bytes:
    result = None
    if outcome.result is not None:
        result = adapter_for(result_type).dump_python(outcome.result, mode="json", by_alias=True)
    errors = [{"message": e.message, "code": e.code, "field": e.field}
              for e in outcome.user_errors]  # fmt: skip
    return orjson.dumps({"d": sent, "state": "done", "result": result, "userErrors": errors})


_FIELD = re.compile(r"^(/?[A-Za-z_][\w.\[\]/-]*): (.+)$")
# Where the next "<field>: reason" starts in a one-line list of them; "; " inside one reason
# ("was changed (iversion is 1); read it again") does not split it.
_SEGMENTS = re.compile(r"; (?=/?[A-Za-z_][\w.\[\]/-]*: )")
_CODES = {400: "INVALID_INPUT", 404: "NOT_FOUND", 409: "CONFLICT", 422: "INVALID_INPUT"}


def user_errors(exc: BackendError) -> list[UserError]:
    """The API's own reasons for refusing the input, one user error each, with the field a
    reason names ("te.note: too long", "/data/attributes/name: taken"). APIs that refuse
    several fields at once give them as one line: "te.note: …; te.hours: …"."""
    detail = exc.detail or exc.message
    code = _CODES.get(exc.status or 400, "REJECTED")
    found = []
    for reason in (part for part in _SEGMENTS.split(detail) if part.strip()):
        named = _FIELD.match(reason)
        if named is None:
            found.append(UserError(f"{exc.service}: {reason}", code))
            continue
        path = tuple(p for p in re.split(r"[./]", named.group(1)) if p)
        found.append(UserError(f"{exc.service}: {named.group(2)}", code, path or None))
    return found or [UserError(f"{exc.service}: {exc.message}", code)]


def user_error(exc: BackendError) -> UserError:
    """The first of :func:`user_errors`."""
    return user_errors(exc)[0]


def as_data(value: object) -> object:
    """An input object as plain data, for the idempotency digest."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json")
    if hasattr(value, "__dict__"):
        return {k: as_data(v) for k, v in vars(value).items() if not k.startswith("_")}
    if isinstance(value, (list, tuple)):
        return [as_data(v) for v in value]
    return value
