"""Small pieces every client's request path uses: query parameters and shown paths, cached
pydantic adapters, one-page results, bounded fan-out, and the jitter ``BaseClient`` waits
before a retry (each exchange's timeout is :class:`resolvers.backends.resilience.
UpstreamDeadlines`)."""

from __future__ import annotations

import asyncio
import functools
import random
from collections.abc import Awaitable, Coroutine, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar
from urllib.parse import quote, urlencode

import httpx
import pydantic

from resolvers.backends.deferred import holds_deferred

T = TypeVar("T")

# A decoded JSON document. `Any` stays inside the clients' helpers: callers validate it
# into a pydantic model straight away.
JSON = Any
QueryParams = Mapping[str, str | int | float | bool | Sequence[str | int] | None] | None

_adapters: dict[object, pydantic.TypeAdapter[Any]] = {}
_decoded_first: dict[object, bool] = {}
# Methods httpx sends "Content-Length: 0" for when they carry no body.
_SIZED_WHEN_EMPTY = frozenset({"POST", "PUT", "PATCH"})
# A request's extension holding its URL as text (`Target.text`), read back with its answer.
URL_TEXT = "teamgraph.url"
# Set on a request carrying a caller's own credentials: the transport sends its head and
# keeps none of it (gateway/http1_messages.RequestHeads), so no caller's token stays in
# memory after the call.
CALLER_CREDENTIALS = "teamgraph.caller_credentials"


@dataclass(frozen=True, slots=True)
class Target:
    """Where a call goes, parsed once: the URL, its text (the cache key's part), the path
    as shown in traces and errors, and the path below the base URL (for per-path TTLs)."""

    url: httpx.URL
    text: str
    shown: str
    below_base: str
    # The Host header httpx would derive from the URL (none for a relative one).
    host: bytes | None


class Requests:
    """Builds one client's requests and sends them straight to its transport.

    ``httpx.AsyncClient`` merges the base URL, parses it back, merges headers, cookies and
    auth on every request: about 150 µs each, more than the exchange itself with a fast
    transport. Everything per-client here is read once from the ``AsyncClient`` (base URL,
    default headers, auth, transport): the client stays the one place wiring configures,
    and a request costs a string join, one ``httpx.Request`` and the transport's own work.
    Redirects are not followed and cookies not kept, as the wiring configures anyway.
    """

    # Parsed targets kept per client: a gateway asks the same URLs over and over, and a
    # cache hit then needs no URL parsing at all. Bounded: emptied when full.
    max_targets = 4096

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.base = str(http.base_url).rstrip("/")
        self.base_path = http.base_url.path.rstrip("/")
        self.headers = dict(http.headers)
        self.auth = http.auth
        # The transport the client was built with: reading httpx's private attribute is the
        # price of skipping its per-request work (httpx is pinned below 0.29).
        self.transport: httpx.AsyncBaseTransport = http._transport
        self._targets: dict[str, Target] = {}
        # The client's default headers merged with what a request adds, by (host, media
        # type, with a body, an empty write): the same few lists for every call.
        self._headers: dict[tuple[bytes | None, str, bool, bool], httpx.Headers] = {}

    def target(self, path: str, params: dict[str, Any] | None) -> Target:
        url = path if path.startswith(("http://", "https://")) else self.base + path
        if params:
            url += ("&" if "?" in url else "?") + urlencode(params, doseq=True, quote_via=quote)
        found = self._targets.get(url)
        if found is None:
            parsed = httpx.URL(url)
            found = Target(
                parsed,
                str(parsed),
                shown_path(parsed),
                parsed.path.removeprefix(self.base_path),
                parsed.netloc if parsed.host else None,
            )
            if len(self._targets) >= self.max_targets:
                self._targets.clear()
            self._targets[url] = found
        return found

    def build(
        self,
        method: str,
        target: Target,
        content: bytes | None,
        media_type: str,
        *,
        authorization: str | None = None,
    ) -> httpx.Request:
        """The request: `media_type` is sent as Accept, and as Content-Type with a body."""
        # The headers httpx's `Request(content=...)` would end with (Host and Content-Length
        # first), prepared once: given a stream instead, httpx takes them as they are, which
        # saves it re-deriving them and scanning the list several times on every call.
        empty_write = content is None and method in _SIZED_WHEN_EMPTY
        key = (target.host, media_type, content is not None, empty_write)
        prepared = self._headers.get(key)
        if prepared is None:
            prepared = self._headers[key] = self._prepare(*key)
        # The base path for per-path cache TTLs; the URL as text for ParsedAnswers' key.
        extensions: dict[str, Any] = {"teamgraph.base_path": self.base_path, URL_TEXT: target.text}
        if authorization is not None:
            extensions[CALLER_CREDENTIALS] = True
        request = _request(
            method,
            target.url,
            prepared,  # copied: `prepared` is never changed
            content or b"",
            extensions,
        )
        if content is not None:
            request.headers["Content-Length"] = str(len(content))
        if authorization is not None:  # a caller's own credentials replace the configured auth
            request.headers["Authorization"] = authorization
        elif self.auth is not None:
            request = next(self.auth.sync_auth_flow(request))
        return request

    def _prepare(
        self, host: bytes | None, media_type: str, with_body: bool, empty_write: bool
    ) -> httpx.Headers:
        names = self.headers.copy()  # lower-case names, as httpx keeps them
        names["accept"] = media_type
        if with_body:
            names["content-type"] = media_type
        first: list[tuple[bytes, bytes]] = []
        if host is not None:
            first.append((b"Host", host))
        if empty_write:
            first.append((b"Content-Length", b"0"))
        return httpx.Headers(first + httpx.Headers(names).raw)


