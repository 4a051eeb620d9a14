"""Random valid operations over the whole schema, and what every answer must keep.

Shared by ``tests/test_fuzz_schema.py`` (a bounded, reproducible run in CI) and
``bench/fuzz.py`` (a long run that prints each distinct failure, minimized).

Operations come from hypothesis-graphql: any selection of fields, inline fragments on
``Node``, every argument. Its default scalars are random text, which never names anything
that exists, so the scalars here are made realistic enough to reach the data: ``ID``s of real
objects next to forged and malformed ones, ``String``s that are real keys, emails, usernames
and roles (or near misses, or junk), and ``Date``s mostly around the cast's "now", plus the
edges of the accepted range and malformed text. Then some argument values are moved into
variables (hypothesis-graphql only writes literals), so variable coercion is exercised as
well as literal parsing, including variables that are missing or of the wrong JSON type.

What every answer must keep, whatever was asked (:func:`violations`):

* no 5xx from the gateway, and none from an emulator: no faults are injected, so an
  upstream 5xx means we sent something it chokes on;
* a JSON object; a 200 has ``data`` or ``errors``;
* every error has ``extensions.code``, and none is a masked bug: "Unexpected error." /
  INTERNAL_SERVER_ERROR (a resolver raised outside our error family) or INTERNAL_ERROR (a
  client or join raised something unexpected while reading a service).

Reversed, too long or out-of-range date ranges are expected to fail, as clean
BAD_USER_INPUT errors; that is not a violation.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import re
from collections.abc import Collection, Iterable, Mapping
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import TracebackType
from typing import Any, TypeVar

import graphql
from graphql import (
    ArgumentNode,
    DocumentNode,
    NameNode,
    OperationDefinitionNode,
    TypeInfo,
    TypeInfoVisitor,
    ValueNode,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
)
from hypothesis import strategies as st
from hypothesis_graphql import nodes, queries

from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from gateway.results import UNEXPECTED
from schema import schema as _strawberry_schema
from schema.ids import decode_id, encode_id
from schema.scalars import FIRST_DAY, LAST_DAY
from tests.harness import Gateway, open_gateway

T = TypeVar("T")

SCHEMA: graphql.GraphQLSchema = _strawberry_schema._schema

# Codes that mean "a bug, masked": the resolver layer raised outside our error family
# (INTERNAL_SERVER_ERROR), or a service's part of an answer raised unexpectedly
# (INTERNAL_ERROR, see resolvers.common.as_backend_error).
MASKED_CODES = frozenset({"INTERNAL_SERVER_ERROR", "INTERNAL_ERROR"})

# Enough of every kind of object to aim at: the cast has worklogs for the last four weeks
# and shifts for the next two.
SEED_QUERY = """
query Seeds($from: Date!, $to: Date!) {
  teams { id key name accounts { id name } meetings { id } }
  users { id key name email username accounts { id name } }
  events(from: $from, to: $to) { id role }
  worklogs(from: $from, to: $to) { id }
}
"""

_NODE_TYPES = ("Team", "User", "Event", "Worklog", "Meeting")


# -- what to aim at -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Seeds:
    """Real values read from the gateway itself, so generated arguments sometimes hit."""

    today: date
    ids: tuple[str, ...]  # global ids of real objects of every type
    keys: tuple[str, ...]  # the keys inside those ids ("platform", "tempo:17", "123")
    strings: tuple[str, ...]  # team and user keys, names, emails, usernames, roles, slugs


async def collect_seeds(gw: Gateway) -> Seeds:
    today = gw.cast.now.date()
    window = {"from": str(today - timedelta(days=28)), "to": str(today + timedelta(days=14))}
    result = await gw.execute(SEED_QUERY, window)
    assert "errors" not in result, result["errors"]
    data = result["data"]
    ids: list[str] = []
    strings: list[str] = []
    for team in data["teams"]:
        ids.append(team["id"])
        ids.extend(m["id"] for m in team["meetings"])
        strings += [team["key"], team["name"]]
        strings += [v for a in team["accounts"] for v in (a["id"], a["name"]) if v]
    for user in data["users"]:
        ids.append(user["id"])
        strings += [v for k in ("key", "name", "email", "username") if (v := user[k])]
        strings += [v for a in user["accounts"] for v in (a["id"], a["name"]) if v]
    for event in data["events"]:
        ids.append(event["id"])
        strings.append(event["role"])
    ids.extend(w["id"] for w in data["worklogs"])
    # A seed that finds nothing would make the whole fuzz run shallow without saying so.
    assert data["events"] and data["worklogs"] and len(ids) > 50, "the cast looks empty"
    return Seeds(
        today=today,
        ids=tuple(dict.fromkeys(ids)),
        keys=tuple(dict.fromkeys(decode_id(i)[1] for i in ids)),
        strings=tuple(dict.fromkeys(strings)),
    )


# -- scalars ------------------------------------------------------------------------------


def _weighted(*choices: tuple[int, st.SearchStrategy[T]]) -> st.SearchStrategy[T]:
    """One of the strategies, picked in proportion to its weight."""
    pool = [s for weight, s in choices for _ in range(weight)]
    return st.sampled_from(pool).flatmap(lambda s: s)


_ARABIC_INDIC_DIGITS = {ord(str(d)): chr(0x0660 + d) for d in range(10)}


def dates(today: date, *, hostile: bool) -> st.SearchStrategy[str]:
    """Date text: mostly near `today` (so ranges hit data, and are in order half the time),
    sometimes anywhere in the accepted range or on its edges. Hostile: also just past the
    edges, and malformed text."""
    near = st.dates(today - timedelta(days=45), today + timedelta(days=20)).map(date.isoformat)
    anywhere = st.dates(FIRST_DAY, LAST_DAY).map(date.isoformat)
    edges = st.sampled_from([FIRST_DAY, LAST_DAY]).map(date.isoformat)
    if not hostile:
        return _weighted((12, near), (2, anywhere), (1, edges))
    outside = st.sampled_from(
        [FIRST_DAY - timedelta(days=1), date(3000, 1, 1), date.min, date.max]
    ).map(date.isoformat)
    malformed = st.sampled_from(
        [
            "",
            "2026-02-30",
            "2026-13-01",
            "20261123",  # fromisoformat accepts the basic format
            "2026-W48-1",  # and ISO week dates
            "2026-11-23T10:00:00Z",
            "2026-11-23 ",
            "2026-11-23".translate(_ARABIC_INDIC_DIGITS),  # digits, but not ASCII ones
            "+2026-11-23",
            "-001-01-01",
            "null",
        ]
    )
    return _weighted((6, near), (1, edges), (2, outside), (2, malformed), (1, st.text(max_size=12)))


def strings(seeds: Seeds) -> st.SearchStrategy[str]:
    """Real keys, emails, usernames, names and roles; near misses of them; junk."""
    real = st.sampled_from(seeds.strings)
    near_miss = st.one_of(
        real.map(str.upper),
        real.map(str.lower),
        real.map(lambda s: f" {s} "),
        real.map(lambda s: s[:-1]),
        real.map(lambda s: s + "\x00"),
    )
    junk = st.one_of(
        st.text(max_size=30),
        st.sampled_from(["", " ", "%", "*", "../teams", "a/b?c=d#e", "%2F", "null", "🙂"]),
        st.just("x" * 5000),
    )
    return _weighted((6, real), (2, near_miss), (2, junk))


def ids(seeds: Seeds) -> st.SearchStrategy[str]:
    """Real global ids; well-formed ids of every type around keys that exist for another type,
    do not exist, or that upstream APIs may choke on; and text that is no id at all."""
    real = st.sampled_from(seeds.ids)
    digits = st.integers(-1, 10**30).map(str)
    keys = st.one_of(
        st.sampled_from(seeds.keys),  # a real key, usually under another type's name
        digits,
        st.sampled_from(["tempo", "teampulse", "standup", "planpoker", "retro", "jira"]).flatmap(
            lambda prefix: st.one_of(digits, st.sampled_from(seeds.keys), st.text(max_size=8)).map(
                lambda rest: f"{prefix}:{rest}"
            )
        ),
        st.sampled_from(["\uff11\uff12", "\u0663", "\u00b2", "1_000", " 1", "+1", "0x1f", ":"]),
        st.text(min_size=1, max_size=12),
    )
    types = _weighted((9, st.sampled_from(_NODE_TYPES)), (1, st.sampled_from(["Node", "team", ""])))
    forged = st.builds(encode_id, types, keys)
    mangled = st.one_of(
        real.map(lambda i: i.rstrip("=")),
        real.map(lambda i: i.replace("-", "+").replace("_", "/")),
        real.map(lambda i: i + "="),
        real.map(str.swapcase),
    )
    return _weighted((4, real), (6, forged), (1, mangled), (1, st.text(max_size=20)))


def custom_scalars(seeds: Seeds, *, hostile: bool) -> dict[str, st.SearchStrategy[ValueNode]]:
    moments = st.datetimes(datetime(1900, 1, 1), datetime(2999, 12, 31)).map(datetime.isoformat)
    return {
        "Date": dates(seeds.today, hostile=hostile).map(nodes.String),
        # No argument is a DateTime today; this keeps a future one from failing the strategy.
        "DateTime": moments.map(nodes.String),
        "String": strings(seeds).map(nodes.String),
        # IDs may be written as integers too.
        "ID": _weighted(
            (4, ids(seeds).map(nodes.String)), (1, st.integers(-(2**31), 2**31 - 1).map(nodes.Int))
        ),
    }


# -- operations ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Operation:
    query: str
    variables: dict[str, Any] | None = None


# How a hostile operation sends a hoisted argument's variable: its literal's value, left
# out of `variables` (the argument's default applies, or a non-null one is missing), or a
# JSON value of the wrong type (variable coercion must refuse it cleanly).
_AS_GIVEN, _MISSING, _WRONG_TYPE = "as given", "missing", "wrong type"
_HOSTILE_VARIABLE = st.sampled_from([_AS_GIVEN, _AS_GIVEN, _MISSING, _WRONG_TYPE])
_WRONG_JSON = st.one_of(
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.lists(st.text(max_size=4), max_size=2),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)


def _with_variables(draw: st.DrawFn, document: DocumentNode, *, hostile: bool) -> Operation:
    """Move some argument values into variables of the argument's exact type."""
    type_info = TypeInfo(SCHEMA)
    definitions: list[VariableDefinitionNode] = []
    variables: dict[str, Any] = {}

    class Hoist(Visitor):
        def enter_argument(self, node: ArgumentNode, *_: object) -> ArgumentNode | None:
            argument = type_info.get_argument()
            if argument is None or not draw(st.booleans()):
                return None  # keep the literal
            name = f"v{len(definitions)}"
            variable = VariableNode(name=NameNode(value=name))
            type_node = graphql.parse_type(str(argument.type))
            definitions.append(VariableDefinitionNode(variable=variable, type=type_node))
            fate = draw(_HOSTILE_VARIABLE) if hostile else _AS_GIVEN
            if fate == _AS_GIVEN:
                variables[name] = graphql.value_from_ast_untyped(node.value)
            elif fate == _WRONG_TYPE:
                variables[name] = draw(_WRONG_JSON)
            return ArgumentNode(name=node.name, value=variable)

    edited: DocumentNode = graphql.visit(document, TypeInfoVisitor(type_info, Hoist()))
    if not definitions:
        return Operation(graphql.print_ast(edited))
    (operation,) = edited.definitions
    assert isinstance(operation, OperationDefinitionNode)
    named = OperationDefinitionNode(
        operation=operation.operation,
        name=NameNode(value="Fuzz"),
        variable_definitions=tuple(definitions),
        directives=(),
        selection_set=operation.selection_set,
    )
    return Operation(graphql.print_ast(DocumentNode(definitions=(named,))), variables)


