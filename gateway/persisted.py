"""Persisted operations: requests that name their document instead of sending it.

* **APQ** (Apollo's automatic persisted queries): the client sends
  ``extensions.persistedQuery = {"version": 1, "sha256Hash": ...}`` without the text. An
  unknown hash is answered ``PersistedQueryNotFound`` (code ``PERSISTED_QUERY_NOT_FOUND``);
  the client sends the hash again with the text, which is checked against the hash, kept
  for ``persisted.apq_ttl`` where the shared cache lives (this process, or Redis), and run.
  Over GET or POST, so a hashed query can be a short, cacheable GET.
* **Trusted documents**: a manifest from the client's build (:mod:`gateway.manifest`),
  addressed by ``documentId`` or by the same ``sha256Hash``. With ``mode = "only"`` nothing
  else runs: a free-text query is refused with ``TRUSTED_DOCUMENT_REQUIRED`` unless it is,
  character for character, one of the manifest's documents.

The protocol's two answers keep Apollo's exact messages, ``PersistedQueryNotFound`` and
``PersistedQueryNotSupported``: Apollo Kotlin and Apollo iOS match on the message, Apollo
Client on the code; both are 200 under application/json (Apollo Client 3 turns APQ off for
good on a 400) and a 4xx under application/graphql-response+json, where the spec requires
one for an answer without `data` (Apollo Client 4 reads those bodies).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from gateway.http_input import GraphQLRequest, HttpError
from gateway.manifest import Manifest, read_manifest
from gateway.settings import ConfigError, Settings
from resolvers.backends.redis_link import RedisLink, StoreUnavailable
from resolvers.writes import KeyValues, MemoryKeyValues, RedisKeyValues

_SHA256 = re.compile(r"[0-9a-f]{64}")
# An unknown hash must never be cached by a CDN: the client registers it a moment later.
_NO_STORE = {"Cache-Control": "no-store"}


class PersistedOperations:
    def __init__(
        self,
        *,
        manifest: Manifest | None = None,
        only: bool = False,
        apq: KeyValues | None = None,
        apq_ttl: float = 86400.0,
    ) -> None:
        if only and manifest is None:
            raise ValueError("only listed documents may run, and there is no manifest")
        self.manifest = manifest
        self.only = only
        self.apq = apq
        self.apq_ttl = apq_ttl

    async def resolve(self, request: GraphQLRequest) -> GraphQLRequest:
        """The request with the text of the document it names, or an HttpError that says
        why it cannot run."""
        if request.document_id is not None:
            return replace(request, query=await self._by_id(request.document_id))
        sha256 = _persisted_query(request.extensions)
        if sha256 is None:
            self._check_trusted(request.query)
            return request
        listed = self.manifest.get(sha256) if self.manifest else None
        if listed is not None:  # a persisted query list (Apollo) or a trusted document
            return replace(request, query=listed)
        if request.query:
            if self.apq is None:
                self._check_trusted(request.query)
                return request  # APQ is off: the text runs as if sent alone
            if hashlib.sha256(request.query.encode()).hexdigest() != sha256:
                raise HttpError(
                    400,
                    "extensions.persistedQuery.sha256Hash is not the SHA-256 of `query`; "
                    "hash the exact text sent (UTF-8, hex in lower case)",
                    "PERSISTED_QUERY_HASH_MISMATCH",
                )
            await self._keep(sha256, request.query)
            return request
        if self.apq is None and not self.only:
            raise HttpError(200, "PersistedQueryNotSupported", "PERSISTED_QUERY_NOT_SUPPORTED",
                            strict_status=400)  # fmt: skip
        stored = await self._lookup(sha256)
        if stored is None:
            raise _not_found("PersistedQueryNotFound")
        return replace(request, query=stored)

    async def _by_id(self, document_id: str) -> str:
        listed = self.manifest.get(document_id) if self.manifest else None
        if listed is not None:
            return listed
        sha256 = document_id.removeprefix("sha256:").lower()
        if _SHA256.fullmatch(sha256):
            stored = await self._lookup(sha256)
            if stored is not None:
                return stored
        if self.manifest is None:
            raise _not_found(
                f"no persisted document {document_id!r}: this gateway has no manifest "
                "(persisted.manifest) and has not seen that document by APQ; send the query "
                "text in `query`"
            )
        raise _not_found(
            f"{document_id!r} is not one of the {self.manifest.count} trusted documents "
            "(persisted.manifest); deploy the manifest your client was built with"
        )

    # The APQ store failing (Redis down) is "not known": the client sends the text, which
    # runs whether or not it can be kept. Nothing is refused because Redis is down.
    async def _lookup(self, sha256: str) -> str | None:
        if self.apq is None:
            return None
        try:
            stored = await self.apq.get(sha256)
            return None if stored is None else stored.decode()
        except (StoreUnavailable, UnicodeDecodeError):  # down, or not a document we kept
            return None

    async def _keep(self, sha256: str, query: str) -> None:
        assert self.apq is not None
        # Not registered when Redis fails: the client will send the text again next time.
        with contextlib.suppress(StoreUnavailable):
            await self.apq.put(sha256, query.encode(), self.apq_ttl)

    def _check_trusted(self, query: str) -> None:
        if not self.only or (self.manifest is not None and query in self.manifest.texts):
            return
        raise HttpError(
            400,
            'this gateway runs only trusted documents (persisted.mode = "only"): send the '
            '`documentId` of a document in its manifest, e.g. {"documentId": '
            '"sha256:<hash>", "variables": {...}}, not the query text',
            "TRUSTED_DOCUMENT_REQUIRED",
        )


def _persisted_query(extensions: Mapping[str, Any]) -> str | None:
    """The SHA-256 that Apollo's persistedQuery extension names, or None without one."""
    found = extensions.get("persistedQuery")
    if found is None:
        return None
    if not isinstance(found, dict):
        raise HttpError(
            400,
            'extensions.persistedQuery must be an object: {"version": 1, "sha256Hash": '
            '"<64 hex digits>"}',
            "BAD_REQUEST",
        )
    if found.get("version") != 1:
        raise HttpError(
            400,
            f'persisted query version {found.get("version")!r} is not supported; send "version": 1',
            "PERSISTED_QUERY_VERSION_NOT_SUPPORTED",
        )
    sha256 = found.get("sha256Hash")
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256.lower()):
        raise HttpError(400, "extensions.persistedQuery.sha256Hash must be the SHA-256 of the "
                        "document, 64 hex digits", "BAD_REQUEST")  # fmt: skip
    return sha256.lower()


def _not_found(message: str) -> HttpError:
    return HttpError(200, message, "PERSISTED_QUERY_NOT_FOUND", strict_status=404,
                     headers=_NO_STORE)  # fmt: skip


def build_persisted(settings: Settings, link: RedisLink | None = None) -> PersistedOperations:
    """APQ where the shared cache lives (Redis through `link`, with cache.backend = "redis",
    so replicas share what clients registered), and the manifest, read now."""
    options = settings.persisted
    manifest = None
    if options.manifest is not None:
        try:
            manifest = read_manifest(options.manifest)
        except ValueError as exc:
            raise ConfigError(f"persisted.manifest: {exc}") from exc
    apq: KeyValues | None = None
    if options.apq_enabled:
        if link is not None:
            apq = RedisKeyValues(link, namespace="teamgraph:apq:")
        else:
            apq = MemoryKeyValues(max_bytes=options.apq_max_bytes)
    return PersistedOperations(
        manifest=manifest, only=options.mode == "only", apq=apq, apq_ttl=options.apq_ttl
    )
