"""An emulator of the Tempo REST API v3 (``https://api.tempo.io/core/3``), reads and writes.

Speaks Tempo's raw wire format: bare objects carrying an absolute ``self``, collections as
``{self, metadata: {count}, results}``, worklog pages with ``offset``/``limit`` (default 50,
at most 1000) and ``next``/``previous`` links present only when that page exists. Creates
answer 200 with the object, PUT replaces the whole object (an omitted optional field is
cleared) and answers 200, DELETE answers 204 with no body. Errors are
``{"errors": [{"message": ...}]}``, a 400 listing every problem of a body at once; a missing
or wrong bearer token gets 401 with no body. State lives in the app: writes show in every
later read, and each app starts from the demo cast.

The concepts live in ``_tempo_<concept>.py`` modules (teams, memberships, programs, worklogs,
accounts, plans, timesheets), over the records and tables of ``_tempo_store.py``.

Choices where the docs leave room:

* ``metadata.count`` of a worklog page counts the matches over all pages (the docs' examples
  show counts above ``limit``), not the page's size. Only worklog lists are paged.
* ``/worklogs/team/{id}`` holds the worklogs of the team's members on days their membership
  was active. An unknown team, user, project, account or Jira filter gives an empty page:
  only ``/worklogs/issue/{key}`` documents a 404.
* A worklog's ``self`` uses its ``tempoWorklogId``. Writes accept the examples'
  ``billableSeconds`` (all of the time when omitted) and ignore ``remainingEstimateSeconds``;
  attribute keys must be defined work attributes.
* A worklog books to the account linked to its issue's project (Tempo's account links are
  undocumented); each demo project is linked to its team's development account. Jira filters
  select projects: one per project (``10100 + team id``) and one over the engineering program
  (``10100``).
* Periods are calendar months. Everyone shares one work schedule, so
  ``/user-schedule/{accountId}`` answers for any id.
* The emulator's clock is frozen at the cast's ``now``: created and updated records are
  stamped with it. Ids are never handed out twice.
* Body rules the docs do not word get messages of their own: a missing required field is
  "<field> is required", a wrong type "<field> must be ...", an unknown user "User with
  accountId '…' does not exist", a category or customer key that does not exist "Invalid
  category key" / "Invalid customer key" (their 404 wording).
* Team permissions are derived, as the docs say the API to change them is gone: the lead
  holds all three, the program's manager approves and browses, current members browse.
* A team link ties a team to a Jira project or board: ``{self, id, team, scope: {self, id,
  type: PROJECT|BOARD}}``; ``/teams/{id}/links`` lists a team's links (undocumented, but
  every team's ``links.self`` points there).
* Deleting a team drops its memberships and links; a program's teams are the teams naming
  it, and PUT ``teamIds`` is the whole list. Deleting a role moves its memberships to the
  default role, which cannot itself be deleted (400). Deleting a category or customer
  leaves its accounts without one. PUT on an account, category or customer may change its
  key. An account's contact is a Jira user or an external name, not both (400).
* Plans: a plan's start..end block repeats by its rule (BI_WEEKLY in requests, BIWEEKLY in
  responses) up to ``recurrenceEndDate`` (the endDate when absent or NEVER). Without
  ``from``/``to`` ``dates.values`` holds the first occurrence only; ``dates.metadata.all``
  links to every occurrence. Planned seconds count working days unless
  ``includeNonWorkingDays``. A plan names an issue or a project, not both; PUT validates as
  POST does.
* Timesheet approvals: the period is the month containing ``from`` (else ``to``, else
  today). A period never acted on is OPEN since its first day. Actions follow the docs'
  state machine (OPEN: submit; IN_REVIEW: approve, reject; APPROVED: reopen), a wrong one is
  a 400, and responses list the actions of the new status (the docs' reject and reopen
  examples list approve/reject, which their own state machine does not allow). Submit needs
  one of the user's reviewers; approve, reject and reopen are done by that reviewer.
  ``reviewer`` is present once one is chosen. An unknown user is a 404 "User not found".
* The token belongs to the first team's lead (she also manages the engineering program):
  she is "me" for ``/timesheet-approvals/waiting``.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware

from gateway.emulators._tempo_accounts import AccountsApi
from gateway.emulators._tempo_data import build_state
from gateway.emulators._tempo_http import BearerAuth, TempoError, on_error, render_error
from gateway.emulators._tempo_memberships import MembershipsApi
from gateway.emulators._tempo_plans import PlansApi
from gateway.emulators._tempo_programs import ProgramsApi
from gateway.emulators._tempo_teams import TeamsApi
from gateway.emulators._tempo_timesheets import TimesheetsApi
from gateway.emulators._tempo_worklogs import WorklogsApi
from gateway.emulators.cast import Cast
from gateway.emulators.faults import FaultMiddleware, Faults


def create_app(cast: Cast, *, faults: Faults | None = None) -> Starlette:
    """The Tempo emulator; its routes are relative to the API base (``/core/3``)."""
    state = build_state(cast)
    apis = (
        TeamsApi, MembershipsApi, ProgramsApi, WorklogsApi, AccountsApi, PlansApi, TimesheetsApi,
    )  # fmt: skip
    middleware = [Middleware(BearerAuth, token=cast.credentials.tempo_token)]
    if faults is not None:  # outermost: an outage answers 503 before auth is checked
        middleware.insert(0, Middleware(FaultMiddleware, faults=faults, render_error=render_error))
    return Starlette(
        routes=[r for api in apis for r in api(state).routes()],
        middleware=middleware,
        exception_handlers={TempoError: on_error, HTTPException: on_error},
    )