def _operations(seeds: Seeds, *, hostile: bool) -> st.SearchStrategy[Operation]:
    scalars = custom_scalars(seeds, hostile=hostile)
    whole: st.SearchStrategy[DocumentNode] = queries(
        SCHEMA, custom_scalars=scalars, print_ast=lambda document: document
    )
    # `node(id:)` takes the richest input (five id formats, each looked up its own way), and
    # is one root field among eight: give it queries of its own too.
    node: st.SearchStrategy[DocumentNode] = queries(
        SCHEMA, fields=["node"], custom_scalars=scalars, print_ast=lambda document: document
    )
    documents = _weighted((3, whole), (1, node))

    @st.composite
    def operation(draw: st.DrawFn) -> Operation:
        return _with_variables(draw, draw(documents), hostile=hostile)

    return operation()


@functools.cache  # built once per seeds: building it is far slower than drawing from it
def operations(seeds: Seeds) -> st.SearchStrategy[Operation]:
    """Mostly well-formed operations, which pass validation and run (a reversed or too long
    range still fails its field); a quarter hostile ones, with dates outside the accepted
    range or malformed, and variables missing or of the wrong type, which are mostly
    refused before they run. Mixing both in one operation would leave little that runs."""
    return _weighted((3, _operations(seeds, hostile=False)), (1, _operations(seeds, hostile=True)))


