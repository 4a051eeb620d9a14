"""Tempo rows and the GraphQL that reaches each (see `tests/schema/coverage`).

The demo data: teams 1-4 (Platform, Payments, Mobile, Data & Analytics), accounts
`<PROJECT>_DEV`/`<PROJECT>_OPS` per team plus `INTERNAL`, worklogs from id 1001 (Jira ids
from 10001) over the four weeks before the cast's today (2026-11-23), a Jira filter per
project (10100 + team id), plans from id 1, team links from id 1, memberships from id 1.
A write row's case runs its mutation on that data, and its `then` reads the change back.
"""

from __future__ import annotations

import json
import re

from gateway.emulators.cast_build import build_cast
from tests.schema.coverage import Case

_CAST = build_cast()
ALICE = {"id": _CAST.person("alice").tempo.account_id}  # type: ignore[union-attr]
WEEK = '(from: "2026-11-16", to: "2026-11-22")'


def _filled(text: str) -> str:
    """`text` with `<errors>` as the payload's user errors, and each `<handle>` as that
    person's Tempo accountId, quoted."""

    def quoted(found: re.Match[str]) -> str:
        if found[1] == "errors":
            return "userErrors { field message code }"
        account = _CAST.person(found[1]).tempo
        assert account is not None, found[1]
        return json.dumps(account.account_id)

    return re.sub(r"<([a-z.]+)>", quoted, text)


def _write(operation: str, document: str, then: str) -> Case:
    """A write row's case: `document` runs the mutation(s), `then` reads the change back."""
    return Case(operation, _filled(document), then=_filled(then))


