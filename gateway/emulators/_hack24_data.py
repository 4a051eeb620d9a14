"""The Hack24 emulator's state (users, teams, who joined which team when) and its resources.

Users are the cast people with a Hack24 account; teams are the cast teams with one. A user
belongs to at most one team (the docs' to-one ``team``): the first cast team listing them,
joined at noon UTC of their ``Member.since``. Writes mutate one app instance's state; new
joins happen at ``cast.now``. ``self`` links are relative to the API root, as in the docs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from gateway.emulators.cast import Cast

Document = dict[str, object]


def format_joined(moment: datetime) -> str:
    """The documented timestamp shape, with 7 fractional digits: 2016-01-23T12:00:00.0000000Z."""
    utc = moment.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond:06d}0Z"


@dataclass
class State:
    """Users, teams and who is in which team; a user is in at most one team."""

    now: datetime
    users: dict[str, str] = field(default_factory=dict)  # user id -> name
    teams: dict[str, str] = field(default_factory=dict)  # team id -> name
    # team id -> {user id: joined}, in joining order
    members: dict[str, dict[str, datetime]] = field(default_factory=dict)
    team_by_user: dict[str, str] = field(default_factory=dict)  # the inverse, for lookups

    def team_of(self, user_id: str) -> tuple[str, datetime] | None:
        team_id = self.team_by_user.get(user_id)
        return None if team_id is None else (team_id, self.members[team_id][user_id])

    def join(self, team_id: str, user_id: str, joined: datetime | None = None) -> None:
        """Put the user in the team; a user in another team is moved (to-one `team`)."""
        if self.team_by_user.get(user_id) == team_id:
            return  # already there: keep the original join date
        self.leave(user_id)
        self.members[team_id][user_id] = joined or self.now
        self.team_by_user[user_id] = team_id

    def leave(self, user_id: str) -> None:
        team_id = self.team_by_user.pop(user_id, None)
        if team_id is not None:
            del self.members[team_id][user_id]


def state_from_cast(cast: Cast) -> State:
    state = State(now=cast.now)
    for person in cast.people:
        if person.hack24:
            state.users[person.hack24.id] = person.hack24.name
    for team in cast.teams:
        if team.hack24:
            state.teams[team.hack24.id] = team.hack24.name
            state.members[team.hack24.id] = {}
    for team in cast.teams:
        if not team.hack24:
            continue
        for member in team.members:
            account = cast.person(member.person).hack24
            if account and state.team_of(account.id) is None:
                joined = datetime.combine(member.since, time(12), tzinfo=UTC)
                state.join(team.hack24.id, account.id, joined)
    return state


# -- resources, as the docs' examples render them --------------------------------------------


def member_linkage(state: State, team_id: str) -> list[Document]:
    return [
        {"type": "users", "id": user_id, "meta": {"joined": format_joined(joined)}}
        for user_id, joined in state.members[team_id].items()
    ]


def team_resource(state: State, team_id: str, *, links: bool = True) -> Document:
    resource: Document = {
        "type": "teams",
        "id": team_id,
        "attributes": {"name": state.teams[team_id]},
        "relationships": {
            "members": {
                "links": {"self": f"/teams/{team_id}/members"},
                "data": member_linkage(state, team_id),
            }
        },
    }
    if links:
        resource["links"] = {"self": f"/teams/{team_id}"}
    return resource


def team_linkage(state: State, user_id: str) -> Document | None:
    found = state.team_of(user_id)
    if found is None:
        return None
    team_id, joined = found
    return {"type": "teams", "id": team_id, "meta": {"joined": format_joined(joined)}}


def user_resource(state: State, user_id: str, *, links: bool = True, team: bool = True) -> Document:
    """A user resource; users included in team documents carry no relationships (docs)."""
    resource: Document = {"type": "users", "id": user_id}
    if links:
        resource["links"] = {"self": f"/users/{user_id}"}
    resource["attributes"] = {"name": state.users[user_id]}
    if team:
        resource["relationships"] = {"team": {"data": team_linkage(state, user_id)}}
    return resource
