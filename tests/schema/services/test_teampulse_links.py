"""TeamPulse linked into the unified graph both ways, the loaders it shares with the unified
fields, batching over many parents, and a TeamPulse failure failing only its own fields."""

from __future__ import annotations

from collections import Counter
from typing import Any

from gateway.emulators.cast import Cast
from gateway.emulators.cast_build import build_cast
from gateway.emulators.faults import Faults
from tests.conftest import NOW
from tests.harness import Gateway, configured, open_gateway
from tests.schema.services.test_teampulse import WEEK


def teampulse_calls(gw: Gateway) -> list[str]:
    return sorted(f"{c.method} {c.path}" for c in gw.log.of("teampulse"))


def ok(result: dict[str, Any]) -> dict[str, Any]:
    assert "errors" not in result, result["errors"]
    data: dict[str, Any] = result["data"]
    return data


# -- links both ways ---------------------------------------------------------------------------


async def test_user_teampulse_reaches_their_account_time_tasks_and_activities(cast: Cast) -> None:
    query = """
    query($from: Date!, $to: Date!) {
      bob: user(key: "bob") { teampulse {
        id name displayName user { key }
        timeEntries(from: $from, to: $to) { id date user { id user { key } } task { id } }
        tasks(from: $from, to: $to) { id project { name } }
        activities { id author { name user { key } } }
        flagged: activities(flagged: true) { id }
      } }
      alice: user(key: "alice") { teampulse { id } }
    }"""
    async with open_gateway(cast) as gw:
        data = ok(await gw.execute(query, WEEK))
    bob = data["bob"]["teampulse"]
    assert (bob["id"], bob["name"], bob["displayName"]) == (2, "bob", "Bob Okafor")
    assert bob["user"] == {"key": "bob"}
    entries = bob["timeEntries"]
    assert entries and {e["user"]["id"] for e in entries} == {2}
    assert {e["user"]["user"]["key"] for e in entries} == {"bob"}
    assert [(e["date"], e["id"]) for e in entries] == sorted((e["date"], e["id"]) for e in entries)
    # Their tasks are the ones they logged time against, once each, by id.
    assert [t["id"] for t in bob["tasks"]] == sorted({e["task"]["id"] for e in entries})
    assert {t["project"]["name"] for t in bob["tasks"] if t["project"]} == {"Platform"}
    # Activities name authors by username only; Bob authored two, newest first.
    assert [a["id"] for a in bob["activities"]] == [41605, 41601]
    assert {a["author"]["user"]["key"] for a in bob["activities"]} == {"bob"}
    assert bob["flagged"] == []
    assert data["alice"] == {"teampulse": None}  # alice has no TeamPulse account


async def test_worklog_teampulse_is_the_time_entry_it_was_mapped_from(cast: Cast) -> None:
    query = """
    query($from: Date!, $to: Date!) {
      worklogs(from: $from, to: $to) {
        service durationSeconds description task project user { key }
        teampulse { id hours note task { name project { name } } user { user { key } } }
      }
    }"""
    async with open_gateway(cast) as gw:
        data = ok(await gw.execute(query, WEEK))
    entries = [w for w in data["worklogs"] if w["service"] == "TEAMPULSE"]
    assert entries
    for w in entries:
        tp = w["teampulse"]
        assert w["durationSeconds"] == round(tp["hours"] * 3600)
        assert w["description"] == tp["note"]
        assert w["task"] == tp["task"]["name"]
        assert w["project"] == (tp["task"]["project"] or {}).get("name")
        assert w["user"] == tp["user"]["user"]
    assert all(w["teampulse"] is None for w in data["worklogs"] if w["service"] == "TEMPO")


