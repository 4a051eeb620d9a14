"""The Tempo client's worklogs: the paged lists (whole, or one page as a ``Slice``), one
worklog, its writes, and work attributes.

Every worklog list takes ``from_``/``to`` (inclusive) and ``updated_from``. ``list_*``
follows ``metadata.next`` to the last page, 1000 worklogs a page; ``*_page`` reads one page
from offset ``after`` (the previous slice's ``next``), ``limit`` at a time, and says how
many worklogs match in all (``total``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time

import httpx
from pydantic import AliasChoices, AliasPath, Field, JsonValue

from resolvers.backends.base import QueryParams, Slice
from resolvers.backends.errors import BadRequest, UpstreamBadResponse, UpstreamNotFound
from resolvers.backends.tempo_base import (
    TempoBase,
    TempoInput,
    TempoModel,
    Timestamp,
    UserRef,
    dates,
    seg,
)

MAX_LIMIT = 1000  # Tempo's largest worklog page
DEFAULT_LIMIT = 50


class WorkAttributeValue(TempoModel):
    """A worklog's value of one work attribute."""

    key: str
    """The work attribute's key, e.g. "_COLOR_"."""
    value: JsonValue
    """The value; its JSON type follows the attribute's type."""


class Worklog(TempoModel):
    """Time logged on a Jira issue in Tempo."""

    tempo_worklog_id: int
    """Tempo's id of the worklog."""
    jira_worklog_id: int | None = None
    """Jira's id of the same worklog."""
    # Tempo's nesting (`issue.key`, `attributes.values`) is unwrapped by alias paths, which
    # pydantic-core follows in the JSON itself: a `mode="before"` validator would turn every
    # worklog into Python dicts first.
    issue_key: str = Field(validation_alias=AliasChoices("issueKey", AliasPath("issue", "key")))
    """The Jira issue the time was logged on, e.g. "PLAT-12"."""
    time_spent_seconds: int
    """Time spent, in seconds."""
    billable_seconds: int | None = None  # in Tempo's examples, not its schema
    """Of the time spent, how much is billable."""
    start_date: date
    """The day the work was done."""
    start_time: time
    """When on that day the work started."""
    description: str = ""
    """What was done."""
    created_at: Timestamp
    """When the worklog was created."""
    updated_at: Timestamp
    """When it was last changed."""
    author: UserRef
    """Who logged it."""
    attributes: tuple[WorkAttributeValue, ...] = Field(
        default=(), validation_alias=AliasChoices(AliasPath("attributes", "values"), "attributes")
    )
    """Values of the work attributes (see `tempo.workAttributes`)."""


class WorkAttribute(TempoModel):
    """A custom field worklogs can carry."""

    key: str
    """The attribute's key, e.g. "_COLOR_"."""
    name: str
    """The attribute's name, e.g. "Color"."""
    type: str
    """CHECKBOX, INPUT_FIELD, INPUT_NUMERIC or STATIC_LIST."""
    required: bool = False
    """Whether every worklog must have a value."""
    values: tuple[str, ...] = ()
    """The options of a STATIC_LIST attribute."""


class WorklogInput(TempoInput):
    """A worklog to create, or the whole new state of one. ``billable_seconds`` and
    ``remaining_estimate_seconds`` are in the docs' examples, not their schema."""

    issue_key: str
    """The Jira issue the time is logged on, e.g. "PLAT-12"."""
    time_spent_seconds: int
    """Time spent, in seconds (positive)."""
    start_date: date
    """The day the work was done."""
    start_time: time
    """When on that day the work started."""
    author_account_id: str
    """The Atlassian account id of who did the work."""
    description: str | None = None
    """What was done."""
    billable_seconds: int | None = None
    """Of the time spent, how much is billable (all of it when left out)."""
    remaining_estimate_seconds: int | None = None
    """The issue's remaining estimate after this work, in seconds."""
    attributes: tuple[WorkAttributeValue, ...] = ()
    """Values of work attributes (see `tempo.workAttributes`)."""


class _PageMetadata(TempoModel):
    count: int
    next: str | None = None


class _Page(TempoModel):
    metadata: _PageMetadata
    results: list[Worklog]


