"""Reading what an upstream answered: bodies (up to the size cap) into models, statuses and
error bodies into the one error family (:mod:`resolvers.backends.errors`), each message
naming the service and redacted.

:class:`Responses` is the part of every client that reads; :class:`resolvers.backends.base.
BaseClient` (the request path) builds on it, and a client overrides
:meth:`Responses.error_detail` to read its API's error body.
"""

from __future__ import annotations

from collections.abc import AsyncIterable
from typing import Any, ClassVar, TypeVar

import httpx
import orjson
import pydantic

from resolvers.backends.errors import (
    BackendError,
    Service,
    UpstreamBadResponse,
    UpstreamNotFound,
    UpstreamRateLimited,
    UpstreamRejected,
    UpstreamUnauthorized,
    UpstreamUnavailable,
)
from resolvers.backends.parsed import MISSING
from resolvers.backends.resilience import ClientPolicy, parse_retry_after, summarize
from resolvers.backends.scope import current_scope
from resolvers.backends.wire import (
    JSON,
    URL_TEXT,
    ArrivedBody,
    Repeated,
    adapter_for,
    decoded_first,
    shown_path,
)

T = TypeVar("T")


class Responses:
    """Bodies, statuses and error bodies read for one service, under its policy."""

    service: ClassVar[Service]
    policy: ClientPolicy

    # -- reading --------------------------------------------------------------------------

    async def _read(self, response: httpx.Response, where: str) -> None:
        limit = self.policy.max_response_bytes
        declared, encoded = b"", False
        # One pass over httpx's own list (names already lower-cased), no header decoding.
        for _, name, value in response.headers._list:
            if name == b"content-length":
                declared = value
            elif name == b"content-encoding" and value.strip().lower() != b"identity":
                encoded = True
        if declared.isdigit() and int(declared) > limit:
            raise self._too_large(where, limit)
        stream = response.stream
        if not encoded and isinstance(stream, ArrivedBody):
            whole = stream.arrived()
            if whole is not None:  # the common case: the answer came in with its head
                if len(whole) > limit:
                    raise self._too_large(where, limit)
                response.is_stream_consumed = True
                response._content = whole
                return
        body: AsyncIterable[bytes]
        if encoded or not isinstance(stream, httpx.AsyncByteStream):
            body = response.aiter_bytes()  # httpx decodes it (and raises DecodingError)
        else:  # a body sent as it is needs none of httpx's decoder and chunker layers
            body = stream
            response.is_stream_consumed = True
        chunks: list[bytes] = []
        size = 0
        async for chunk in body:
            size += len(chunk)
            if size > limit:
                raise self._too_large(where, limit)
            chunks.append(chunk)
        # What httpx's own `aread()` does; done here so the size cap applies while reading.
        response._content = b"".join(chunks)

    def _too_large(self, where: str, limit: int) -> BackendError:
        return self._error(
            UpstreamBadResponse,
            f"{where} answered more than {limit} bytes; raise this service's "
            "`max_response_bytes` in the config if that is expected",
        )

    # -- decoding -------------------------------------------------------------------------

    def decode(self, response: httpx.Response) -> JSON:
        if not response.content:
            where = _where(response.request.method, response.url)
            raise self._error(
                UpstreamBadResponse, f"{where} answered {response.status_code} with an empty body"
            )
        try:
            return orjson.loads(response.content)
        except orjson.JSONDecodeError as exc:
            # orjson also refuses nesting past 1024 levels: that lands here too.
            snippet = summarize(response.content[:80].decode("utf-8", "replace"), limit=80)
            where = _where(response.request.method, response.url)
            raise self._error(
                UpstreamBadResponse,
                f"{where} answered {response.status_code} with a body that is not JSON "
                f"({response.headers.get('content-type', 'no content-type')}): {snippet!r}",
            ) from exc

    def read_model(
        self,
        tp: type[T] | object,
        response: httpx.Response,
        *,
        where: str | None = None,
        repeated: Repeated | None = None,
    ) -> T:
        """Validate a response's body into its model straight from the bytes: pydantic's
        own JSON parser builds the model without an intermediate tree of dicts. A list whose
        items embed the same objects again and again (`repeated`, for `list[item]`) is
        decoded first, and each distinct embedded object validated once."""
        entry = response.extensions.get("teamgraph.entry")
        if entry is not None and tp in entry.parsed:
            cached: T = entry.parsed[tp]  # parsed before from the same cached answer
            return cached
        if not response.content:
            self.decode(response)  # raises: an empty body
        memo, request = self.policy.parsed, response.request
        key = None
        if memo is not None and request.method == "GET":
            url = request.extensions.get(URL_TEXT) or str(request.url)
            key = (tp, repeated, where, url)
            found = memo.get(key, response.content)
            if found is not MISSING:
                return found  # type: ignore[return-value]  # kept under this very `tp`
        try:
            if repeated is None:
                # The context: where a part validated later (`Deferred`) came from.
                reading = _Reading(self, where, response.request.method, response.url)
                adapter = adapter_for(tp)
                if decoded_first(tp):  # orjson's error is a ValueError, as below
                    data = orjson.loads(response.content)
                    result: T = adapter.validate_python(data, context=reading)
                else:
                    result = adapter.validate_json(response.content, context=reading)
            else:
                # orjson's error is a ValueError: handled below, as a body that is not JSON.
                result = repeated.validate(orjson.loads(response.content))  # type: ignore[assignment]
        except pydantic.ValidationError as exc:
            if exc.errors()[0]["type"] == "json_invalid":
                self.decode(response)  # raises, saying what the body is instead
            where = where or _where(response.request.method, response.url)
            return self.parse(tp, self.decode(response), where=where)  # raises, located
        except (RecursionError, ValueError, TypeError):
            where = where or _where(response.request.method, response.url)
            return self.parse(tp, self.decode(response), where=where)
        if entry is not None:
            entry.parsed[tp] = result  # models are frozen: safe to share across requests
        if key is not None:
            memo.keep(key, response.content, result)  # type: ignore[union-attr]
        return result

    def parse(self, tp: type[T] | object, data: JSON, *, where: str) -> T:
        """Validate a decoded payload into its model, or say precisely what did not fit."""
        try:
            reading = _Reading(self, where, None, None)
            result: T = adapter_for(tp).validate_python(data, context=reading)
        except pydantic.ValidationError as exc:
            raise self._mismatch(where, exc) from exc
        except (RecursionError, ValueError, TypeError) as exc:
            # Whatever else reading someone else's payload can raise is that service's
            # bad response, never our crash.
            raise self._error(
                UpstreamBadResponse,
                f"{where} answered a payload that cannot be read ({type(exc).__name__})",
            ) from exc
        return result

    def _mismatch(
        self, where: str, exc: pydantic.ValidationError, within: str | None = None
    ) -> BackendError:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in ((within,) if within else ()) + first["loc"])
        loc = loc or "(top level)"
        return self._error(
            UpstreamBadResponse,
            f"{where} answered a payload that does not match its documented shape "
            f"({exc.error_count()} problem(s); first at {summarize(loc, limit=80)}: "
            f"{summarize(first['msg'], limit=120)})",
        )

    # -- errors ---------------------------------------------------------------------------

    def error_detail(self, response: httpx.Response) -> str | None:
        """The human message inside this API's error body; overridden per API."""
        return None

    def translate_status(self, method: str, shown: str, response: httpx.Response) -> BackendError:
        status = response.status_code
        try:
            detail = self.error_detail(response)
        except Exception:  # an unreadable error body has no detail; the status still speaks
            detail = None
        # The message carries a short summary; `detail` keeps more of the API's reasons
        # (a refusal naming several fields) for the user errors of mutations.
        detail = self.redact(summarize(detail, limit=500)) if detail else None
        said = f": {summarize(detail)}" if detail else ""
        where = f"{method} {shown} answered {status}{said}"
        if status in (401, 403):
            scope = current_scope()
            if scope is not None and self.service in scope.credentials:
                fix = "check the credentials this request sent for it"
            else:
                fix = f"check the credentials for [backends.{self.service}] in the config"
            return self._error(UpstreamUnauthorized, f"{where}; {fix}", status=status)
        if status == 404:
            return self._error(UpstreamNotFound, where, status=status, detail=detail)
        if status == 429:
            wait = parse_retry_after(response.headers.get("retry-after"))
            scope = current_scope()
            key = scope.credentials_key(self.service) if scope is not None else "configured"
            self.policy.rate_limits.block(key, wait)
            return UpstreamRateLimited(
                self.service,
                self.redact(f"{where}; retry after {max(1, round(wait))}s"),
                retry_after=wait,
            )
        if status == 408 or status >= 500:
            return self._error(UpstreamUnavailable, where, status=status)
        return self._error(UpstreamRejected, where, status=status, detail=detail)

    def _error(self, kind: type[BackendError], message: str, **kwargs: Any) -> BackendError:
        return kind(self.service, self.redact(message), **kwargs)

    def redact(self, text: str) -> str:
        """`text` without configured secrets or the caller's credentials."""
        scope = current_scope()
        caller = scope.credentials.get(self.service) if scope is not None else None
        return self.policy.redact(text, [caller] if caller else [])


def _where(method: str, url: httpx.URL) -> str:
    return f"{method} {shown_path(url)}"


class _Reading:
    """The :class:`resolvers.backends.deferred.Origin` of a payload one client read: the
    request it answered is named only if a part turns out not to fit."""

    __slots__ = ("client", "method", "url", "where")

    def __init__(
        self, client: Responses, where: str | None, method: str | None, url: httpx.URL | None
    ) -> None:
        self.client, self.where, self.method, self.url = client, where, method, url

    def invalid(self, exc: pydantic.ValidationError, within: str | None) -> Exception:
        where = self.where
        if where is None:
            assert self.method is not None and self.url is not None
            where = _where(self.method, self.url)
        return self.client._mismatch(where, exc, within)