async def test_project_users_time_entry_users_and_authors_are_users(cast: Cast) -> None:
    query = """
    query($from: Date!, $to: Date!) {
      users { key teampulse { id } }
      teampulse {
        projects { name users { id user { key teampulse { id } } } }
        timeEntries(from: $from, to: $to) { user { id user { key } } }
        activities { author { name user { key } } }
        me { user { key } }
      }
    }"""
    async with open_gateway(cast) as gw:
        answer = ok(await gw.execute(query, WEEK))
    data = answer["teampulse"]
    payments = next(p for p in data["projects"] if p["name"] == "Payments")
    # Sam Taylor is "staylor" in TeamPulse: linked by the demo's explicit configuration.
    assert [u["user"]["key"] for u in payments["users"]] == [
        "grace", "ines", "jonas", "sam.taylor", "kofi",
    ]  # fmt: skip
    assert all(u["user"]["teampulse"]["id"] == u["id"] for u in payments["users"])
    by_id = {u["teampulse"]["id"]: u["key"] for u in answer["users"] if u["teampulse"]}
    assert all(e["user"]["user"]["key"] == by_id[e["user"]["id"]] for e in data["timeEntries"])
    assert {a["author"]["name"]: a["author"]["user"]["key"] for a in data["activities"]} == {
        "grace": "grace", "bob": "bob", "rosa": "rosa", "lena": "lena",
    }  # fmt: skip
    assert data["me"] == {"user": None}  # the gateway's own account is no one's


# -- shared loaders and batching ---------------------------------------------------------------

UNIFIED = """
query($from: Date!, $to: Date!) {
  users { key worklogs(from: $from, to: $to) { durationSeconds } }
}"""

MIXED = """
query($from: Date!, $to: Date!) {
  users {
    key
    worklogs(from: $from, to: $to) { durationSeconds teampulse { id hours task { name } } }
    teampulse {
      id name user { key }
      timeEntries(from: $from, to: $to) { id user { user { key } } }
      tasks(from: $from, to: $to) { id }
    }
  }
  teampulse {
    users { id user { key } }
    timeEntries(from: $from, to: $to) {
      id user { user { key } } task { timeEntries(from: $from, to: $to) { id } }
    }
  }
}"""


async def test_mixing_unified_and_teampulse_fields_costs_no_extra_call() -> None:
    cast = build_cast(scale=3, now=NOW)
    # Both queries list everyone (no directory kept between them): their calls compare.
    async with open_gateway(cast, settings=configured(cast, directory_ttl=0)) as gw:
        unified = ok(await gw.execute(UNIFIED, WEEK))
        alone = sorted(str(c) for c in gw.log.calls)
        gw.log.clear()
        mixed = ok(await gw.execute(MIXED, WEEK))
        both = sorted(str(c) for c in gw.log.calls)
    # The per-service fields read the users list and the range's entries through the very
    # loaders identity and `worklogs` use: every service's calls are exactly the same.
    assert both == alone
    assert teampulse_calls(gw) == ["GET /timeentries", "GET /users"]
    people = [u for u in mixed["users"] if u["teampulse"]]
    assert len(people) == 60 and len(mixed["teampulse"]["users"]) == 60
    assert [u["key"] for u in mixed["users"]] == [u["key"] for u in unified["users"]]
    assert all(u["teampulse"]["user"] == {"key": u["key"]} for u in people)


async def test_project_fields_are_batched_over_twelve_projects() -> None:
    cast = build_cast(scale=3, now=NOW)
    query = """{ teampulse {
      projects { id users { id } timeEntryTypes { id } tasks { id project { users { id } } } }
    } }"""
    async with open_gateway(cast) as gw:
        data = ok(await gw.execute(query))["teampulse"]
    projects = data["projects"]
    assert len(projects) == 12
    ids = sorted(p["id"] for p in projects)
    # One call per project for each per-project endpoint, asked in id order, none twice
    # (a task's project reuses its project's users); tasks come from one `/tasks` call.
    assert Counter(teampulse_calls(gw)) == Counter(
        ["GET /projects", "GET /tasks"]
        + [f"GET /projects/{i}/users" for i in ids]
        + [f"GET /projects/{i}/timeentrytypes" for i in ids]
    )
    # The loader asks in one deterministic order (its keys sorted as text), so the calls a
    # query makes never depend on the order fields resolved in.
    users_calls = [c.path for c in gw.log.of("teampulse") if c.path.endswith("/users")]
    assert users_calls == [f"/projects/{i}/users" for i in sorted(ids, key=str)]
    assert all(len(p["users"]) >= 4 and len(p["timeEntryTypes"]) == 2 for p in projects)
    assert all({t["id"] for t in p["tasks"]} == {4000 + p["id"] * 10 + k for k in range(4)}
               for p in projects)  # fmt: skip


