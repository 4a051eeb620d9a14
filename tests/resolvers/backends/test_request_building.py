"""The requests a client sends are the ones ``httpx.AsyncClient`` would have built.

``resolvers.backends.wire.Requests`` skips the ``AsyncClient``'s per-request work and
prepares the headers httpx would derive (Host, Content-Length) once per client: these tests
hold its requests equal, header for header and in order, to what httpx builds itself from
the same client headers.
"""

from __future__ import annotations

import httpx
import pytest

from resolvers.backends.oncall import OncallHmacAuth
from resolvers.backends.wire import Requests

BASE = "http://svc.example:8080/api/v2"
DEFAULTS = {"User-Agent": "teamgraph/0.1", "Accept": "application/json"}
AUTHS: dict[str, tuple[httpx.Auth | None, dict[str, str]]] = {
    "bearer": (None, {"Authorization": "Bearer tok-123"}),
    "basic": (httpx.BasicAuth("org", "key"), {}),
    "hmac": (OncallHmacAuth("app", "secret", clock=lambda: 1_700_000_000.0), {}),
    "none": (None, {}),
}
CALLS = [
    ("GET", "/teams/7/members", None, None),
    ("GET", "/teams", {"get_id": "true", "fields": ["a", "b"]}, None),
    ("POST", "/teams", None, b'{"name":"x"}'),
    ("POST", "/teams/7/refresh", None, None),
    ("PUT", "/teams/7", None, b'{"name":"y"}'),
    ("PATCH", "/teams/7", None, None),
    ("DELETE", "/teams/7", None, None),
]


def expected(
    http: httpx.AsyncClient,
    method: str,
    path: str,
    params: dict[str, str | list[str]] | None,
    content: bytes | None,
    media_type: str,
    authorization: str | None,
) -> httpx.Request:
    """httpx's own request from the client's headers: Host and Content-Length derived by
    ``httpx.Request(content=...)``, the auth applied as ``AsyncClient.send`` would."""
    names = dict(http.headers)
    names["accept"] = media_type
    if content is not None:
        names["content-type"] = media_type
    url = http.build_request(method, path, params=params).url
    request = httpx.Request(method, url, headers=names, content=content)
    if authorization is not None:
        request.headers["Authorization"] = authorization
    elif http.auth is not None:
        request = next(http.auth.sync_auth_flow(request))
    return request


@pytest.mark.parametrize("auth_kind", sorted(AUTHS))
@pytest.mark.parametrize("media_type", ["application/json", "application/vnd.api+json"])
@pytest.mark.parametrize("caller", [None, "Bearer caller-own"])
@pytest.mark.parametrize(("method", "path", "params", "content"), CALLS)
def test_requests_equal_what_httpx_builds(
    auth_kind: str,
    media_type: str,
    caller: str | None,
    method: str,
    path: str,
    params: dict[str, str | list[str]] | None,
    content: bytes | None,
) -> None:
    auth, headers = AUTHS[auth_kind]
    http = httpx.AsyncClient(base_url=BASE, auth=auth, headers={**DEFAULTS, **headers})
    requests = Requests(http)
    for _ in range(2):  # the first call prepares the headers, the second reuses them
        target = requests.target(path, params)
        got = requests.build(method, target, content, media_type, authorization=caller)
        want = expected(http, method, path, params, content, media_type, caller)
        assert got.method == want.method
        assert got.url == want.url
        assert got.headers.raw == want.headers.raw
        assert got.content == want.content
        assert got.extensions["teamgraph.base_path"] == "/api/v2"
        # Made without httpx's constructor (wire._request): the same attributes, the same body.
        assert sorted(vars(got)) == sorted(vars(want))
        assert type(got.stream) is type(want.stream)
        assert b"".join(got.stream) == b"".join(want.stream)  # type: ignore[arg-type]
        assert got.headers.encoding == want.headers.encoding


def test_prepared_headers_are_not_changed_by_a_request() -> None:
    http = httpx.AsyncClient(base_url=BASE, headers=DEFAULTS)
    requests = Requests(http)
    first = requests.build("POST", requests.target("/a", None), b"{}", "application/json")
    first.headers["traceparent"] = "00-x"
    second = requests.build("POST", requests.target("/a", None), b"{}", "application/json")
    assert "traceparent" not in second.headers
    assert second.headers["Content-Length"] == "2"
