"""The Tempo REST API v3 client (``https://api.tempo.io/core/3``) and its payload models.

Construct it over an ``httpx.AsyncClient`` whose ``base_url`` is the API root and which sends
``Authorization: Bearer <token>``::

    tempo = TempoClient(http)
    teams = await tempo.list_teams()
    worklogs = await tempo.list_worklogs(from_=date(2026, 11, 1), to=date(2026, 11, 30))

``get_*`` returns one model, or ``None`` when Tempo answers 404. ``list_*`` returns every
item: worklog lists follow ``metadata.next`` to the last page, and a list under a parent
that does not exist (an unknown team or issue) is empty. Failures raise the
:mod:`resolvers.backends.errors` family with ``service == "tempo"``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Annotated, Generic, TypeVar
from urllib.parse import quote

import httpx
import orjson
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, JsonValue, model_validator
from pydantic.alias_generators import to_camel

from resolvers.backends.base import BaseClient, QueryParams
from resolvers.backends.errors import UpstreamBadResponse, UpstreamNotFound

MAX_LIMIT = 1000  # Tempo's largest worklog page


def _as_utc(moment: datetime) -> datetime:
    # Tempo writes "2017-02-23T15:07:00Z"; a timestamp without an offset is UTC too.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


Timestamp = Annotated[datetime, AfterValidator(_as_utc)]


class _Model(BaseModel):
    model_config = ConfigDict(
        populate_by_name=True, extra="ignore", frozen=True, alias_generator=to_camel
    )


def _lift(data: object, source: str, key: str, target: str) -> object:
    """Set ``data[target]`` to ``data[source][key]``: flattens Tempo's nested wrappers
    (``issue.key``, ``memberships.active``, ``teams.values``) into plain fields."""
    if isinstance(data, dict) and (target == source or target not in data):
        inner = data.get(source)
        if isinstance(inner, dict) and key in inner:
            return {**data, target: inner[key]}
    return data


class UserRef(_Model):
    """A Jira user as Tempo embeds one; Tempo has no user endpoint of its own."""

    account_id: str
    display_name: str


class RoleRef(_Model):
    id: int
    name: str


class Role(RoleRef):
    default: bool = False


class ProgramRef(_Model):
    id: int
    name: str


class TeamRef(_Model):
    id: int
    name: str


class Team(_Model):
    id: int
    name: str
    summary: str | None = None
    lead: UserRef | None = None
    program: ProgramRef | None = None


class ActiveMembership(_Model):
    id: int
    commitment_percent: int
    from_: date | None = Field(default=None, alias="from")
    to: date | None = None
    role: RoleRef


class TeamMember(_Model):
    """A member of a team; ``active`` is their current membership, absent when none is."""

    member: UserRef
    active: ActiveMembership | None = None

    @model_validator(mode="before")
    @classmethod
    def _flatten(cls, data: object) -> object:
        return _lift(data, "memberships", "active", "active")


class Membership(ActiveMembership):
    """One membership period. In a member's membership list Tempo links the team and the
    member by URL only: ``team_id`` is then read from the URL and ``member`` is ``None``."""

    team_id: int | None = None
    member: UserRef | None = None

    @model_validator(mode="before")
    @classmethod
    def _flatten(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        out = dict(data)
        team, member = out.get("team"), out.get("member")
        if isinstance(team, dict) and "teamId" not in out:
            found = re.search(r"/teams/(\d+)/?$", str(team.get("self", "")))
            out["teamId"] = team.get("id", int(found.group(1)) if found else None)
        if isinstance(member, dict) and "accountId" not in member:
            del out["member"]  # a bare {self}: no name to show
        return out


class WorkAttributeValue(_Model):
    key: str
    value: JsonValue


class Worklog(_Model):
    tempo_worklog_id: int
    jira_worklog_id: int | None = None
    issue_key: str
    time_spent_seconds: int
    billable_seconds: int | None = None  # in Tempo's examples, not its schema
    start_date: date
    start_time: time
    description: str = ""
    created_at: Timestamp
    updated_at: Timestamp
    author: UserRef
    attributes: tuple[WorkAttributeValue, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _flatten(cls, data: object) -> object:
        data = _lift(data, "issue", "key", "issueKey")
        return _lift(data, "attributes", "values", "attributes")


class Program(_Model):
    id: int
    name: str
    manager: UserRef | None = None
    teams: tuple[TeamRef, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _flatten(cls, data: object) -> object:
        return _lift(data, "teams", "values", "teams")


class WorkAttribute(_Model):
    key: str
    name: str
    type: str  # CHECKBOX, INPUT_FIELD, INPUT_NUMERIC, STATIC_LIST
    required: bool = False
    values: tuple[str, ...] = ()  # the options of a STATIC_LIST


class Period(_Model):
    from_: date = Field(alias="from")
    to: date


class Holiday(_Model):
    name: str
    description: str | None = None
    duration_seconds: int


class DaySchedule(_Model):
    day: date = Field(alias="date")
    required_seconds: int
    type: str  # WORKING_DAY, NON_WORKING_DAY, HOLIDAY, HOLIDAY_AND_NON_WORKING_DAY
    holiday: Holiday | None = None


M = TypeVar("M", bound=BaseModel)


class _Collection(_Model, Generic[M]):
    results: list[M]


class _PageMetadata(_Model):
    count: int
    next: str | None = None


class _Page(_Model, Generic[M]):
    metadata: _PageMetadata
    results: list[M]


class _Periods(_Model):
    periods: list[Period]


class TempoClient(BaseClient):
    """Typed reads of the Tempo REST API v3; see the module docstring for conventions."""

    service = "tempo"

    def error_detail(self, response: httpx.Response) -> str | None:
        # 400/403/404 carry {"errors": [{"message": ...}, ...]}; 401 has no body at all.
        if not response.content:
            return None
        errors = orjson.loads(response.content)["errors"]
        return "; ".join(str(e["message"]) for e in errors) or None

    async def _list(self, path: str, tp: type[M], params: QueryParams = None) -> list[M]:
        collection: type[_Collection[M]] = _Collection[tp]  # type: ignore[valid-type]
        return (await self.get_model(path, collection, params=params)).results

    async def _list_or_empty(self, path: str, tp: type[M]) -> list[M]:
        # Lists under a parent that does not exist (an unknown team) are empty, not errors.
        try:
            return await self._list(path, tp)
        except UpstreamNotFound:
            return []

    async def _pages(
        self,
        path: str,
        *,
        from_: date | None,
        to: date | None,
        updated_from: date | None = None,
        **filters: Sequence[str],
    ) -> list[Worklog]:
        """Every worklog of a paged list, 1000 a page, following ``metadata.next``."""
        dates = {"from": from_, "to": to, "updatedFrom": updated_from}
        params: QueryParams = {
            **{k: list(v) for k, v in filters.items() if v},
            **{k: d.isoformat() for k, d in dates.items() if d},
            "limit": MAX_LIMIT,
        }
        found: list[Worklog] = []
        seen: set[str] = set()
        url = path
        while True:
            page = await self.get_model(url, _Page[Worklog], params=params)
            found.extend(page.results)
            link = page.metadata.next
            if not link or not page.results:
                return found
            if link in seen:  # a server that links back would otherwise loop forever
                raise UpstreamBadResponse(self.service, f"pagination loops back to {link!r}")
            seen.add(link)
            url, params = self.same_service_url(link), None

    # -- teams, members, memberships, roles, programs --------------------------------------------

    async def list_teams(self) -> list[Team]:
        """All teams the token's user may browse, each with its lead and program."""
        return await self._list("/teams", Team)

    async def get_team(self, team_id: int) -> Team | None:
        return await self.get_optional(f"/teams/{team_id}", Team)

    async def list_team_members(self, team_id: int) -> list[TeamMember]:
        """The team's members with their active membership (``None`` for former members)."""
        return await self._list_or_empty(f"/teams/{team_id}/members", TeamMember)

    async def get_team_member(self, team_id: int, account_id: str) -> TeamMember | None:
        """``None`` when the team does not exist or the user is not a member of it."""
        return await self.get_optional(f"/teams/{team_id}/members/{_seg(account_id)}", TeamMember)

    async def list_memberships(self, team_id: int, account_id: str) -> list[Membership]:
        """Every membership period of a user in a team (``member`` is ``None`` here)."""
        path = f"/teams/{team_id}/members/{_seg(account_id)}/memberships"
        return await self._list_or_empty(path, Membership)

    async def get_membership(self, membership_id: int) -> Membership | None:
        return await self.get_optional(f"/team-memberships/{membership_id}", Membership)

    async def list_roles(self) -> list[Role]:
        return await self._list("/roles", Role)

    async def get_role(self, role_id: int) -> Role | None:
        return await self.get_optional(f"/roles/{role_id}", Role)

    async def list_programs(self) -> list[Program]:
        return await self._list("/programs", Program)

    async def get_program(self, program_id: int) -> Program | None:
        return await self.get_optional(f"/programs/{program_id}", Program)

    async def list_program_teams(self, program_id: int) -> list[TeamRef]:
        return await self._list_or_empty(f"/programs/{program_id}/teams", TeamRef)

    # -- worklogs ---------------------------------------------------------------------------------

    async def list_worklogs(
        self,
        *,
        from_: date | None = None,
        to: date | None = None,
        updated_from: date | None = None,
        issues: Sequence[str] = (),
        projects: Sequence[str] = (),
    ) -> list[Worklog]:
        """All worklogs from ``from_`` to ``to`` (both inclusive), optionally only those
        updated since ``updated_from`` or on the given issues / projects (keys or ids): the
        one multi-key filter Tempo has, so a loader can batch by issue."""
        # Sorted and deduplicated, so equal requests have equal URLs.
        return await self._pages(
            "/worklogs",
            from_=from_,
            to=to,
            updated_from=updated_from,
            issue=sorted(set(issues)),
            project=sorted(set(projects)),
        )

    async def list_team_worklogs(
        self, team_id: int, *, from_: date | None = None, to: date | None = None
    ) -> list[Worklog]:
        """Worklogs of the team's members while they were members."""
        return await self._pages(f"/worklogs/team/{team_id}", from_=from_, to=to)

    async def list_user_worklogs(
        self, account_id: str, *, from_: date | None = None, to: date | None = None
    ) -> list[Worklog]:
        return await self._pages(f"/worklogs/user/{_seg(account_id)}", from_=from_, to=to)

    async def list_project_worklogs(
        self, project_key: str, *, from_: date | None = None, to: date | None = None
    ) -> list[Worklog]:
        return await self._pages(f"/worklogs/project/{_seg(project_key)}", from_=from_, to=to)

    async def list_issue_worklogs(
        self, issue_key: str, *, from_: date | None = None, to: date | None = None
    ) -> list[Worklog]:
        """Worklogs on one issue (key or id); empty when Jira has no such issue."""
        try:
            return await self._pages(f"/worklogs/issue/{_seg(issue_key)}", from_=from_, to=to)
        except UpstreamNotFound:
            return []

    async def get_worklog(self, worklog_id: int) -> Worklog | None:
        """One worklog by its ``tempo_worklog_id``."""
        return await self.get_optional(f"/worklogs/{worklog_id}", Worklog)

    async def get_worklog_by_jira_id(self, jira_worklog_id: int) -> Worklog | None:
        return await self.get_optional(f"/worklogs/jira/{jira_worklog_id}", Worklog)

    async def list_work_attribute_values(self, worklog_id: int) -> list[WorkAttributeValue]:
        path = f"/worklogs/{worklog_id}/work-attribute-values"
        return await self._list_or_empty(path, WorkAttributeValue)

    async def list_work_attributes(self) -> list[WorkAttribute]:
        return await self._list("/work-attributes", WorkAttribute)

    async def get_work_attribute(self, key: str) -> WorkAttribute | None:
        return await self.get_optional(f"/work-attributes/{_seg(key)}", WorkAttribute)

    # -- periods and schedules ----------------------------------------------------------------

    async def list_periods(self, from_: date, to: date) -> list[Period]:
        """The timesheet periods overlapping ``from_``..``to``."""
        params = {"from": from_.isoformat(), "to": to.isoformat()}
        return (await self.get_model("/periods", _Periods, params=params)).periods

    async def list_user_schedule(
        self, from_: date, to: date, *, account_id: str | None = None
    ) -> list[DaySchedule]:
        """Required seconds per day; of ``account_id``, or of the token's own user."""
        path = "/user-schedule" + (f"/{_seg(account_id)}" if account_id else "")
        params = {"from": from_.isoformat(), "to": to.isoformat()}
        return await self._list(path, DaySchedule, params)


def _seg(value: str) -> str:
    """A path segment; accountIds keep their ":" ("557058:f58…"), nothing else is special."""
    return quote(value, safe=":")