async def test_per_user_fields_over_sixty_users_cost_one_call_each() -> None:
    cast = build_cast(scale=3, now=NOW)
    query = """query($from: Date!, $to: Date!) { teampulse { users {
      timeEntries(from: $from, to: $to) { id } tasks(from: $from, to: $to) { id }
      activities { id } unflagged: activities(flagged: false) { id }
      user { key }
    } } }"""
    async with open_gateway(cast) as gw:
        data = ok(await gw.execute(query, WEEK))["teampulse"]
    assert len(data["users"]) == 60
    assert teampulse_calls(gw) == [
        "GET /activities", "GET /activities", "GET /timeentries", "GET /users",
    ]  # fmt: skip
    # The demo's six activities, each attributed to exactly one of the sixty.
    assert sum(len(u["activities"]) for u in data["users"]) == 6


async def test_per_key_reads_are_deduplicated() -> None:
    cast = build_cast(scale=3, now=NOW)
    query = """{ teampulse {
      a: user(id: 2) { id } b: user(id: 2) { id } c: user(id: 3) { id }
      t: task(id: 4011) { id } u: task(id: 4011) { id }
      e: timeEntry(id: 3001) { id } f: timeEntry(id: 3001) { id }
      p: tasks(project: 1) { id } q: tasks(project: 1) { id }
    } }"""
    async with open_gateway(cast) as gw:
        ok(await gw.execute(query))
    assert teampulse_calls(gw) == [
        "GET /projects/1/tasks", "GET /tasks/4011", "GET /timeentries/3001",
        "GET /users/2", "GET /users/3",
    ]  # fmt: skip


# -- failures ----------------------------------------------------------------------------------


async def test_teampulse_down_fails_only_its_fields(cast: Cast) -> None:
    query = """query($from: Date!, $to: Date!) {
      tempo { roles { name } }
      teampulse { users { id } projects { id } timeEntries(from: $from, to: $to) { id } }
      user(key: "bob") { key teampulse { id } worklogs(from: $from, to: $to) { service } }
    }"""
    async with open_gateway(cast, faults={"teampulse": Faults(down=True)}) as gw:
        result = await gw.execute(query, WEEK)
    data = result["data"]
    assert data["tempo"]["roles"]
    assert data["teampulse"] == {"users": None, "projects": None, "timeEntries": None}
    assert data["user"]["key"] == "bob" and data["user"]["teampulse"] is None
    assert {w["service"] for w in data["user"]["worklogs"]} == {"TEMPO"}
    errors = [e for e in result["errors"] if e["extensions"].get("service") == "teampulse"]
    assert errors and {e["extensions"]["code"] for e in errors} == {"UPSTREAM_UNAVAILABLE"}
    assert all(e["extensions"].get("service") == "teampulse" for e in result["errors"])
    failed = {tuple(e["path"]) for e in errors if "path" in e}
    assert ("teampulse", "users") in failed and ("user", "teampulse") in failed


async def test_teampulse_not_configured_says_how_to_configure_it(cast: Cast) -> None:
    async with open_gateway(cast, only=["tempo", "oncall", "teamoclock", "hack24"]) as gw:
        result = await gw.execute("{ teampulse { users { id } me { id } } }")
    assert result["data"] == {"teampulse": {"users": None, "me": None}}
    assert {e["extensions"]["code"] for e in result["errors"]} == {"SERVICE_NOT_CONFIGURED"}
