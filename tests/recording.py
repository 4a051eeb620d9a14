"""A transport that records every upstream request, so tests can assert exact call lists."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import httpx


@dataclass(frozen=True, slots=True)
class Call:
    service: str
    method: str
    path: str  # relative to the service's base URL, e.g. "/teams/3/members"
    params: tuple[tuple[str, str], ...]  # sorted query parameters
    # The status the upstream answered, once it has; None while in flight or when no
    # response arrived. Not part of equality, so tests can compare calls by what was asked.
    status: int | None = field(default=None, compare=False)
    # The W3C trace context the request carried (not part of equality either).
    traceparent: str | None = field(default=None, compare=False)

    def as_asked(self) -> tuple[str, str, str, tuple[tuple[str, str], ...]]:
        return self.service, self.method, self.path, self.params

    def __str__(self) -> str:
        query = "&".join(f"{k}={v}" for k, v in self.params)
        return f"{self.service} {self.method} {self.path}" + (f"?{query}" if query else "")


@dataclass
class CallLog:
    calls: list[Call] = field(default_factory=list)

    def of(self, service: str) -> list[Call]:
        return [c for c in self.calls if c.service == service]

    def count(self, service: str | None = None) -> int:
        return len(self.calls) if service is None else len(self.of(service))

    def clear(self) -> None:
        self.calls.clear()


class RecordingTransport(httpx.AsyncBaseTransport):
    """Wraps a transport; appends a :class:`Call` to ``log`` for each request sent."""

    def __init__(
        self, inner: httpx.AsyncBaseTransport, *, service: str, prefix: str, log: CallLog
    ) -> None:
        self.inner = inner
        self.service = service
        self.prefix = prefix.rstrip("/")
        self.log = log

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if self.prefix and path.startswith(self.prefix):
            path = path[len(self.prefix) :] or "/"
        params = tuple(sorted(request.url.params.multi_items()))
        call = Call(
            self.service, request.method, path, params,
            traceparent=request.headers.get("traceparent"),
        )  # fmt: skip
        self.log.calls.append(call)
        response = await self.inner.handle_async_request(request)
        for i in range(len(self.log.calls) - 1, -1, -1):  # the log may have been cleared
            if self.log.calls[i] is call:
                self.log.calls[i] = replace(call, status=response.status_code)
                break
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()