class TempoWorklogs(TempoBase):
    # -- paging -----------------------------------------------------------------------------------

    async def _pages(self, path: str, params: QueryParams) -> list[Worklog]:
        """Every worklog of a paged list, ``MAX_LIMIT`` a page, following ``metadata.next``."""
        found: list[Worklog] = []
        seen: set[str] = set()
        url, query = path, {**(params or {}), "limit": MAX_LIMIT}
        while True:
            page = await self.get_model(url, _Page, params=query)
            found.extend(page.results)
            link = page.metadata.next
            if not link or not page.results:
                return found
            if link in seen:  # a server that links back would otherwise loop forever
                raise UpstreamBadResponse(self.service, f"pagination loops back to {link!r}")
            seen.add(link)
            url, query = self.same_service_url(link), {}

    async def _slice(
        self, path: str, params: QueryParams, after: str | None, limit: int
    ) -> Slice[Worklog]:
        """One page from offset `after`; ``next`` is the following page's offset."""
        if after is not None and not after.isdigit():
            raise BadRequest(f"after must be an offset Tempo gave (digits), not {after!r}")
        if not 1 <= limit <= MAX_LIMIT:
            raise BadRequest(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
        offset = int(after or 0)
        query = {**(params or {}), "limit": limit, **({"offset": offset} if offset else {})}
        page = await self.get_model(path, _Page, params=query)
        following = None
        if page.metadata.next and page.results:
            given = httpx.URL(page.metadata.next).params.get("offset")
            following = given if given and given.isdigit() else str(offset + len(page.results))
        return Slice(page.results, next=following, total=page.metadata.count)

    # -- the lists --------------------------------------------------------------------------------

    async def list_worklogs(
        self,
        *,
        from_: date | None = None,
        to: date | None = None,
        updated_from: date | None = None,
        issues: Sequence[str] = (),
        projects: Sequence[str] = (),
    ) -> list[Worklog]:
        """All worklogs, optionally only those on the given issues / projects (keys or
        ids): the one multi-key filter Tempo has, so a loader can batch by issue."""
        params = _worklog_query(from_, to, updated_from, issues, projects)
        return await self._pages("/worklogs", params)

    async def list_worklogs_page(
        self,
        *,
        from_: date | None = None,
        to: date | None = None,
        updated_from: date | None = None,
        issues: Sequence[str] = (),
        projects: Sequence[str] = (),
        after: str | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> Slice[Worklog]:
        params = _worklog_query(from_, to, updated_from, issues, projects)
        return await self._slice("/worklogs", params, after, limit)

    async def list_team_worklogs(
        self,
        team_id: int,
        *,
        from_: date | None = None,
        to: date | None = None,
        updated_from: date | None = None,
    ) -> list[Worklog]:
        """Worklogs of the team's members while they were members."""
        params = dates(from_=from_, to=to, updated_from=updated_from)
        return await self._pages(f"/worklogs/team/{team_id}", params)

    async def list_team_worklogs_page(
        self,
        team_id: int,
        *,
        from_: date | None = None,
        to: date | None = None,
        updated_from: date | None = None,
        after: str | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> Slice[Worklog]:
        params = dates(from_=from_, to=to, updated_from=updated_from)
        return await self._slice(f"/worklogs/team/{team_id}", params, after, limit)

    async def list_user_worklogs(
        self,
        account_id: str,
        *,
        from_: date | None = None,
        to: date | None = None,
        updated_from: date | None = None,
    ) -> list[Worklog]:
        params = dates(from_=from_, to=to, updated_from=updated_from)
        return await self._pages(f"/worklogs/user/{seg(account_id)}", params)

    async def list_user_worklogs_page(
        self,
        account_id: str,
        *,
        from_: date | None = None,
        to: date | None = None,
        updated_from: date | None = None,
        after: str | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> Slice[Worklog]:
        params = dates(from_=from_, to=to, updated_from=updated_from)
        return await self._slice(f"/worklogs/user/{seg(account_id)}", params, after, limit)

    async def list_project_worklogs(
        self,
        project_key: str,
        *,
        from_: date | None = None,
        to: date | None = None,
        updated_from: date | None = None,
    ) -> list[Worklog]:
        """Worklogs on one project (key or id)."""
        params = dates(from_=from_, to=to, updated_from=updated_from)
        return await self._pages(f"/worklogs/project/{seg(project_key)}", params)

    async def list_project_worklogs_page(
        self,
        project_key: str,
        *,
        from_: date | None = None,
        to: date | None = None,
        updated_from: date | None = None,
        after: str | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> Slice[Worklog]:
        params = dates(from_=from_, to=to, updated_from=updated_from)
        return await self._slice(f"/worklogs/project/{seg(project_key)}", params, after, limit)

    async def list_issue_worklogs(
        self,
        issue_key: str,
        *,
        from_: date | None = None,
        to: date | None = None,
        updated_from: date | None = None,
    ) -> list[Worklog]:
        """Worklogs on one issue (key or id); empty when Jira has no such issue."""
        params = dates(from_=from_, to=to, updated_from=updated_from)
        try:
            return await self._pages(f"/worklogs/issue/{seg(issue_key)}", params)
        except UpstreamNotFound:
            return []

    async def list_issue_worklogs_page(
        self,
        issue_key: str,
        *,
        from_: date | None = None,
        to: date | None = None,
        updated_from: date | None = None,
        after: str | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> Slice[Worklog]:
        params = dates(from_=from_, to=to, updated_from=updated_from)
        try:
            return await self._slice(f"/worklogs/issue/{seg(issue_key)}", params, after, limit)
        except UpstreamNotFound:
            return Slice([], total=0)

    async def list_account_worklogs(
        self,
        account_key: str,
        *,
        from_: date | None = None,
        to: date | None = None,
        updated_from: date | None = None,
    ) -> list[Worklog]:
        """Worklogs booked to one account."""
        params = dates(from_=from_, to=to, updated_from=updated_from)
        return await self._pages(f"/worklogs/account/{seg(account_key)}", params)

    async def list_account_worklogs_page(
        self,
        account_key: str,
        *,
        from_: date | None = None,
        to: date | None = None,
        updated_from: date | None = None,
        after: str | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> Slice[Worklog]:
        params = dates(from_=from_, to=to, updated_from=updated_from)
        return await self._slice(f"/worklogs/account/{seg(account_key)}", params, after, limit)

    async def list_filter_worklogs(
        self,
        filter_id: int,
        *,
        from_: date | None = None,
        to: date | None = None,
        updated_from: date | None = None,
    ) -> list[Worklog]:
        """Worklogs on the issues a saved Jira filter selects."""
        params = dates(from_=from_, to=to, updated_from=updated_from)
        return await self._pages(f"/worklogs/jira/filter/{filter_id}", params)

    async def list_filter_worklogs_page(
        self,
        filter_id: int,
        *,
        from_: date | None = None,
        to: date | None = None,
        updated_from: date | None = None,
        after: str | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> Slice[Worklog]:
        params = dates(from_=from_, to=to, updated_from=updated_from)
        return await self._slice(f"/worklogs/jira/filter/{filter_id}", params, after, limit)

    # -- one worklog ------------------------------------------------------------------------------

    async def get_worklog(self, worklog_id: int) -> Worklog | None:
        """One worklog by its ``tempo_worklog_id``."""
        return await self.get_optional(f"/worklogs/{worklog_id}", Worklog)

    async def get_worklog_by_jira_id(self, jira_worklog_id: int) -> Worklog | None:
        return await self.get_optional(f"/worklogs/jira/{jira_worklog_id}", Worklog)

    async def create_worklog(self, worklog: WorklogInput) -> Worklog:
        return await self._write("POST", "/worklogs", Worklog, worklog)

    async def update_worklog(self, worklog_id: int, worklog: WorklogInput) -> Worklog:
        """Replaces the whole worklog: attributes left out are removed."""
        return await self._write("PUT", f"/worklogs/{worklog_id}", Worklog, worklog)

    async def delete_worklog(self, worklog_id: int) -> None:
        await self._delete(f"/worklogs/{worklog_id}")

    async def list_work_attribute_values(self, worklog_id: int) -> list[WorkAttributeValue]:
        path = f"/worklogs/{worklog_id}/work-attribute-values"
        return await self._list_or_empty(path, WorkAttributeValue)

    async def get_work_attribute_value(
        self, worklog_id: int, key: str
    ) -> WorkAttributeValue | None:
        path = f"/worklogs/{worklog_id}/work-attribute-values/{seg(key)}"
        return await self.get_optional(path, WorkAttributeValue)

    # -- work attributes --------------------------------------------------------------------------

    async def list_work_attributes(self) -> list[WorkAttribute]:
        return await self._list("/work-attributes", WorkAttribute)

    async def get_work_attribute(self, key: str) -> WorkAttribute | None:
        return await self.get_optional(f"/work-attributes/{seg(key)}", WorkAttribute)


def _worklog_query(
    from_: date | None,
    to: date | None,
    updated_from: date | None,
    issues: Sequence[str],
    projects: Sequence[str],
) -> QueryParams:
    # Sorted and deduplicated, so equal requests have equal URLs.
    filters = {"issue": sorted(set(issues)), "project": sorted(set(projects))}
    given = {k: v for k, v in filters.items() if v}
    return {**given, **dates(from_=from_, to=to, updated_from=updated_from)}
