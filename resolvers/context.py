"""The per-request context every resolver receives: backends, loaders, identity, clock."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from resolvers.backends import Backends
from resolvers.backends.errors import BackendError
from resolvers.identity import Directory, Link
from resolvers.loaders import Loaders, build_loaders

if TYPE_CHECKING:
    from resolvers.backends.trace import UpstreamCall


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
    trace: list[UpstreamCall] | None = None
    _directory: asyncio.Future[Directory] | None = None

    def note_problem(self, error: BackendError) -> None:
        if all((p.service, p.code) != (error.service, error.code) for p in self.problems):
            self.problems.append(error)

    async def directory(self) -> Directory:
        """Everyone and every team, linked across services; built once per request."""
        if self._directory is None:
            from resolvers.directory import build_directory

            self._directory = asyncio.ensure_future(build_directory(self))
        return await asyncio.shield(self._directory)


def build_context(
    backends: Backends,
    *,
    links: IdentityLinks,
    clock: Callable[[], datetime],
    trace: list[UpstreamCall] | None = None,
) -> Context:
    """A fresh context for one request (fresh loaders: nothing leaks between requests)."""
    return Context(
        backends=backends, loaders=build_loaders(backends), links=links, clock=clock, trace=trace
    )
