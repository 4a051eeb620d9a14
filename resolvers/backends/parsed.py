"""Upstream answers already validated, kept by their exact bytes.

A gateway reads the same resources over and over (a team's members, a team's rosters, the
user lists), and between two reads they rarely change. Validating an answer costs several
times more than receiving it: for Q1 about a fifth of the gateway's whole work per query. So
the model one body validated into is kept, keyed by everything its validation depends on
(the model, the request's method and URL, and the body itself, byte for byte); the same bytes
again give that same model without validating them again. This is not the upstream cache
(`[cache]`): every call still goes out and every answer is read; only work whose result is
already known is skipped, and a changed body is simply validated anew.

Sharing a model between requests is safe because the models are frozen and nothing changes
what a client returns (the shared cache relies on the same). Bounded by the bytes of the
bodies it keeps (`[limits] parsed_answer_bytes`); the least recently used go first.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

# What `get` answers for a body it does not hold (a model may be anything, None too).
MISSING = object()


class ParsedAnswers:
    """Models by (model type, method, URL, body): at most `max_bytes` of bodies, and no
    single body over an eighth of that (one large list would push out everything else)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.max_body = max(1, max_bytes // 8)
        self._kept: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._bytes = 0
        # Lookups that found a model (its validation skipped) and that did not (validated):
        # /metrics shows them (`teamgraph_parsed_answers_total`), so the reuse can be watched.
        self.reused = 0
        self.validated = 0

    def __len__(self) -> int:
        return len(self._kept)

    @property
    def bytes(self) -> int:
        """The bytes of the bodies kept now."""
        return self._bytes

    def get(self, key: Hashable) -> object:
        found = self._kept.get(key)
        if found is None:
            self.validated += 1
            return MISSING
        self.reused += 1
        self._kept.move_to_end(key)
        return found[0]

    def keep(self, key: Hashable, model: object, size: int) -> None:
        if size > self.max_body or key in self._kept:
            return
        self._kept[key] = (model, size)
        self._bytes += size
        while self._bytes > self.max_bytes:
            _, (_, dropped) = self._kept.popitem(last=False)
            self._bytes -= dropped
