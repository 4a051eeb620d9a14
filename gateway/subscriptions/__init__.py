"""Subscriptions: `hub` (one shared poll per field, team and caller credentials), `streams`
(opening one, evaluating its events), and the two transports, `ws` (graphql-transport-ws) and
`sse` (Server-Sent Events). :func:`wire_subscriptions` builds them for one app."""

from __future__ import annotations

from starlette.routing import WebSocketRoute

from gateway.endpoint import GraphQLEndpoint
from gateway.settings import Settings
from gateway.subscriptions.sse import EventStreams
from gateway.subscriptions.streams import Subscriptions
from gateway.subscriptions.ws import GraphQLWebSocket


def wire_subscriptions(
    settings: Settings, endpoint: GraphQLEndpoint
) -> tuple[Subscriptions, WebSocketRoute]:
    """Subscriptions sharing the HTTP endpoint's pipeline (documents, limits, admission,
    caller auth, identity), SSE handed to the endpoint, and the `/graphql` WebSocket route."""
    subscriptions = Subscriptions(
        settings=settings.subscriptions,
        limits=settings.limits,
        operations=endpoint.operations,
        backends=endpoint.backends,
        links=endpoint.links,
        clock=endpoint.clock,
        directories=endpoint.directories,
        admission=endpoint.admission,
        credential_headers=endpoint.config.credential_headers,
        redact=endpoint.redact,
    )
    endpoint.streams = EventStreams(subscriptions, keepalive=settings.subscriptions.keepalive)
    websocket = GraphQLWebSocket(
        subscriptions=subscriptions,
        caller_auth=endpoint.caller_auth,
        settings=settings.subscriptions,
        max_message_bytes=settings.limits.max_body_bytes,
    )
    return subscriptions, WebSocketRoute("/graphql", websocket)


__all__ = ["Subscriptions", "wire_subscriptions"]
