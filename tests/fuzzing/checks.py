"""What every fuzzed answer must keep: the :class:`Outcome` of one operation and its violations.

No 5xx from the gateway or (undocumented) from an emulator, a JSON object, every error with a
code and none a masked bug, nothing logged at ERROR; :func:`violations` says which of these an
outcome breaks, one signature per kind of failure, and :func:`error_codes` lists its codes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gateway.results import UNEXPECTED
from tests.fuzzing.operations import Operation
from tests.recording import Call

# Codes that mean "a bug, masked": the resolver layer raised outside our error family
# (INTERNAL_SERVER_ERROR), or a service's part of an answer raised unexpectedly
# (INTERNAL_ERROR, see resolvers.common.as_backend_error).
MASKED_CODES = frozenset({"INTERNAL_SERVER_ERROR", "INTERNAL_ERROR"})


# -- what every answer must keep ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Violation:
    signature: str  # what kind of failure and where, without list indices: one per bug
    text: str


@dataclass
class Outcome:
    operation: Operation
    status: int
    body: Any  # the decoded JSON, or the text when it is not JSON
    upstream_5xx: list[str] = field(default_factory=list)
    logged: list[str] = field(default_factory=list)  # ERROR records, tracebacks included
    seconds: float = 0.0

    def describe(self) -> str:
        """The operation, its variables, the response, and what the log said: enough to
        reproduce it with curl and to see where it broke."""
        body = self.body if isinstance(self.body, str) else json.dumps(self.body, indent=2)
        parts = [
            "query:",
            self.operation.query,
            "variables: " + json.dumps(self.operation.variables, ensure_ascii=False),
            f"response: HTTP {self.status}",
            body if len(body) < 6000 else body[:6000] + "\n…",
        ]
        if self.upstream_5xx:
            parts += ["upstream 5xx:", *self.upstream_5xx]
        if self.logged:
            parts += ["logged:", *self.logged]
        return "\n".join(parts)


def _where(error: Mapping[str, Any]) -> str:
    path = error.get("path") or []
    return ".".join(str(p) for p in path if not isinstance(p, int)) or "(request)"


# Upstream 500s the real servers give on purpose, which the emulators copy: not our input
# choking them. oncall 2.1.7 answers an unknown schedule id with a 500 (the gateway shows it
# as that field's UPSTREAM_UNAVAILABLE, which the checks below still require to be clean).
_DOCUMENTED_500 = (("oncall", re.compile(r"/schedules/-?\d+")),)


def _documented_500(call: Call) -> bool:
    return call.status == 500 and any(
        call.service == service and pattern.fullmatch(call.path)
        for service, pattern in _DOCUMENTED_500
    )


def violations(outcome: Outcome) -> list[Violation]:
    found: list[Violation] = []
    if outcome.status >= 500:
        found.append(Violation(f"HTTP {outcome.status}", f"the gateway answered {outcome.status}"))
    for call in outcome.upstream_5xx:
        # "/teams/17/members" and "/teams/18/members" are the same failure.
        found.append(Violation("upstream " + re.sub(r"\d+", "N", call), f"upstream: {call}"))
    body = outcome.body
    if not isinstance(body, dict):
        found.append(Violation("not a JSON object", "the body is not a JSON object"))
        return found
    if outcome.status == 200 and "data" not in body and "errors" not in body:
        found.append(Violation("no data, no errors", "a 200 with neither data nor errors"))
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        where = _where(error)
        if code is None:
            found.append(Violation(f"no code at {where}", f"no extensions.code: {error}"))
        elif code in MASKED_CODES or error.get("message") == UNEXPECTED:
            found.append(Violation(f"{code} at {where}", f"masked bug: {error}"))
    # Expected failures (an outage, a bad argument) log one WARNING; an ERROR is a bug, even
    # when the response it went with looks clean.
    for logger in dict.fromkeys(record.split(" ", 1)[0] for record in outcome.logged):
        found.append(Violation(f"ERROR logged by {logger}", f"{logger} logged an ERROR"))
    return found


def error_codes(outcome: Outcome) -> list[str]:
    body = outcome.body if isinstance(outcome.body, dict) else {}
    return [str((e.get("extensions") or {}).get("code")) for e in body.get("errors") or []]
