"""Random valid operations over the whole schema, and what every answer must keep.

Shared by ``tests/test_fuzz_schema.py`` (a bounded, reproducible run in CI) and
``bench/fuzz.py`` (a long run that prints each distinct failure, minimized).

Operations come from hypothesis-graphql: any selection of fields, inline fragments on
``Node``, every argument; a third of them are about one root field, and a third are aimed at
one field anywhere in the schema (hypothesis-graphql alone leaves some fields out of
thousands of operations). Its default scalars are random text, which never names anything
that exists, so the scalars here are made realistic enough to reach the data: ``ID``s of real
objects next to forged and malformed ones, ``String``s that are real keys, emails, usernames
and roles (or near misses, or junk), and ``Date``s mostly around the cast's "now", plus the
edges of the accepted range and, in hostile operations, dates past them and malformed text.
Then some argument values are moved into variables (hypothesis-graphql only writes
literals), so variable coercion is exercised as well as literal parsing, including (hostile
again) variables that are missing or of the wrong JSON type.

What every answer must keep, whatever was asked (:func:`violations`):

* no 5xx from the gateway, and none from an emulator: no faults are injected, so an
  upstream 5xx means we sent something it chokes on;
* a JSON object; a 200 has ``data`` or ``errors``;
* every error has ``extensions.code``, and none is a masked bug: "Unexpected error." /
  INTERNAL_SERVER_ERROR (a resolver raised outside our error family) or INTERNAL_ERROR (a
  client or join raised something unexpected while reading a service);
* nothing is logged at ERROR (expected failures log WARNING).

Reversed, too long or out-of-range date ranges are expected to fail, as clean
BAD_USER_INPUT errors; that is not a violation.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
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
from tests.recording import Call

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


def _pick(values: Sequence[T]) -> st.SearchStrategy[T]:
    """`sampled_from`, but with a short repr: Hypothesis writes a strategy's repr into its
    reports, and one listing a thousand ids (or strategies listing them) runs to 60 kB."""
    return st.integers(0, len(values) - 1).map(values.__getitem__)


def _weighted(*choices: tuple[int, st.SearchStrategy[T]]) -> st.SearchStrategy[T]:
    """One of the strategies, picked in proportion to its weight."""
    pool = [s for weight, s in choices for _ in range(weight)]
    return _pick(pool).flatmap(lambda s: s)


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
    real = _pick(seeds.strings)
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


# Near misses of a real key: the numbers in it moved (to a neighbour that may not exist, to
# zero, negative, or past any integer column), its service or meeting kind swapped, or its
# prefix dropped.
_NEAR_KEY: tuple[Callable[[str], str], ...] = (
    lambda k: re.sub(r"\d+", lambda m: str(int(m.group()) + 1), k),
    lambda k: re.sub(r"\d+", "0", k),
    lambda k: re.sub(r"\d+", "-1", k),
    lambda k: re.sub(r"\d+", "9" * 25, k),
    lambda k: re.sub(r"\d", "\uff11", k),  # full-width digits: isdigit() says yes
    lambda k: (
        k.replace("tempo:", "teampulse:") if "tempo:" in k else k.replace("teampulse:", "tempo:")
    ),
    lambda k: re.sub(r"^(standup|planpoker|retro):", "retro:", k) if ":" in k else "standup:" + k,
    lambda k: k.partition(":")[2] or k + ":",
    lambda k: "oncall:" + k.rpartition(":")[2],  # a service that logs no time
)


def ids(seeds: Seeds) -> st.SearchStrategy[str]:
    """Real global ids; well-formed ids of every type around keys that are real (under their
    own type or another), near misses of real keys, or junk; mangled encodings of real ids;
    and text that is no id at all."""
    real = _pick(seeds.ids)
    real_key = _pick(seeds.keys)
    keys = _weighted(
        (3, real_key),
        (4, st.tuples(real_key, st.sampled_from(_NEAR_KEY)).map(lambda kf: kf[1](kf[0]))),
        (1, st.integers(-1, 10**30).map(str)),
        (1, st.text(min_size=1, max_size=12)),
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


# -- operations aimed at one field --------------------------------------------------------
#
# hypothesis-graphql picks fields unevenly: in a thousand operations some fields never turn
# up (`Roster.members`, `Account.id`, `Contacts.email`), others once or twice
# (`Membership.from`). So a third of the operations are aimed: pick any field of any type,
# evenly, and reach it from the root by a random shortest route (`teams`, `team(key:)` or
# `node(id:)` for a Team field, say), with random arguments on the way.

_Composite = graphql.GraphQLObjectType | graphql.GraphQLInterfaceType


Target = tuple[str, str]  # (object type, field), e.g. ("Membership", "from")


def targets() -> list[Target]:
    """Every field of every object type an operation can reach."""
    return _reachable()[1]


def _reachable() -> tuple[dict[str, int], list[Target]]:
    """Each object type's distance from the root, and every (type, field) to aim at."""
    assert SCHEMA.query_type is not None
    depth = {SCHEMA.query_type.name: 0}
    queue = [SCHEMA.query_type]
    while queue:
        parent = queue.pop(0)
        for field_ in parent.fields.values():
            for child in _concrete(graphql.get_named_type(field_.type)):
                if child.name not in depth:
                    depth[child.name] = depth[parent.name] + 1
                    queue.append(child)
    targets = [(name, field_name) for name in depth for field_name in _object(name).fields]
    return depth, targets


