"""A person as Tempo knows them: `User.tempo` and `TempoUserRef.tempo`, with the reads
Tempo keys by accountId (plans, work schedule, timesheets, worklogs)."""

from __future__ import annotations

import strawberry

from resolvers.services import tempo_timesheets as timesheets_r
from resolvers.services.tempo_worklogs import WorklogList, page_worklogs
from schema.common import CtxInfo, From, To
from schema.connections import After, Connection, First, shown_as
from schema.services.tempo.refs import (
    LINK,
    PER_PARENT,
    OptFrom,
    OptTo,
    TempoUserRef,
    UpdatedFrom,
    UserLink,
    linked_person,
)
from schema.services.tempo.timesheets import TempoDaySchedule, TempoPlan, TempoTimesheetApproval
from schema.services.tempo.worklogs import TempoWorklog


@strawberry.type(
    description="A person in Tempo, by their Atlassian account id: their plans, work "
    "schedule, timesheets and worklogs (Tempo has no user endpoint: each field is one read)."
)
class TempoUser:
    account_id: str = strawberry.field(description="The person's Atlassian account id.")
    display_name: str | None = strawberry.field(
        description="The name Jira shows, when a Tempo record or the linked directory has it."
    )

    @strawberry.field(description="This person, linked across services.", metadata=LINK)
    async def user(self, info: CtxInfo) -> UserLink | None:
        return await linked_person(info, self.account_id)

    @strawberry.field(
        description="Their plans with an occurrence in the range, each with those "
        "occurrences, in Tempo's order.",
        metadata=PER_PARENT,
    )
    async def plans(
        self, info: CtxInfo, from_: From, to: To, updated_from: UpdatedFrom = None
    ) -> list[TempoPlan] | None:
        found = await timesheets_r.list_user_plans(
            info.context, self.account_id, from_, to, updated_from
        )
        return [shown_as(TempoPlan)(p) for p in found]

    @strawberry.field(
        description="Their work schedule: the time required of them each day, in Tempo's "
        "order (by date).",
        metadata=PER_PARENT,
    )
    async def schedule(self, info: CtxInfo, from_: From, to: To) -> list[TempoDaySchedule] | None:
        found = await timesheets_r.list_schedule(info.context, self.account_id, from_, to)
        return [shown_as(TempoDaySchedule)(d) for d in found]

    @strawberry.field(
        description="Their timesheet for the period `from`..`to` (Tempo's current period "
        "when left out); null when Tempo does not know them.",
        metadata=PER_PARENT,
    )
    async def timesheet_approval(
        self, info: CtxInfo, from_: OptFrom = None, to: OptTo = None
    ) -> TempoTimesheetApproval | None:
        found = await timesheets_r.get_user_approval(info.context, self.account_id, from_, to)
        return shown_as(TempoTimesheetApproval)(found) if found else None

    @strawberry.field(
        description="Who may approve their timesheets (those with the approve permission in "
        "their teams), in Tempo's order.",
        metadata=PER_PARENT,
    )
    async def timesheet_reviewers(self, info: CtxInfo) -> list[TempoUserRef] | None:
        found = await timesheets_r.list_reviewers(info.context, self.account_id)
        return [shown_as(TempoUserRef)(r) for r in found]

    @strawberry.field(
        description="Their worklogs, in Tempo's order (by start date, then id).",
        metadata=PER_PARENT,
    )
    async def worklogs(
        self,
        info: CtxInfo,
        from_: OptFrom = None,
        to: OptTo = None,
        updated_from: UpdatedFrom = None,
        first: First = None,
        after: After = None,
    ) -> Connection[TempoWorklog] | None:
        which = WorklogList("user", self.account_id, from_, to, updated_from)
        page = await page_worklogs(info.context, which, first=first, after=after)
        return Connection.of(page, shown_as(TempoWorklog))
