"""Persisted operations through HTTP: Apollo's APQ over POST and GET (in the process and in
Redis), and trusted documents from graphql-codegen, Relay and Apollo manifests, allowed
alongside free text or required."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from gateway.emulators.cast import Cast
from gateway.settings import CacheSettings, ConfigError, PersistedSettings, Settings, parse_settings
from tests.gateway.test_cache import redis_url as redis_url  # the module's redis-server
from tests.harness import Gateway, configured, open_gateway

NEW = "application/graphql-response+json"
TEAMS = "{ hack24 { teams { id name } } }"
USER = "query User($key: String!) { user(key: $key) { key name } }"
MUTATION = 'mutation { endMeeting(id: "TWVldGluZzpzdGFuZHVwOnBsYXRmb3Jt") { result { name } } }'


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def apq(text: str, *, version: int = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": sha256(text)}}


def persisted(cast: Cast, **options: Any) -> Settings:
    return configured(cast).model_copy(update={"persisted": PersistedSettings(**options)})


async def send(gw: Gateway, body: dict[str, Any], accept: str = "application/json") -> tuple[
        httpx.Response, int]:  # fmt: skip
    """The answer, and how many upstream calls it made."""
    before = gw.log.count()
    response = await gw.http.post("/graphql", json=body, headers={"accept": accept})
    return response, gw.log.count() - before


async def get(gw: Gateway, **params: Any) -> tuple[httpx.Response, int]:
    before = gw.log.count()
    sent = {k: orjson.dumps(v).decode() if isinstance(v, dict) else v for k, v in params.items()}
    response = await gw.http.get("/graphql", params=sent, headers={"accept": "application/json"})
    return response, gw.log.count() - before


def code(response: httpx.Response) -> str:
    found: str = response.json()["errors"][0]["extensions"]["code"]
    return found


# -- APQ ------------------------------------------------------------------------------------


async def test_apq_round_trip_over_post(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        plain, plain_calls = await send(gw, {"query": TEAMS})
        unknown, unknown_calls = await send(gw, {"extensions": apq(TEAMS)})
        registered, registered_calls = await send(gw, {"query": TEAMS, "extensions": apq(TEAMS)})
        hashed, hashed_calls = await send(gw, {"extensions": apq(TEAMS)})
    assert (unknown.status_code, code(unknown)) == (200, "PERSISTED_QUERY_NOT_FOUND")
    # Apollo Kotlin and iOS match this exact message; Apollo Client the code.
    assert unknown.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    assert "data" not in unknown.json() and unknown.headers["cache-control"] == "no-store"
    assert unknown_calls == 0
    assert registered.json() == hashed.json() == plain.json()
    assert plain.json()["data"]["hack24"]["teams"]
    assert registered_calls == hashed_calls == plain_calls == 1


async def test_apq_round_trip_over_get_with_variables_and_operation_name(cast: Cast) -> None:
    variables = {"key": "alice"}
    # Every request lists everyone, so a request that ran the document shows calls.
    async with open_gateway(cast, settings=configured(cast, directory_ttl=0)) as gw:
        unknown, _ = await get(gw, extensions=apq(USER), variables=variables)
        registered, _ = await get(gw, query=USER, extensions=apq(USER), variables=variables)
        hashed, calls = await get(
            gw, extensions=apq(USER), variables=variables, operationName="User"
        )
        other, _ = await get(gw, extensions=apq(USER), variables={"key": "bob"})
    assert code(unknown) == "PERSISTED_QUERY_NOT_FOUND"
    assert registered.json() == hashed.json()
    assert hashed.json()["data"]["user"]["key"] == "alice" and calls > 0
    assert other.json()["data"]["user"]["key"] == "bob"


async def test_a_hashed_mutation_is_never_run_by_get(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        await send(gw, {"query": MUTATION, "extensions": apq(MUTATION)})  # registered by POST
        gw.log.clear()
        by_get, calls = await get(gw, extensions=apq(MUTATION))
    assert by_get.status_code == 405 and calls == 0


async def test_not_found_is_a_404_under_the_new_media_type(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        unknown, _ = await send(gw, {"extensions": apq(TEAMS)}, NEW)
    assert unknown.status_code == 404 and code(unknown) == "PERSISTED_QUERY_NOT_FOUND"
    assert unknown.headers["content-type"].startswith(NEW)


@pytest.mark.parametrize(
    ("extensions", "expected"),
    [
        (apq("{ __typename }"), "PERSISTED_QUERY_HASH_MISMATCH"),
        (apq(TEAMS, version=2), "PERSISTED_QUERY_VERSION_NOT_SUPPORTED"),
        ({"persistedQuery": {"version": 1, "sha256Hash": "abc"}}, "BAD_REQUEST"),
        ({"persistedQuery": "abc"}, "BAD_REQUEST"),
    ],
    ids=["mismatch", "version", "short-hash", "not-an-object"],
)
async def test_a_bad_persisted_query_is_a_400_and_stores_nothing(
    cast: Cast, extensions: dict[str, Any], expected: str
) -> None:
    async with open_gateway(cast) as gw:
        refused, calls = await send(gw, {"query": TEAMS, "extensions": extensions})
        later, _ = await send(gw, {"extensions": apq("{ __typename }")})
    assert (refused.status_code, code(refused), calls) == (400, expected, 0)
    assert code(later) == "PERSISTED_QUERY_NOT_FOUND"


async def test_apq_can_be_turned_off(cast: Cast) -> None:
    async with open_gateway(cast, settings=persisted(cast, apq=False)) as gw:
        hashed, _ = await send(gw, {"extensions": apq(TEAMS)})
        both, calls = await send(gw, {"query": TEAMS, "extensions": apq(TEAMS)})
    assert hashed.status_code == 200 and code(hashed) == "PERSISTED_QUERY_NOT_SUPPORTED"
    assert hashed.json()["errors"][0]["message"] == "PersistedQueryNotSupported"
    assert both.json()["data"]["hack24"]["teams"] and calls == 1  # the text still runs


async def test_the_in_process_store_is_bounded(cast: Cast) -> None:
    first, second = "{ a: __typename }", "{ b: __typename }"
    room = len(sha256(first)) + len(first) + 10  # one document, not two
    async with open_gateway(cast, settings=persisted(cast, apq_max_bytes=room)) as gw:
        for text in (first, second):
            await send(gw, {"query": text, "extensions": apq(text)})
        evicted, _ = await send(gw, {"extensions": apq(first)})
        kept, _ = await send(gw, {"extensions": apq(second)})
    assert code(evicted) == "PERSISTED_QUERY_NOT_FOUND"
    assert kept.json() == {"data": {"b": "Query"}}


@pytest.fixture
async def redis_settings(cast: Cast, redis_url: str) -> AsyncIterator[Settings]:
    import redis.asyncio as redis

    client = redis.from_url(redis_url)
    await client.flushdb()
    await client.aclose()
    yield configured(cast).model_copy(
        update={"cache": CacheSettings(backend="redis", redis_url=redis_url)}
    )


async def test_apq_in_redis_is_shared_by_replicas(
    cast: Cast, redis_settings: Settings, redis_url: str
) -> None:
    import redis.asyncio as redis

    async with open_gateway(cast, settings=redis_settings) as one:
        await send(one, {"query": TEAMS, "extensions": apq(TEAMS)})
    async with open_gateway(cast, settings=redis_settings) as replica:
        hashed, calls = await send(replica, {"extensions": apq(TEAMS)})
    assert hashed.json()["data"]["hack24"]["teams"] and calls == 1
    client = redis.from_url(redis_url)
    ttl = await client.pttl(f"teamgraph:apq:{sha256(TEAMS)}")
    await client.aclose()
    assert 86_000_000 < ttl <= 86_400_000  # persisted.apq_ttl


# -- trusted documents ----------------------------------------------------------------------

DOCUMENTS = {"teams": TEAMS, "user": USER, "mutation": MUTATION}


def write_manifest(tmp_path: Path, kind: str) -> dict[str, str]:
    """A manifest as each tool writes it; the ids a client would send, by document."""
    ids = {name: sha256(text) for name, text in DOCUMENTS.items()}
    if kind == "codegen":  # persisted-documents.json: {sha256 hex: document}
        data: object = {ids[name]: text for name, text in DOCUMENTS.items()}
    elif kind == "relay":  # persisted_queries.json: {md5 hex: document}
        ids = {name: hashlib.md5(text.encode()).hexdigest() for name, text in DOCUMENTS.items()}
        data = {ids[name]: text for name, text in DOCUMENTS.items()}
    else:  # Apollo's persisted query manifest
        data = {
            "format": "apollo-persisted-query-manifest",
            "version": 1,
            "operations": [
                {"id": ids[name], "name": name, "type": "query", "body": text}
                for name, text in DOCUMENTS.items()
            ],
        }
    (tmp_path / "manifest.json").write_bytes(orjson.dumps(data))
    return ids


@pytest.fixture(params=["codegen", "relay", "apollo"])
def manifest(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[Path, dict[str, str]]]:
    ids = write_manifest(tmp_path, request.param)
    yield tmp_path / "manifest.json", ids


@pytest.mark.parametrize("mode", ["allow", "only"])
async def test_documents_by_id_from_each_manifest_format(
    cast: Cast, manifest: tuple[Path, dict[str, str]], mode: str
) -> None:
    path, ids = manifest
    settings = persisted(cast, manifest=path, mode=mode)
    sha = len(ids["teams"]) == 64
    async with open_gateway(cast, settings=settings) as gw:
        by_id, calls = await send(gw, {"documentId": ids["teams"]})
        prefixed, _ = await send(gw, {"documentId": f"sha256:{ids['teams']}"})
        by_get, _ = await get(gw, documentId=ids["user"], variables={"key": "alice"})
        by_hash, _ = await send(gw, {"extensions": apq(TEAMS)})  # an Apollo persisted query list
        mutation_by_get, _ = await get(gw, documentId=ids["mutation"])
        unknown, unknown_calls = await send(gw, {"documentId": "sha256:" + "0" * 64})
        unknown_strict, _ = await send(gw, {"documentId": "x-unknown"}, NEW)
    assert by_id.json()["data"]["hack24"]["teams"] and calls == 1
    assert by_get.json()["data"]["user"]["key"] == "alice"
    assert mutation_by_get.status_code == 405
    if sha:
        assert prefixed.json() == by_id.json() == by_hash.json()
    assert (unknown.status_code, code(unknown), unknown_calls) == (
        200, "PERSISTED_QUERY_NOT_FOUND", 0)  # fmt: skip
    assert "trusted documents (persisted.manifest)" in unknown.json()["errors"][0]["message"]
    assert unknown_strict.status_code == 404


async def test_allow_mode_still_runs_free_text(
    cast: Cast, manifest: tuple[Path, dict[str, str]]
) -> None:
    path, _ = manifest
    async with open_gateway(cast, settings=persisted(cast, manifest=path)) as gw:
        free, _ = await send(gw, {"query": "{ users { key } }"})
        registered, _ = await send(gw, {"query": "{ x: __typename }",
                                        "extensions": apq("{ x: __typename }")})  # fmt: skip
    assert free.json()["data"]["users"] and registered.json() == {"data": {"x": "Query"}}


async def test_only_mode_runs_nothing_but_the_manifest(
    cast: Cast, manifest: tuple[Path, dict[str, str]]
) -> None:
    path, ids = manifest
    other = "{ users { key } }"
    async with open_gateway(cast, settings=persisted(cast, manifest=path, mode="only")) as gw:
        free, free_calls = await send(gw, {"query": other})
        free_strict, _ = await send(gw, {"query": other}, NEW)
        register, register_calls = await send(gw, {"query": other, "extensions": apq(other)})
        hashed, _ = await send(gw, {"extensions": apq(other)})
        listed_text, listed_calls = await send(gw, {"query": TEAMS})
        by_id, _ = await send(gw, {"documentId": ids["teams"]})
    for refused in (free, free_strict, register):
        assert refused.status_code == 400 and code(refused) == "TRUSTED_DOCUMENT_REQUIRED"
        assert "`documentId`" in refused.json()["errors"][0]["message"]
    assert free_calls == register_calls == 0
    assert code(hashed) == "PERSISTED_QUERY_NOT_FOUND"  # registering it was refused above
    assert listed_text.json() == by_id.json() and listed_calls == 1  # the listed text itself


async def test_a_request_names_a_document_one_way(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        both, _ = await send(gw, {"query": TEAMS, "documentId": "sha256:" + sha256(TEAMS)})
        bad_id, _ = await send(gw, {"documentId": "not/an id"})
        number, _ = await send(gw, {"documentId": 7})
    for refused in (both, bad_id, number):
        assert refused.status_code == 400 and code(refused) == "BAD_REQUEST"


# -- configuration --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (None, "cannot read"),
        (b"{not json", "is not JSON"),
        (b'["{ teams { key } }"]', "must be a JSON object"),
        (b"{}", "lists no documents"),
        (b'{"abc": "{ teams { key }"}', "'abc' is not GraphQL"),
        (b'{"abc": 7}', "is not a string"),
        (b'{"a b": "{ teams { key } }"}', "is not a document id"),
        (b'{"format": "apollo-persisted-query-manifest", "version": 2, "operations": []}',
         "version 2"),
    ],
    ids=["missing", "not-json", "list", "empty", "syntax", "not-text", "bad-id", "version"],
)  # fmt: skip
def test_a_bad_manifest_is_a_config_error(tmp_path: Path, content: bytes | None, says: str) -> None:
    path = tmp_path / "persisted-documents.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ConfigError) as caught:
        parse_settings({"persisted": {"manifest": str(path)}}, env={})
    assert "persisted.manifest: " in str(caught.value) and says in str(caught.value)


@pytest.mark.parametrize(
    ("table", "says"),
    [
        ({"mode": "only"}, 'mode = "only" runs only the documents of a manifest'),
        ({"mode": "only", "apq": True, "manifest": "m.json"}, "contradict"),
        ({"mode": "sometimes"}, "persisted.mode"),
        ({"manifets": "m.json"}, "did you mean 'manifest'?"),
    ],
)
def test_persisted_settings_are_checked(table: dict[str, Any], says: str) -> None:
    with pytest.raises(ConfigError, match=says.replace("(", r"\(")):
        parse_settings({"persisted": table}, env={})


def test_teamgraph_check_reports_a_bad_manifest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from gateway.cli import main

    (tmp_path / "m.json").write_bytes(b"[]")
    config = tmp_path / "c.toml"
    config.write_text(f'[persisted]\nmanifest = "{tmp_path / "m.json"}"\nmode = "only"\n')
    assert main(["check", "--config", str(config)]) == 2
    assert "persisted.manifest: " in capsys.readouterr().err
