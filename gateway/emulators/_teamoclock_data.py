"""The Team O'clock emulator's state and its JSON, built from the cast (private to the app).

Everything is deterministic: each random choice is seeded from a team slug and a day, and
every date is relative to ``cast.now``. The shape:

* members and teams straight from the cast (people without a Team O'clock account, such as
  ``jonas`` and ``victor``, are simply not members);
* the active meetings each team lists in ``TeamOclockTeam.active_meetings``, started today;
* action items from each team's fortnightly retrospectives of the last 16 weeks (4 a retro,
  32 a team: more than one 100-item page across the cast), the older ones mostly resolved;
* a timeline of the last 4 weeks: a standup every weekday, a planning poker every Wednesday
  (one record per estimated task) and the retrospectives (136 records at scale 1).

Numbers grow with dates (``A1`` is the oldest action item; ``S1``, ``P2``, ``R3`` share one
sequence), so the pagination cursor can be "the number to continue from" and stay stable.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta

from gateway.emulators._teamoclock_content import (
    ACTIONS,
    COLUMNS,
    DONE,
    FIBONACCI,
    NEXT,
    NOTES,
    ORIGINS,
    QUESTIONS,
    ROUNDUPS,
    STORIES,
    average,
    jira_url,
)
from gateway.emulators._teamoclock_store import ActionItem, JsonObject, Record, Store
from gateway.emulators.cast import Cast


def build_store(cast: Cast) -> Store:
    """The whole emulated organisation, as the API serves it before any write."""
    store = Store(org=cast.credentials.teamoclock_org, now=cast.now)
    usernames: dict[str, str] = {}  # person handle -> username
    for person in cast.people:
        if (account := person.teamoclock) is None:
            continue
        usernames[person.handle] = account.username
        store.members[account.username] = {
            "username": account.username,
            "first_name": account.first_name,
            "last_name": account.last_name,
            "avatar": f"{account.username.lower()}.jpg",
            "email": account.email,
            "role": account.role,
        }
    for team in cast.teams:
        if (toc := team.teamoclock) is None:
            continue
        store.teams[toc.slug] = {
            "name": toc.name,
            "slug": toc.slug,
            "video_url": toc.video_url,
            "mood_enabled": toc.mood_enabled,
        }
        members = [usernames[m.person] for m in team.members if m.person in usernames]
        store.team_members[toc.slug] = members
        for kind in toc.active_meetings:
            lead = members[0] if members else None  # the lead runs the cast's meetings
            store.start_meeting(kind, toc.slug, facilitator=lead, busy=True)
    _add_history(store)
    return store


def _add_history(store: Store) -> None:
    """Action items of the last 16 weeks of retros and the last 4 weeks of timeline."""
    today = store.now.date()
    records: list[Record] = []
    items: list[ActionItem] = []
    last_friday = today - timedelta(days=(today.weekday() - 4) % 7 or 7)
    for index, slug in enumerate(store.teams):
        ref = {"slug": slug, "name": store.team_ref(slug)["name"]}
        members = store.team_members[slug]
        for back in range(1, 29):
            day = today - timedelta(days=back)
            rng = random.Random(f"{slug}:{day}")
            at = datetime.combine(day, time(9, 0), UTC) + timedelta(
                minutes=20 * index, seconds=rng.randint(0, 300), milliseconds=rng.randint(0, 999)
            )
            if day.weekday() < 5:
                records.append(_past_standup(slug, ref, members, at, ORIGINS[index % 3], rng))
            if day.weekday() == 2:
                for k in range(3):
                    records.append(_past_poker(store.org, slug, ref, members, at, k, rng))
        for k in range(8):  # fortnightly retros; the last two are still on the timeline
            day = last_friday - timedelta(days=14 * k)
            rng = random.Random(f"{slug}:retro:{day}")
            at = datetime.combine(day, time(15, 0), UTC) + timedelta(
                minutes=30 * index, milliseconds=rng.randint(0, 59999)
            )
            made = [
                ActionItem(
                    number=0,
                    text=text,
                    # Old items are mostly done; the newest is always open, the oldest done.
                    resolved=(j > 0 or k > 0)
                    and ((k == 7 and j == 0) or rng.random() < 0.15 + 0.12 * k),
                    jira=jira_url(store.org, slug, rng) if rng.random() < 0.5 else None,
                    slug=slug,
                    date=at + timedelta(minutes=j + 1),
                )
                for j, text in enumerate(rng.sample(ACTIONS, 4))
            ]
            items.extend(made)
            if (today - day).days <= 28:
                records.append(_past_retro(slug, ref, at, made, rng))
    for number, item in enumerate(sorted(items, key=lambda i: (i.date, i.slug)), 1):
        item.number = number
        store.action_items[number] = item
    for number, record in enumerate(sorted(records, key=lambda r: (r.date, r.slug)), 1):
        record.number = number
        store.timeline[number] = record


def _past_standup(
    slug: str, ref: dict[str, str], members: list[str], at: datetime, origin: str,
    rng: random.Random,
) -> Record:  # fmt: skip
    is_async = rng.random() < 0.3
    speakers = [u for u in members if rng.random() < 0.6]
    async_notes = [
        {"username": u, "text": rng.choice(answers), "question": q}
        for u in (speakers if is_async else speakers[:1])
        for q, answers in (("q1", DONE), ("q2", NEXT))
    ]
    body: JsonObject = {
        "async": is_async,
        "questions": dict(QUESTIONS),
        "origin": origin,
        "team": ref,
        "sync_notes": [] if is_async else [rng.choice(ROUNDUPS)],
        "async_notes": async_notes,
    }
    return Record(0, "standup", at, slug, body)


def _past_poker(
    org: str, slug: str, ref: dict[str, str], members: list[str], at: datetime, k: int,
    rng: random.Random,
) -> Record:  # fmt: skip
    votes = [rng.choice(FIBONACCI) for _ in members]
    avg = average(votes)
    body: JsonObject = {
        "task": STORIES[(k + at.day) % len(STORIES)],
        # The timeline writes numbers as strings (the docs' `"avg_vote": "8"`).
        "avg_vote": "" if avg is None else f"{avg:g}",
        "team": ref,
        "links": {"jira": jira_url(org, slug, rng)},
        "votes": [{"vote": str(v), "username": u} for u, v in zip(members, votes, strict=True)],
    }
    return Record(0, "planpoker", at.replace(hour=14) + timedelta(minutes=12 * k), slug, body)


def _past_retro(
    slug: str, ref: dict[str, str], at: datetime, made: list[ActionItem], rng: random.Random
) -> Record:
    notes = [
        {"text": text, "votes": rng.randint(0, 6), "column": column}
        for column, texts in NOTES.items()
        for text in rng.sample(texts, 2)
    ]
    body: JsonObject = {
        "name": f"{ref['name']} retrospective",
        "columns": [dict(c) for c in COLUMNS],
        "team": ref,
        "notes": notes,
        "action_items": [],  # filled from the live action items when rendered
    }
    return Record(0, "retro", at, slug, body, action_items=made)
