"""The unified types, in one place for imports: Team, User, Event, Worklog, Meeting.

They refer to each other (a team's members are users, a user's teams are teams), so each
lives in its own module and names the others with `strawberry.lazy`: `schema/users.py`,
`schema/teams.py`, `schema/activity.py`; shared pieces are in `schema/common.py`.
"""

from __future__ import annotations

from schema.activity import Event, Meeting, Worklog
from schema.common import Account, CtxInfo, From, Node, To
from schema.teams import Membership, Roster, RosterMember, Team
from schema.users import Contacts, User

__all__ = [
    "Account",
    "Contacts",
    "CtxInfo",
    "Event",
    "From",
    "Meeting",
    "Membership",
    "Node",
    "Roster",
    "RosterMember",
    "Team",
    "To",
    "User",
    "Worklog",
]
