"""What an operator does with the identity report's suggested `[[people]]`/`[[teams]]`."""

from __future__ import annotations

import re
from collections.abc import Mapping

from gateway.emulators.cast import Cast


def choose(suggestion: str, truth: Mapping[str, Mapping[str, str]]) -> str:
    """What an operator does with a suggestion: in each entry, uncomment the candidate lines
    that are that person's (`truth`: key -> service -> id), and nothing else."""
    out, key = [], None
    for line in suggestion.splitlines():
        if found := re.fullmatch(r'key = "(.*)"', line):
            key = found[1]
        candidate = re.fullmatch(r'# (\w+) = "([^"]*)"  # .*', line)
        if candidate and key and truth.get(key, {}).get(candidate[1]) == candidate[2]:
            line = f'{candidate[1]} = "{candidate[2]}"'
        out.append(line)
    return "\n".join(out) + "\n"


def truth(cast: Cast) -> dict[str, dict[str, str]]:
    """Who each Sam Taylor really is, by the key the suggestion gives them."""
    out = {}
    for handle in ("sam.taylor", "samuel.taylor"):
        p = cast.person(handle)
        assert p.tempo and p.teampulse and p.hack24
        out[handle] = {"tempo": p.tempo.account_id, "teampulse": str(p.teampulse.id),
                       "hack24": p.hack24.id}  # fmt: skip
    return out
