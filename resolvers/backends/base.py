"""What every REST client shares: one request path that times, traces and translates errors.

A client subclasses :class:`BaseClient`, sets ``service``, and overrides
:meth:`BaseClient.error_detail` to read its API's error body. Every httpx exception and every
non-success status becomes one of :mod:`resolvers.backends.errors` here and nowhere else.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

import httpx
import orjson
import pydantic

from resolvers.backends.errors import (
    BackendError,
    Service,
    UpstreamBadResponse,
    UpstreamNotFound,
    UpstreamRejected,
    UpstreamTimeout,
    UpstreamUnauthorized,
    UpstreamUnavailable,
)
from resolvers.backends.trace import UpstreamCall, note_upstream_call

T = TypeVar("T")

# A decoded JSON document. `Any` stays inside this module's helpers: callers validate it
# into a pydantic model straight away with `parse`.
JSON = Any
QueryParams = Mapping[str, str | int | float | bool | Sequence[str | int] | None] | None

_adapters: dict[object, pydantic.TypeAdapter[Any]] = {}


def adapter_for(tp: Any) -> pydantic.TypeAdapter[Any]:
    """A cached TypeAdapter: building one costs far more than validating with it.

    `tp` is any type form pydantic validates: a model, `list[Model]`, a union...
    """
    found = _adapters.get(tp)
    if found is None:
        found = _adapters[tp] = pydantic.TypeAdapter(tp)
    return found


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


class BaseClient:
    """One typed client for one REST API, over a shared pooled ``httpx.AsyncClient``.

    The ``httpx.AsyncClient`` carries the base URL, the auth and the timeout; the wiring in
    ``gateway.backends`` builds it, so a different transport is a one-line change there.
    """

    service: ClassVar[Service]

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    # -- the one request path -------------------------------------------------------------

    async def send(
        self,
        method: str,
        path: str,
        *,
        params: QueryParams = None,
        json: JSON = None,
        expect: Iterable[int] = (200,),
    ) -> httpx.Response:
        """Send a request; return the response if its status is expected, else raise."""
        request = self.http.build_request(method, path, params=_clean_params(params), json=json)
        shown = _shown_path(request.url)
        started = time.perf_counter()
        status: int | None = None
        try:
            # httpx times each network operation; this bounds the whole exchange too, which
            # also covers transports that enforce no timeouts (in-process ASGI emulators).
            async with asyncio.timeout(_timeout_seconds(self.http)):
                response = await self.http.send(request)
            status = response.status_code
        except (httpx.TimeoutException, TimeoutError) as exc:
            raise UpstreamTimeout(
                self.service,
                f"{method} {shown} timed out after {_timeout_seconds(self.http)}s; "
                "the service is slow or unreachable (raise its `timeout` in the config "
                "if it is just slow)",
            ) from exc
        except httpx.TransportError as exc:
            raise UpstreamUnavailable(
                self.service,
                f"{method} {shown} failed: {type(exc).__name__}: {exc or 'no detail'}; "
                "check that the service is running and its `url` in the config is right",
            ) from exc
        finally:
            note_upstream_call(
                UpstreamCall(
                    self.service, method, shown, status, (time.perf_counter() - started) * 1000
                )
            )
        if response.status_code in set(expect):
            return response
        raise self.translate_status(method, shown, response)

    async def get_json(self, path: str, *, params: QueryParams = None) -> JSON:
        return self.decode(await self.send("GET", path, params=params))

    async def get_model(self, path: str, tp: type[T], *, params: QueryParams = None) -> T:
        response = await self.send("GET", path, params=params)
        return self.parse(tp, self.decode(response), where=f"GET {_shown_path(response.url)}")

    async def get_optional(self, path: str, tp: type[T], *, params: QueryParams = None) -> T | None:
        """GET one resource; ``None`` when the API says it does not exist (404)."""
        try:
            return await self.get_model(path, tp, params=params)
        except UpstreamNotFound:
            return None

    # -- decoding -------------------------------------------------------------------------

    def decode(self, response: httpx.Response) -> JSON:
        where = f"{response.request.method} {_shown_path(response.url)}"
        if not response.content:
            raise UpstreamBadResponse(
                self.service, f"{where} answered {response.status_code} with an empty body"
            )
        try:
            return orjson.loads(response.content)
        except orjson.JSONDecodeError as exc:
            snippet = response.content[:80].decode("utf-8", "replace")
            raise UpstreamBadResponse(
                self.service,
                f"{where} answered {response.status_code} with a body that is not JSON "
                f"({response.headers.get('content-type', 'no content-type')}): {snippet!r}",
            ) from exc

    def parse(self, tp: type[T] | object, data: JSON, *, where: str) -> T:
        """Validate a decoded payload into its model, or say precisely what did not fit."""
        try:
            result: T = adapter_for(tp).validate_python(data)
        except pydantic.ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(p) for p in first["loc"]) or "(top level)"
            raise UpstreamBadResponse(
                self.service,
                f"{where} answered a payload that does not match its documented shape "
                f"({exc.error_count()} problem(s); first at {loc}: {first['msg']})",
            ) from exc
        return result

    # -- errors ---------------------------------------------------------------------------

    def error_detail(self, response: httpx.Response) -> str | None:
        """The human message inside this API's error body; overridden per API."""
        return None

    def translate_status(self, method: str, shown: str, response: httpx.Response) -> BackendError:
        status = response.status_code
        try:
            detail = self.error_detail(response)
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            detail = None
        said = f": {detail}" if detail else ""
        where = f"{method} {shown} answered {status}{said}"
        if status in (401, 403):
            return UpstreamUnauthorized(
                self.service,
                f"{where}; check the credentials for [backends.{self.service}] in the config",
                status=status,
            )
        if status == 404:
            return UpstreamNotFound(self.service, where, status=status)
        if status in (408, 429) or status >= 500:
            return UpstreamUnavailable(self.service, where, status=status)
        return UpstreamRejected(self.service, where, status=status)

    # -- paging ---------------------------------------------------------------------------

    def same_service_url(self, url: str) -> str:
        """Return a `next` link from the API if it points back at this service.

        Following a link to another host would send it our credentials, so refuse that.
        """
        base = self.http.base_url
        target = httpx.URL(url)
        if target.is_relative_url:
            return url
        if (target.scheme, target.host, target.port) != (base.scheme, base.host, base.port):
            raise UpstreamBadResponse(
                self.service,
                f"pagination link {url!r} leaves the configured base URL {str(base)!r}; "
                "refusing to send credentials there",
            )
        return url


def _clean_params(params: QueryParams) -> dict[str, Any] | None:
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


def _shown_path(url: httpx.URL) -> str:
    return url.raw_path.decode("ascii", "replace")


def _timeout_seconds(http: httpx.AsyncClient) -> float | None:
    timeout = http.timeout
    return timeout.read if timeout.read is not None else timeout.connect


async def gather_limited(aws: Iterable[Awaitable[T]], *, limit: int = 8) -> list[T]:
    """`asyncio.gather` with at most `limit` awaitables running at once.

    For per-key endpoints that have no bulk form: a loader fans out, but never floods the
    upstream with hundreds of simultaneous requests.
    """
    semaphore = asyncio.Semaphore(limit)

    async def run(aw: Awaitable[T]) -> T:
        async with semaphore:
            return await aw

    return list(await asyncio.gather(*(run(aw) for aw in aws)))
