"""Realistic argument values: the seeds read from the gateway, and scalar strategies made of them.

``ID``s of real objects next to forged and malformed ones, ``String``s that are real keys,
emails, usernames and roles (or near misses, or junk), and ``Date``s mostly around the cast's
"now", with the edges of the accepted range and, when hostile, dates past them and malformed
text; also :func:`_pick` and :func:`_weighted`, the choosers the other fuzzing modules use.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

from graphql import ValueNode
from hypothesis import strategies as st
from hypothesis_graphql import nodes

from schema.ids import decode_id, encode_id
from schema.scalars import FIRST_DAY, LAST_DAY
from tests.harness import Gateway

T = TypeVar("T")

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