def _request(
    method: str,
    url: httpx.URL,
    headers: httpx.Headers,
    content: bytes,
    extensions: dict[str, Any],
) -> httpx.Request:
    """``httpx.Request(method, url, headers=headers, stream=httpx.ByteStream(content),
    extensions=extensions)``, read (``.content`` is what the transports send), as httpx's
    constructor and ``read()`` leave it, without their work on what is settled here (a
    parsed URL, a header list of httpx's own): four Python calls an upstream call. It sets
    httpx's own attributes, as gateway/http1_messages.answer does for answers (httpx is
    pinned below 0.29); tests/resolvers/backends/test_request_building.py holds it to
    httpx's constructor."""
    copied = httpx.Headers.__new__(httpx.Headers)
    copied._list = list(headers._list)
    copied._encoding = None  # worked out when asked, as for any httpx.Headers
    request = httpx.Request.__new__(httpx.Request)
    request.method = method.upper()
    request.url = url
    request.headers = copied
    request.extensions = extensions
    request.stream = httpx.ByteStream(content)
    request._content = content
    return request


class ArrivedBody(httpx.AsyncByteStream):
    """A response body its transport may already hold in full (gateway/http1.py's): the
    client takes it at once (`arrived`) and ends the exchange (`release`) without the async
    iteration and the async close an httpx stream needs, two coroutines per upstream call.
    A body still arriving is read as any other stream."""

    def arrived(self) -> bytes | None:
        """The whole body, taken, if all of it is here; None while more is to come."""
        return None

    def release(self) -> None:
        """What `aclose` does, at once."""

    async def aclose(self) -> None:
        self.release()


# Not frozen: one per upstream call (see resolvers/worklogs.py WorklogRecord).
@dataclass(slots=True)
class Outgoing:
    """One call before its ``httpx.Request`` exists: what the shared cache needs to answer
    it (:class:`resolvers.backends.cache.GetUrl`), and the request built only when one is
    needed (the call goes out, or a cached answer's request is read)."""

    requests: Requests
    method: str
    target: Target
    content: bytes | None
    media_type: str
    authorization: str | None

    @property
    def text(self) -> str:
        return self.target.text

    @property
    def below_base(self) -> str:
        return self.target.below_base

    def request(self) -> httpx.Request:
        return self.requests.build(
            self.method,
            self.target,
            self.content,
            self.media_type,
            authorization=self.authorization,
        )


def adapter_for(tp: Any) -> pydantic.TypeAdapter[Any]:
    """A cached TypeAdapter: building one costs far more than validating with it.

    `tp` is any type form pydantic validates: a model, `list[Model]`, a union...
    """
    found = _adapters.get(tp)
    if found is None:
        found = _adapters[tp] = pydantic.TypeAdapter(tp)
    return found


def decoded_first(tp: Any) -> bool:
    """Whether `tp`'s payloads are decoded by orjson before validation (they hold parts
    validated later: :func:`resolvers.backends.deferred.holds_deferred`), not validated
    straight from the bytes."""
    found = _decoded_first.get(tp)
    if found is None:
        found = _decoded_first[tp] = holds_deferred(adapter_for(tp).core_schema)
    return found


