"""`tempo { ... }` through the real ASGI app over the emulators: what each type maps, the
links into the unified graph and back, and worklog connections paged onto Tempo's offsets."""

from __future__ import annotations

from typing import Any

from gateway.emulators.cast import Cast
from tests.harness import Gateway, open_gateway

WEEK = {"from": "2026-11-16", "to": "2026-11-22"}


def account_id(cast: Cast, handle: str) -> str:
    tempo = cast.person(handle).tempo
    assert tempo is not None
    return tempo.account_id


def tempo_calls(gw: Gateway) -> list[str]:
    return [f"{c.method} {c.path}" for c in gw.log.of("tempo")]


async def run(gw: Gateway, query: str, variables: dict[str, Any] | None = None) -> Any:
    result = await gw.execute(query, variables)
    assert "errors" not in result, result["errors"]
    return result["data"]


async def test_team_tempo_reaches_the_tempo_team_and_back(cast: Cast) -> None:
    query = """query($alice: String!) { team(key: "platform") { tempo {
      id name summary lead { displayName user { key } } program { id name } team { key }
      permissions { key users { user { key } } }
      permission(key: "tempo.planner.plan.permission") { users { displayName } }
      links { scopeType scopeId team { key } }
      member(accountId: $alice) { teamId active { commitmentPercent role { name } }
        memberships { from to role { name } team { key } } }
      members { member { user { key } } active { from } }
    } } }"""
    async with open_gateway(cast) as gw:
        data = await run(gw, query, {"alice": account_id(cast, "alice")})
    team = data["team"]["tempo"]
    assert (team["id"], team["name"], team["summary"]) == (1, "Platform", "The Platform team")
    assert team["lead"] == {"displayName": "Alice Nguyen", "user": {"key": "alice"}}
    assert team["program"] == {"id": 1, "name": "Product Engineering"}
    assert team["team"] == {"key": "platform"}
    approve = next(p for p in team["permissions"] if p["key"].endswith("approve.timesheet"))
    assert approve["users"] == [{"user": {"key": "alice"}}]
    assert team["permission"] == {"users": [{"displayName": "Alice Nguyen"}]}
    assert [(ln["scopeType"], ln["scopeId"]) for ln in team["links"]] == [
        ("PROJECT", 10001),
        ("BOARD", 1),
    ]
    assert {ln["team"]["key"] for ln in team["links"]} == {"platform"}
    alice = team["member"]
    assert alice["teamId"] == 1
    assert alice["active"] == {"commitmentPercent": 80, "role": {"name": "Team Lead"}}
    # Alice was a developer for a year before she led the team.
    assert [(m["from"], m["to"], m["role"]["name"]) for m in alice["memberships"]] == [
        ("2023-01-01", "2023-12-31", "Developer"),
        ("2024-01-01", None, "Team Lead"),
    ]
    assert [m["member"]["user"]["key"] for m in team["members"]] == [
        "alice", "bob", "carmen", "dmitri.k", "erin", "farid",
    ]  # fmt: skip


async def test_user_tempo_reaches_a_persons_own_reads(cast: Cast) -> None:
    query = """{ user(key: "alice") { tempo {
      accountId displayName user { key }
      plans(from: "2026-11-01", to: "2026-11-30") { assignee { key } assigneeType dates { from } }
      schedule(from: "2026-11-20", to: "2026-11-22") { date requiredSeconds type }
      timesheetApproval(from: "2026-10-01") { period { from to } status { key }
        user { user { key } } reviewer { user { key } } actions }
      timesheetReviewers { user { key } }
      worklogs(from: "2026-11-01", first: 2) { totalCount nodes { author { user { key } } } }
    } } }"""
    async with open_gateway(cast) as gw:
        data = await run(gw, query)
    tempo = data["user"]["tempo"]
    assert tempo["accountId"] == account_id(cast, "alice")
    assert tempo["displayName"] == "Alice Nguyen"
    assert tempo["user"] == {"key": "alice"}
    assert tempo["plans"] and {p["assignee"]["key"] for p in tempo["plans"]} == {"alice"}
    # The weekly grooming plan recurs on the Mondays of November from the 23rd.
    assert [d["from"] for d in tempo["plans"][0]["dates"]] == ["2026-11-23", "2026-11-30"]
    assert [(d["date"], d["requiredSeconds"], d["type"]) for d in tempo["schedule"]] == [
        ("2026-11-20", 28800, "WORKING_DAY"),
        ("2026-11-21", 0, "NON_WORKING_DAY"),
        ("2026-11-22", 0, "NON_WORKING_DAY"),
    ]
    approval = tempo["timesheetApproval"]
    assert approval["period"] == {"from": "2026-10-01", "to": "2026-10-31"}
    assert approval["status"]["key"] == "IN_REVIEW" and approval["actions"] == ["approve", "reject"]
    assert approval["user"]["user"]["key"] == "alice"
    assert approval["reviewer"]["user"]["key"] == "quinn"  # she is a member of Quinn's team
    assert {r["user"]["key"] for r in tempo["timesheetReviewers"]} >= {"alice", "quinn"}
    worklogs = tempo["worklogs"]
    assert worklogs["totalCount"] > 2 and len(worklogs["nodes"]) == 2
    assert {w["author"]["user"]["key"] for w in worklogs["nodes"]} == {"alice"}


