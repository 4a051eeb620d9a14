"""No one in where they don't belong: caller authentication (API keys, JWTs), per-caller
upstream credentials that reach only their own service, and the introspection switch."""

from __future__ import annotations

import time
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from gateway.auth import hash_key
from gateway.emulators.cast import Cast
from gateway.settings import AuthSettings, JwtSettings
from tests.faults import FaultTransport
from tests.harness import configured, open_gateway

QUERY = "{ teams { name } }"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PUBLIC_PEM = (
    KEY.public_key()
    .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    .decode()
)


def token(**claims: Any) -> str:
    body = {"sub": "dev@example.com", "iss": "https://id.example.com", "aud": "teamgraph",
            "exp": int(time.time()) + 300, **claims}  # fmt: skip
    return jwt.encode({k: v for k, v in body.items() if v is not None}, KEY, algorithm="RS256",
                      headers={"kid": "k1"})  # fmt: skip


def with_auth(cast: Cast, auth: AuthSettings) -> Any:
    return configured(cast, server={"auth": auth})


async def test_api_keys_are_checked_against_their_digests(cast: Cast) -> None:
    settings = with_auth(cast, AuthSettings(api_key_sha256=[hash_key("s3cret-key")]))
    async with open_gateway(cast, settings=settings) as gw:
        missing = await gw.post(QUERY)
        wrong = await gw.http.post("/graphql", json={"query": QUERY}, headers={"X-API-Key": "x"})
        right = await gw.http.post(
            "/graphql", json={"query": QUERY}, headers={"X-API-Key": "s3cret-key"}
        )
        bearer = await gw.http.post(
            "/graphql", json={"query": QUERY}, headers={"Authorization": "Bearer s3cret-key"}
        )
        health = await gw.http.get("/healthz")
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    assert missing.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "X-API-Key" in missing.json()["errors"][0]["message"]
    assert wrong.status_code == 401
    assert right.status_code == 200 and right.json()["data"]["teams"]
    assert bearer.status_code == 200
    assert health.status_code == 200  # liveness never asks
    assert [c for c in gw.log.calls if c.status is None] == []


@pytest.mark.parametrize(
    ("claims", "ok", "says"),
    [
        ({}, True, ""),
        ({"exp": int(time.time()) - 3600}, False, "expired"),
        ({"aud": "someone-else"}, False, "audience"),
        ({"iss": "https://evil.example.com"}, False, "issued by"),
        ({"exp": None}, False, "not valid"),
    ],
    ids=["valid", "expired", "audience", "issuer", "no-expiry"],
)
async def test_jwts_are_verified_with_a_public_key(
    cast: Cast, claims: dict[str, Any], ok: bool, says: str
) -> None:
    auth = AuthSettings(
        jwt=JwtSettings(
            public_key=PUBLIC_PEM, issuer="https://id.example.com", audience="teamgraph"
        )
    )
    async with open_gateway(cast, settings=with_auth(cast, auth)) as gw:
        response = await gw.http.post(
            "/graphql",
            json={"query": QUERY},
            headers={"Authorization": f"Bearer {token(**claims)}"},
        )
    assert (response.status_code == 200) is ok, response.text
    if not ok:
        assert says in response.json()["errors"][0]["message"]


async def test_jwts_are_verified_against_a_jwks_url(cast: Cast) -> None:
    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key(), as_dict=True)
    fetched = []

    def jwks(request: httpx.Request) -> httpx.Response:
        fetched.append(str(request.url))
        return httpx.Response(200, json={"keys": [{**jwk, "kid": "k1", "use": "sig"}]})

    auth = AuthSettings(
        jwt=JwtSettings(
            jwks_url="https://id.example.com/.well-known/jwks.json",
            audience="teamgraph",
        )
    )
    transports = {"jwks": httpx.MockTransport(jwks)}
    async with open_gateway(cast, settings=with_auth(cast, auth), transports=transports) as gw:
        headers = {"Authorization": f"Bearer {token()}"}
        first = await gw.http.post("/graphql", json={"query": QUERY}, headers=headers)
        second = await gw.http.post("/graphql", json={"query": QUERY}, headers=headers)
        other_key = await gw.http.post(
            "/graphql", json={"query": QUERY},
            headers={"Authorization": "Bearer " + jwt.encode(
                {"sub": "x", "exp": int(time.time()) + 60, "aud": "teamgraph"},
                rsa.generate_private_key(public_exponent=65537, key_size=2048),
                algorithm="RS256", headers={"kid": "k1"})},
        )  # fmt: skip
    assert first.status_code == second.status_code == 200
    assert fetched == ["https://id.example.com/.well-known/jwks.json"]  # cached
    assert other_key.status_code == 401


