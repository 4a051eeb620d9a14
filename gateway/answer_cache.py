"""Whole answers of queries, kept while every upstream answer they were built from is fresh.

With `[cache]` on, a repeated query would find each of its upstream answers in the shared
cache and still build the same GraphQL answer again, field by field: most of its CPU. An
answer built only from fresh cached upstream answers (and a held identity directory) is
what executing it again would give until the first of them expires, so it is kept until
then and served as is. What may not be kept: an answer with errors (partial data, warnings of
stale data), one resting on a stale or uncached upstream answer (a POST read, a TTL of 0, a
404), a mutation's. Any write drops every kept answer (the upstream cache counts them), as
it drops the cached upstream answers it may have changed, and a mutation run here drops them
before and after it runs.

Kept in this process only, so it is on only with the in-process store (`cache.backend =
"memory"`): with Redis, a write through another replica would not reach it.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from resolvers.backends.errors import Service
from resolvers.backends.scope import credentials_digest

# Even an answer that rests on no upstream data at all is built again after this long.
MAX_SECONDS = 300.0
# Bigger answers are not kept: one would push out many small ones.
MAX_ANSWER_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class _Kept:
    until: float  # wall-clock seconds
    body: dict[str, Any]  # never changed after it is kept: sent as is to every caller
    size: int


class AnswerCache:
    def __init__(
        self,
        *,
        writes: Callable[[], int],
        max_bytes: int = 16 * 1024 * 1024,
        clock: Callable[[], float] = time.time,
    ) -> None:
        # The upstream cache's count of writes: any write through any client drops them all.
        self.writes = writes
        self.max_bytes = max_bytes
        self.clock = clock
        self.bytes = 0
        self._kept: OrderedDict[bytes, _Kept] = OrderedDict()
        self._writes_seen = writes()

    @staticmethod
    def key(
        document: str,
        operation_name: str | None,
        variables: Mapping[str, Any] | None,
        credentials: Mapping[Service, str],
    ) -> bytes | None:
        """What an answer depends on besides upstream data: the operation, its variables,
        and the caller's own upstream credentials (None: variables that cannot be keyed)."""
        try:
            return orjson.dumps(
                [
                    document,
                    operation_name,
                    variables or {},
                    sorted((s, credentials_digest(v)) for s, v in credentials.items()),
                ],
                option=orjson.OPT_SORT_KEYS,
            )
        except TypeError:
            return None

    def get(self, key: bytes) -> dict[str, Any] | None:
        self._after_writes()
        found = self._kept.get(key)
        if found is None:
            return None
        if self.clock() >= found.until:
            self._drop(key)
            return None
        self._kept.move_to_end(key)
        return found.body

    def keep(self, key: bytes, body: dict[str, Any], fresh_until: float) -> None:
        """Keep `body` until `fresh_until` (wall clock), if it may be kept at all."""
        if self._after_writes():
            return  # built while a write went out: it may show the state before it
        now = self.clock()
        until = min(fresh_until, now + MAX_SECONDS)
        if until <= now or "errors" in body:
            return
        size = len(key) + len(orjson.dumps(body))
        if size > MAX_ANSWER_BYTES:
            return
        self._drop(key)
        self._kept[key] = _Kept(until, body, size)
        self.bytes += size
        while self.bytes > self.max_bytes and self._kept:
            self._drop(next(iter(self._kept)))

    def clear(self) -> None:
        """After a mutation: whatever it changed, no kept answer shows the old state."""
        self._kept.clear()
        self.bytes = 0

    def _after_writes(self) -> bool:
        """Drop everything if a write went out since last seen; True if one did."""
        writes = self.writes()
        if writes == self._writes_seen:
            return False
        self._writes_seen = writes
        self.clear()
        return True

    def _drop(self, key: bytes) -> None:
        found = self._kept.pop(key, None)
        if found is not None:
            self.bytes -= found.size
