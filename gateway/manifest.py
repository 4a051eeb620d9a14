"""Trusted documents: the manifest a client's build writes, read once at startup.

Three shapes are read, all mapping a document id to the document's text:

* graphql-codegen's client preset (``persistedDocuments: true``) writes
  ``persisted-documents.json``: ``{"<sha256 hex>": "query ..."}``;
* Relay (``persistConfig`` with a ``file``) writes ``persisted_queries.json`` in the same
  shape, keyed by an MD5 (or SHA) hex id;
* Apollo's ``generate-persisted-query-manifest`` writes
  ``{"format": "apollo-persisted-query-manifest", "version": 1, "operations":
  [{"id": ..., "body": ..., "name": ..., "type": ...}]}``.

Clients address a document by ``documentId`` (GraphQL over HTTP's persisted documents
appendix: ``sha256:<hex>``, or a custom id like Relay's) or by Apollo's
``extensions.persistedQuery.sha256Hash``; a SHA-256 id is found with or without its
``sha256:`` prefix.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import orjson
from graphql import GraphQLError, parse

APOLLO_FORMAT = "apollo-persisted-query-manifest"
# GraphQL over HTTP, appendix A: RFC 3986 unreserved characters, and colons.
DOCUMENT_ID = re.compile(r"[A-Za-z0-9\-._~:]{1,200}")
_SHA256 = re.compile(r"[0-9a-f]{64}")


class ManifestError(ValueError):
    """The manifest cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class Manifest:
    """Document id -> document text, every SHA-256 id under both of its spellings."""

    documents: Mapping[str, str]
    texts: frozenset[str]
    count: int

    def get(self, document_id: str) -> str | None:
        found = self.documents.get(document_id)
        if found is None and _SHA256.fullmatch(document_id.removeprefix("sha256:").lower()):
            found = self.documents.get(document_id.lower())  # hex in upper case
        return found


def read_manifest(path: Path) -> Manifest:
    """The manifest at `path`, or a ManifestError naming the first problem."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ManifestError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ManifestError(
            f"{path} is not JSON ({exc}); point it at the persisted-documents.json "
            "(graphql-codegen), persisted_queries.json (Relay) or persisted-query-manifest.json "
            "(Apollo) your client's build writes"
        ) from None
    documents: dict[str, str] = {}
    count = 0
    for document_id, text in _entries(data, path):
        if not isinstance(document_id, str) or not DOCUMENT_ID.fullmatch(document_id):
            raise ManifestError(
                f"{path}: {str(document_id)[:80]!r} is not a document id (letters, digits, "
                "-._~ and colons, at most 200)"
            )
        if not isinstance(text, str) or not text.strip():
            raise ManifestError(f"{path}: the document of {document_id!r} is not a string")
        try:
            parse(text)
        except GraphQLError as exc:
            raise ManifestError(
                f"{path}: the document of {document_id!r} is not GraphQL ({exc.message}); "
                "regenerate the manifest"
            ) from None
        count += 1
        for spelling in _spellings(document_id):
            documents.setdefault(spelling, text)
    if not count:
        raise ManifestError(f"{path} lists no documents; regenerate it with your client's build")
    return Manifest(documents=documents, texts=frozenset(documents.values()), count=count)


def _entries(data: object, path: Path) -> Iterator[tuple[object, object]]:
    if isinstance(data, dict) and data.get("format") == APOLLO_FORMAT:
        if data.get("version") != 1:
            raise ManifestError(
                f"{path}: Apollo manifest version {data.get('version')!r} is not supported (only 1)"
            )
        operations = data.get("operations")
        if not isinstance(operations, list):
            raise ManifestError(f"{path}: `operations` must be a list")
        for operation in operations:
            if not isinstance(operation, dict):
                raise ManifestError(f"{path}: every operation must be an object with id and body")
            yield operation.get("id"), operation.get("body")
    elif isinstance(data, dict):
        yield from data.items()
    else:
        raise ManifestError(
            f'{path} must be a JSON object: {{"<document id>": "<document>", ...}} '
            "(graphql-codegen, Relay) or an Apollo persisted query manifest"
        )


def _spellings(document_id: str) -> tuple[str, ...]:
    prefix, _, payload = document_id.partition(":")
    if prefix == "sha256" and _SHA256.fullmatch(payload.lower()):
        return document_id, payload.lower(), f"sha256:{payload.lower()}"
    if _SHA256.fullmatch(document_id.lower()):
        return document_id, document_id.lower(), f"sha256:{document_id.lower()}"
    return (document_id,)