async def test_a_person_tempo_does_not_know_has_no_tempo_side(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        data = await run(gw, '{ user(key: "kofi") { key tempo { accountId } } }')
        assert data["user"] == {"key": "kofi", "tempo": None}
        assert gw.log.of("tempo") and "GET /plans" not in " ".join(tempo_calls(gw))


async def test_worklog_tempo_shows_its_work_attribute_values(cast: Cast) -> None:
    query = """query($from: Date!, $to: Date!) { worklogs(from: $from, to: $to, service: TEMPO) {
      tempo { tempoWorklogId issueKey attributes { key value attribute { name type } } } } }"""
    async with open_gateway(cast) as gw:
        data = await run(gw, query, {"from": "2026-10-26", "to": "2026-11-22"})
        attributes = [a for w in data["worklogs"] for a in w["tempo"]["attributes"]]
        # The work attributes were read once for every value that links to its attribute.
        assert tempo_calls(gw).count("GET /work-attributes") == 1
    colors = [a for a in attributes if a["key"] == "_COLOR_"]
    assert colors and all(
        a["attribute"] == {"name": "Color", "type": "STATIC_LIST"} for a in colors
    )
    # A JsonValue is shown as its JSON text: a colour is a quoted string.
    assert {a["value"] for a in colors} <= {'"red"', '"green"', '"blue"', '"yellow"', '"pink"'}


async def test_accounts_customers_and_categories_map_their_payloads(cast: Cast) -> None:
    query = """{ tempo {
      account(key: "PLAT_DEV") { id key name status global monthlyBudget lead { user { key } }
        contact { type displayName user { key } } category { key name typeName }
        customer { key name accounts { key } } }
      ops: account(key: "PLAT_OPS") { contact { type displayName user { key } } }
      closed: accounts(status: "CLOSED") { key status }
      accountCategories(id: 3) { key }
      accountCategoryTypes { name }
    } }"""
    async with open_gateway(cast) as gw:
        data = (await run(gw, query))["tempo"]
    dev = data["account"]
    assert {k: dev[k] for k in ("id", "key", "name", "status", "global", "monthlyBudget")} == {
        "id": 1, "key": "PLAT_DEV", "name": "Platform: Development", "status": "OPEN",
        "global": False, "monthlyBudget": 400,
    }  # fmt: skip
    assert dev["lead"]["user"]["key"] == "alice"
    assert dev["contact"] == {"type": "USER", "displayName": "Bob Okafor", "user": {"key": "bob"}}
    assert dev["category"] == {"key": "development", "name": "Development", "typeName": "BILLABLE"}
    assert dev["customer"]["accounts"] == [{"key": "PLAT_DEV"}, {"key": "PLAT_OPS"}]
    assert data["ops"]["contact"]["type"] == "EXTERNAL" and data["ops"]["contact"]["user"] is None
    assert data["closed"] == [{"key": "PAYM_OPS", "status": "CLOSED"}]
    assert data["accountCategories"] == [{"key": "internal"}]
    assert {t["name"] for t in data["accountCategoryTypes"]} == {
        "BILLABLE", "CAPITALIZED", "INTERNAL", "OPERATIONAL",
    }  # fmt: skip


async def test_plans_link_their_assignee_and_issue(cast: Cast) -> None:
    query = """{ tempo {
      grooming: plan(id: 1) { assigneeType assignee { key } planItemType issueKey rule }
      issue: plan(id: 2) { assignee { key } assigneeTeam { key } planItemId issueKey rule }
    } }"""
    async with open_gateway(cast) as gw:
        data = (await run(gw, query))["tempo"]
    assert data["grooming"] == {
        "assigneeType": "USER", "assignee": {"key": "alice"}, "planItemType": "PROJECT",
        "issueKey": None, "rule": "WEEKLY",
    }  # fmt: skip
    assert data["issue"] == {
        "assignee": {"key": "bob"}, "assigneeTeam": None, "planItemId": "PLAT-12",
        "issueKey": "PLAT-12", "rule": "NEVER",
    }  # fmt: skip


async def test_single_items_are_null_when_tempo_answers_404(cast: Cast) -> None:
    query = """{ tempo {
      team(id: 99) { id } role(id: 99) { id } program(id: 99) { id } account(key: "NOPE") { id }
      accountCategory(key: "nope") { id } customer(key: "NOPE") { id } plan(id: 999) { id }
      teamMembership(id: 999) { id } teamLink(id: 999) { id } worklog(id: 1) { tempoWorklogId }
      worklogByJiraId(jiraWorklogId: 1) { tempoWorklogId } workAttribute(key: "_NOPE_") { key }
      worklogAttributeValue(worklogId: 1001, key: "_COLOR_") { key }
      team1: team(id: 1) { member(accountId: "nobody") { teamId } permission(key: "x") { key } }
    } }"""
    async with open_gateway(cast) as gw:
        data = (await run(gw, query))["tempo"]
    assert data.pop("team1") == {"member": None, "permission": None}
    assert set(data.values()) == {None}


async def test_worklog_connections_fetch_only_the_pages_asked_for(cast: Cast) -> None:
    page = """query($after: String) { tempo { team(id: 1) {
      worklogs(from: "2026-11-16", to: "2026-11-22", first: 3, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
        edges { cursor node { tempoWorklogId startDate } } } } } }"""
    async with open_gateway(cast) as gw:
        first = (await run(gw, page))["tempo"]["team"]["worklogs"]
        cursor = first["pageInfo"]["endCursor"]
        second = (await run(gw, page, {"after": cursor}))["tempo"]["team"]["worklogs"]
        pages = [c for c in gw.log.of("tempo") if c.path == "/worklogs/team/1"]
    assert first["totalCount"] == second["totalCount"] > 6
    assert first["pageInfo"]["hasNextPage"] and not first["pageInfo"]["hasPreviousPage"]
    assert second["pageInfo"]["hasPreviousPage"]
    ids = [e["node"]["tempoWorklogId"] for e in first["edges"] + second["edges"]]
    assert len(set(ids)) == 6 and ids == sorted(ids)  # Tempo's order: by date, then id
    # One call per page, each for exactly that page.
    assert [dict(c.params) for c in pages] == [
        {"from": "2026-11-16", "to": "2026-11-22", "limit": "3"},
        {"from": "2026-11-16", "to": "2026-11-22", "limit": "3", "offset": "3"},
    ]


async def test_a_worklog_list_filters_by_issue_and_project(cast: Cast) -> None:
    query = """{ tempo {
      byIssue: worklogs(from: "2026-10-26", to: "2026-11-22", issues: ["PLAT-226"]) {
        totalCount nodes { issueKey } }
      issue: issueWorklogs(issueKey: "PLAT-226") { totalCount }
      project: projectWorklogs(projectKey: "PLAT", first: 1) { totalCount nodes { issueKey } }
      filter: filterWorklogs(filterId: 10101, first: 1) { totalCount }
      none: issueWorklogs(issueKey: "NOPE-1") { totalCount nodes { issueKey } }
    } }"""
    async with open_gateway(cast) as gw:
        data = (await run(gw, query))["tempo"]
    assert {w["issueKey"] for w in data["byIssue"]["nodes"]} == {"PLAT-226"}
    assert data["issue"]["totalCount"] >= data["byIssue"]["totalCount"] > 0
    assert data["project"]["nodes"][0]["issueKey"].startswith("PLAT-")
    # Filter 10101 is `project = PLAT`: the same worklogs as the project's list.
    assert data["filter"]["totalCount"] == data["project"]["totalCount"]
    assert data["none"] == {"totalCount": 0, "nodes": []}


async def test_the_same_page_asked_twice_is_fetched_once(cast: Cast) -> None:
    query = """{ tempo {
      a: worklogs(from: "2026-11-16", to: "2026-11-22", first: 2) { totalCount }
      b: worklogs(from: "2026-11-16", to: "2026-11-22", first: 2) { nodes { tempoWorklogId } }
      c: roles { id } d: roles { name }
    } }"""
    async with open_gateway(cast) as gw:
        await run(gw, query)
        assert sorted(tempo_calls(gw)) == ["GET /roles", "GET /worklogs"]


async def test_a_cursor_from_elsewhere_is_the_callers_error(cast: Cast) -> None:
    query = '{ tempo { issueWorklogs(issueKey: "PLAT-226", after: "bm9wZQ==") { totalCount } } }'
    async with open_gateway(cast) as gw:
        result = await gw.execute(query)
    assert result["data"]["tempo"]["issueWorklogs"] is None
    assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
