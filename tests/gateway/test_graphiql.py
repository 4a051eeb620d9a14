"""GraphiQL over HTTP: the page links only files the gateway serves itself, they are cached
for good under their digest, the examples it opens are the README's and run on the demo with
the dates they carry. (tests/gateway/test_graphiql_browser.py runs it in a real browser.)"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from graphql import OperationDefinitionNode, parse, print_ast

from gateway.emulators.cast import Cast
from tests.conftest import NOW
from tests.harness import Gateway, configured, open_gateway

ROOT = Path(__file__).parents[2]
STATIC = ROOT / "gateway" / "graphiql" / "static"
HTML = {"accept": "text/html,application/xhtml+xml"}


async def page_of(gw: Gateway) -> tuple[str, dict[str, Any]]:
    """The page's HTML and the configuration it hands its script."""
    response = await gw.http.get("/graphql", headers=HTML)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    found = re.search(r'<script id="teamgraph-graphiql" type="application/json">(.*?)</script>',
                      response.text, flags=re.S)  # fmt: skip
    assert found, response.text
    return response.text, json.loads(found.group(1))


def operation(document: str) -> OperationDefinitionNode:
    [op] = [d for d in parse(document).definitions if isinstance(d, OperationDefinitionNode)]
    return op


def readme_operation(containing: str) -> OperationDefinitionNode:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for block in re.findall(r"```graphql\n(.*?)```", readme, flags=re.S):
        if containing in block:
            return operation(block)
    raise AssertionError(f"the README has no GraphQL block with {containing!r}")


