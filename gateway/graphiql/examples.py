"""The operations GraphiQL opens with, one tab each, their variables computed from today.

TeamOverview is the README's, word for word (a test holds them together). The demo's data
covers the four weeks up to the server's today, so the date ranges end today; the examples
that name the demo's own teams and people (and the one that writes) appear only in demo mode.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

TEAM_OVERVIEW = """\
query TeamOverview($from: Date!, $to: Date!) {
  teams {
    id key name
    accounts { service id }
    memberships(service: TEMPO) { role commitmentPercent from to user { id name email } }
    rosters { name members { inRotation user { id name } } }
    oncallNow { role start end user { id name } }
    members { id name worklogs(from: $from, to: $to) { service date durationSeconds description } }
    meetings { kind name date url }
  }
}
"""

WORKLOG_AUTHORS = """\
# Tempo worklogs -> the unified author -> that
# person's oncall teams and next shifts
# (`oncall` is null for someone oncall does not
# know).
query WorklogAuthors($from: Date!, $to: Date!) {
  tempo { worklogs(from: $from, to: $to, first: 2) { nodes {
    issueKey timeSpentSeconds
    author { user { name oncall { teams { name } upcoming { start role } } } }
  } } }
}
"""

ROSTER_AND_ACTION_ITEMS = """\
# A team's oncall roster next to its Team O'clock
# action items, in one request.
query RosterAndActionItems {
  team(key: "platform") {
    name
    oncall { rosters { name } }
    teamoclock { actionItems(first: 5) { nodes { text resolved } } }
  }
}
"""

LOG_WORK = """\
# A write: half an hour on PLAT-204 in Tempo
# for Carmen, today. Its idempotency key makes
# a second run answer `replayed: true` instead
# of logging the time twice.
mutation LogWork($date: Date!, $key: String!) {
  logWork(
    input: {user: "carmen", date: $date, seconds: 1800, issueKey: "PLAT-204",
            description: "Tried the API in GraphiQL"}
    idempotencyKey: $key
  ) {
    replayed
    userErrors { field message code }
    result { id service durationSeconds issueKey user { key name } }
  }
}
"""

# Comment lines stay short: the editor gets a third of the window.
INTRO = """\
# Teamgraph's GraphiQL, served by the gateway
# itself: it needs no network.
# Run: Ctrl+Enter or the ▶ button. One
# example per tab; their variables (below) are
# dates from the server's clock.
# Trace: the stopwatch button on the right.
# Then every request carries
# x-teamgraph-trace: 1 and its answer's
# `extensions` list the upstream calls and the
# cost. The arrow under it brings back these
# examples, with today's dates.
"""


@dataclass(frozen=True, slots=True)
class Example:
    query: str
    variables: dict[str, str]

    def as_tab(self) -> dict[str, str]:
        """A GraphiQL `defaultTabs` entry: the editors' texts."""
        tab = {"query": self.query}
        if self.variables:
            tab["variables"] = json.dumps(self.variables, indent=2)
        return tab


def build_examples(today: date, *, demo: bool) -> list[Example]:
    """The tabs GraphiQL opens with: TeamOverview over the last week first."""
    week = {"from": str(today - timedelta(days=7)), "to": str(today)}
    examples = [
        Example(INTRO + TEAM_OVERVIEW, week),
        Example(WORKLOG_AUTHORS, week),
    ]
    if demo:
        key = f"graphiql-example-{today}"
        examples += [
            Example(ROSTER_AND_ACTION_ITEMS, {}),
            Example(LOG_WORK, {"date": str(today), "key": key}),
        ]
    return examples