# -- what every answer must keep ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Violation:
    signature: str  # what kind of failure and where, without list indices: one per bug
    text: str


@dataclass
class Outcome:
    operation: Operation
    status: int
    body: Any  # the decoded JSON, or the text when it is not JSON
    upstream_5xx: list[str] = field(default_factory=list)
    logged: list[str] = field(default_factory=list)  # ERROR records, tracebacks included
    seconds: float = 0.0

    def describe(self) -> str:
        """The operation, its variables, the response, and what the log said: enough to
        reproduce it with curl and to see where it broke."""
        body = self.body if isinstance(self.body, str) else json.dumps(self.body, indent=2)
        parts = [
            "query:",
            self.operation.query,
            "variables: " + json.dumps(self.operation.variables, ensure_ascii=False),
            f"response: HTTP {self.status}",
            body if len(body) < 6000 else body[:6000] + "\n…",
        ]
        if self.upstream_5xx:
            parts += ["upstream 5xx:", *self.upstream_5xx]
        if self.logged:
            parts += ["logged:", *self.logged]
        return "\n".join(parts)


def _where(error: Mapping[str, Any]) -> str:
    path = error.get("path") or []
    return ".".join(str(p) for p in path if not isinstance(p, int)) or "(request)"


def violations(outcome: Outcome) -> list[Violation]:
    found: list[Violation] = []
    if outcome.status >= 500:
        found.append(Violation(f"HTTP {outcome.status}", f"the gateway answered {outcome.status}"))
    for call in outcome.upstream_5xx:
        # "/teams/17/members" and "/teams/18/members" are the same failure.
        found.append(Violation("upstream " + re.sub(r"\d+", "N", call), f"upstream: {call}"))
    body = outcome.body
    if not isinstance(body, dict):
        found.append(Violation("not a JSON object", "the body is not a JSON object"))
        return found
    if outcome.status == 200 and "data" not in body and "errors" not in body:
        found.append(Violation("no data, no errors", "a 200 with neither data nor errors"))
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        where = _where(error)
        if code is None:
            found.append(Violation(f"no code at {where}", f"no extensions.code: {error}"))
        elif code in MASKED_CODES or error.get("message") == UNEXPECTED:
            found.append(Violation(f"{code} at {where}", f"masked bug: {error}"))
    return found


