"""Shared fixtures: a cast pinned in time, and clients wired to emulators in-process."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from starlette.types import ASGIApp

from gateway.emulators import create_emulator_app
from gateway.emulators.cast import Cast
from gateway.emulators.cast_build import build_cast
from gateway.emulators.faults import Faults
from tests.recording import CallLog, RecordingTransport

# A fixed instant, so generated data (worklogs, shifts, meetings) is the same on every run.
NOW = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _root_logging_restored() -> Iterator[None]:
    """`teamgraph` commands run in-process configure the root logger with a handler on the
    test's captured stderr, closed when the test ends: later tests' log lines would go to a
    closed file ("--- Logging error ---"). Put the root logger back as it was."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def cast() -> Cast:
    return build_cast(now=NOW)


@pytest.fixture
def call_log() -> CallLog:
    return CallLog()


def emulator_http(
    app: object,
    *,
    service: str,
    base_url: str,
    log: CallLog | None = None,
    **kwargs: object,
) -> httpx.AsyncClient:
    """An httpx client that talks to an emulator app in-process (no sockets).

    `base_url` is the service root, e.g. "http://tempo.test/core/3"; with `log`, every request
    is recorded relative to it.
    """
    transport: httpx.AsyncBaseTransport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    if log is not None:
        prefix = httpx.URL(base_url).path
        transport = RecordingTransport(transport, service=service, prefix=prefix, log=log)
    return httpx.AsyncClient(transport=transport, base_url=base_url, **kwargs)  # type: ignore[arg-type]


def mounted_emulator(service: str, cast: Cast, *, faults: Faults | None = None) -> ASGIApp:
    """One emulator mounted at its production path, as `teamgraph emulate` serves it."""
    return create_emulator_app(
        cast, services=[service], faults={service: faults} if faults is not None else None
    )
