"""The demo cast's types: how each service knows a person and a team, and the `Cast` itself.

A ``Cast`` holds the people and teams every emulator serves, each under its own ids, and the
credentials the emulators accept. Who is in it, and the mess the gateway must link, is in
:mod:`gateway.emulators.cast_build`, whose ``build_cast`` makes it; nothing here imports that
module, so settings and the emulators take the types without the tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

# -- how each service knows a person ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TempoAccount:
    account_id: str
    display_name: str


@dataclass(frozen=True, slots=True)
class OncallAccount:
    id: int
    name: str  # username
    full_name: str
    email: str | None
    phone: str
    slack: str


@dataclass(frozen=True, slots=True)
class TeamOclockAccount:
    username: str
    first_name: str
    last_name: str
    email: str
    role: str  # administrator | manager | member


@dataclass(frozen=True, slots=True)
class TeamPulseAccount:
    id: int
    name: str  # username
    display_name: str


@dataclass(frozen=True, slots=True)
class Hack24Account:
    id: str  # slug of the name
    name: str


@dataclass(frozen=True, slots=True)
class Person:
    handle: str  # the cast's own name for the person; no service shows it
    full_name: str
    time_zone: str
    tempo: TempoAccount | None = None
    oncall: OncallAccount | None = None
    teamoclock: TeamOclockAccount | None = None
    teampulse: TeamPulseAccount | None = None
    hack24: Hack24Account | None = None
    # True when the gateway's automatic rules cannot link this person (an ambiguous name):
    # the demo identity configuration then names their ids explicitly.
    needs_link: bool = False


# -- how each service knows a team -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TempoTeam:
    id: int
    name: str
    summary: str
    lead: str | None  # person handle


@dataclass(frozen=True, slots=True)
class OncallTeam:
    id: int
    name: str
    email: str
    slack_channel: str
    scheduling_timezone: str
    services: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TeamOclockTeam:
    slug: str
    name: str
    video_url: str
    mood_enabled: bool
    # The kinds of meeting active right now: "standup", "planpoker", "retro".
    active_meetings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TeamPulseProject:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class Hack24Team:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Member:
    person: str  # person handle
    role: str  # Tempo role name: "Team Lead", "Developer", "Designer", "Tester"
    commitment_percent: int
    since: date  # membership start, also the Hack24 join date
    in_rotation: bool  # in the oncall roster rotation
    admin: bool  # oncall team admin


@dataclass(frozen=True, slots=True)
class Team:
    handle: str
    members: tuple[Member, ...]
    tempo: TempoTeam | None = None
    oncall: OncallTeam | None = None
    teamoclock: TeamOclockTeam | None = None
    teampulse: TeamPulseProject | None = None
    hack24: Hack24Team | None = None


@dataclass(frozen=True, slots=True)
class Credentials:
    """What the emulators accept, and what demo mode and `--write-config` send."""

    tempo_token: str = "tempo-demo-token"
    teamoclock_org: str = "teamgraph-demo"
    teamoclock_key: str = "skey-demo"
    teampulse_username: str = "gateway"
    teampulse_password: str = "demo-password"
    oncall_app: str = "teamgraph"
    oncall_app_key: str = "oncall-demo-key"
    hack24_token: str = "hack24-demo-token"


@dataclass(frozen=True)
class Cast:
    now: datetime  # timezone-aware UTC; all generated data is relative to it
    people: tuple[Person, ...]
    teams: tuple[Team, ...]
    credentials: Credentials = field(default_factory=Credentials)

    @property
    def today(self) -> date:
        return self.now.date()

    def person(self, handle: str) -> Person:
        for person in self.people:
            if person.handle == handle:
                return person
        raise KeyError(handle)

    def teams_of(self, handle: str) -> list[Team]:
        return [t for t in self.teams if any(m.person == handle for m in t.members)]

    def identity_links(self) -> dict[str, list[dict[str, str]]]:
        """The explicit links demo mode needs, in the config file's shape.

        Only people the automatic rules cannot link are listed: everyone else is linked by
        email, username or name, which is the point of the demo.
        """
        people = []
        for p in self.people:
            if not p.needs_link:
                continue
            link = {"key": p.handle}
            if p.tempo:
                link["tempo"] = p.tempo.account_id
            if p.oncall:
                link["oncall"] = p.oncall.name
            if p.teamoclock:
                link["teamoclock"] = p.teamoclock.username
            if p.teampulse:
                link["teampulse"] = str(p.teampulse.id)
            if p.hack24:
                link["hack24"] = p.hack24.id
            people.append(link)
        return {"people": people, "teams": []}