def _object(name: str) -> graphql.GraphQLObjectType:
    found = SCHEMA.get_type(name)
    assert isinstance(found, graphql.GraphQLObjectType)
    return found


def _concrete(named: graphql.GraphQLNamedType) -> list[graphql.GraphQLObjectType]:
    """The object types a field of this type can return."""
    if isinstance(named, graphql.GraphQLObjectType):
        return [named]
    if isinstance(named, graphql.GraphQLInterfaceType):
        return list(SCHEMA.get_implementations(named).objects)
    if isinstance(named, graphql.GraphQLUnionType):
        return list(named.types)
    return []


def _value(
    type_: graphql.GraphQLInputType, scalars: Mapping[str, st.SearchStrategy[ValueNode]]
) -> st.SearchStrategy[ValueNode]:
    """Literal values of an input type, `null` included where the type allows it."""
    if isinstance(type_, graphql.GraphQLNonNull):
        inner = type_.of_type
        if isinstance(inner, graphql.GraphQLList):
            return st.lists(_value(inner.of_type, scalars), max_size=3).map(nodes.List)
        if isinstance(inner, graphql.GraphQLInputObjectType):
            return st.fixed_dictionaries(
                {n: _value(f.type, scalars) for n, f in inner.fields.items()}
            ).map(
                lambda values: nodes.Object(
                    [
                        graphql.ObjectFieldNode(name=NameNode(value=n), value=v)
                        for n, v in values.items()
                    ]
                )
            )
        if isinstance(inner, graphql.GraphQLEnumType):
            return st.sampled_from(list(inner.values)).map(nodes.Enum)
        if inner.name in scalars:
            return scalars[inner.name]
        return _BUILT_IN[inner.name]
    return st.one_of(st.just(nodes.Null), _value(graphql.GraphQLNonNull(type_), scalars))


_BUILT_IN: dict[str, st.SearchStrategy[ValueNode]] = {
    "Int": st.integers(-(2**31), 2**31 - 1).map(nodes.Int),
    "Float": st.floats(allow_nan=False, allow_infinity=False).map(nodes.Float),
    "Boolean": st.booleans().map(nodes.Boolean),
}


def _aimed(
    scalars: Mapping[str, st.SearchStrategy[ValueNode]], aim: Target | None
) -> st.SearchStrategy[DocumentNode]:
    """Operations reaching `aim`, or a field picked evenly among all of them."""
    depth, every = _reachable()
    # Into each type from the level above it: (parent type, field), through interfaces too.
    routes = {
        child: sorted(
            (parent, name)
            for parent, d in depth.items()
            if d == depth[child] - 1
            for name, f in _object(parent).fields.items()
            if child in (t.name for t in _concrete(graphql.get_named_type(f.type)))
        )
        for child in depth
    }

    def arguments(draw: st.DrawFn, field_: graphql.GraphQLField) -> tuple[ArgumentNode, ...]:
        out = []
        for name, argument in field_.args.items():
            if not graphql.is_required_argument(argument) and draw(st.booleans()):
                continue  # left out: its default applies
            value = draw(_value(argument.type, scalars))
            out.append(ArgumentNode(name=NameNode(value=name), value=value))
        return tuple(out)

    def field_node(
        draw: st.DrawFn,
        field_: graphql.GraphQLField,
        name: str,
        selections: tuple[graphql.SelectionNode, ...] = (),
    ) -> graphql.FieldNode:
        selection_set = graphql.SelectionSetNode(selections=selections) if selections else None
        return graphql.FieldNode(
            name=NameNode(value=name),
            arguments=arguments(draw, field_),
            directives=(),
            selection_set=selection_set,
        )

    def leaf_selection(
        draw: st.DrawFn, named: graphql.GraphQLNamedType
    ) -> tuple[graphql.SelectionNode, ...]:
        """Something to select under a composite field: one of its leaves, or `__typename`."""
        if not isinstance(named, _Composite):
            return ()
        leaves = [
            n
            for n, f in named.fields.items()
            if graphql.is_leaf_type(graphql.get_named_type(f.type))
        ]
        name = draw(st.sampled_from(leaves or ["__typename"]))
        if name == "__typename":
            return (graphql.FieldNode(name=NameNode(value=name), arguments=(), directives=()),)
        return (field_node(draw, named.fields[name], name),)

    @st.composite
    def aimed(draw: st.DrawFn) -> DocumentNode:
        type_name, field_name = aim or draw(st.sampled_from(every))
        target = _object(type_name).fields[field_name]
        selection: graphql.SelectionNode = field_node(
            draw, target, field_name, leaf_selection(draw, graphql.get_named_type(target.type))
        )
        while depth[type_name] > 0:  # climb towards the root, one level at a time
            parent, name = draw(st.sampled_from(routes[type_name]))
            route = _object(parent).fields[name]
            if graphql.get_named_type(route.type).name != type_name:  # through an interface
                selection = graphql.InlineFragmentNode(
                    type_condition=graphql.NamedTypeNode(name=NameNode(value=type_name)),
                    directives=(),
                    selection_set=graphql.SelectionSetNode(selections=(selection,)),
                )
            selection = field_node(draw, route, name, (selection,))
            type_name = parent
        operation = OperationDefinitionNode(
            operation=graphql.OperationType.QUERY,
            variable_definitions=(),
            directives=(),
            selection_set=graphql.SelectionSetNode(selections=(selection,)),
        )
        return DocumentNode(definitions=(operation,))

    return aimed()


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


