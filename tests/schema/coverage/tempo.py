"""Tempo rows and the GraphQL that reaches each (see `tests/schema/coverage`).

The demo data: teams 1-4 (Platform, Payments, Mobile, Data & Analytics), accounts
`<PROJECT>_DEV`/`<PROJECT>_OPS` per team plus `INTERNAL`, worklogs from id 1001 (Jira ids
from 10001) over the four weeks before the cast's today (2026-11-23), a Jira filter per
project (10100 + team id), plans from id 1, team links from id 1, memberships from id 1.
"""

from __future__ import annotations

from gateway.emulators.cast import build_cast
from tests.schema.coverage import Case

_CAST = build_cast()
ALICE = {"id": _CAST.person("alice").tempo.account_id}  # type: ignore[union-attr]
WEEK = '(from: "2026-11-16", to: "2026-11-22")'

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
}
