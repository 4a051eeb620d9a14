"""The endpoint table (`tests/endpoints.csv`): every seed endpoint, one row each, and how to
tell whether a recorded upstream call hit a row.

Rows keep the seed documents' paths (`/teams/{id}/members`); a recorded call has the real
path (`/teams/3/members`), so a row becomes a regex where each `{param}` is one segment.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from tests.recording import Call

TABLE = Path(__file__).with_name("endpoints.csv")
# Rows whose paths carry the API's base path (oncall's seed writes `/api/v0/teams`). A call
# recorded relative to the server root carries it too; one recorded relative to the API base
# (as `tests/harness.py` records, `/teams`) does not: both match.
API_BASES = {"oncall": "/api/v0"}


@dataclass(frozen=True)
class Row:
    service: str
    method: str
    path: str
    operation: str  # the GraphQL field that reaches it ("" until one does)

    @property
    def id(self) -> str:
        """The pytest id: service-METHOD-path."""
        return f"{self.service}-{self.method}-{self.path}"

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        base = API_BASES.get(self.service, "")
        path = self.path.removeprefix(base)
        parts = re.split(r"(\{[^}]+\})", path)
        body = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
        return re.compile(f"(?:{re.escape(base)})?{body}/?")

    def matches(self, call: Call) -> bool:
        return (
            call.service == self.service
            and call.method == self.method
            and self.pattern.fullmatch(call.path) is not None
        )


def load_rows(service: str | None = None) -> list[Row]:
    with TABLE.open(newline="", encoding="utf-8") as f:
        found = csv.DictReader(f)
        rows = [Row(r["service"], r["method"], r["path"], r["operation"]) for r in found]
    return [r for r in rows if service in (None, r.service)]


DOC = TABLE.parent.parent / "docs" / "endpoints.md"


def markdown(rows: list[Row] | None = None) -> str:
    """`docs/endpoints.md`: which GraphQL field reaches which endpoint, by service."""
    rows = load_rows() if rows is None else rows
    lines = [
        "# Endpoints and the GraphQL fields that reach them",
        "",
        "Generated from `tests/endpoints.csv` by `python -m tests.endpoint_rows`; CI fails",
        "when it is stale. Every row is exercised by `tests/schema/test_endpoint_coverage.py`.",
    ]
    for service in dict.fromkeys(r.service for r in rows):
        mine = [r for r in rows if r.service == service]
        done = sum(1 for r in mine if r.operation)
        lines += ["", f"## {service} ({done} of {len(mine)} reached)", ""]
        lines += ["| method | path | GraphQL |", "| --- | --- | --- |"]
        for r in mine:
            shown = f"`{r.operation}`" if r.operation else "—"
            lines.append(f"| {r.method} | `{r.path}` | {shown} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    DOC.write_text(markdown(), encoding="utf-8")
    print(f"wrote {DOC}")