WRITES: dict[tuple[str, str], Case] = {
    # -- accounts, categories, customers -----------------------------------------------------
    ("POST", "/accounts"): _write(
        "createTempoAccount",
        'mutation { createTempoAccount(input: {key: "PLAT_RND", name: "Platform: Research", '
        'status: "OPEN", leadAccountId: <alice>, contactAccountId: <bob>, '
        'categoryKey: "capex", customerKey: "GLOBEX", monthlyBudget: 120}) '
        "{ result { key lead { user { key } } category { key } } <errors> } }",
        '{ tempo { account(key: "PLAT_RND") { name status contact { user { key } } '
        "customer { key } monthlyBudget } } }",
    ),
    ("PUT", "/accounts/{key}"): _write(
        "updateTempoAccount",
        'mutation { updateTempoAccount(key: "PLAT_OPS", input: {key: "PLAT_SUPPORT", '
        'name: "Platform: Support", status: "CLOSED", leadAccountId: <bob>, '
        'externalContactName: "Help desk"}) '
        "{ result { key status customer { key } } <errors> } }",
        '{ tempo { account(key: "PLAT_SUPPORT") { name status lead { accountId } '
        "contact { displayName } category { key } customer { key } } } }",
    ),
    ("DELETE", "/accounts/{key}"): _write(
        "deleteTempoAccount",
        'mutation { deleteTempoAccount(key: "MOBI_OPS") { result <errors> } }',
        '{ tempo { accounts { key } account(key: "MOBI_OPS") { key } } }',
    ),
    ("POST", "/account-categories"): _write(
        "createTempoAccountCategory",
        'mutation { createTempoAccountCategory(input: {key: "research", name: "Research", '
        'typeName: "CAPITALIZED"}) { result { id key typeName } <errors> } }',
        "{ tempo { accountCategories { key name typeName } } }",
    ),
    ("PUT", "/account-categories/{key}"): _write(
        "updateTempoAccountCategory",
        'mutation { updateTempoAccountCategory(key: "capex", input: {key: "capex", '
        'name: "Capital expenses"}) { result { name typeName } <errors> } }',
        '{ tempo { accountCategory(key: "capex") { name typeName } } }',
    ),
    ("DELETE", "/account-categories/{key}"): _write(
        "deleteTempoAccountCategory",
        'mutation { deleteTempoAccountCategory(key: "internal") { result <errors> } }',
        '{ tempo { accountCategories { key } account(key: "INTERNAL") { category { key } } } }',
    ),
    ("POST", "/customers"): _write(
        "createTempoCustomer",
        'mutation { createTempoCustomer(input: {key: "ACME", name: "Acme Corporation"}) '
        "{ result { id key name } <errors> } }",
        '{ tempo { customers { key name } customer(key: "ACME") { name accounts { key } } } }',
    ),
    ("PUT", "/customers/{key}"): _write(
        "updateTempoCustomer",
        'mutation { updateTempoCustomer(key: "GLOBEX", input: {key: "GLOBEX", '
        'name: "Globex Corporation"}) { result { id name } <errors> } }',
        '{ tempo { customer(key: "GLOBEX") { name accounts { key } } } }',
    ),
    ("DELETE", "/customers/{key}"): _write(
        "deleteTempoCustomer",
        'mutation { deleteTempoCustomer(key: "INITECH") { result <errors> } }',
        '{ tempo { customers { key } account(key: "MOBI_DEV") { customer { key } } } }',
    ),
    # -- plans -------------------------------------------------------------------------------
    ("POST", "/plans"): _write(
        "createTempoPlan",
        'mutation { createTempoPlan(input: {accountId: <bob>, startDate: "2026-11-24", '
        'endDate: "2026-11-25", plannedPerDaySeconds: 7200, issueKey: "PLAT-226", '
        'description: "Pairing on the ingest pipeline"}) { result { id assignee { key } '
        "issueKey dates { from to timePlannedSeconds } } <errors> } }",
        '{ tempo { user(accountId: <bob>) { plans(from: "2026-11-24", to: "2026-11-25") '
        "{ description issueKey } } } }",
    ),
    ("PUT", "/plans/{id}"): _write(
        "updateTempoPlan",
        'mutation { updateTempoPlan(id: 1, input: {accountId: <alice>, startDate: "2026-11-24", '
        'endDate: "2026-11-24", plannedPerDaySeconds: 3600, projectKey: "PLAT", '
        'rule: "BI_WEEKLY", recurrenceEndDate: "2027-01-31", description: "Grooming"}) '
        "{ result { id rule recurrenceEndDate } <errors> } }",
        "{ tempo { plan(id: 1) { startDate description rule recurrenceEndDate } } }",
    ),
    ("DELETE", "/plans/{id}"): _write(
        "deleteTempoPlan",
        "mutation { deleteTempoPlan(id: 1) { result <errors> } }",
        "{ tempo { plan(id: 1) { id } } }",
    ),
    # -- programs, roles, teams, team links, memberships -------------------------------------
    ("POST", "/programs"): _write(
        "createTempoProgram",
        'mutation { createTempoProgram(input: {name: "Growth", managerAccountId: <lena>, '
        "teamIds: [3, 4]}) { result { id name manager { user { key } } "
        "teams { id team { key } } } <errors> } }",
        "{ tempo { programs { name teams { id } } } }",
    ),
    ("PUT", "/programs/{id}"): _write(
        "updateTempoProgram",
        'mutation { updateTempoProgram(id: 1, input: {name: "Core engineering", '
        "teamIds: [1, 2]}) { result { name teams { id } } <errors> } }",
        "{ tempo { program(id: 1) { name manager { accountId } teams { id } } } }",
    ),
    ("DELETE", "/programs/{id}"): _write(
        "deleteTempoProgram",
        "mutation { deleteTempoProgram(id: 1) { result <errors> } }",
        "{ tempo { programs { id } team(id: 1) { program { id } } } }",
    ),
    ("POST", "/roles"): _write(
        "createTempoRole",
        'mutation { createTempoRole(input: {name: "Product Owner"}) '
        "{ result { id name default } <errors> } }",
        "{ tempo { roles { id name } } }",
    ),
    ("PUT", "/roles/{id}"): _write(
        "updateTempoRole",
        'mutation { updateTempoRole(id: 4, input: {name: "UX Designer"}) '
        "{ result { id name } <errors> } }",
        "{ tempo { role(id: 4) { name } } }",
    ),
    ("DELETE", "/roles/{id}"): _write(
        "deleteTempoRole",
        "mutation { deleteTempoRole(id: 5) { result <errors> } }",
        "{ tempo { roles { id } teamMembership(id: 5) { role { name } } } }",
    ),
    ("POST", "/teams"): _write(
        "createTempoTeam",
        'mutation { createTempoTeam(input: {name: "Security", summary: "AppSec and audits", '
        "leadAccountId: <quinn>, programId: 1}) { result { id name lead { user { key } } "
        "program { name } } <errors> } }",
        "{ tempo { teams { name summary } } }",
    ),
    ("PUT", "/teams/{id}"): _write(
        "updateTempoTeam",
        'mutation { updateTempoTeam(id: 2, input: {name: "Payments", '
        'summary: "Cards and payouts"}) { result { id summary lead { accountId } } <errors> } }',
        "{ tempo { team(id: 2) { name summary lead { accountId } program { id } } } }",
    ),
    ("DELETE", "/teams/{id}"): _write(
        "deleteTempoTeam",
        "mutation { deleteTempoTeam(id: 4) { result <errors> } }",
        "{ tempo { teams { id } team(id: 4) { id } } }",
    ),
    ("DELETE", "/team-links/{id}"): _write(
        "deleteTempoTeamLink",
        "mutation { deleteTempoTeamLink(id: 1) { result <errors> } }",
        "{ tempo { teamLink(id: 1) { id } team(id: 1) { links { id } } } }",
    ),
    ("POST", "/team-memberships"): _write(
        "createTempoTeamMembership",
        "mutation { createTempoTeamMembership(input: {teamId: 2, accountId: <alice>, roleId: 3, "
        'commitmentPercent: 20, from: "2026-12-01"}) { result { id commitmentPercent '
        "team { key } member { user { key } } role { name } } <errors> } }",
        "{ tempo { team(id: 2) { member(accountId: <alice>) { memberships "
        "{ id from commitmentPercent } } } } }",
    ),
    ("PUT", "/team-memberships/{id}"): _write(
        "updateTempoTeamMembership",
        "mutation { updateTempoTeamMembership(id: 2, input: {roleId: 4, commitmentPercent: 50, "
        'from: "2024-02-01"}) { result { id role { name } } <errors> } }',
        "{ tempo { teamMembership(id: 2) { commitmentPercent from to role { name } } } }",
    ),
    ("DELETE", "/team-memberships/{id}"): _write(
        "deleteTempoTeamMembership",
        "mutation { deleteTempoTeamMembership(id: 6) { result <errors> } }",
        "{ tempo { teamMembership(id: 6) { id } "
        "team(id: 1) { members { member { accountId } } } } }",
    ),
    # -- timesheet approvals -----------------------------------------------------------------
    ("POST", "/timesheet-approvals/user/{accountId}/submit"): _write(
        "submitTempoTimesheet",
        "mutation { submitTempoTimesheet(accountId: <bob>, input: {reviewerAccountId: <alice>, "
        'comment: "All logged"}) { result { status { key actor { user { key } } } '
        "reviewer { user { key } } actions } <errors> } }",
        "{ tempo { user(accountId: <bob>) { timesheetApproval { status { key comment } "
        "reviewer { accountId } } } } }",
    ),
    ("POST", "/timesheet-approvals/user/{accountId}/approve"): _write(
        "approveTempoTimesheet",
        'mutation { approveTempoTimesheet(accountId: <erin>, input: {comment: "Thanks"}) '
        "{ result { status { key actor { user { key } } } actions } <errors> } }",
        "{ tempo { user(accountId: <erin>) { timesheetApproval { status { key comment } } } } }",
    ),
    ("POST", "/timesheet-approvals/user/{accountId}/reject"): _write(
        "rejectTempoTimesheet",
        "mutation { rejectTempoTimesheet(accountId: <erin>, input: "
        '{comment: "Friday is missing"}) '
        "{ result { status { key comment } actions } <errors> } }",
        "{ tempo { user(accountId: <erin>) { timesheetApproval { status { key comment } } } } }",
    ),
    ("POST", "/timesheet-approvals/user/{accountId}/reopen"): _write(
        "reopenTempoTimesheet",
        'mutation { reopenTempoTimesheet(accountId: <carmen>, input: {from: "2026-10-01", '
        'comment: "Booked to the wrong account"}) '
        "{ result { period { from to } status { key } } <errors> } }",
        '{ tempo { user(accountId: <carmen>) { timesheetApproval(from: "2026-10-01") '
        "{ status { key comment } } } } }",
    ),
    # -- worklogs ----------------------------------------------------------------------------
    ("POST", "/worklogs"): _write(
        "createTempoWorklog",
        'mutation { createTempoWorklog(input: {issueKey: "PLAT-226", timeSpentSeconds: 5400, '
        'startDate: "2026-11-23", startTime: "09:30:00", authorAccountId: <bob>, '
        'description: "Incident review", attributes: [{key: "_COLOR_", value: "\\"green\\""}]}) '
        "{ result { tempoWorklogId issueKey author { user { key } } attributes { key value } } "
        "<errors> } }",
        '{ tempo { issueWorklogs(issueKey: "PLAT-226", from: "2026-11-23", to: "2026-11-23") '
        "{ nodes { description timeSpentSeconds author { accountId } } } } }",
    ),
    ("PUT", "/worklogs/{worklogId}"): _write(
        "updateTempoWorklog",
        'mutation { updateTempoWorklog(id: 1001, input: {issueKey: "PAYM-371", '
        'timeSpentSeconds: 7200, startDate: "2026-10-26", startTime: "08:00:00", '
        'authorAccountId: <hiro>, description: "Sprint planning and refinement"}) '
        "{ result { tempoWorklogId timeSpentSeconds } <errors> } }",
        "{ tempo { worklog(id: 1001) { timeSpentSeconds billableSeconds description } } }",
    ),
    ("DELETE", "/worklogs/{worklogId}"): _write(
        "deleteTempoWorklog",
        "mutation { deleteTempoWorklog(id: 1001) { result <errors> } }",
        "{ tempo { worklog(id: 1001) { tempoWorklogId } } }",
    ),
}

