"""Who may call /graphql: static API keys (kept only as SHA-256 digests) and JWTs verified
against a JWKS URL or a public key (signature, issuer, audience, expiry).

Off unless ``[server.auth]`` names keys or a JWT verifier. `/healthz` never asks.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import jwt

from gateway.settings import AuthSettings, JwtSettings

# How often an unknown key id may trigger a JWKS refetch (key rotation), at most.
_JWKS_REFRESH_SECONDS = 60.0


class Unauthenticated(Exception):
    """The caller did not prove who they are; the message says what to send."""


@dataclass(frozen=True, slots=True)
class Caller:
    """Who made the request, for logs: an API key's digest prefix or a JWT's subject."""

    kind: str  # "api-key" | "jwt" | "anonymous"
    id: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"


ANONYMOUS = Caller("anonymous", "-")


def hash_key(key: str) -> str:
    """The digest to put in `server.auth.api_key_sha256` for an API key."""
    return hashlib.sha256(key.encode()).hexdigest()


class CallerAuth:
    def __init__(
        self, settings: AuthSettings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.settings = settings
        self._digests = tuple(settings.api_key_sha256)
        self._jwt = _JwtVerifier(settings.jwt, transport) if settings.jwt is not None else None

    @property
    def required(self) -> bool:
        return self.settings.required

    async def authenticate(self, headers: Mapping[str, str]) -> Caller:
        if not self.required:
            return ANONYMOUS
        key = headers.get("x-api-key")
        if key is not None:
            return self._api_key(key)
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and token:
            if self._jwt is not None and token.count(".") == 2:
                return await self._jwt.verify(token.strip())
            if self._digests:
                return self._api_key(token.strip())
        raise Unauthenticated(self._how())

    def _api_key(self, key: str) -> Caller:
        digest = hash_key(key)
        # Compare every digest in constant time: no early exit that times which one matched.
        matched = [hmac.compare_digest(digest, d) for d in self._digests]
        if any(matched):
            return Caller("api-key", digest[:12])
        raise Unauthenticated("the API key is not valid; check the key you send in X-API-Key")

    def _how(self) -> str:
        ways = []
        if self._digests:
            ways.append("an API key in `X-API-Key` (or `Authorization: Bearer <key>`)")
        if self._jwt is not None:
            ways.append("a JWT in `Authorization: Bearer <token>`")
        return "authentication required: send " + " or ".join(ways)


class _JwtVerifier:
    def __init__(self, settings: JwtSettings, transport: httpx.AsyncBaseTransport | None) -> None:
        self.settings = settings
        self._transport = transport
        self._keys: dict[str, Any] = {}
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()
        self._static = (
            jwt.PyJWK.from_dict(_pem_as_jwk(settings.public_key)) if settings.public_key else None
        )

    async def verify(self, token: str) -> Caller:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise Unauthenticated(f"the bearer token is not a JWT: {exc}") from None
        key = self._static or await self._key(str(header.get("kid", "")))
        s = self.settings
        options = {"require": ["exp"], "verify_aud": s.audience is not None}
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=s.algorithms,
                audience=s.audience,
                issuer=s.issuer,
                leeway=s.leeway_seconds,
                options=options,  # type: ignore[arg-type]
            )
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("the JWT has expired; get a new token") from None
        except jwt.InvalidAudienceError:
            raise Unauthenticated(f"the JWT is not for this audience ({s.audience})") from None
        except jwt.InvalidIssuerError:
            raise Unauthenticated(f"the JWT was not issued by {s.issuer}") from None
        except jwt.PyJWTError as exc:
            raise Unauthenticated(f"the JWT is not valid: {exc}") from None
        return Caller("jwt", str(claims.get("sub", "?")))

    async def _key(self, kid: str) -> Any:
        found = self._keys.get(kid)
        if found is not None:
            return found
        async with self._lock:
            stale = time.monotonic() - self._fetched_at > _JWKS_REFRESH_SECONDS
            if kid not in self._keys and (stale or not self._keys):
                await self._fetch()
        found = self._keys.get(kid) or (next(iter(self._keys.values())) if not kid else None)
        if found is None:
            raise Unauthenticated(f"the JWT is signed with an unknown key (kid {kid!r})")
        return found

    async def _fetch(self) -> None:
        url = str(self.settings.jwks_url)
        try:
            async with httpx.AsyncClient(timeout=5.0, transport=self._transport) as http:
                response = await http.get(url)
            response.raise_for_status()
            keys = jwt.PyJWKSet.from_dict(response.json()).keys
        except (httpx.HTTPError, ValueError, jwt.PyJWTError) as exc:
            raise Unauthenticated(
                f"cannot verify JWTs right now: fetching the JWKS from {url} failed "
                f"({type(exc).__name__})"
            ) from None
        self._keys = {str(k.key_id or ""): k for k in keys}
        self._fetched_at = time.monotonic()


def _pem_as_jwk(pem: str) -> dict[str, Any]:
    """A PEM public key as a JWK dict, so one code path verifies both ways."""
    from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePublicKey
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_public_key
    from jwt.algorithms import ECAlgorithm, RSAAlgorithm

    key = load_pem_public_key(pem.encode())
    if isinstance(key, RSAPublicKey):
        return RSAAlgorithm.to_jwk(key, as_dict=True)
    if isinstance(key, EllipticCurvePublicKey):
        return ECAlgorithm.to_jwk(key, as_dict=True)
    raise ValueError("server.auth.jwt.public_key must be an RSA or EC public key (PEM)")
