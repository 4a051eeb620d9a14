"""The upstream cache's entries in Redis, shared by every replica (see :mod:`.cache`)."""

from __future__ import annotations

import logging
import re
from collections import OrderedDict

from resolvers.backends.cache import Entry
from resolvers.backends.redis_link import RedisLink, StoreUnavailable

log = logging.getLogger("teamgraph.cache")


class RedisStore:
    """Entries in Redis, so every replica shares one cache. Parsed models stay per process,
    kept for the entry they were parsed from (same key, same store time).

    Redis failing never fails a read: an entry that cannot be fetched (Redis down, slow,
    answering an error, or the entry corrupt) is a miss, and one that cannot be stored is
    not kept (:mod:`resolvers.backends.redis_link` bounds what that costs). A write's drop
    that cannot reach Redis is remembered and done once Redis answers again; until then
    this process does not read what that write may have changed, so nothing stale is served
    here because Redis was down at the wrong moment.
    """

    def __init__(self, link: RedisLink, *, namespace: str = "teamgraph:cache:") -> None:
        self.link = link
        self.namespace = namespace
        self._local: OrderedDict[str, Entry] = OrderedDict()
        # Prefixes writes asked to drop while Redis could not be reached (insertion order).
        self._undropped: dict[str, None] = {}

    async def get(self, key: str) -> Entry | None:
        if (
            self._undropped
            and any(key.startswith(p) for p in self._undropped)
            and not await self._drop_undropped()
        ):
            return None  # what a write changed, and Redis may still hold the old answer
        try:
            raw = await self.link.run(lambda redis: redis.get(self.namespace + key))
        except StoreUnavailable:
            return None
        if raw is None:
            self._local.pop(key, None)
            return None
        try:
            entry = Entry.loads(raw if isinstance(raw, bytes) else str(raw).encode())
        except ValueError as exc:
            # Self-limiting: the miss refetches it, and the fresh answer overwrites it.
            log.warning("cache entry %s in redis is unreadable (%s); treated as a miss",
                        self.namespace + key.partition("|")[0] + "|…", exc)  # fmt: skip
            return None
        known = self._local.get(key)
        if known is not None and known.stored_at == entry.stored_at:
            self._local.move_to_end(key)
            return known  # the same answer: keep what was parsed from it
        self._remember(key, entry)
        return entry

    async def set(self, key: str, entry: Entry, keep_seconds: float) -> None:
        keep_ms = max(1, int(keep_seconds * 1000))
        try:
            await self.link.run(
                lambda redis: redis.set(self.namespace + key, entry.dumps(), px=keep_ms)
            )
        except StoreUnavailable:
            return  # not kept: the next read asks the upstream again
        self._remember(key, entry)

    async def drop_prefix(self, prefix: str) -> None:
        for key in [k for k in self._local if k.startswith(prefix)]:
            del self._local[key]
        self._undropped[prefix] = None
        while len(self._undropped) > _MAX_UNDROPPED:
            del self._undropped[next(iter(self._undropped))]
        await self._drop_undropped()

    async def close(self) -> None:
        pass  # the link is closed by whoever built it (it serves other stores too)

    async def _drop_undropped(self) -> bool:
        """Drop what writes asked to drop; False while Redis cannot be reached."""
        for prefix in list(self._undropped):
            try:
                await self._drop(self.namespace + _glob_escape(prefix) + "*")
            except StoreUnavailable:
                return False
            self._undropped.pop(prefix, None)
        return True

    async def _drop(self, pattern: str) -> None:
        cursor = 0
        while True:  # each step bounded by the link's timeout, not the whole scan
            cursor, names = await self._scan(cursor, pattern)
            if names:
                await self._delete(names)
            if not cursor:
                return

    async def _scan(self, cursor: int, pattern: str) -> tuple[int, list[bytes | str]]:
        found = await self.link.run(lambda redis: redis.scan(cursor, match=pattern, count=500))
        return int(found[0]), list(found[1])

    async def _delete(self, names: list[bytes | str]) -> None:
        await self.link.run(lambda redis: redis.delete(*names))

    def _remember(self, key: str, entry: Entry) -> None:
        self._local[key] = entry
        if len(self._local) > 2048:
            self._local.popitem(last=False)


# Drops remembered while Redis is down: one per service and credentials written with, so a
# bound only matters with many callers' own credentials; past it the oldest is forgotten.
_MAX_UNDROPPED = 10_000


def _glob_escape(text: str) -> str:
    return re.sub(r"([*?\[\]\\])", r"\\\1", text)
