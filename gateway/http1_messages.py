"""HTTP/1.1 messages as gateway/http1.py writes and reads them: a request's head in one
piece (each header name a token, no value with a line break: no header injection), and an
answer's headers handed to httpx as httpx keeps them."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import httpx

from resolvers.backends.wire import CALLER_CREDENTIALS

_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


@functools.lru_cache(maxsize=1024)  # a gateway sends the same few header names
def _is_token(name: bytes) -> bool:
    return _TOKEN.fullmatch(name) is not None


def answer(
    status: int,
    parsed: list[tuple[bytes, bytes, bytes]],
    stream: httpx.AsyncByteStream,
    request: httpx.Request,
) -> httpx.Response:
    """``httpx.Response(status, headers=..., stream=stream, request=request, extensions=
    {"http_version": b"HTTP/1.1"})`` as its constructor leaves it, without normalising each
    header name and value again (a type check, an encode and a lower-casing apiece, for what
    httptools gave as bytes) and copying the list twice: `parsed` is httpx's own list,
    (name as sent, lower-case name, value). It sets httpx's attributes (httpx is pinned below
    0.29); tests/gateway/test_transport.py holds it to httpx's constructor."""
    headers = httpx.Headers.__new__(httpx.Headers)
    headers._list = parsed
    headers._encoding = None
    response = httpx.Response.__new__(httpx.Response)
    response.status_code = status
    response.headers = headers
    response._request = request
    response.next_request = None
    response.extensions = {"http_version": b"HTTP/1.1"}
    response.history = []
    response.is_closed = False
    response.is_stream_consumed = False
    response.default_encoding = "utf-8"
    response.stream = stream
    response._num_bytes_downloaded = 0
    return response


class RequestHeads:
    """Request heads already built, by what they are built from (method, path, headers):
    a gateway sends the same few requests over and over, and a head found here needs no
    per-header work in Python, nor the checks it passed when it was built. Bounded: emptied
    when full. A head carrying a caller's own credentials is built and not kept: their
    token is theirs for the one call (configured credentials live in the settings anyway)."""

    max_heads = 4096

    def __init__(self) -> None:
        self._heads: dict[tuple[object, ...], bytes] = {}

    def head(self, request: httpx.Request, content: bytes) -> bytes:
        """What `request_head` gives, from the cache when it can."""
        if CALLER_CREDENTIALS in request.extensions:
            return request_head(request, content)
        # httpx's own list (name as sent, lower-case name, value): pinned below 0.29 for it.
        key = (request.method, request.url.raw_path, *request.headers._list)
        head = self._heads.get(key)
        if head is None:
            head = request_head(request, b"")
            if len(self._heads) >= self.max_heads:
                self._heads.clear()
            self._heads[key] = head
        return head + content if content else head


def request_head(
    request: httpx.Request,
    content: bytes,
    *,
    target: bytes | None = None,
    extra: Sequence[tuple[bytes, bytes]] = (),
) -> bytes:
    """The request line, the headers and the body, to be written at once: to `target`
    (default: the URL's path and query), with `extra` headers after the request's."""
    raw = request.headers.raw
    if extra:
        raw = [*raw, *extra]
    lines = [request.method.encode("ascii"), b" ", target or request.url.raw_path, b" HTTP/1.1\r\n"]
    for name, value in raw:
        if not _is_token(name):
            raise httpx.LocalProtocolError(f"header name {name!r} is not a token")
        lines += (name, b": ", value, b"\r\n")
    lines.append(b"\r\n")
    head = b"".join(lines)
    # Every line ends in the CRLF written above, and the names are tokens: any other CR, LF
    # or NUL came in a value (or the path), and would inject a header. Counted over the whole
    # head at once: a search per value cost more than building the head.
    breaks = len(raw) + 2
    if head.count(b"\n") != breaks or head.count(b"\r") != breaks or head.find(b"\0") >= 0:
        raise httpx.LocalProtocolError("a header value or the path holds a line break or NUL")
    return head + content if content else head
