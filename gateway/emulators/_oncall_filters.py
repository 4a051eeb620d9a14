"""The oncall emulator's query filters: upstream's ``constraints``, evaluated as MySQL would."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

Getter = Callable[[Any], object]
NUM_OPS = ("", "eq", "ne", "gt", "ge", "lt", "le")
TEXT_OPS = ("", "eq", "contains", "startswith", "endswith")
_NUMBER = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)")


def constraints(spec: Mapping[str, tuple[Getter, Iterable[str]]]) -> dict[str, tuple[Getter, str]]:
    """Expand ``{"id": (getter, NUM_OPS)}`` into query keys ``id, id__eq, id__gt, ...``."""
    return {
        (name if not op else f"{name}__{op}"): (getter, op)
        for name, (getter, ops) in spec.items()
        for op in ops
    }


def mysql_number(raw: str) -> float:
    # MySQL casts a string compared with a number by its numeric prefix: 'abc' is 0.
    match = _NUMBER.match(raw)
    return float(match.group(0)) if match else 0.0


def _holds(value: object, op: str, raw: str) -> bool:
    if value is None:
        return False
    if isinstance(value, int):
        return _compare(float(value), op, mysql_number(raw))
    text = str(value)
    # utf8mb4_bin: LIKE and = are byte-exact, hence case-sensitive.
    if op == "contains":
        return raw in text
    if op == "startswith":
        return text.startswith(raw)
    if op == "endswith":
        return text.endswith(raw)
    return _compare(text, op, raw)


def _compare(a: Any, op: str, b: Any) -> bool:
    if op in ("", "eq"):
        return bool(a == b)
    return bool({"ne": a != b, "gt": a > b, "ge": a >= b, "lt": a < b, "le": a <= b}[op])


def select(
    rows: Iterable[Any], table: dict[str, tuple[Getter, str]], params: Mapping[str, str]
) -> list[Any]:
    """Rows matching every known constraint in ``params`` (unknown keys are the caller's call)."""
    active = [(table[k][0], table[k][1], v) for k, v in params.items() if k in table]
    return [r for r in rows if all(_holds(get(r), op, v) for get, op, v in active)]
