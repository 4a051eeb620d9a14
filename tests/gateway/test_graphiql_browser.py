"""GraphiQL in a real browser: Debian's Chromium, driven by Playwright, against the demo
gateway on a real socket. The page loads with every request going to the gateway, runs the
TeamOverview tab and shows its data, and the trace button adds the trace header.

Playwright's own browser downloads are never used: it drives /usr/bin/chromium (Debian's
`chromium` package, which .ci/run installs). Without it the test is skipped locally, and
fails in CI (CI=true), where it must run.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import ConsoleMessage, Page, Response, async_playwright, expect

from gateway.app import create_demo_app
from tests.conftest import NOW
from tests.gateway.test_sockets import serving
from tests.servers import free_port

CHROMIUM = Path("/usr/bin/chromium")
# No background traffic: the machine (and CI) have no network, and the test must prove the
# page needs none.
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
TIMEOUT_MS = 30_000  # generous: the machine is shared; a pass takes a few seconds


def chromium() -> str:
    if not CHROMIUM.exists():
        why = f"{CHROMIUM} is missing: apt-get install chromium (as .ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    return str(CHROMIUM)


def is_operation(name: str) -> Any:
    def matches(response: Response) -> bool:
        request = response.request
        return request.method == "POST" and f'"operationName":"{name}"' in (
            request.post_data or ""
        ).replace(" ", "")

    return matches


@dataclass
class Exchange:
    headers: dict[str, str]
    body: Any
    answer: Any


async def run_tab(page: Page, name: str, *, keyboard: bool = False) -> Exchange:
    """Runs the open tab (the ▶ button, or Ctrl+Enter in the editor): what went and came back."""
    async with page.expect_response(is_operation(name), timeout=TIMEOUT_MS) as info:
        if keyboard:
            await page.locator(".graphiql-query-editor .CodeMirror").click()
            await page.keyboard.press("Control+Enter")
        else:
            await page.locator(".graphiql-execute-button").click()
    response = await info.value
    headers = await response.request.all_headers()
    return Exchange(headers, json.loads(response.request.post_data or "{}"), await response.json())


async def test_graphiql_runs_team_overview_offline() -> None:
    executable = chromium()
    port = free_port()
    async with serving(create_demo_app(clock=lambda: NOW), port) as url:
        async with httpx.AsyncClient(base_url=url) as http:
            teams = await http.post("/graphql", json={"query": "{ teams { name } }"})
        names = [t["name"] for t in teams.json()["data"]["teams"]]
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=executable, args=ARGS)
            try:
                context = await browser.new_context(service_workers="block")
                requested: list[str] = []
                problems: list[str] = []
                context.on("request", lambda r: requested.append(r.url))
                page = await context.new_page()

                def console(message: ConsoleMessage) -> None:
                    if message.type == "error":  # CSP refusals show here too
                        problems.append(message.text)

                page.on("console", console)
                page.on("pageerror", lambda e: problems.append(f"page error: {e}"))

                await page.goto(f"{url}/graphql")
                editor = page.locator(".graphiql-query-editor")
                await expect(editor).to_contain_text("query TeamOverview", timeout=TIMEOUT_MS)
                sent = await run_tab(page, "TeamOverview")
                result = page.locator(".result-window")
                shown = re.compile("|".join(re.escape(n) for n in names))
                await expect(result).to_contain_text(shown, timeout=TIMEOUT_MS)

                trace = page.get_by_role("button", name=re.compile("^Trace upstream calls"))
                await trace.click()
                await expect(
                    page.get_by_role("button", name=re.compile("^Tracing is on"))
                ).to_be_visible()
                traced = await run_tab(page, "TeamOverview", keyboard=True)
            finally:
                await browser.close()

    # The tab's variables: the week up to the server's today.
    assert sent.body["variables"] == {"from": "2026-11-16", "to": "2026-11-23"}
    assert "errors" not in sent.answer and sent.answer["data"]["teams"]
    assert "x-teamgraph-trace" not in sent.headers and "extensions" not in sent.answer
    assert traced.headers["x-teamgraph-trace"] == "1"
    assert traced.answer["extensions"]["upstream"]  # each upstream call the request made
    assert problems == []  # no script error, no request refused by the page's CSP
    elsewhere = [u for u in requested if not u.startswith(f"{url}/") and not u.startswith("data:")]
    assert requested and elsewhere == []