class Repeated:
    """Validates a list whose items embed the same objects over and over (a week of
    TeamPulse time entries names each of a few dozen tasks and users hundreds of times):
    each distinct object is validated once, and every item that embeds it gets that one
    (frozen) instance. Building the same nested models again per item was most of what
    validating such a list cost.

    `fields` are the item model's fields that repeat. An embedded object is reused only when
    it is equal, key for key, to the one validated before under the same ``id``, so each
    item gets what a full validation would give it, as long as Python-equal inputs validate
    to equal values (1, 1.0 and True are equal): true of plain int, float, str and model
    fields, not of `Any` or an `int | float` union, which a model used here must not embed.
    """

    def __init__(self, item: type[pydantic.BaseModel], fields: Sequence[str]) -> None:
        self.list = adapter_for(list[item])  # type: ignore[valid-type]
        self.fields: list[tuple[str, pydantic.TypeAdapter[Any]]] = []
        for name in fields:
            info = item.model_fields[name]
            # The field's own type, union mode and all, so the instance is what it would be.
            tp: Any = info.annotation
            if info.metadata:
                tp = Annotated.__class_getitem__((tp, *info.metadata))  # type: ignore[attr-defined]
            self.fields.append((info.alias or name, adapter_for(tp)))

    def validate(self, data: Any) -> list[Any]:
        """`data` (decoded JSON, changed in place) validated as a list of the item model;
        raises as pydantic does when anything does not fit."""
        if isinstance(data, list):
            for key, adapter in self.fields:
                seen: dict[Any, tuple[dict[str, Any], Any]] = {}
                for item in data:
                    embedded = item.get(key) if isinstance(item, dict) else None
                    if not isinstance(embedded, dict):
                        continue  # left for the list's own validation to judge
                    ident = embedded.get("id")
                    hit = seen.get(ident) if isinstance(ident, int | str) else None
                    if hit is None or hit[0] != embedded:
                        hit = (embedded, adapter.validate_python(embedded))
                        if isinstance(ident, int | str):
                            seen[ident] = hit
                    item[key] = hit[1]
        validated: list[Any] = self.list.validate_python(data)
        return validated


@functools.cache
def repeated(item: type[pydantic.BaseModel], *fields: str) -> Repeated:
    """The (cached) :class:`Repeated` for lists of `item` whose `fields` repeat."""
    return Repeated(item, fields)


@dataclass(frozen=True, slots=True)
class Slice(Generic[T]):
    """One page of a paged list, as the API served it.

    ``next`` says where the following page starts, as text the same client method takes back
    (Tempo's next offset, Team O'clock's cursor); ``None`` on the last page. ``total`` is the
    count over all pages when the API gives one. The schema maps this onto Relay connections,
    fetching only the pages a query asks for.
    """

    items: list[T]
    next: str | None = None
    total: int | None = None


def clean_params(params: QueryParams) -> dict[str, Any] | None:
    """Drop None values and turn booleans into the lowercase words REST APIs expect."""
    if not params:
        return None
    cleaned: dict[str, Any] = {}
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            cleaned[key] = "true" if value else "false"
        else:
            cleaned[key] = value
    return cleaned


def shown_path(url: httpx.URL) -> str:
    return url.raw_path.decode("ascii", "replace")


def timeout_seconds(http: httpx.AsyncClient) -> float | None:
    timeout = http.timeout
    seconds: float | None = timeout.read if timeout.read is not None else timeout.connect
    return seconds


def jitter_cap(attempt: int) -> float:
    return min(1.0, 0.05 * 2.0**attempt)


def jitter(attempt: int) -> float:
    """Full jitter: retries of many callers spread out instead of arriving together."""
    return random.uniform(0, jitter_cap(attempt))


async def gather_limited(aws: Iterable[Awaitable[T]], *, limit: int = 8) -> list[T]:
    """`asyncio.gather` with at most `limit` awaitables running at once.

    For per-key endpoints that have no bulk form: a loader fans out, but never floods the
    upstream with hundreds of simultaneous requests. At most `limit` workers each take the
    next awaitable when they are done with one: a task per worker, not one per awaitable
    waiting on a semaphore (for Q1's 32 calls, 16 tasks and 32 semaphore turns fewer).
    """
    pending = list(aws)
    results: list[Any] = [None] * len(pending)
    queue = iter(enumerate(pending))

    async def work() -> None:
        for index, aw in queue:
            results[index] = await aw

    try:
        await asyncio.gather(*(work() for _ in range(min(limit, len(pending)))))
    except asyncio.CancelledError:
        for _, aw in queue:  # never started: closed, not left to warn they were never awaited
            if isinstance(aw, Coroutine):
                aw.close()
        raise
    return results