async def test_caller_credentials_reach_only_their_own_service(cast: Cast) -> None:
    seen: dict[str, set[str]] = {}

    def recording(service: str) -> FaultTransport:
        fault = FaultTransport(cast)

        async def note(request: httpx.Request, _n: int) -> None:
            seen.setdefault(service, set()).add(request.headers.get("authorization", ""))
            return None

        fault.on("", note)
        return fault

    settings = configured(cast, tempo={"caller_credentials_header": "X-Tempo-Authorization"})
    transports = {s: recording(s) for s in ("tempo", "teampulse", "hack24")}
    async with open_gateway(cast, settings=settings, transports=transports) as gw:
        mine = f"Bearer {cast.credentials.tempo_token}"  # the caller's own (valid) token
        response = await gw.http.post(
            "/graphql",
            json={"query": '{ worklogs(from: "2026-11-16", to: "2026-11-22") { id } }'},
            headers={"X-Tempo-Authorization": mine},
        )
        first = {service: set(values) for service, values in seen.items()}
        wrong = await gw.http.post(
            "/graphql", json={"query": "{ teams { name } }"},
            headers={"X-Tempo-Authorization": "Bearer someone-elses-t0ken"},
        )  # fmt: skip
    assert response.status_code == 200 and "errors" not in response.json()
    assert first["tempo"] == {mine}  # the value the caller sent (a valid token: data came back)
    assert all("someone" not in v for s in ("teampulse", "hack24") for v in seen[s])
    errors = wrong.json()["errors"]
    assert {e["extensions"]["code"] for e in errors} == {"UPSTREAM_UNAUTHORIZED"}
    assert "the credentials this request sent" in errors[0]["message"]
    assert "someone-elses-t0ken" not in wrong.text  # never echoed back


async def test_introspection_can_be_switched_off_and_graphiql_with_it(cast: Cast) -> None:
    settings = configured(cast, server={"introspection": False})
    async with open_gateway(cast, settings=settings) as gw:
        schema = await gw.post("{ __schema { types { name } } }")
        typename = await gw.execute("{ __typename teams { __typename name } }")
        page = await gw.http.get("/graphql", headers={"accept": "text/html"})
    assert "introspection" in schema.json()["errors"][0]["message"].lower()
    assert typename["data"]["__typename"] == "Query"
    assert page.headers["content-type"].startswith("application/json")  # no GraphiQL


async def test_introspection_and_graphiql_are_on_by_default(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        schema = await gw.execute("{ __schema { queryType { name } } }")
        page = await gw.http.get("/graphql", headers={"accept": "text/html"})
    assert schema["data"]["__schema"]["queryType"]["name"] == "Query"
    assert page.headers["content-type"].startswith("text/html")


async def test_state_kept_between_requests_is_keyed_by_credentials(cast: Cast) -> None:
    """A 429 answered to one caller's credentials holds back that caller, not the others."""
    fault = FaultTransport(cast)

    async def limited(request: httpx.Request, _n: int) -> httpx.Response | None:
        if request.headers.get("authorization") == "Bearer caller-a-t0ken":
            return httpx.Response(429, headers={"Retry-After": "60"})
        return None

    rule = fault.on("", limited)
    settings = configured(cast, hack24={"caller_credentials_header": "X-Hack24-Authorization"})
    query = "{ users { name } }"

    async def as_caller(value: str) -> dict[str, Any]:
        response = await gw.http.post(
            "/graphql", json={"query": query}, headers={"X-Hack24-Authorization": value}
        )
        body: dict[str, Any] = response.json()
        return body

    async with open_gateway(cast, settings=settings, transports={"hack24": fault}) as gw:
        a_first = await as_caller("Bearer caller-a-t0ken")
        seen_after_a = rule.seen
        a_again = await as_caller("Bearer caller-a-t0ken")
        seen_after_a_again = rule.seen
        b = await as_caller(f"Bearer {cast.credentials.hack24_token}")
        default = await gw.execute(query)
    for result in (a_first, a_again):
        codes = {e["extensions"]["code"] for e in result["errors"]}
        assert codes == {"UPSTREAM_RATE_LIMITED"}
    assert seen_after_a == 1 and seen_after_a_again == 1  # A was held back...
    assert rule.seen > seen_after_a_again  # ...B and the configured credentials were not
    assert "errors" not in b and "errors" not in default