async def test_the_page_links_only_files_the_gateway_serves(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        response = await gw.http.get("/graphql", headers=HTML)
        links = re.findall(r'(?:src|href)="([^"]*)"', response.text)
        files = {link: await gw.http.get("/" + link.replace("&amp;", "&")) for link in links[1:]}
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "connect-src 'self'" in csp
    assert "script-src 'self';" in csp  # no inline scripts, no eval, no other host
    assert response.headers["cache-control"] == "no-store"  # its dates change every day
    assert links[0] == "data:,"  # the icon: no request at all
    # React, ReactDOM, GraphiQL, its CSS and the page's own script, all from the gateway.
    names = {re.sub(r"\?v=.*", "", link) for link in links[1:]}
    assert names == {
        f"graphiql/static/{n}"
        for n in ("react.production.min.js", "react-dom.production.min.js", "graphiql.min.js",
                  "graphiql.min.css", "teamgraph-graphiql.js")
    }  # fmt: skip
    for link, answer in files.items():
        assert answer.status_code == 200, link
        digest = link.split("?v=")[1]
        assert hashlib.sha256(answer.content).hexdigest().startswith(digest)
        assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
        kind = "text/css" if link.split("?")[0].endswith(".css") else "text/javascript"
        assert answer.headers["content-type"].startswith(kind)


async def test_a_file_asked_without_its_digest_is_revalidated(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        plain = await gw.http.get("/graphiql/static/graphiql.min.js")
        again = await gw.http.get(
            "/graphiql/static/graphiql.min.js", headers={"if-none-match": plain.headers["etag"]}
        )
        licence = await gw.http.get("/graphiql/static/LICENSE.graphiql")
        unknown = await gw.http.get("/graphiql/static/jquery.js")
    assert plain.status_code == 200 and plain.headers["cache-control"] == "no-cache"
    assert again.status_code == 304 and not again.content
    assert licence.status_code == 200 and "MIT License" in licence.text
    assert unknown.status_code == 404
    assert unknown.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_without_graphiql_its_files_are_not_served(cast: Cast) -> None:
    settings = configured(cast, server={"graphiql": False})
    async with open_gateway(cast, settings=settings) as gw:
        page = await gw.http.get("/graphql", headers=HTML)
        script = await gw.http.get("/graphiql/static/teamgraph-graphiql.js")
    assert page.headers["content-type"].startswith("application/json")
    assert script.status_code == 404


async def test_the_demo_opens_examples_dated_from_today_that_run(cast: Cast) -> None:
    settings = configured(cast).model_copy(update={"demo": True})
    async with open_gateway(cast, settings=settings) as gw:
        _, config = await page_of(gw)
        tabs = config["tabs"]
        answers = [
            await gw.execute(tab["query"], json.loads(tab.get("variables", "{}"))) for tab in tabs
        ]
        repeat = await gw.execute(tabs[-1]["query"], json.loads(tabs[-1]["variables"]))
    names = [operation(tab["query"]).name.value for tab in tabs]  # type: ignore[union-attr]
    assert names == ["TeamOverview", "WorklogAuthors", "RosterAndActionItems", "LogWork"]
    assert config["traceHeader"] == "x-teamgraph-trace"
    today = NOW.date()  # the app's clock in the harness
    week = {"from": str(today - timedelta(days=7)), "to": str(today)}
    assert json.loads(tabs[0]["variables"]) == json.loads(tabs[1]["variables"]) == week
    for name, answer in zip(names, answers, strict=True):
        assert "errors" not in answer and all(answer["data"].values()), (name, answer)
    # The week holds demo worklogs: TeamOverview shows data, not empty lists.
    members = [m for team in answers[0]["data"]["teams"] for m in team["members"]]
    assert any(m["worklogs"] for m in members)
    logged = answers[3]["data"]["logWork"]
    assert logged["userErrors"] == [] and logged["result"]["durationSeconds"] == 1800
    assert repeat["data"]["logWork"]["replayed"] is True  # the example's idempotency key


async def test_a_configured_gateway_opens_only_examples_naming_no_demo_data(cast: Cast) -> None:
    async with open_gateway(cast) as gw:  # demo settings, but not the demo: no `demo` flag
        _, config = await page_of(gw)
    names = [operation(tab["query"]).name.value for tab in config["tabs"]]  # type: ignore[union-attr]
    assert names == ["TeamOverview", "WorklogAuthors"]


async def test_the_examples_are_the_readmes_queries(cast: Cast) -> None:
    settings = configured(cast).model_copy(update={"demo": True})
    async with open_gateway(cast, settings=settings) as gw:
        _, config = await page_of(gw)
    shown = {operation(t["query"]).name.value: operation(t["query"]) for t in config["tabs"]}  # type: ignore[union-attr]
    assert print_ast(shown["TeamOverview"]) == print_ast(readme_operation("query TeamOverview"))
    for name, marker in (
        ("WorklogAuthors", "author { user"),
        ("RosterAndActionItems", "actionItems(first: 5)"),
    ):
        readme = readme_operation(marker)
        assert print_ast(shown[name].selection_set) == print_ast(readme.selection_set), name


def test_the_shipped_files_are_the_ones_versions_names() -> None:
    """VERSIONS is written by vendor/update.sh: a file changed by hand shows here."""
    lines = (STATIC / "VERSIONS").read_text(encoding="utf-8").splitlines()
    versions = dict(line.split() for line in lines if re.fullmatch(r"[a-z-]+ [0-9.]+", line))
    assert versions.keys() == {"graphiql", "react", "react-dom"}
    sums = [line.split() for line in lines if re.fullmatch(r"[0-9a-f]{64}  \S+", line)]
    assert len(sums) == 4
    for digest, name in sums:
        assert hashlib.sha256((STATIC / name).read_bytes()).hexdigest() == digest, name
    lock = json.loads((STATIC.parent / "vendor" / "package-lock.json").read_text("utf-8"))
    for package, version in versions.items():
        assert lock["packages"][f"node_modules/{package}"]["version"] == version
        assert (STATIC / f"LICENSE.{package}").is_file()
    licences = (STATIC / "THIRD_PARTY_LICENSES.txt").read_text(encoding="utf-8")
    assert "codemirror" in licences and "graphql " in licences
