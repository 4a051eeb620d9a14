"""The Tempo REST API v3 client (``https://api.tempo.io/core/3``): one typed method per
endpoint, and every payload model.

Construct it over an ``httpx.AsyncClient`` whose ``base_url`` is the API root and which sends
``Authorization: Bearer <token>``::

    tempo = TempoClient(http)
    teams = await tempo.list_teams()
    worklogs = await tempo.list_worklogs(from_=date(2026, 11, 1), to=date(2026, 11, 30))
    page = await tempo.list_worklogs_page(from_=date(2026, 11, 1), limit=100)
    more = await tempo.list_worklogs_page(from_=date(2026, 11, 1), limit=100, after=page.next)

``get_*`` returns one model, or ``None`` when Tempo answers 404. ``list_*`` returns every
item: worklog lists follow ``metadata.next`` to the last page, and a list under a parent
that does not exist (an unknown team or issue) is empty. Worklog lists, the only lists Tempo
pages, also have a ``*_page`` method returning one :class:`~resolvers.backends.base.Slice`.
Writes take a ``*Input`` model (PUT replaces the whole object, so an update takes the same
model as a create) and return the object Tempo answers with; ``delete_*`` returns ``None``.
Timesheet approvals have verbs: ``submit_``, ``approve_``, ``reject_``, ``reopen_timesheet``.
Failures raise the :mod:`resolvers.backends.errors` family with ``service == "tempo"``; a
rejected write's message carries Tempo's reasons.

The methods live by concept in ``tempo_teams.py``, ``tempo_worklogs.py``,
``tempo_accounts.py``, ``tempo_plans.py`` and ``tempo_timesheets.py``; this module puts them
together and exports every model.
"""

from __future__ import annotations

from resolvers.backends.tempo_accounts import (
    Account,
    AccountContact,
    AccountInput,
    Category,
    CategoryInput,
    CategoryType,
    Customer,
    CustomerInput,
    TempoAccounts,
)
from resolvers.backends.tempo_base import Period, UserRef
from resolvers.backends.tempo_plans import Plan, PlanInput, PlanPeriod, TempoPlans
from resolvers.backends.tempo_teams import TempoTeams
from resolvers.backends.tempo_teams_models import (
    ActiveMembership,
    Membership,
    MembershipInput,
    MembershipUpdate,
    Program,
    ProgramInput,
    ProgramRef,
    Role,
    RoleRef,
    Team,
    TeamInput,
    TeamLink,
    TeamMember,
    TeamPermission,
    TeamRef,
)
from resolvers.backends.tempo_timesheets import (
    ApprovalStatus,
    DaySchedule,
    Holiday,
    TempoTimesheets,
    TimesheetApproval,
)
from resolvers.backends.tempo_worklogs import (
    TempoWorklogs,
    WorkAttribute,
    WorkAttributeValue,
    Worklog,
    WorklogInput,
)

__all__ = [
    "Account",
    "AccountContact",
    "AccountInput",
    "ActiveMembership",
    "ApprovalStatus",
    "Category",
    "CategoryInput",
    "CategoryType",
    "Customer",
    "CustomerInput",
    "DaySchedule",
    "Holiday",
    "Membership",
    "MembershipInput",
    "MembershipUpdate",
    "Period",
    "Plan",
    "PlanInput",
    "PlanPeriod",
    "Program",
    "ProgramInput",
    "ProgramRef",
    "Role",
    "RoleRef",
    "Team",
    "TeamInput",
    "TeamLink",
    "TeamMember",
    "TeamPermission",
    "TeamRef",
    "TempoClient",
    "TimesheetApproval",
    "UserRef",
    "WorkAttribute",
    "WorkAttributeValue",
    "Worklog",
    "WorklogInput",
]


class TempoClient(TempoTeams, TempoWorklogs, TempoAccounts, TempoPlans, TempoTimesheets):
    """Typed reads and writes of the Tempo REST API v3; see the module docstring."""
