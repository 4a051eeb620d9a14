"""GraphiQL served by the gateway itself, so it works with no network.

The page (GET /graphql from a browser) links only files under ``/graphiql/static/``: React,
ReactDOM and GraphiQL's builds shipped in this package (``static/``; versions, licences and
how to update them in ``README.md`` beside this file) and ``teamgraph-graphiql.js``, which
opens the examples (``examples.py``) and adds the trace toggle. Its Content-Security-Policy
lets the page reach this origin only, so a build that tried another host would fail loudly
in the browser test instead of silently needing the network.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from html import escape
from importlib.resources import files

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from gateway.graphiql.examples import build_examples
from gateway.results import error_body

STATIC_PATH = "/graphiql/static"
# Relative to the page (/graphql), so a gateway behind a path prefix still finds them.
STATIC_HREF = STATIC_PATH.lstrip("/")
SCRIPTS = (
    "react.production.min.js",
    "react-dom.production.min.js",
    "graphiql.min.js",
    "teamgraph-graphiql.js",
)
STYLES = ("graphiql.min.css",)
# GraphiQL sets inline styles (CodeMirror, its resizable panes) and inlines its fonts and
# icons as data: URLs; everything else must come from this origin.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'"
)
# A URL carrying the file's digest never changes meaning; one without it is revalidated.
IMMUTABLE = "public, max-age=31536000, immutable"
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


@dataclass(frozen=True, slots=True)
class Asset:
    body: bytes
    media_type: str
    digest: str  # of the body: the cache-busting `?v=` and the ETag


def load_assets() -> dict[str, Asset]:
    """Every file of the package's ``static/`` folder (licences included), by name."""
    assets: dict[str, Asset] = {}
    for entry in files(__name__).joinpath("static").iterdir():
        if not entry.is_file():
            continue
        body = entry.read_bytes()
        suffix = entry.name[entry.name.rfind(".") :] if "." in entry.name else ""
        media = MEDIA_TYPES.get(suffix, "text/plain; charset=utf-8")
        assets[entry.name] = Asset(body, media, hashlib.sha256(body).hexdigest()[:16])
    missing = [name for name in (*SCRIPTS, *STYLES) if name not in assets]
    if missing:
        raise RuntimeError(
            f"GraphiQL's files {missing} are missing from the installed package; reinstall "
            "teamgraph, or run gateway/graphiql/vendor/update.sh in a checkout"
        )
    return assets


class GraphiQL:
    """The page and its files, for one app. `clock` dates the examples' variables."""

    def __init__(
        self,
        *,
        clock: Callable[[], datetime],
        demo: bool,
        trace_header: str,
        assets: Mapping[str, Asset] | None = None,
    ) -> None:
        self.clock = clock
        self.demo = demo
        self.trace_header = trace_header
        self.assets = dict(assets) if assets is not None else load_assets()

    def routes(self) -> list[Route]:
        return [Route(STATIC_PATH + "/{name}", self.asset, methods=["GET"])]

    def page(self) -> Response:
        today = self.clock().date()
        config = {
            "tabs": [e.as_tab() for e in build_examples(today, demo=self.demo)],
            "traceHeader": self.trace_header,
        }
        # `<` escaped, so no text in the examples can close the script element.
        data = json.dumps(config).replace("<", "\\u003c")
        links = "".join(
            f'<link rel="stylesheet" href="{self._href(n)}">\n' for n in STYLES
        ) + "".join(f'<script src="{self._href(n)}"></script>\n' for n in SCRIPTS[:-1])
        html = PAGE.format(
            links=links,
            data=data,
            glue=self._href(SCRIPTS[-1]),
        )
        headers = {"Content-Security-Policy": CSP, "Cache-Control": "no-store"}
        return HTMLResponse(html, headers=headers)

    async def asset(self, request: Request) -> Response:
        name = request.path_params["name"]
        found = self.assets.get(name)
        if found is None:
            body = error_body(
                f"GraphiQL has no file {name!r}; open /graphql in a browser for the page",
                "NOT_FOUND",
            )
            return JSONResponse(body, status_code=404)
        etag = f'"{found.digest}"'
        versioned = request.query_params.get("v") == found.digest
        headers = {
            "ETag": etag,
            "Cache-Control": IMMUTABLE if versioned else "no-cache",
            "X-Content-Type-Options": "nosniff",
        }
        if etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        return Response(found.body, media_type=found.media_type, headers=headers)

    def _href(self, name: str) -> str:
        return escape(f"{STATIC_HREF}/{name}?v={self.assets[name].digest}")


PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Teamgraph GraphiQL</title>
<link rel="icon" href="data:,">
{links}<style>body {{ margin: 0; }} #graphiql {{ height: 100vh; }}</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<noscript>GraphiQL needs JavaScript; POST your queries to this URL instead.</noscript>
<script id="teamgraph-graphiql" type="application/json">{data}</script>
<script src="{glue}"></script>
</body>
</html>
"""