def _operations(
    seeds: Seeds, *, hostile: bool, aim: Target | None = None
) -> st.SearchStrategy[Operation]:
    scalars = custom_scalars(seeds, hostile=hostile)

    def documents(fields: list[str] | None) -> st.SearchStrategy[DocumentNode]:
        return queries(
            SCHEMA, fields=fields, custom_scalars=scalars, print_ast=lambda document: document
        )

    chosen: st.SearchStrategy[DocumentNode]
    if aim is not None:
        chosen = _aimed(scalars, aim)
    else:
        # Left to itself, hypothesis-graphql picks root fields unevenly (`worklogs(user:)` or
        # a root `events` with its filters turn up once in hundreds of operations): a third
        # of the operations are about one root field each, chosen evenly, and a third aimed
        # at one field anywhere (see `_aimed`).
        assert SCHEMA.query_type is not None
        single = [documents([name]) for name in SCHEMA.query_type.fields]
        chosen = _weighted(
            (1, documents(None)),
            (1, _pick(single).flatmap(lambda s: s)),
            (1, _aimed(scalars, None)),
        )

    @st.composite
    def operation(draw: st.DrawFn) -> Operation:
        return _with_variables(draw, draw(chosen), hostile=hostile)

    return operation()


@functools.cache  # built once per seeds: building it is far slower than drawing from it
def well_formed(seeds: Seeds) -> st.SearchStrategy[Operation]:
    """Operations with nothing hostile in them: each must pass validation, and run."""
    return _operations(seeds, hostile=False)


@functools.cache
def operations(seeds: Seeds, aim: Target | None = None) -> st.SearchStrategy[Operation]:
    """Mostly well-formed operations, which pass validation and run (a reversed or too long
    range still fails its field); a quarter hostile ones, with dates outside the accepted
    range or malformed, and variables missing or of the wrong type, which are mostly
    refused before they run. Mixing both in one operation would leave little that runs.

    With `aim`, every operation reaches that field (with random arguments on the way)."""
    return _weighted(
        (3, _operations(seeds, hostile=False, aim=aim)),
        (1, _operations(seeds, hostile=True, aim=aim)),
    )


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


# Upstream 500s the real servers give on purpose, which the emulators copy: not our input
# choking them. oncall 2.1.7 answers an unknown schedule id with a 500 (the gateway shows it
# as that field's UPSTREAM_UNAVAILABLE, which the checks below still require to be clean).
_DOCUMENTED_500 = (("oncall", re.compile(r"/schedules/-?\d+")),)


def _documented_500(call: Call) -> bool:
    return call.status == 500 and any(
        call.service == service and pattern.fullmatch(call.path)
        for service, pattern in _DOCUMENTED_500
    )


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
    # Expected failures (an outage, a bad argument) log one WARNING; an ERROR is a bug, even
    # when the response it went with looks clean.
    for logger in dict.fromkeys(record.split(" ", 1)[0] for record in outcome.logged):
        found.append(Violation(f"ERROR logged by {logger}", f"{logger} logged an ERROR"))
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
                if c.status is not None
                and c.status >= 500
                and c.service not in self.down
                and not _documented_500(c)
            ],
            logged=list(self._log.records),
            seconds=seconds,
        )
