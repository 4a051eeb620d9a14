"""The per-request context every resolver receives: backends, loaders, identity, clock."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from resolvers.backends import Backends
from resolvers.backends.errors import BackendError
from resolvers.backends.scope import current_scope
from resolvers.identity import Directory, Link
from resolvers.loaders import Loaders, build_loaders

if TYPE_CHECKING:
    from resolvers.directory import DirectoryCache
    from resolvers.writes import Idempotency

T = TypeVar("T")
L = TypeVar("L")


@dataclass(frozen=True, slots=True)
class IdentityLinks:
    """Explicit links from configuration; they win over every automatic rule."""

    people: Sequence[Link] = ()
    teams: Sequence[Link] = ()


@dataclass
class Context:
    backends: Backends
    loaders: Loaders
    links: IdentityLinks
    clock: Callable[[], datetime]
    # Failures that made a merged answer partial (a list of teams missing one service's
    # teams, say). The schema reports each once in `errors[]` next to the data.
    problems: list[BackendError] = field(default_factory=list)
    # Linked directories kept between requests (see resolvers.directory.DirectoryCache).
    directories: DirectoryCache | None = None
    # Who is asking, for the mutation log line ("api-key:…", "jwt:…", "anonymous:-").
    caller: str = "anonymous:-"
    # Where mutations keep their outcomes for idempotency keys (None: keys are ignored).
    idempotency: Idempotency | None = None
    # Operator fields (`identityReport`) answer only when `[server] operator_fields` is on.
    operator_fields: bool = False
    _memo: dict[Hashable, asyncio.Future[Any]] = field(default_factory=dict)
    _loaders: dict[Hashable, object] = field(default_factory=dict)

    def note_problem(self, error: BackendError) -> None:
        if all((p.service, p.code) != (error.service, error.code) for p in self.problems):
            self.problems.append(error)

    def forget_reads(self) -> None:
        """After a write, let the rest of the request read the new state: fresh loaders, and
        no derived value (the linked directory, indexed worklogs) computed before the write.

        Only a mutation's own field calls this, and top-level mutation fields run one at a
        time, so nothing else of the request is reading meanwhile.
        """
        self.loaders = build_loaders(self.backends)
        self._loaders.clear()
        self._memo.clear()
        if self.directories is not None:
            self.directories.forget()  # nor any later request

    def release(self) -> None:
        """The request is over: drop what it loaded and derived (see the endpoint)."""
        self.loaders.clear()
        self._loaders.clear()
        self._memo.clear()

    def loader(self, key: Hashable, make: Callable[[], L]) -> L:
        """The request's loader for `key` (by convention ``(service, what)``), built on first
        use: one loader per (service, key) per request, and none built that no field needs."""
        found = self._loaders.get(key)
        if found is None:
            found = self._loaders[key] = make()
        return found  # type: ignore[return-value]

    async def memo(self, key: Hashable, make: Callable[[], Awaitable[T]]) -> T:
        """Compute a derived value once per request, however many fields ask for it.

        Loaders cache upstream answers; this caches what we build from them (the linked
        directory, worklogs indexed by person), so a field per member stays linear.
        """
        found = self.start(key, make)
        if found.done() and not found.cancelled() and found.exception() is None:
            done: T = found.result()  # the common case: no task, no shield
            return done
        # Shielded: one field being cancelled must not cancel the value others wait for.
        result: T = await asyncio.shield(found)
        return result

    def start(self, key: Hashable, make: Callable[[], Awaitable[T]]) -> asyncio.Future[T]:
        """The memo's future, started now if it was not: several can be set going before
        awaiting any of them one after another (no task per awaiting field)."""
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = asyncio.ensure_future(make())
            # Shielded below, so the request's cancellation would not reach it: the scope
            # cancels it with the request's other tasks, and nobody may be left to read its
            # outcome, so it is read here ("exception was never retrieved" otherwise).
            found.add_done_callback(_outcome_read)
            scope = current_scope()
            if scope is not None:
                scope.tasks.add(found)
                found.add_done_callback(scope.tasks.discard)
        return found

    async def directory(self, *, fresh: bool = False) -> Directory:
        """Everyone and every team, linked across services: built once per request, or
        held from an earlier one unless `fresh` (the operator's identity report)."""
        key = "directory:fresh" if fresh else "directory"
        return await self.memo(key, lambda: _build_directory(self, fresh))


def _build_directory(ctx: Context, fresh: bool) -> Awaitable[Directory]:
    # directory.py needs Context to build itself; importing it here breaks the cycle (once
    # per request: a field asking again finds the memo).
    from resolvers.directory import build_directory

    return build_directory(ctx, fresh=fresh)


def _outcome_read(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


def build_context(
    backends: Backends,
    *,
    links: IdentityLinks,
    clock: Callable[[], datetime],
    directories: DirectoryCache | None = None,
    caller: str = "anonymous:-",
    idempotency: Idempotency | None = None,
    operator_fields: bool = False,
) -> Context:
    """A fresh context for one request (fresh loaders: nothing leaks between requests)."""
    return Context(
        backends=backends,
        loaders=build_loaders(backends),
        links=links,
        clock=clock,
        directories=directories,
        caller=caller,
        idempotency=idempotency,
        operator_fields=operator_fields,
    )
