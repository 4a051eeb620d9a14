"""Answers are compressed as the client's Accept-Encoding asks, and decode to the same JSON."""

from __future__ import annotations

import httpx
import pytest

from gateway.app import create_app, create_demo_app
from gateway.settings import parse_settings
from tests.schema.test_team_overview import TEAM_OVERVIEW

VARIABLES = {"from": "2026-01-01", "to": "2026-12-31"}


async def _post(app: object, encoding: str) -> httpx.Response:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),  # type: ignore[arg-type]
        base_url="http://gw",
    ) as http:
        return await http.post(
            "/graphql",
            json={"query": TEAM_OVERVIEW, "variables": VARIABLES},
            headers={"accept-encoding": encoding},
        )


@pytest.mark.parametrize(("accepted", "used"), [("br", "br"), ("gzip", "gzip"),
                                                 ("zstd", "zstd"), ("identity", None)])  # fmt: skip
async def test_the_answer_is_compressed_as_accepted(accepted: str, used: str | None) -> None:
    app = create_demo_app()
    async with app.router.lifespan_context(app):
        plain = await _post(app, "identity")
        response = await _post(app, accepted)
    assert response.headers.get("content-encoding") == used
    assert response.json() == plain.json() and "errors" not in plain.json()
    if used:
        assert int(response.headers["content-length"]) < len(plain.content) / 4


async def test_compression_can_be_turned_off() -> None:
    app = create_app(parse_settings({"server": {"compression": False}}, env={}))
    async with app.router.lifespan_context(app):
        response = await _post(app, "gzip")
    assert "content-encoding" not in response.headers
