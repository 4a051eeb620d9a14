"""The one demo cast: the people and teams every emulator serves, each under its own ids.

The tables here say who is in it, and :func:`build_cast` makes the ``Cast`` from them (the
types are in :mod:`gateway.emulators.cast`). The five emulators render this cast in their own
wire formats, so the same person is ``accountId 5d0f…`` in Tempo, ``alice`` in oncall and
``alice-nguyen`` in Hack24, exactly as in a real company. The mess is deliberate, because
linking it is the gateway's job:

* ``dmitri``: oncall knows ``dmitri.k``, Team O'clock ``Dmitri.K`` with a private email, so
  only a case-insensitive username match links them.
* ``sam.taylor`` and ``samuel.taylor``: two people both displayed as "Sam Taylor". Services
  that know only names (Tempo, TeamPulse, Hack24) cannot tell them apart; the demo identity
  configuration (:meth:`Cast.identity_links`) links them explicitly.
* ``ines``: "Inês Costa" in oncall and Team O'clock, "Ines Costa" in Tempo and TeamPulse.
* ``yusuf``: a contractor known to TeamPulse only.
* The data team is "Data & Analytics" in Tempo, "Data and Analytics" in Team O'clock,
  "Data Analytics" in Hack24 and ``data-analytics`` in oncall.

``build_cast(scale=N)`` repeats the whole shape N times with suffixed names and ids, so cost
can be measured as the organisation grows. Everything time-based is relative to ``now``.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import UTC, date, datetime

from gateway.emulators.cast import (
    Cast,
    Hack24Account,
    Hack24Team,
    Member,
    OncallAccount,
    OncallTeam,
    Person,
    Team,
    TeamOclockAccount,
    TeamOclockTeam,
    TeamPulseAccount,
    TeamPulseProject,
    TempoAccount,
    TempoTeam,
)

# -- the base shape --------------------------------------------------------------------------

_S = frozenset  # services a person is *absent* from, for readability below

# handle, first, last, time zone, absent from, oncall/TeamPulse username override
_PEOPLE: list[tuple[str, str, str, str, frozenset[str]]] = [
    ("alice", "Alice", "Nguyen", "Europe/Berlin", _S({"teampulse"})),
    ("bob", "Bob", "Okafor", "Europe/London", _S()),
    ("carmen", "Carmen", "Ruiz", "Europe/Madrid", _S({"hack24"})),
    ("dmitri", "Dmitri", "Kuznetsov", "Europe/Berlin", _S({"hack24"})),
    ("erin", "Erin", "Walsh", "Europe/Dublin", _S()),
    ("farid", "Farid", "Haddad", "Asia/Dubai", _S({"teampulse"})),
    ("grace", "Grace", "Liu", "America/New_York", _S()),
    ("hiro", "Hiro", "Tanaka", "Asia/Tokyo", _S({"teampulse", "hack24"})),
    ("ines", "Inês", "Costa", "Europe/Lisbon", _S()),
    ("jonas", "Jonas", "Berg", "Europe/Oslo", _S({"teamoclock"})),
    ("sam.taylor", "Sam", "Taylor", "America/Chicago", _S()),
    ("kofi", "Kofi", "Mensah", "Africa/Accra", _S({"tempo"})),
    ("lena", "Lena", "Fischer", "Europe/Vienna", _S({"hack24"})),
    ("mateo", "Mateo", "Rossi", "Europe/Rome", _S()),
    ("nadia", "Nadia", "Petrova", "Europe/Sofia", _S({"teampulse"})),
    ("omar", "Omar", "Farouk", "Africa/Cairo", _S({"hack24"})),
    ("priya", "Priya", "Raman", "Asia/Kolkata", _S({"oncall"})),
    ("samuel.taylor", "Sam", "Taylor", "America/Denver", _S()),
    ("quinn", "Quinn", "Harper", "America/Los_Angeles", _S({"teampulse"})),
    ("rosa", "Rosa", "Delgado", "America/Mexico_City", _S()),
    ("tariq", "Tariq", "Aziz", "Asia/Karachi", _S({"hack24"})),
    ("uma", "Uma", "Shah", "Asia/Kolkata", _S({"oncall"})),
    ("victor", "Victor", "Lindqvist", "Europe/Stockholm", _S({"teamoclock"})),
    ("wen", "Wen", "Zhao", "Asia/Shanghai", _S({"tempo"})),
]
_LONER = ("yusuf", "Yusuf", "Demir", "Europe/Istanbul")

# team handle -> (Tempo name, oncall name, TOC slug, TOC name, Hack24 name, meetings, services)
_TEAMS: list[tuple[str, str, str, str, str, str, tuple[str, ...], tuple[str, ...]]] = [
    ("platform", "Platform", "platform", "platform", "Platform", "Platform",
     ("standup", "retro"), ("api-gateway", "kubernetes")),
    ("payments", "Payments", "payments", "payments", "Payments", "Payments",
     ("standup",), ("checkout", "ledger")),
    ("mobile", "Mobile", "mobile", "mobile", "Mobile", "Mobile",
     ("planpoker",), ("ios-app", "android-app")),
    ("data", "Data & Analytics", "data-analytics", "data-analytics", "Data and Analytics",
     "Data Analytics", ("retro", "planpoker"), ("warehouse",)),
]  # fmt: skip

# team handle -> members: (person handle, Tempo role, commitment, in rotation, oncall admin)
_MEMBERS: dict[str, list[tuple[str, str, int, bool, bool]]] = {
    "platform": [
        ("alice", "Team Lead", 80, True, True),
        ("bob", "Developer", 100, True, False),
        ("carmen", "Developer", 100, True, False),
        ("dmitri", "Developer", 100, True, False),
        ("erin", "Tester", 100, False, False),
        ("farid", "Developer", 50, True, False),
    ],
    "payments": [
        ("grace", "Team Lead", 100, True, True),
        ("hiro", "Developer", 100, True, False),
        ("ines", "Developer", 100, True, False),
        ("jonas", "Developer", 100, True, False),
        ("sam.taylor", "Tester", 100, False, False),
        ("kofi", "Developer", 100, True, False),
    ],
    "mobile": [
        ("lena", "Team Lead", 100, True, True),
        ("mateo", "Developer", 100, True, False),
        ("nadia", "Designer", 100, False, False),
        ("omar", "Developer", 100, True, False),
        ("priya", "Developer", 100, False, False),
        ("samuel.taylor", "Developer", 100, True, False),
    ],
    "data": [
        ("quinn", "Team Lead", 100, True, True),
        ("rosa", "Developer", 100, True, False),
        ("tariq", "Developer", 100, True, False),
        ("uma", "Developer", 100, False, False),
        ("victor", "Developer", 100, True, False),
        ("wen", "Developer", 100, True, False),
        ("alice", "Developer", 20, False, False),  # alice also helps the data team
    ],
}


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens, the way Hack24 derives ids from names."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in ascii_text.lower()).split()
    return "-".join(words)


def _account_id(handle: str) -> str:
    # Atlassian accountIds are opaque; mix both documented shapes.
    digest = hashlib.sha256(handle.encode()).hexdigest()
    return (
        digest[:24]
        if int(digest[0], 16) % 2
        else f"557058:{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
    )


def _person(
    copy: int, index: int, handle: str, first: str, last: str, tz: str, absent: frozenset[str]
) -> Person:
    sfx = "" if copy == 1 else str(copy)
    handle = f"{handle}{sfx}"
    last_shown = f"{last} {copy}" if copy > 1 else last
    full = f"{first} {last_shown}"
    ascii_full = unicodedata.normalize("NFKD", full).encode("ascii", "ignore").decode()
    email = f"{handle}@teamgraph.example"
    oncall_name = handle
    toc_username = handle
    toc_email = email
    tp_name = handle
    tempo_name = full
    if handle.startswith("dmitri"):
        oncall_name = tp_name = f"dmitri.k{sfx}"
        toc_username = f"Dmitri.K{sfx}"  # same username, different case
        toc_email = f"dmitri.kuznetsov{sfx}@mailbox.example"  # private address
    if handle.startswith("samuel.taylor"):
        tp_name = f"samt{sfx}"
    if handle.startswith("sam.taylor"):
        tp_name = f"staylor{sfx}"
    if handle.startswith("ines"):
        tempo_name = ascii_full  # "Ines Costa": Tempo lost the accent
    hack24_name = full
    hack24_id = slugify(full)
    if handle.startswith("samuel.taylor"):
        # Hack24 derives ids from the name at creation; Sam was "Samuel Taylor" back then.
        hack24_id = slugify(f"Samuel {last_shown}")
    base = (copy - 1) * 100
    return Person(
        handle=handle,
        full_name=full,
        time_zone=tz,
        tempo=None if "tempo" in absent else TempoAccount(_account_id(handle), tempo_name),
        oncall=None
        if "oncall" in absent
        else OncallAccount(
            id=base + index + 3,  # ids are not dense upstream either
            name=oncall_name,
            full_name=full,
            email=email,
            phone=f"+1 555-{copy:03d}-{index:04d}",
            slack=oncall_name,
        ),
        teamoclock=None
        if "teamoclock" in absent
        else TeamOclockAccount(
            username=toc_username,
            first_name=first,
            last_name=last_shown,
            email=toc_email,
            role="administrator" if index == 0 else "manager" if index % 6 == 0 else "member",
        ),
        teampulse=None
        if "teampulse" in absent
        else TeamPulseAccount(
            id=base + index + 1,
            name=tp_name,
            display_name=ascii_full if handle.startswith("ines") else full,
        ),
        hack24=None if "hack24" in absent else Hack24Account(id=hack24_id, name=hack24_name),
        needs_link=handle.startswith(("sam.taylor", "samuel.taylor")),
    )


def build_cast(*, scale: int = 1, now: datetime | None = None) -> Cast:
    """The demo cast, repeated `scale` times (same shape, suffixed names and ids)."""
    if scale < 1:
        raise ValueError(f"scale must be 1 or more, got {scale}")
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    people: list[Person] = []
    teams: list[Team] = []
    for copy in range(1, scale + 1):
        sfx = "" if copy == 1 else str(copy)
        for index, (handle, first, last, tz, absent) in enumerate(_PEOPLE):
            people.append(_person(copy, index, handle, first, last, tz, absent))
        handle, first, last, tz = _LONER
        base = (copy - 1) * 100
        people.append(
            Person(
                handle=f"{handle}{sfx}",
                full_name=f"{first} {last}" + (f" {copy}" if copy > 1 else ""),
                time_zone=tz,
                teampulse=TeamPulseAccount(
                    id=base + 90,
                    name=f"{handle}{sfx}",
                    display_name=f"{first} {last}" + (f" {copy}" if copy > 1 else ""),
                ),
            )
        )
        for t_index, (th, tempo_name, oncall_name, slug, toc_name, h24_name, meetings,
                      services) in enumerate(_TEAMS):  # fmt: skip
            name_sfx = f" {copy}" if copy > 1 else ""
            slug_sfx = f"-{copy}" if copy > 1 else ""
            members = tuple(
                Member(
                    person=f"{p}{sfx}",
                    role=role,
                    commitment_percent=commitment,
                    since=date(2024, 1 + (i % 12), 1 + t_index * 3),
                    in_rotation=rot,
                    admin=admin,
                )
                for i, (p, role, commitment, rot, admin) in enumerate(_MEMBERS[th])
            )
            tid = (copy - 1) * 10 + t_index + 1
            teams.append(
                Team(
                    handle=f"{th}{sfx}",
                    members=members,
                    tempo=TempoTeam(
                        id=tid,
                        name=f"{tempo_name}{name_sfx}",
                        summary=f"The {tempo_name} team",
                        lead=members[0].person,
                    ),
                    oncall=OncallTeam(
                        id=tid + 4,
                        name=f"{oncall_name}{slug_sfx}",
                        email=f"{slug}{slug_sfx}@teamgraph.example",
                        slack_channel=f"#{slug}{slug_sfx}",
                        scheduling_timezone="UTC",
                        services=tuple(f"{s}{slug_sfx}" for s in services),
                    ),
                    teamoclock=TeamOclockTeam(
                        slug=f"{slug}{slug_sfx}",
                        name=f"{toc_name}{name_sfx}",
                        video_url=f"https://meet.example/{slug}{slug_sfx}",
                        mood_enabled=t_index % 2 == 0,
                        active_meetings=meetings,
                    ),
                    teampulse=TeamPulseProject(id=tid, name=f"{tempo_name}{name_sfx}"),
                    hack24=Hack24Team(
                        id=slugify(f"{h24_name}{name_sfx}"), name=f"{h24_name}{name_sfx}"
                    ),
                )
            )
    return Cast(now=now, people=tuple(people), teams=tuple(teams))
