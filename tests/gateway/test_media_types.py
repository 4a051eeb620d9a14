"""GraphQL over HTTP: application/graphql-response+json when the client prefers it, with the
spec's status codes; application/json (and 200 for request errors) for everyone else."""

from __future__ import annotations

import httpx
import pytest

from gateway.app import create_demo_app

NEW = "application/graphql-response+json"
CASES = [
    ("{ nope }", None, "GRAPHQL_VALIDATION_FAILED"),
    ("{ teams { key ", None, "GRAPHQL_PARSE_FAILED"),
    ("query($k: String!) { team(key: $k) { name } }", {"k": 3}, "BAD_USER_INPUT"),
    ("{ teams { key } }", None, None),
]


@pytest.mark.parametrize(("query", "variables", "code"), CASES)
@pytest.mark.parametrize("accept", [NEW, f"{NEW}, application/json;q=0.9", "application/json",
                                    None])  # fmt: skip
async def test_status_and_media_type_follow_the_accept_header(
    query: str, variables: dict[str, object] | None, code: str | None, accept: str | None
) -> None:
    app = create_demo_app()
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as http,
    ):
        response = await http.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"accept": accept} if accept else {},
        )
    new = accept is not None and accept.startswith(NEW)
    media = NEW if new else "application/json"
    assert response.headers["content-type"] == f"{media}; charset=utf-8"
    assert "Accept" in response.headers["vary"].split(", ")
    body = response.json()
    if code is None:
        assert response.status_code == 200 and body["data"]["teams"]
    else:
        assert response.status_code == (400 if new else 200)
        assert body["errors"][0]["extensions"]["code"] == code and "data" not in body
