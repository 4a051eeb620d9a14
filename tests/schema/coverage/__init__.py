"""Which GraphQL operation reaches each endpoint row: one table per service.

Each `tests/schema/coverage/<service>.py` defines ``CASES``: ``(METHOD, path as in the row)``
→ :class:`Case`. `tests/schema/test_endpoint_coverage.py` runs every case through the real
ASGI app over the emulators and checks, with the recording transport, that the row's
endpoint was called and answered 2xx; `tests/endpoints.csv`'s `operation` column must name
the case's operation.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SERVICES = ("tempo", "oncall", "teamoclock", "teampulse", "hack24")


@dataclass(frozen=True)
class Case:
    operation: str  # the GraphQL field that reaches the row, e.g. "tempo.accounts"
    document: str  # a query (or mutation) that calls it
    variables: Mapping[str, Any] = field(default_factory=dict)
    # A read run after `document` whose answer shows the write took effect (writes only).
    then: str | None = None


def all_cases() -> dict[tuple[str, str, str], Case]:
    """(service, METHOD, path) -> case, over every service that has a table."""
    found: dict[tuple[str, str, str], Case] = {}
    for service in SERVICES:
        try:
            module = importlib.import_module(f"tests.schema.coverage.{service}")
        except ModuleNotFoundError:
            continue
        cases: Mapping[tuple[str, str], Case] = module.CASES
        for (method, path), case in cases.items():
            found[(service, method, path)] = case
    return found
