"""Tempo's mutations, concept by concept: what each answers (linked into the unified graph),
what a read shows afterwards, and Tempo's refusals as `userErrors`."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.emulators.cast import Cast
from tests.harness import Gateway, open_gateway

ERRORS = "userErrors { field message code }"


def account_id(cast: Cast, handle: str) -> str:
    tempo = cast.person(handle).tempo
    assert tempo is not None
    return tempo.account_id


async def run(gw: Gateway, document: str, **variables: Any) -> dict[str, Any]:
    """The answer's data; the answer must have no top-level errors."""
    result = await gw.execute(document, variables)
    assert "errors" not in result, result["errors"]
    data: dict[str, Any] = result["data"]
    return data


def writes(gw: Gateway) -> list[str]:
    return [str(c) for c in gw.log.calls if c.method != "GET"]


# -- results, and the reads that show them ---------------------------------------------------


async def test_an_account_is_created_linked_and_read_back(cast: Cast) -> None:
    create = f"""mutation($lead: String!, $contact: String!) {{
      createTempoAccount(input: {{key: "PLAT_RND", name: "Platform: Research", status: "OPEN",
        leadAccountId: $lead, contactAccountId: $contact, categoryKey: "capex",
        customerKey: "GLOBEX", monthlyBudget: 120, global: false}}) {{
        result {{ key name status monthlyBudget lead {{ user {{ key }} }}
                  contact {{ type user {{ key }} }} category {{ key }} customer {{ key }} }}
        {ERRORS} replayed }} }}"""
    async with open_gateway(cast) as gw:
        ids = {"lead": account_id(cast, "alice"), "contact": account_id(cast, "bob")}
        made = (await run(gw, create, **ids))["createTempoAccount"]
        assert made["userErrors"] == [] and made["replayed"] is False
        assert made["result"] == {
            "key": "PLAT_RND",
            "name": "Platform: Research",
            "status": "OPEN",
            "monthlyBudget": 120,
            "lead": {"user": {"key": "alice"}},
            "contact": {"type": "USER", "user": {"key": "bob"}},
            "category": {"key": "capex"},
            "customer": {"key": "GLOBEX"},
        }
        assert writes(gw) == ["tempo POST /accounts"]
        read = await run(gw, '{ tempo { customer(key: "GLOBEX") { accounts { key } } } }')
        assert {"key": "PLAT_RND"} in read["tempo"]["customer"]["accounts"]


async def test_put_replaces_the_whole_account_so_left_out_fields_are_cleared(cast: Cast) -> None:
    update = f"""mutation($lead: String!) {{
      updateTempoAccount(key: "PLAT_DEV", input: {{key: "PLAT_BUILD", name: "Platform: Build",
        status: "CLOSED", leadAccountId: $lead}}) {{ result {{ key }} {ERRORS} }} }}"""
    async with open_gateway(cast) as gw:
        await run(gw, update, lead=account_id(cast, "bob"))
        read = await run(
            gw,
            '{ tempo { old: account(key: "PLAT_DEV") { key } new: account(key: "PLAT_BUILD") '
            "{ name status lead { user { key } } contact { type } category { key } "
            "customer { key } monthlyBudget } } }",
        )
    assert read["tempo"] == {
        "old": None,
        "new": {
            "name": "Platform: Build",
            "status": "CLOSED",
            "lead": {"user": {"key": "bob"}},
            "contact": None,
            "category": None,
            "customer": None,
            "monthlyBudget": None,
        },
    }


