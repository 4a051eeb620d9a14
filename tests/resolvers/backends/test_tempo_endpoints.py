"""Every Tempo row of ``tests/endpoints.csv`` is reached by a TempoClient method.

``CALLS`` maps each row to a call of the client method that serves it, with arguments that
exist in the demo data (a write may first create what it then changes). The call runs
against a fresh emulator; the row passes when a recorded request matches it and every such
request answered 2xx.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, time

import pytest

from gateway.emulators.cast import Cast
from resolvers.backends.tempo import (
    AccountInput,
    CategoryInput,
    CustomerInput,
    MembershipInput,
    MembershipUpdate,
    PlanInput,
    ProgramInput,
    TeamInput,
    TempoClient,
    WorklogInput,
)
from tests.endpoint_rows import Row, load_rows
from tests.recording import CallLog
from tests.resolvers.backends.tempo_clients import open_client

Call = Callable[[TempoClient, Cast], Awaitable[object]]
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))
OCTOBER = date(2026, 10, 1)


def tempo_id(cast: Cast, handle: str) -> str:
    tempo = cast.person(handle).tempo
    assert tempo is not None
    return tempo.account_id


def account(key: str, cast: Cast) -> AccountInput:
    return AccountInput(key=key, name=key.title(), status="OPEN",
                        lead_account_id=tempo_id(cast, "alice"))  # fmt: skip


def plan(cast: Cast) -> PlanInput:
    return PlanInput(start_date=date(2026, 12, 1), end_date=date(2026, 12, 1),
                     planned_per_day_seconds=3600, account_id=tempo_id(cast, "bob"),
                     issue_key="PLAT-12")  # fmt: skip


def worklog(cast: Cast) -> WorklogInput:
    return WorklogInput(issue_key="PLAT-12", time_spent_seconds=1800,
                        start_date=date(2026, 11, 23), start_time=time(9),
                        author_account_id=tempo_id(cast, "bob"))  # fmt: skip


async def tagged_attribute(c: TempoClient) -> object:
    tagged = next(w for w in await c.list_worklogs() if w.attributes)
    return await c.get_work_attribute_value(tagged.tempo_worklog_id, tagged.attributes[0].key)


CALLS: dict[tuple[str, str], Call] = {
    # accounts, categories, customers
    ("POST", "/accounts"): lambda c, cast: c.create_account(account("NEW", cast)),
    ("GET", "/accounts"): lambda c, cast: c.list_accounts(),
    ("GET", "/accounts/{key}"): lambda c, cast: c.get_account("PLAT_DEV"),
    ("PUT", "/accounts/{key}"): lambda c, cast: c.update_account(
        "PLAT_DEV", account("PLAT_DEV", cast)
    ),
    ("DELETE", "/accounts/{key}"): lambda c, cast: c.delete_account("PLAT_OPS"),
    ("POST", "/account-categories"): lambda c, cast: c.create_account_category(
        CategoryInput(key="rnd", name="R&D")
    ),
    ("GET", "/account-categories"): lambda c, cast: c.list_account_categories(),
    ("GET", "/account-categories/{key}"): lambda c, cast: c.get_account_category("development"),
    ("PUT", "/account-categories/{key}"): lambda c, cast: c.update_account_category(
        "capex", CategoryInput(key="capex", name="Capex", type_name="CAPITALIZED")
    ),
    ("DELETE", "/account-categories/{key}"): lambda c, cast: c.delete_account_category("capex"),
    ("GET", "/account-category-types"): lambda c, cast: c.list_account_category_types(),
    ("POST", "/customers"): lambda c, cast: c.create_customer(
        CustomerInput(key="ACME", name="Acme")
    ),
    ("GET", "/customers"): lambda c, cast: c.list_customers(),
    ("GET", "/customers/{key}"): lambda c, cast: c.get_customer("GLOBEX"),
    ("PUT", "/customers/{key}"): lambda c, cast: c.update_customer(
        "GLOBEX", CustomerInput(key="GLOBEX", name="Globex Corp")
    ),
    ("DELETE", "/customers/{key}"): lambda c, cast: c.delete_customer("INITECH"),
    ("GET", "/customers/{key}/accounts"): lambda c, cast: c.list_customer_accounts("GLOBEX"),
    # plans
    ("POST", "/plans"): lambda c, cast: c.create_plan(plan(cast)),
    ("GET", "/plans/{id}"): lambda c, cast: c.get_plan(1),
    ("PUT", "/plans/{id}"): lambda c, cast: c.update_plan(1, plan(cast)),
    ("DELETE", "/plans/{id}"): lambda c, cast: c.delete_plan(2),
    ("GET", "/plans/user/{accountId}"): lambda c, cast: c.list_user_plans(
        tempo_id(cast, "alice"), *NOVEMBER
    ),
    # programs and roles
    ("GET", "/programs"): lambda c, cast: c.list_programs(),
    ("POST", "/programs"): lambda c, cast: c.create_program(ProgramInput(name="Insights")),
    ("GET", "/programs/{id}"): lambda c, cast: c.get_program(1),
    ("PUT", "/programs/{id}"): lambda c, cast: c.update_program(2, ProgramInput(name="Labs")),
    ("DELETE", "/programs/{id}"): lambda c, cast: c.delete_program(2),
    ("GET", "/programs/{id}/teams"): lambda c, cast: c.list_program_teams(1),
    ("GET", "/roles"): lambda c, cast: c.list_roles(),
    ("POST", "/roles"): lambda c, cast: c.create_role("Architect"),
    ("GET", "/roles/{id}"): lambda c, cast: c.get_role(2),
    ("PUT", "/roles/{id}"): lambda c, cast: c.update_role(4, "UX Designer"),
    ("DELETE", "/roles/{id}"): lambda c, cast: c.delete_role(5),
    # teams, members, memberships, permissions, links
    ("POST", "/teams"): lambda c, cast: c.create_team(TeamInput(name="Search")),
    ("GET", "/teams"): lambda c, cast: c.list_teams(),
    ("GET", "/teams/{id}"): lambda c, cast: c.get_team(1),
    ("PUT", "/teams/{id}"): lambda c, cast: c.update_team(3, TeamInput(name="Mobile Apps")),
    ("DELETE", "/teams/{id}"): lambda c, cast: c.delete_team(4),
    ("GET", "/teams/{id}/members"): lambda c, cast: c.list_team_members(1),
    ("GET", "/teams/{id}/members/{accountId}"): lambda c, cast: c.get_team_member(
        1, tempo_id(cast, "alice")
    ),
    ("GET", "/teams/{id}/members/{accountId}/memberships"): lambda c, cast: c.list_memberships(
        1, tempo_id(cast, "alice")
    ),
    ("GET", "/teams/{id}/permissions"): lambda c, cast: c.list_team_permissions(1),
    ("GET", "/teams/{id}/permissions/{key}"): lambda c, cast: c.get_team_permission(
        1, "tempo.teams.browse.team"
    ),
    ("GET", "/team-links/{id}"): lambda c, cast: c.get_team_link(1),
    ("DELETE", "/team-links/{id}"): lambda c, cast: c.delete_team_link(1),
    ("POST", "/team-memberships"): lambda c, cast: c.create_membership(
        MembershipInput(team_id=3, account_id=tempo_id(cast, "grace"))
    ),
    ("GET", "/team-memberships/{id}"): lambda c, cast: c.get_membership(1),
    ("PUT", "/team-memberships/{id}"): lambda c, cast: c.update_membership(
        2, MembershipUpdate(role_id=3)
    ),
    ("DELETE", "/team-memberships/{id}"): lambda c, cast: c.delete_membership(3),
    # periods, approvals, schedules
    ("GET", "/periods"): lambda c, cast: c.list_periods(*NOVEMBER),
    ("GET", "/timesheet-approvals/waiting"): lambda c, cast: c.list_waiting_timesheet_approvals(),
    ("GET", "/timesheet-approvals/user/{accountId}"): lambda c, cast: c.get_timesheet_approval(
        tempo_id(cast, "bob")
    ),
    ("GET", "/timesheet-approvals/user/{accountId}/reviewers"): (
        lambda c, cast: c.list_timesheet_reviewers(tempo_id(cast, "bob"))
    ),
    ("POST", "/timesheet-approvals/user/{accountId}/approve"): lambda c, cast: c.approve_timesheet(
        tempo_id(cast, "farid"), from_=OCTOBER
    ),
    ("POST", "/timesheet-approvals/user/{accountId}/reject"): lambda c, cast: c.reject_timesheet(
        tempo_id(cast, "farid"), from_=OCTOBER, comment="Hours missing"
    ),
    ("POST", "/timesheet-approvals/user/{accountId}/reopen"): lambda c, cast: c.reopen_timesheet(
        tempo_id(cast, "carmen"), from_=OCTOBER
    ),
    ("POST", "/timesheet-approvals/user/{accountId}/submit"): lambda c, cast: c.submit_timesheet(
        tempo_id(cast, "bob"), tempo_id(cast, "alice")
    ),
    ("GET", "/timesheet-approvals/team/{teamId}"): (
        lambda c, cast: c.list_team_timesheet_approvals(1)
    ),
    ("GET", "/user-schedule"): lambda c, cast: c.list_user_schedule(*NOVEMBER),
    ("GET", "/user-schedule/{accountId}"): lambda c, cast: c.list_user_schedule(
        *NOVEMBER, account_id=tempo_id(cast, "alice")
    ),
    # work attributes and worklogs
    ("GET", "/work-attributes"): lambda c, cast: c.list_work_attributes(),
    ("GET", "/work-attributes/{key}"): lambda c, cast: c.get_work_attribute("_COLOR_"),
    ("GET", "/worklogs"): lambda c, cast: c.list_worklogs(from_=NOVEMBER[0], to=NOVEMBER[1]),
    ("POST", "/worklogs"): lambda c, cast: c.create_worklog(worklog(cast)),
    ("GET", "/worklogs/{worklogId}"): lambda c, cast: c.get_worklog(1001),
    ("PUT", "/worklogs/{worklogId}"): lambda c, cast: c.update_worklog(1001, worklog(cast)),
    ("DELETE", "/worklogs/{worklogId}"): lambda c, cast: c.delete_worklog(1002),
    ("GET", "/worklogs/{worklogId}/work-attribute-values"): (
        lambda c, cast: c.list_work_attribute_values(1001)
    ),
    ("GET", "/worklogs/{worklogId}/work-attribute-values/{key}"): (
        lambda c, cast: tagged_attribute(c)
    ),
    ("GET", "/worklogs/jira/{jiraWorklogId}"): lambda c, cast: c.get_worklog_by_jira_id(10001),
    ("GET", "/worklogs/jira/filter/{jirafilterId}"): lambda c, cast: c.list_filter_worklogs_page(
        10100
    ),
    ("GET", "/worklogs/account/{accountKey}"): lambda c, cast: c.list_account_worklogs_page(
        "PLAT_DEV"
    ),
    ("GET", "/worklogs/project/{projectKey}"): lambda c, cast: c.list_project_worklogs("PLAT"),
    ("GET", "/worklogs/team/{teamId}"): lambda c, cast: c.list_team_worklogs(1),
    ("GET", "/worklogs/user/{accountId}"): lambda c, cast: c.list_user_worklogs(
        tempo_id(cast, "alice")
    ),
    ("GET", "/worklogs/issue/{key}"): lambda c, cast: c.list_issue_worklogs("PLAT-12"),
}


@pytest.mark.parametrize("row", load_rows("tempo"), ids=lambda row: row.id)
async def test_the_row_is_served_by_a_client_method(
    row: Row, cast: Cast, call_log: CallLog
) -> None:
    call = CALLS.get((row.method, row.path))
    assert call is not None, f"no TempoClient call is listed for {row.method} {row.path}"
    async with open_client(cast, call_log) as client:
        await call(client, cast)
    matching = [c for c in call_log.of("tempo") if row.matches(c)]
    assert matching, f"no request matched {row.id}: {[str(c) for c in call_log.calls]}"
    assert all(c.status is not None and 200 <= c.status < 300 for c in matching), [
        (str(c), c.status) for c in matching
    ]


def test_every_listed_call_is_a_row() -> None:
    rows = {(r.method, r.path) for r in load_rows("tempo")}
    assert set(CALLS) - rows == set()
    assert len(rows) == 76
