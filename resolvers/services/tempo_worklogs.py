"""Tempo's worklogs: every paged worklog list as Relay pages, one worklog (by Tempo or Jira
id), its work attribute values, and the work attributes (see `resolvers/services/tempo.py`
for the loader helpers).

Every page of every worklog list goes through one loader keyed by (list, offset, limit):
the same page asked twice in a request (aliases, or many parents with equal arguments) is
fetched once, and pages of many parents (a worklog list per team) fan out with bounded
concurrency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from resolvers.backends import tempo
from resolvers.backends.base import Slice
from resolvers.backends.tempo import TempoClient
from resolvers.common import check_range
from resolvers.context import Context
from resolvers.paging import Page, offset_page
from resolvers.services.tempo import once, per_key
from resolvers.services.tempo_timesheets import check_order

ListKind = Literal["all", "team", "user", "project", "issue", "account", "filter"]


@dataclass(frozen=True, slots=True)
class WorklogList:
    """One of Tempo's worklog lists: which (`kind` and its `key`) and its filters."""

    kind: ListKind
    key: str = ""  # the team id, accountId, project key, issue key, account key, filter id
    from_: date | None = None
    to: date | None = None
    updated_from: date | None = None
    issues: tuple[str, ...] = ()  # "all" only
    projects: tuple[str, ...] = ()  # "all" only


PageKey = tuple[WorklogList, str, int]  # (list, offset, limit)


async def _slice(c: TempoClient, k: PageKey) -> Slice[tempo.Worklog]:
    which, after, limit = k
    dates = {"from_": which.from_, "to": which.to, "updated_from": which.updated_from}
    key = which.key
    if which.kind == "team":
        return await c.list_team_worklogs_page(int(key), **dates, after=after, limit=limit)
    if which.kind == "user":
        return await c.list_user_worklogs_page(key, **dates, after=after, limit=limit)
    if which.kind == "project":
        return await c.list_project_worklogs_page(key, **dates, after=after, limit=limit)
    if which.kind == "issue":
        return await c.list_issue_worklogs_page(key, **dates, after=after, limit=limit)
    if which.kind == "account":
        return await c.list_account_worklogs_page(key, **dates, after=after, limit=limit)
    if which.kind == "filter":
        return await c.list_filter_worklogs_page(int(key), **dates, after=after, limit=limit)
    return await c.list_worklogs_page(
        **dates, issues=which.issues, projects=which.projects, after=after, limit=limit
    )


async def page_worklogs(
    ctx: Context, which: WorklogList, *, first: int | None, after: str | None
) -> Page[tempo.Worklog]:
    """One page of a worklog list, in Tempo's order (by start date, then id), straight from
    Tempo's offset paging: one call, for exactly the worklogs asked for."""
    if which.kind == "all" and which.from_ and which.to:
        check_range(which.from_, which.to)  # the whole organisation's worklogs: bounded
    check_order(which.from_, which.to)
    loader = per_key(ctx, "worklog-pages", _slice)

    async def fetch(token: str | None, limit: int) -> Slice[tempo.Worklog]:
        return await loader.load((which, token or "0", limit))

    return await offset_page(fetch, first=first, after=after)


async def get_worklog(ctx: Context, worklog_id: int) -> tempo.Worklog | None:
    return await per_key(ctx, "worklog", TempoClient.get_worklog).load(worklog_id)


async def get_worklog_by_jira_id(ctx: Context, jira_id: int) -> tempo.Worklog | None:
    return await per_key(ctx, "jira-worklog", TempoClient.get_worklog_by_jira_id).load(jira_id)


async def list_attribute_values(ctx: Context, worklog_id: int) -> list[tempo.WorkAttributeValue]:
    loader = per_key(ctx, "attribute-values", TempoClient.list_work_attribute_values)
    return await loader.load(worklog_id)


async def _attribute_value(c: TempoClient, k: tuple[int, str]) -> tempo.WorkAttributeValue | None:
    return await c.get_work_attribute_value(*k)


async def get_attribute_value(
    ctx: Context, worklog_id: int, key: str
) -> tempo.WorkAttributeValue | None:
    return await per_key(ctx, "attribute-value", _attribute_value).load((worklog_id, key))


async def list_work_attributes(ctx: Context) -> list[tempo.WorkAttribute]:
    """Every work attribute: fetched once per request, whichever fields ask."""
    return await once(ctx, "work-attributes", TempoClient.list_work_attributes).get()


async def get_work_attribute(ctx: Context, key: str) -> tempo.WorkAttribute | None:
    return await per_key(ctx, "work-attribute", TempoClient.get_work_attribute).load(key)
