"""The GraphQL endpoint: Strawberry's ASGI view with a fresh context per request."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from resolvers.backends import Backends
from resolvers.backends.trace import current_calls, record_upstream_calls
from resolvers.context import Context, IdentityLinks, build_context
from schema import schema

TRACE_HEADER = b"x-teamgraph-trace"


class GraphQLView(GraphQL[Context, None]):
    def __init__(
        self,
        *,
        backends: Callable[[], Backends],
        links: IdentityLinks,
        clock: Callable[[], datetime],
        graphiql: bool = True,
    ) -> None:
        super().__init__(schema, graphql_ide="graphiql" if graphiql else None)
        self._backends = backends
        self._links = links
        self._clock = clock

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        # Loaders are built here, per request: aiodataloader binds the running loop, and
        # caching must not leak data between callers.
        return build_context(
            self._backends(), links=self._links, clock=self._clock, trace=current_calls()
        )


class TraceMiddleware:
    """With `X-Teamgraph-Trace: 1`, records this request's upstream calls (the schema puts
    them in `extensions.upstream`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or []) if scope["type"] == "http" else {}
        if headers.get(TRACE_HEADER, b"").strip() in (b"1", b"true"):
            with record_upstream_calls():
                await self.app(scope, receive, send)
        else:
            await self.app(scope, receive, send)