async def test_deletes_answer_the_key_or_id_of_what_is_gone(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        gone = await run(
            gw,
            f'mutation {{ a: deleteTempoCustomer(key: "INITECH") {{ result {ERRORS} }} '
            f"b: deleteTempoWorklog(id: 1001) {{ result {ERRORS} }} }}",
        )
        assert gone == {
            "a": {"result": "INITECH", "userErrors": []},
            "b": {"result": 1001, "userErrors": []},
        }
        assert writes(gw) == ["tempo DELETE /customers/INITECH", "tempo DELETE /worklogs/1001"]
        read = await run(
            gw,
            '{ tempo { customer(key: "INITECH") { key } worklog(id: 1001) { tempoWorklogId } '
            'account(key: "MOBI_DEV") { customer { key } } } }',
        )
    assert read["tempo"] == {"customer": None, "worklog": None, "account": {"customer": None}}


async def test_a_membership_links_its_team_and_member(cast: Cast) -> None:
    create = f"""mutation($who: String!) {{
      createTempoTeamMembership(input: {{teamId: 2, accountId: $who, roleId: 3,
        commitmentPercent: 20, from: "2026-12-01", to: "2027-02-28"}}) {{
        result {{ id teamId commitmentPercent from to role {{ name }}
                  team {{ key }} member {{ accountId user {{ key }} }} }} {ERRORS} }} }}"""
    async with open_gateway(cast) as gw:
        alice = account_id(cast, "alice")
        made = (await run(gw, create, who=alice))["createTempoTeamMembership"]["result"]
        assert made["teamId"] == 2 and made["team"] == {"key": "payments"}
        assert made["member"] == {"accountId": alice, "user": {"key": "alice"}}
        assert (made["from"], made["to"], made["role"]) == (
            "2026-12-01", "2027-02-28", {"name": "Developer"}
        )  # fmt: skip
        read = await run(
            gw,
            "query($who: String!, $id: Int!) { tempo { teamMembership(id: $id) "
            "{ commitmentPercent } team(id: 2) { member(accountId: $who) { memberships { id } } } "
            "} }",
            who=alice,
            id=made["id"],
        )
    assert read["tempo"]["teamMembership"] == {"commitmentPercent": 20}
    assert read["tempo"]["team"]["member"]["memberships"] == [{"id": made["id"]}]


async def test_a_membership_update_falls_back_to_tempos_defaults(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        updated = await run(
            gw,
            'mutation { updateTempoTeamMembership(id: 2, input: {from: "2024-02-01"}) '
            f"{{ result {{ id commitmentPercent from to role {{ name }} }} {ERRORS} }} }}",
        )
    assert updated["updateTempoTeamMembership"]["result"] == {
        "id": 2,
        "commitmentPercent": 100,
        "from": "2024-02-01",
        "to": None,
        "role": {"name": "Default team role"},
    }


async def test_a_program_holds_exactly_the_teams_it_names(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        made = await run(
            gw,
            'mutation { createTempoProgram(input: {name: "Growth", teamIds: [3, 4]}) '
            f"{{ result {{ id teams {{ id team {{ key }} }} }} {ERRORS} }} }}",
        )
        program = made["createTempoProgram"]["result"]
        assert [t["id"] for t in program["teams"]] == [3, 4]
        read = await run(gw, "{ tempo { programs { id teams { id } } } }")
    teams = {p["id"]: [t["id"] for t in p["teams"]] for p in read["tempo"]["programs"]}
    assert teams[1] == [1, 2]  # the engineering program lost the teams the new one named
    assert teams[program["id"]] == [3, 4]


async def test_a_worklog_round_trips_its_attributes_as_json_text(cast: Cast) -> None:
    create = f"""mutation($me: String!) {{
      createTempoWorklog(input: {{issueKey: "PLAT-226", timeSpentSeconds: 5400,
        billableSeconds: 3600, startDate: "2026-11-23", startTime: "09:30:00",
        authorAccountId: $me, description: "Incident review",
        attributes: [{{key: "_COLOR_", value: "\\"green\\""}},
                     {{key: "_DELIVERED_", value: "true"}}]}}) {{
        result {{ tempoWorklogId issueKey timeSpentSeconds billableSeconds startTime
                  author {{ user {{ key }} }} attributes {{ key value }} }} {ERRORS} }} }}"""
    async with open_gateway(cast) as gw:
        made = await run(gw, create, me=account_id(cast, "bob"))
        worklog = made["createTempoWorklog"]["result"]
        attributes = [
            {"key": "_COLOR_", "value": '"green"'},
            {"key": "_DELIVERED_", "value": "true"},
        ]
        assert worklog["attributes"] == attributes
        assert worklog["author"] == {"user": {"key": "bob"}}
        assert (worklog["timeSpentSeconds"], worklog["billableSeconds"]) == (5400, 3600)
        read = await run(
            gw,
            "query($id: Int!) { tempo { worklog(id: $id) { startTime description "
            "attributes { key value } } } }",
            id=worklog["tempoWorklogId"],
        )
    assert read["tempo"]["worklog"] == {
        "startTime": "09:30:00",
        "description": "Incident review",
        "attributes": attributes,
    }


async def test_a_timesheet_goes_through_its_approval(cast: Cast) -> None:
    steps = f"""mutation($bob: String!, $alice: String!) {{
      submit: submitTempoTimesheet(accountId: $bob,
        input: {{reviewerAccountId: $alice, comment: "All logged"}}) {{
        result {{ status {{ key comment actor {{ user {{ key }} }} }}
                  reviewer {{ user {{ key }} }} actions }} {ERRORS} }}
      reject: rejectTempoTimesheet(accountId: $bob, input: {{comment: "Friday?"}}) {{
        result {{ status {{ key comment }} actions }} {ERRORS} }}
      resubmit: submitTempoTimesheet(accountId: $bob, input: {{reviewerAccountId: $alice}}) {{
        result {{ status {{ key }} }} {ERRORS} }}
      approve: approveTempoTimesheet(accountId: $bob) {{
        result {{ status {{ key actor {{ user {{ key }} }} }} actions }} {ERRORS} }}
      reopen: reopenTempoTimesheet(accountId: $bob, input: {{comment: "Wrong account"}}) {{
        result {{ status {{ key comment }} actions }} {ERRORS} }} }}"""
    async with open_gateway(cast) as gw:
        ids = {"bob": account_id(cast, "bob"), "alice": account_id(cast, "alice")}
        done = await run(gw, steps, **ids)
        assert done["submit"]["result"] == {
            "status": {
                "key": "IN_REVIEW",
                "comment": "All logged",
                "actor": {"user": {"key": "bob"}},
            },
            "reviewer": {"user": {"key": "alice"}},
            "actions": ["approve", "reject"],
        }
        assert done["reject"]["result"] == {
            "status": {"key": "OPEN", "comment": "Friday?"}, "actions": ["submit"]
        }  # fmt: skip
        assert done["resubmit"]["result"] == {"status": {"key": "IN_REVIEW"}}
        assert done["approve"]["result"] == {
            "status": {"key": "APPROVED", "actor": {"user": {"key": "alice"}}},
            "actions": ["reopen"],
        }
        assert done["reopen"]["result"]["status"] == {"key": "OPEN", "comment": "Wrong account"}
        assert [w.split("/")[-1] for w in writes(gw)] == [
            "submit", "reject", "submit", "approve", "reopen"
        ]  # fmt: skip
        read = await run(
            gw,
            "query($bob: String!) { tempo { user(accountId: $bob) "
            "{ timesheetApproval { status { key comment } } } } }",
            bob=ids["bob"],
        )
    status = read["tempo"]["user"]["timesheetApproval"]["status"]
    assert status == {"key": "OPEN", "comment": "Wrong account"}


async def test_a_plan_and_a_role_are_created_and_read_back(cast: Cast) -> None:
    create = f"""mutation($me: String!) {{
      plan: createTempoPlan(input: {{accountId: $me, startDate: "2026-11-24",
        endDate: "2026-11-25", plannedPerDaySeconds: 7200, issueKey: "PLAT-226",
        rule: "WEEKLY", recurrenceEndDate: "2026-12-08"}}) {{
        result {{ id rule issueKey assignee {{ key }} dates {{ from to timePlannedSeconds }} }}
        {ERRORS} }}
      role: createTempoRole(input: {{name: "Product Owner"}}) {{
        result {{ id name default }} {ERRORS} }} }}"""
    async with open_gateway(cast) as gw:
        made = await run(gw, create, me=account_id(cast, "bob"))
        plan, role = made["plan"]["result"], made["role"]["result"]
        assert (plan["rule"], plan["issueKey"], plan["assignee"]) == (
            "WEEKLY", "PLAT-226", {"key": "bob"}
        )  # fmt: skip
        assert plan["dates"] == [
            {"from": "2026-11-24", "to": "2026-11-25", "timePlannedSeconds": 14400}
        ]
        assert (role["name"], role["default"]) == ("Product Owner", False)
        read = await run(
            gw,
            'query($plan: Int!, $role: Int!) { tempo { plan(id: $plan, from: "2026-11-01", '
            'to: "2026-12-31") { dates { from } } role(id: $role) { name } } }',
            plan=plan["id"],
            role=role["id"],
        )
    assert [d["from"] for d in read["tempo"]["plan"]["dates"]] == [
        "2026-11-24", "2026-12-01", "2026-12-08"
    ]  # fmt: skip
    assert read["tempo"]["role"] == {"name": "Product Owner"}


# -- what Tempo refuses ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "errors"),
    [
        (
            "mutation { m: createTempoTeamMembership(input: {teamId: 1, accountId: "
            '"5b10ac8d82e05b22cc7d4ef5", commitmentPercent: 150}) { result { id } %s } }',
            [
                (None, "tempo: User with accountId '5b10ac8d82e05b22cc7d4ef5' does not exist"),
                (["commitmentPercent"], "tempo: commitmentPercent must be between 0 and 100"),
            ],
        ),
        (
            'mutation { m: createTempoTeam(input: {name: "Platform"}) { result { id } %s } }',
            [(None, "tempo: Team with that name ('Platform') already exists")],
        ),
        (
            'mutation { m: createTempoAccount(input: {key: "X", name: " ", status: "OPEN?", '
            'leadAccountId: "nobody", monthlyBudget: -5}) { result { key } %s } }',
            [
                (["name"], "tempo: name is required"),
                (["status"], "tempo: status must be one of OPEN, CLOSED, ARCHIVED"),
                (None, "tempo: User with accountId 'nobody' does not exist"),
                (["monthlyBudget"], "tempo: monthlyBudget must not be negative"),
            ],
        ),
        (
            'mutation { m: approveTempoTimesheet(accountId: "d7f8303ddd44fa7f489d3e95") '
            "{ result { status { key } } %s } }",
            [(None, "tempo: Cannot approve a timesheet that is OPEN")],
        ),
        (
            "mutation { m: deleteTempoRole(id: 1) { result %s } }",
            [(None, "tempo: The default team role cannot be deleted")],
        ),
    ],
    ids=["membership", "duplicate-team", "account", "approve-open", "default-role"],
)
async def test_a_refusal_is_user_errors_with_the_field_tempo_names(
    cast: Cast, document: str, errors: list[tuple[list[str] | None, str]]
) -> None:
    async with open_gateway(cast) as gw:
        result = await gw.execute(document % ERRORS)
    assert "errors" not in result
    answer = result["data"]["m"]
    assert answer["result"] is None
    assert [(e["field"], e["message"]) for e in answer["userErrors"]] == errors
    assert {e["code"] for e in answer["userErrors"]} == {"INVALID_INPUT"}


async def test_what_does_not_exist_is_a_not_found_user_error(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        result = await gw.execute(
            f"mutation {{ a: deleteTempoWorklog(id: 999999) {{ result {ERRORS} }} "
            f'b: updateTempoRole(id: 999, input: {{name: "Ghost"}}) {{ result {{ id }} '
            f"{ERRORS} }} }}"
        )
    assert "errors" not in result
    assert result["data"] == {
        "a": {"result": None, "userErrors": [
            {"field": None, "message": "tempo: Worklog cannot be found", "code": "NOT_FOUND"}
        ]},
        "b": {"result": None, "userErrors": [
            {"field": None, "message": "tempo: Role not found", "code": "NOT_FOUND"}
        ]},
    }  # fmt: skip