CASES: dict[tuple[str, str], Case] = {
    # -- accounts, categories, customers -----------------------------------------------------
    ("GET", "/accounts"): Case(
        "tempo.accounts",
        '{ tempo { accounts(status: "OPEN") { key status lead { user { key } } } } }',
    ),
    ("GET", "/accounts/{key}"): Case(
        "tempo.account",
        '{ tempo { account(key: "PLAT_DEV") { key name contact { type user { key } } '
        "category { key typeName } customer { key } } } }",
    ),
    ("GET", "/account-categories"): Case(
        "tempo.accountCategories", "{ tempo { accountCategories { key name typeName } } }"
    ),
    ("GET", "/account-categories/{key}"): Case(
        "tempo.accountCategory", '{ tempo { accountCategory(key: "development") { id name } } }'
    ),
    ("GET", "/account-category-types"): Case(
        "tempo.accountCategoryTypes", "{ tempo { accountCategoryTypes { name } } }"
    ),
    ("GET", "/customers"): Case("tempo.customers", "{ tempo { customers { id key name } } }"),
    ("GET", "/customers/{key}"): Case(
        "tempo.customer", '{ tempo { customer(key: "GLOBEX") { id name } } }'
    ),
    ("GET", "/customers/{key}/accounts"): Case(
        "tempo.customer.accounts",
        '{ tempo { customer(key: "GLOBEX") { accounts { key status } } } }',
    ),
    # -- plans -----------------------------------------------------------------------------
    ("GET", "/plans/{id}"): Case(
        "tempo.plan",
        '{ tempo { plan(id: 1, from: "2026-11-01", to: "2026-12-31") { id rule '
        "assignee { key } dates { from to timePlannedSeconds } } } }",
    ),
    ("GET", "/plans/user/{accountId}"): Case(
        "tempo.user.plans",
        'query($id: String!) { tempo { user(accountId: $id) { plans(from: "2026-11-01", '
        'to: "2026-12-31") { id planItemType planItemId } } } }',
        ALICE,
    ),
    # -- programs, roles, teams ------------------------------------------------------------
    ("GET", "/programs"): Case(
        "tempo.programs", "{ tempo { programs { id name manager { user { key } } teams { id } } } }"
    ),
    ("GET", "/programs/{id}"): Case(
        "tempo.program", "{ tempo { program(id: 1) { name teams { name team { key } } } } }"
    ),
    ("GET", "/programs/{id}/teams"): Case(
        "tempo.programTeams", "{ tempo { programTeams(programId: 1) { id name } } }"
    ),
    ("GET", "/roles"): Case("tempo.roles", "{ tempo { roles { id name default } } }"),
    ("GET", "/roles/{id}"): Case("tempo.role", "{ tempo { role(id: 2) { name default } } }"),
    ("GET", "/teams"): Case(
        "tempo.teams", "{ tempo { teams { id name lead { user { key } } program { name } } } }"
    ),
    ("GET", "/teams/{id}"): Case(
        "tempo.team", "{ tempo { team(id: 1) { name summary team { key } } } }"
    ),
    ("GET", "/teams/{id}/members"): Case(
        "tempo.team.members",
        "{ tempo { team(id: 1) { members { member { user { key } } "
        "active { commitmentPercent role { name } } } } } }",
    ),
    ("GET", "/teams/{id}/members/{accountId}"): Case(
        "tempo.team.member",
        "query($id: String!) { tempo { team(id: 1) { member(accountId: $id) "
        "{ active { id } } } } }",
        ALICE,
    ),
    ("GET", "/teams/{id}/members/{accountId}/memberships"): Case(
        "tempo.team.members.memberships",
        "{ tempo { team(id: 1) { members { memberships { id from to role { name } } } } } }",
    ),
    ("GET", "/teams/{id}/permissions"): Case(
        "tempo.team.permissions",
        "{ tempo { team(id: 1) { permissions { key users { accountId } } } } }",
    ),
    ("GET", "/teams/{id}/permissions/{key}"): Case(
        "tempo.team.permission",
        '{ tempo { team(id: 1) { permission(key: "tempo.planner.plan.permission") '
        "{ users { user { key } } } } } }",
    ),
    ("GET", "/team-links/{id}"): Case(
        "tempo.teamLink", "{ tempo { teamLink(id: 1) { scopeType scopeId team { key } } } }"
    ),
    ("GET", "/team-memberships/{id}"): Case(
        "tempo.teamMembership",
        "{ tempo { teamMembership(id: 1) { commitmentPercent member { user { key } } } } }",
    ),
    # -- periods, schedules, timesheet approvals -------------------------------------------
    ("GET", "/periods"): Case(
        "tempo.periods", '{ tempo { periods(from: "2026-10-15", to: "2026-11-15") { from to } } }'
    ),
    ("GET", "/timesheet-approvals/waiting"): Case(
        "tempo.waitingTimesheetApprovals",
        "{ tempo { waitingTimesheetApprovals { period { from } user { user { key } } } } }",
    ),
    ("GET", "/timesheet-approvals/user/{accountId}"): Case(
        "tempo.user.timesheetApproval",
        "query($id: String!) { tempo { user(accountId: $id) { timesheetApproval "
        "{ status { key } requiredSeconds timeSpentSeconds } } } }",
        ALICE,
    ),
    ("GET", "/timesheet-approvals/user/{accountId}/reviewers"): Case(
        "tempo.user.timesheetReviewers",
        "query($id: String!) { tempo { user(accountId: $id) { timesheetReviewers "
        "{ accountId user { key } } } } }",
        ALICE,
    ),
    ("GET", "/timesheet-approvals/team/{teamId}"): Case(
        "tempo.team.timesheetApprovals",
        '{ tempo { team(id: 1) { timesheetApprovals(from: "2026-10-01") '
        "{ status { key } user { user { key } } } } } }",
    ),
    ("GET", "/user-schedule"): Case(
        "tempo.schedule",
        f"{{ tempo {{ schedule{WEEK} {{ date requiredSeconds type }} }} }}",
    ),
    ("GET", "/user-schedule/{accountId}"): Case(
        "tempo.user.schedule",
        f"query($id: String!) {{ tempo {{ user(accountId: $id) {{ schedule{WEEK} "
        "{ date type } } } }",
        ALICE,
    ),
    # -- work attributes and worklogs ------------------------------------------------------
    ("GET", "/work-attributes"): Case(
        "tempo.workAttributes", "{ tempo { workAttributes { key name type values } } }"
    ),
    ("GET", "/work-attributes/{key}"): Case(
        "tempo.workAttribute", '{ tempo { workAttribute(key: "_COLOR_") { name values } } }'
    ),
    ("GET", "/worklogs"): Case(
        "tempo.worklogs",
        '{ tempo { worklogs(from: "2026-11-16", to: "2026-11-22", first: 5) '
        "{ totalCount nodes { tempoWorklogId author { user { key } } } } } }",
    ),
    ("GET", "/worklogs/{worklogId}"): Case(
        "tempo.worklog",
        "{ tempo { worklog(id: 1001) { issueKey attributes { key value } } } }",
    ),
    ("GET", "/worklogs/{worklogId}/work-attribute-values"): Case(
        "tempo.worklogAttributeValues",
        "{ tempo { worklogAttributeValues(worklogId: 1004) { key value } } }",
    ),
    ("GET", "/worklogs/{worklogId}/work-attribute-values/{key}"): Case(
        "tempo.worklogAttributeValue",
        '{ tempo { worklogAttributeValue(worklogId: 1004, key: "_COLOR_") { value } } }',
    ),
    ("GET", "/worklogs/jira/{jiraWorklogId}"): Case(
        "tempo.worklogByJiraId",
        "{ tempo { worklogByJiraId(jiraWorklogId: 10001) { tempoWorklogId } } }",
    ),
    ("GET", "/worklogs/jira/filter/{jirafilterId}"): Case(
        "tempo.filterWorklogs",
        "{ tempo { filterWorklogs(filterId: 10101, first: 3) { totalCount nodes { issueKey } } } }",
    ),
    ("GET", "/worklogs/account/{accountKey}"): Case(
        "tempo.account.worklogs",
        '{ tempo { account(key: "PLAT_DEV") { worklogs(first: 3) { totalCount '
        "nodes { issueKey } } } } }",
    ),
    ("GET", "/worklogs/project/{projectKey}"): Case(
        "tempo.projectWorklogs",
        '{ tempo { projectWorklogs(projectKey: "PLAT", first: 3) { totalCount '
        "nodes { issueKey } } } }",
    ),
    ("GET", "/worklogs/team/{teamId}"): Case(
        "tempo.team.worklogs",
        f"{{ tempo {{ team(id: 1) {{ worklogs{WEEK[:-1]}, first: 3) {{ totalCount "
        "pageInfo { hasNextPage endCursor } nodes { issueKey } } } } }",
    ),
    ("GET", "/worklogs/user/{accountId}"): Case(
        "tempo.user.worklogs",
        "query($id: String!) { tempo { user(accountId: $id) { worklogs(first: 3) "
        "{ totalCount nodes { startDate } } } } }",
        ALICE,
    ),
    ("GET", "/worklogs/issue/{key}"): Case(
        "tempo.issueWorklogs",
        '{ tempo { issueWorklogs(issueKey: "PLAT-226", first: 3) { totalCount '
        "nodes { tempoWorklogId } } } }",
    ),
    # -- writes: each case runs its mutation on demo data and reads the change back ----------
    **WRITES,
}
