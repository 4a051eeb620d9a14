"""The Hack24 emulator's HTTP edge: JSON:API documents and errors, auth, request parsing.

Errors name the part of the request they are about with a JSON:API ``source.pointer``
(``/data/attributes/name``, ``/data/0/id``), so a client can show the field with the reason.
"""

from __future__ import annotations

import json
from http import HTTPStatus

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.emulators._hack24_data import Document
from gateway.emulators.cast_build import slugify

MEDIA_TYPE = "application/vnd.api+json"


class JsonApiResponse(JSONResponse):
    media_type = MEDIA_TYPE


def document(
    self_link: str, data: object, included: list[Document] | None = None, *, status: int = 200
) -> Response:
    """A JSON:API top-level document: ``links.self``, ``data`` and maybe ``included``."""
    body: Document = {"links": {"self": self_link}, "data": data}
    if included is not None:
        body["included"] = included
    return JsonApiResponse(body, status_code=status)


def no_content() -> Response:
    return Response(status_code=204, media_type=MEDIA_TYPE)


def error_response(status: int, detail: str, pointer: str | None = None) -> Response:
    """A JSON:API error document: the one error format of this emulator."""
    error: Document = {"status": str(status), "title": HTTPStatus(status).phrase, "detail": detail}
    if pointer is not None:
        error["source"] = {"pointer": pointer}
    return JsonApiResponse({"errors": [error]}, status_code=status)


class JsonApiError(HTTPException):
    """An error about one member of the request document, which ``pointer`` locates."""

    def __init__(self, status: int, detail: str, pointer: str | None = None) -> None:
        super().__init__(status, detail)
        self.pointer = pointer


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    detail, headers = exc.detail, exc.headers or {}
    if exc.status_code == 405:  # the router's own
        detail = f"{request.method} is not allowed here; use one of: {headers.get('Allow')}."
    elif detail == HTTPStatus.NOT_FOUND.phrase:  # the router's own
        detail = f"{request.url.path} is not part of the Hack24 API."
    pointer = exc.pointer if isinstance(exc, JsonApiError) else None
    response = error_response(exc.status_code, detail, pointer)
    response.headers.update(headers)
    return response


class BearerCheck:
    """No auth is documented, so none is required; a wrong bearer token is still refused."""

    def __init__(self, app: ASGIApp, *, token: str) -> None:
        self.app = app
        self.expected = f"Bearer {token}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            given = dict(scope["headers"]).get(b"authorization")
            if given is not None and given != self.expected:
                detail = (
                    "Wrong credentials: send no Authorization header or the API's bearer token."
                )
                response = error_response(401, detail)
                response.headers["WWW-Authenticate"] = 'Bearer realm="hack24"'
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


# -- reading request documents ----------------------------------------------------------------


async def body_data(request: Request) -> object:
    """The top-level ``data`` of a JSON:API request body (400 when there is none)."""
    media, _, parameters = request.headers.get("content-type", "").partition(";")
    if media.strip().lower() == MEDIA_TYPE and parameters.strip():
        # JSON:API 1.0: a server must refuse its media type with parameters.
        raise JsonApiError(415, f"Send Content-Type: {MEDIA_TYPE} without media type parameters.")
    try:
        body = json.loads(await request.body())
    except ValueError:
        raise JsonApiError(400, "The request body is not JSON.") from None
    if not isinstance(body, dict) or "data" not in body:
        message = 'The request body must be a JSON:API document with "data".'
        raise JsonApiError(400, message, "/data")
    return body["data"]


def identifier(item: object, kind: str, known: dict[str, str], pointer: str) -> str:
    """The id of a resource identifier ``{"type": kind, "id": ...}`` that must exist."""
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        message = f'Expected a resource identifier {{"type": "{kind}", "id"}}.'
        raise JsonApiError(400, message, pointer)
    if item.get("type") != kind:
        message = f"Expected type {kind!r}, got {item.get('type')!r}."
        raise JsonApiError(409, message, f"{pointer}/type")
    if item["id"] not in known:
        raise JsonApiError(404, f"No {kind[:-1]} with id {item['id']!r}.", f"{pointer}/id")
    return str(item["id"])


def user_ids(data: object, users: dict[str, str], pointer: str = "/data") -> list[str]:
    """The existing users an array of identifiers names, once each, in the order given."""
    if not isinstance(data, list):
        raise JsonApiError(400, '"data" must be an array of user identifiers.', pointer)
    return list(
        dict.fromkeys(
            identifier(item, "users", users, f"{pointer}/{n}") for n, item in enumerate(data)
        )
    )


def new_resource(data: object, kind: str, taken: dict[str, str]) -> tuple[str, str, object]:
    """(slug id, name, relationships) of a resource to create; the id comes from the name."""
    if not isinstance(data, dict):
        raise JsonApiError(400, '"data" must be a resource object.', "/data")
    if data.get("type") != kind:
        message = f"Expected type {kind!r}, got {data.get('type')!r}."
        raise JsonApiError(409, message, "/data/type")
    attributes = data.get("attributes")
    name = attributes.get("name") if isinstance(attributes, dict) else None
    at_name = "/data/attributes/name"
    if not isinstance(name, str) or not name.strip():
        raise JsonApiError(400, "The name is required and must be a non-empty string.", at_name)
    slug = slugify(name)
    if not slug:
        raise JsonApiError(400, f"Cannot derive an id from the name {name!r}.", at_name)
    if slug in taken:
        raise JsonApiError(409, f"A {kind[:-1]} with id {slug!r} already exists.", at_name)
    relationships = data.get("relationships")
    return slug, name.strip(), relationships if isinstance(relationships, dict) else {}


def related_data(relationships: object, name: str) -> object:
    relationship = relationships.get(name) if isinstance(relationships, dict) else None
    return relationship.get("data") if isinstance(relationship, dict) else None