def error_codes(outcome: Outcome) -> list[str]:
    body = outcome.body if isinstance(outcome.body, dict) else {}
    return [str((e.get("extensions") or {}).get("code")) for e in body.get("errors") or []]


# -- one gateway for many examples --------------------------------------------------------


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(self.format(record))


class FuzzGateway:
    """The real app over the emulators, opened once and driven synchronously.

    Hypothesis runs examples one after another in plain functions, so the gateway lives in
    an event loop of its own, kept for all examples: opening the app and five emulators per
    example would cost more than the examples. Reads leave no state behind (fresh loaders
    and memo per request); the circuit breakers and 429 gates are shared, but they only move
    when an upstream fails, which is itself a violation unless a service is `down` on purpose.

    `down` services answer 503 to everything (their 5xx are then expected, not violations);
    services left out of `only` are not configured. Seeds always come from the whole cast.
    """

    def __init__(
        self, cast: Cast, *, down: Collection[str] = (), only: Iterable[str] | None = None
    ) -> None:
        self.cast = cast
        self.down = frozenset(down)
        self.only = only
        self._loop = asyncio.new_event_loop()
        self._stack = AsyncExitStack()
        self._log = _Collect()
        self._gateway: Gateway | None = None
        self._seeds: Seeds | None = None

    @property
    def seeds(self) -> Seeds:
        assert self._seeds is not None, "use FuzzGateway in a with block"
        return self._seeds

    async def _open(self) -> Gateway:
        if self.down or self.only is not None:
            async with open_gateway(self.cast) as whole:
                self._seeds = await collect_seeds(whole)
        faults = {service: Faults(down=True) for service in self.down}
        gateway = await self._stack.enter_async_context(
            open_gateway(self.cast, faults=faults, only=self.only)
        )
        if self._seeds is None:
            self._seeds = await collect_seeds(gateway)
        return gateway

    def __enter__(self) -> FuzzGateway:
        self._gateway = self._loop.run_until_complete(self._open())
        logging.getLogger().addHandler(self._log)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        logging.getLogger().removeHandler(self._log)
        try:
            self._loop.run_until_complete(self._stack.aclose())
            self._loop.run_until_complete(self._loop.shutdown_asyncgens())
        finally:
            self._loop.close()

    def send(self, operation: Operation) -> Outcome:
        gw = self._gateway
        assert gw is not None, "use FuzzGateway in a with block"
        gw.log.clear()
        self._log.records.clear()
        started = self._loop.time()
        response = self._loop.run_until_complete(gw.post(operation.query, operation.variables))
        seconds = self._loop.time() - started
        try:
            body: Any = response.json()
        except ValueError:
            body = response.text
        return Outcome(
            operation,
            response.status_code,
            body,
            upstream_5xx=[
                f"{c} -> {c.status}"
                for c in gw.log.calls
                if c.status is not None and c.status >= 500 and c.service not in self.down
            ],
            logged=list(self._log.records),
            seconds=seconds,
        )
