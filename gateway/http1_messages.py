"""HTTP/1.1 messages as gateway/http1.py writes and reads them: a request's head in one
piece (each header name a token, no value with a line break: no header injection), and an
answer's headers handed to httpx as httpx keeps them."""

from __future__ import annotations

import functools
import re

import httpx

_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# One search, not `b"\r" in value` thrice: on 3.11, `bytes in bytes` first tries the operand
# as an int and builds (then drops) a formatted TypeError, about 1.5 µs a header.
_BREAKS = re.compile(rb"[\r\n\0]")


@functools.lru_cache(maxsize=1024)  # a gateway sends the same few header names
def _is_token(name: bytes) -> bool:
    return _TOKEN.fullmatch(name) is not None


def answer_headers(parsed: list[tuple[bytes, bytes, bytes]]) -> httpx.Headers:
    """An answer's headers as httpx keeps them, without its normalising each name and value
    again (a type check, an encode and a lower-casing apiece, for names and values that
    httptools already gave as bytes). httpx is pinned below 0.29 for this private list."""
    headers = httpx.Headers()
    headers._list = parsed
    return headers


def request_head(request: httpx.Request, content: bytes) -> bytes:
    """The request line, the headers and the body, to be written at once."""
    url = request.url
    lines = [request.method.encode("ascii"), b" ", url.raw_path, b" HTTP/1.1\r\n"]
    for name, value in request.headers.raw:
        if _BREAKS.search(value) is not None or not _is_token(name):
            raise httpx.LocalProtocolError(
                f"header {name!r} is not a token, or its value holds a line break or NUL"
            )
        lines += (name, b": ", value, b"\r\n")
    lines += (b"\r\n", content)
    return b"".join(lines)
