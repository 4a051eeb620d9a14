"""Upstream answers already validated, kept by their exact bytes.

A gateway reads the same resources over and over (a team's members, a team's rosters, the
user lists), and between two reads they rarely change. Validating an answer costs several
times more than receiving it: for Q1 about a fifth of the gateway's whole work per query. So
the model the last body from a URL validated into is kept with that body, keyed by what else
its validation depends on (the model and the request's URL); the same bytes again, compared
byte for byte, give that same model without validating them again. The body is compared,
not hashed into the key: hashing each answer's bytes (siphash, a few KB a call) was 1.5 % of
Q1's instructions, a comparison is a memcmp. This is not the upstream cache (`[cache]`):
every call still goes out and every answer is read; only work whose result is already known
is skipped, and a changed body is simply validated anew.

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
    """Models by (model type, URL), each with the body it came from: at most `max_bytes` of
    bodies, and no single body over an eighth of that (one large list would push out
    everything else)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.max_body = max(1, max_bytes // 8)
        self._kept: OrderedDict[Hashable, tuple[bytes, object]] = OrderedDict()
        self._bytes = 0
        # Lookups that found a model (its validation skipped) and that did not (validated):
        # /metrics shows them (`teamgraph_parsed_answers_total`), so the reuse can be watched.
        self.reused = 0
        self.validated = 0

    def __len__(self) -> int:
        return len(self._kept)

    @property
    def kept_bytes(self) -> int:
        """The bytes of the bodies kept now."""
        return self._bytes

    def get(self, key: Hashable, body: bytes) -> object:
        """The model kept under `key` if it came from these very bytes, else MISSING."""
        found = self._kept.get(key)
        if found is None or found[0] != body:
            self.validated += 1
            return MISSING
        self.reused += 1
        self._kept.move_to_end(key)
        return found[1]

    def keep(self, key: Hashable, body: bytes, model: object) -> None:
        """Keep `model`, validated from `body`, in place of what `key` held before."""
        before = self._kept.pop(key, None)
        if before is not None:
            self._bytes -= len(before[0])
        size = len(body)
        if size > self.max_body:
            return
        self._kept[key] = (body, model)
        self._bytes += size
        while self._bytes > self.max_bytes:
            _, (dropped, _) = self._kept.popitem(last=False)
            self._bytes -= len(dropped)
