"""`TempoQuery`: every read of the Tempo REST API v3, under `tempo { ... }`. Lists come in
Tempo's order; single items are null when Tempo answers 404."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.services import tempo as tempo_r
from resolvers.services import tempo_accounts as accounts_r
from resolvers.services import tempo_timesheets as timesheets_r
from resolvers.services import tempo_worklogs as worklogs_r
from resolvers.services.tempo_worklogs import WorklogList
from schema.common import CtxInfo, From, To
from schema.connections import After, Connection, First, shown_as
from schema.cost import upstream
from schema.services.tempo.accounts import (
    TempoAccount,
    TempoAccountCategory,
    TempoAccountCategoryType,
    TempoCustomer,
)
from schema.services.tempo.refs import (
    AccountId,
    OptFrom,
    OptTo,
    TeamId,
    TempoPeriod,
    UpdatedFrom,
)
from schema.services.tempo.teams import (
    TempoMembership,
    TempoProgram,
    TempoRole,
    TempoTeam,
    TempoTeamLink,
    TempoTeamRef,
)
from schema.services.tempo.timesheets import (
    TempoDaySchedule,
    TempoPlan,
    TempoTimesheetApproval,
)
from schema.services.tempo.users import TempoUser
from schema.services.tempo.worklogs import (
    TempoWorkAttribute,
    TempoWorkAttributeValue,
    TempoWorklog,
)

ONE_CALL = upstream("request", identity=False)


def _id(what: str) -> object:
    return strawberry.argument(description=f"The {what}'s id in Tempo.")


def _key(what: str) -> object:
    return strawberry.argument(description=f"The {what}'s key.")


WorklogId = Annotated[int, _id("worklog")]
Issues = Annotated[
    list[str] | None,
    strawberry.argument(description="Only worklogs on these Jira issues (keys or ids)."),
]
Projects = Annotated[
    list[str] | None,
    strawberry.argument(description="Only worklogs on these Jira projects (keys or ids)."),
]


async def _worklogs(
    info: CtxInfo, which: WorklogList, first: int | None, after: str | None
) -> Connection[TempoWorklog]:
    page = await worklogs_r.page_worklogs(info.context, which, first=first, after=after)
    return Connection.of(page, shown_as(TempoWorklog))


@strawberry.type(
    description="Everything Tempo REST API v3 offers to read, linked into the unified graph."
)
class TempoQuery:
    # -- teams, roles, programs -------------------------------------------------------------

    @strawberry.field(
        description="Every team the gateway's token may browse, in Tempo's order.",
        metadata=ONE_CALL,
    )
    async def teams(self, info: CtxInfo) -> list[TempoTeam] | None:
        return [shown_as(TempoTeam)(t) for t in await tempo_r.list_teams(info.context)]

    @strawberry.field(description="One team.", metadata=ONE_CALL)
    async def team(self, info: CtxInfo, id: TeamId) -> TempoTeam | None:
        found = await tempo_r.get_team(info.context, id)
        return shown_as(TempoTeam)(found) if found else None

    @strawberry.field(description="One membership period, by its id.", metadata=ONE_CALL)
    async def team_membership(
        self, info: CtxInfo, id: Annotated[int, _id("membership")]
    ) -> TempoMembership | None:
        found = await tempo_r.get_membership(info.context, id)
        return shown_as(TempoMembership)(found) if found else None

    @strawberry.field(description="One team link, by its id.", metadata=ONE_CALL)
    async def team_link(
        self, info: CtxInfo, id: Annotated[int, _id("team link")]
    ) -> TempoTeamLink | None:
        found = await tempo_r.get_team_link(info.context, id)
        return shown_as(TempoTeamLink)(found) if found else None

    @strawberry.field(
        description="The roles a Tempo team member can have, in Tempo's order.", metadata=ONE_CALL
    )
    async def roles(self, info: CtxInfo) -> list[TempoRole] | None:
        return [shown_as(TempoRole)(r) for r in await tempo_r.list_roles(info.context)]

    @strawberry.field(description="One role.", metadata=ONE_CALL)
    async def role(self, info: CtxInfo, id: Annotated[int, _id("role")]) -> TempoRole | None:
        found = await tempo_r.get_role(info.context, id)
        return shown_as(TempoRole)(found) if found else None

    @strawberry.field(
        description="Every program, each with its teams, in Tempo's order.", metadata=ONE_CALL
    )
    async def programs(self, info: CtxInfo) -> list[TempoProgram] | None:
        return [shown_as(TempoProgram)(p) for p in await tempo_r.list_programs(info.context)]

    @strawberry.field(description="One program.", metadata=ONE_CALL)
    async def program(
        self, info: CtxInfo, id: Annotated[int, _id("program")]
    ) -> TempoProgram | None:
        found = await tempo_r.get_program(info.context, id)
        return shown_as(TempoProgram)(found) if found else None

    @strawberry.field(
        description="The teams of one program, from the program's own team list (a "
        "program's `teams` holds the same without another call), in Tempo's order; empty "
        "for no such program.",
        metadata=ONE_CALL,
    )
    async def program_teams(
        self, info: CtxInfo, program_id: Annotated[int, _id("program")]
    ) -> list[TempoTeamRef] | None:
        found = await tempo_r.list_program_teams(info.context, program_id)
        return [shown_as(TempoTeamRef)(t) for t in found]

    # -- accounts and customers -------------------------------------------------------------

    @strawberry.field(
        description="Every account, or those with one status, in Tempo's order.", metadata=ONE_CALL
    )
    async def accounts(
        self,
        info: CtxInfo,
        status: Annotated[
            str | None, strawberry.argument(description="OPEN, CLOSED or ARCHIVED.")
        ] = None,
    ) -> list[TempoAccount] | None:
        found = await accounts_r.list_accounts(info.context, status)
        return [shown_as(TempoAccount)(a) for a in found]

    @strawberry.field(description="One account.", metadata=ONE_CALL)
    async def account(
        self, info: CtxInfo, key: Annotated[str, _key("account")]
    ) -> TempoAccount | None:
        found = await accounts_r.get_account(info.context, key)
        return shown_as(TempoAccount)(found) if found else None

    @strawberry.field(
        description="Every account category, or only the one with `id`, in Tempo's order.",
        metadata=ONE_CALL,
    )
    async def account_categories(
        self, info: CtxInfo, id: Annotated[int | None, _id("category")] = None
    ) -> list[TempoAccountCategory] | None:
        found = await accounts_r.list_categories(info.context, id)
        return [shown_as(TempoAccountCategory)(c) for c in found]

    @strawberry.field(description="One account category.", metadata=ONE_CALL)
    async def account_category(
        self, info: CtxInfo, key: Annotated[str, _key("category")]
    ) -> TempoAccountCategory | None:
        found = await accounts_r.get_category(info.context, key)
        return shown_as(TempoAccountCategory)(found) if found else None

    @strawberry.field(
        description="The types an account category can have, in Tempo's order.", metadata=ONE_CALL
    )
    async def account_category_types(self, info: CtxInfo) -> list[TempoAccountCategoryType] | None:
        found = await accounts_r.list_category_types(info.context)
        return [shown_as(TempoAccountCategoryType)(t) for t in found]

    @strawberry.field(
        description="Every customer, or only the one with `id`, in Tempo's order.",
        metadata=ONE_CALL,
    )
    async def customers(
        self, info: CtxInfo, id: Annotated[int | None, _id("customer")] = None
    ) -> list[TempoCustomer] | None:
        found = await accounts_r.list_customers(info.context, id)
        return [shown_as(TempoCustomer)(c) for c in found]

    @strawberry.field(description="One customer.", metadata=ONE_CALL)
    async def customer(
        self, info: CtxInfo, key: Annotated[str, _key("customer")]
    ) -> TempoCustomer | None:
        found = await accounts_r.get_customer(info.context, key)
        return shown_as(TempoCustomer)(found) if found else None

    # -- people, plans, timesheets ----------------------------------------------------------

    @strawberry.field(
        description="A person's Tempo reads (plans, schedule, timesheets, worklogs), by their "
        "account id; `user.tempo` reaches the same from a linked person.",
        metadata=upstream("request", 0),
    )
    async def user(self, info: CtxInfo, account_id: AccountId) -> TempoUser:
        known = (await info.context.directory()).person("tempo", account_id)
        account = known.accounts.get("tempo") if known else None
        return TempoUser(account_id=account_id, display_name=account.name if account else None)

    @strawberry.field(
        description="One plan; with `from`/`to`, its `dates` holds its occurrences in them.",
        metadata=ONE_CALL,
    )
    async def plan(
        self,
        info: CtxInfo,
        id: Annotated[int, _id("plan")],
        from_: OptFrom = None,
        to: OptTo = None,
    ) -> TempoPlan | None:
        found = await timesheets_r.get_plan(info.context, id, from_, to)
        return shown_as(TempoPlan)(found) if found else None

    @strawberry.field(
        description="The timesheet periods overlapping the range, in Tempo's order.",
        metadata=ONE_CALL,
    )
    async def periods(self, info: CtxInfo, from_: From, to: To) -> list[TempoPeriod] | None:
        found = await timesheets_r.list_periods(info.context, from_, to)
        return [shown_as(TempoPeriod)(p) for p in found]

    @strawberry.field(
        description="A work schedule, the time required each day: of `accountId`, or of the "
        "user whose token the gateway uses when left out.",
        metadata=ONE_CALL,
    )
    async def schedule(
        self,
        info: CtxInfo,
        from_: From,
        to: To,
        account_id: Annotated[
            str | None,
            strawberry.argument(description="Whose schedule; the token's user when left out."),
        ] = None,
    ) -> list[TempoDaySchedule] | None:
        found = await timesheets_r.list_schedule(info.context, account_id, from_, to)
        return [shown_as(TempoDaySchedule)(d) for d in found]

    @strawberry.field(
        description="The timesheets waiting for the approval of the user whose token the "
        "gateway uses, in Tempo's order.",
        metadata=ONE_CALL,
    )
    async def waiting_timesheet_approvals(
        self, info: CtxInfo
    ) -> list[TempoTimesheetApproval] | None:
        found = await timesheets_r.list_waiting_approvals(info.context)
        return [shown_as(TempoTimesheetApproval)(a) for a in found]

    # -- worklogs and work attributes -------------------------------------------------------

    @strawberry.field(
        description="Every worklog in the range, or those on some issues or projects, in "
        "Tempo's order (by start date, then id).",
        metadata=ONE_CALL,
    )
    async def worklogs(
        self,
        info: CtxInfo,
        from_: From,
        to: To,
        issues: Issues = None,
        projects: Projects = None,
        updated_from: UpdatedFrom = None,
        first: First = None,
        after: After = None,
    ) -> Connection[TempoWorklog] | None:
        chosen = (tuple(sorted(set(issues or ()))), tuple(sorted(set(projects or ()))))
        which = WorklogList("all", "", from_, to, updated_from, *chosen)
        return await _worklogs(info, which, first, after)

    @strawberry.field(
        description="The worklogs on one Jira project, in Tempo's order.", metadata=ONE_CALL
    )
    async def project_worklogs(
        self,
        info: CtxInfo,
        project_key: Annotated[str, strawberry.argument(description="The project's key or id.")],
        from_: OptFrom = None,
        to: OptTo = None,
        updated_from: UpdatedFrom = None,
        first: First = None,
        after: After = None,
    ) -> Connection[TempoWorklog] | None:
        which = WorklogList("project", project_key, from_, to, updated_from)
        return await _worklogs(info, which, first, after)

    @strawberry.field(
        description="The worklogs on one Jira issue, in Tempo's order; empty when Jira has "
        "no such issue.",
        metadata=ONE_CALL,
    )
    async def issue_worklogs(
        self,
        info: CtxInfo,
        issue_key: Annotated[str, strawberry.argument(description="The issue's key or id.")],
        from_: OptFrom = None,
        to: OptTo = None,
        updated_from: UpdatedFrom = None,
        first: First = None,
        after: After = None,
    ) -> Connection[TempoWorklog] | None:
        which = WorklogList("issue", issue_key, from_, to, updated_from)
        return await _worklogs(info, which, first, after)

    @strawberry.field(
        description="The worklogs on the issues a saved Jira filter selects, in Tempo's order.",
        metadata=ONE_CALL,
    )
    async def filter_worklogs(
        self,
        info: CtxInfo,
        filter_id: Annotated[int, strawberry.argument(description="The Jira filter's id.")],
        from_: OptFrom = None,
        to: OptTo = None,
        updated_from: UpdatedFrom = None,
        first: First = None,
        after: After = None,
    ) -> Connection[TempoWorklog] | None:
        which = WorklogList("filter", str(filter_id), from_, to, updated_from)
        return await _worklogs(info, which, first, after)

    @strawberry.field(description="One worklog, by its Tempo id.", metadata=ONE_CALL)
    async def worklog(self, info: CtxInfo, id: WorklogId) -> TempoWorklog | None:
        found = await worklogs_r.get_worklog(info.context, id)
        return shown_as(TempoWorklog)(found) if found else None

    @strawberry.field(description="One worklog, by its Jira worklog id.", metadata=ONE_CALL)
    async def worklog_by_jira_id(
        self,
        info: CtxInfo,
        jira_worklog_id: Annotated[int, strawberry.argument(description="Jira's worklog id.")],
    ) -> TempoWorklog | None:
        found = await worklogs_r.get_worklog_by_jira_id(info.context, jira_worklog_id)
        return shown_as(TempoWorklog)(found) if found else None

    @strawberry.field(
        description="A worklog's work attribute values, from their own endpoint (a worklog's "
        "`attributes` holds the same without another call), in Tempo's order.",
        metadata=ONE_CALL,
    )
    async def worklog_attribute_values(
        self, info: CtxInfo, worklog_id: WorklogId
    ) -> list[TempoWorkAttributeValue] | None:
        found = await worklogs_r.list_attribute_values(info.context, worklog_id)
        return [shown_as(TempoWorkAttributeValue)(v) for v in found]

    @strawberry.field(
        description="A worklog's value of one work attribute (null when it has none).",
        metadata=ONE_CALL,
    )
    async def worklog_attribute_value(
        self,
        info: CtxInfo,
        worklog_id: WorklogId,
        key: Annotated[str, _key("work attribute")],
    ) -> TempoWorkAttributeValue | None:
        found = await worklogs_r.get_attribute_value(info.context, worklog_id, key)
        return shown_as(TempoWorkAttributeValue)(found) if found else None

    @strawberry.field(description="Every work attribute, in Tempo's order.", metadata=ONE_CALL)
    async def work_attributes(self, info: CtxInfo) -> list[TempoWorkAttribute] | None:
        found = await worklogs_r.list_work_attributes(info.context)
        return [shown_as(TempoWorkAttribute)(a) for a in found]

    @strawberry.field(description="One work attribute.", metadata=ONE_CALL)
    async def work_attribute(
        self, info: CtxInfo, key: Annotated[str, _key("work attribute")]
    ) -> TempoWorkAttribute | None:
        found = await worklogs_r.get_work_attribute(info.context, key)
        return shown_as(TempoWorkAttribute)(found) if found else None
