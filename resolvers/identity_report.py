"""What identity linking made of everyone, for operators: `teamgraph identity` and the
`identityReport` field render this one report.

It is read off the request's linked :class:`~resolvers.identity.Directory`, so it shows what
the resolvers use, from the same linking code: each cluster with the match that linked each
account, accounts left alone, and the merges linking refused (ambiguities), with the
`[[people]]` / `[[teams]]` entries that would settle each. Nothing here re-applies a rule.

An ambiguity is *resolved* once configuration names every person (or team) it involves: an
entry per person says who is who, and the rules then keep them apart on purpose.
"""

from __future__ import annotations

import json
import textwrap
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from resolvers.backends.errors import SERVICES, BackendError, Service
from resolvers.context import Context
from resolvers.identity import (
    PREFERENCE,
    TEAM_PREFERENCE,
    Account,
    Directory,
    Identity,
    Link,
    Match,
    Refusal,
    normalize_name,
    slugify,
)

Kind = Literal["people", "teams"]

# What each `[[people]]` / `[[teams]]` id is, in each service's own words.
ID_NAMES: dict[Kind, dict[Service, str]] = {
    "people": {
        "tempo": "Tempo accountId",
        "oncall": "oncall username",
        "teamoclock": "Team O'clock username",
        "teampulse": "TeamPulse numeric user id",
        "hack24": "Hack24 user slug",
    },
    "teams": {
        "tempo": "Tempo numeric team id",
        "oncall": "oncall team name",
        "teamoclock": "Team O'clock team slug",
        "hack24": "Hack24 team slug",
    },
}


@dataclass(frozen=True, slots=True)
class SuggestedEntry:
    """One `[[people]]` / `[[teams]]` entry that would settle an ambiguity.

    ``ids`` are the accounts already linked as this person (written as they are);
    ``candidates`` the accounts of services it lacks that could be theirs (written commented
    out: the operator keeps the ones that are). With ``extends`` set, this person already
    has a configured entry (named by it): the candidates belong in that entry instead.
    """

    key: str
    name: str
    ids: dict[Service, str]
    candidates: tuple[Account, ...]
    extends: str | None = None


@dataclass(frozen=True, slots=True)
class Ambiguity:
    """Values that matched people (or teams) which cannot all be one: kept apart."""

    reasons: tuple[Refusal, ...]  # the rule and shared value of each refused merge
    identities: tuple[Identity, ...]  # who is kept apart, as linked now
    resolved: bool
    suggestion: tuple[SuggestedEntry, ...]  # empty once resolved

    @property
    def clashes(self) -> dict[Service, int]:
        """Services in which more than one of them has an account: why no merge."""
        counts = Counter(s for i in self.identities for s in i.accounts)
        return {s: n for s in SERVICES if (n := counts.get(s, 0)) > 1}

    @property
    def why(self) -> str:
        shared = " and ".join(f"{r.rule} {_shown_value(r)!r}" for r in self.reasons)
        clashes = ", ".join(f"{n} have {s} accounts" for s, n in self.clashes.items())
        verb = "matches" if len(self.reasons) == 1 else "match"
        return (
            f"{shared} {verb} {len(self.identities)} identities but cannot merge them "
            f"({clashes}; one identity holds one account per service)"
        )


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """A configured entry that does not do what it says."""

    entry: str  # 'key = "alice"', or its ids when it has no key
    message: str


@dataclass(frozen=True, slots=True)
class KindReport:
    """People, or teams."""

    kind: Kind
    linked: tuple[Identity, ...]  # more than one account, or named by configuration
    unlinked: tuple[Identity, ...]  # one account, matched by nothing, in no ambiguity
    ambiguities: tuple[Ambiguity, ...]  # unresolved
    resolved: tuple[Ambiguity, ...]  # kept apart by configuration
    problems: tuple[ConfigProblem, ...]

    @property
    def table(self) -> str:
        return f"[[{self.kind}]]"

    def suggestion_for(self, ambiguity: Ambiguity) -> str:
        """TOML that would resolve `ambiguity`; empty once it is resolved."""
        return "" if ambiguity.resolved else render_suggestion(self, ambiguity)


@dataclass(frozen=True, slots=True)
class IdentityReport:
    services: tuple[Service, ...]  # configured
    failures: tuple[BackendError, ...]  # services whose accounts are missing from it
    people: KindReport
    teams: KindReport

    def suggestion_toml(self) -> str:
        """Every unresolved ambiguity's entries, ready to paste into the config."""
        blocks = [kind.suggestion_for(a) for kind in (self.people, self.teams)
                  for a in kind.ambiguities]  # fmt: skip
        return "\n\n".join(blocks) + ("\n" if blocks else "")


async def build_identity_report(ctx: Context) -> IdentityReport:
    """The report over the request's directory (one listing of every service's accounts)."""
    directory = await ctx.directory(fresh=True)  # what the services say now
    failures = list(directory.failures.values())
    for problem in ctx.problems:  # e.g. one Tempo team's members that could not be listed
        if all(f.service != problem.service for f in failures):
            failures.append(problem)
    configured = tuple(ctx.backends.configured())
    failed = {f.service for f in failures}
    return IdentityReport(
        services=configured,
        failures=tuple(sorted(failures, key=lambda f: SERVICES.index(f.service))),
        people=report_kind("people", directory, ctx.links.people, configured, failed),
        teams=report_kind("teams", directory, ctx.links.teams, configured, failed),
    )


def report_kind(
    kind: Kind,
    directory: Directory,
    links: Sequence[Link],
    configured: Sequence[Service],
    failed: set[Service],
) -> KindReport:
    identities = directory.people if kind == "people" else directory.teams
    refusals = directory.people_refusals if kind == "people" else directory.team_refusals
    groups = _ambiguous_groups(identities, [r for r in refusals if r.rule != "config"])
    taken = {i.key.lower() for i in identities} | {k.lower() for k in _keys(links)}
    ambiguities = []
    for reasons, group in groups:
        resolved = all(i.configured for i in group)
        entries = () if resolved else _suggest(kind, group, taken)
        ambiguities.append(Ambiguity(reasons, group, resolved, entries))
    ambiguous = {i.key for a in ambiguities if not a.resolved for i in a.identities}
    return KindReport(
        kind=kind,
        linked=tuple(i for i in identities if len(i.accounts) > 1 or i.configured),
        unlinked=tuple(
            i
            for i in identities
            if len(i.accounts) == 1 and not i.configured and i.key not in ambiguous
        ),
        ambiguities=tuple(a for a in ambiguities if not a.resolved),
        resolved=tuple(a for a in ambiguities if a.resolved),
        problems=tuple(_config_problems(kind, directory, links, refusals, configured, failed)),
    )


def _ambiguous_groups(
    identities: Sequence[Identity], refusals: Sequence[Refusal]
) -> list[tuple[tuple[Refusal, ...], tuple[Identity, ...]]]:
    """Refusals that involve the same identities, together: one decision settles them."""
    owner = {(a.service, a.id): i for i in identities for a in i.accounts.values()}
    groups: list[tuple[list[Refusal], dict[str, Identity]]] = []
    for refusal in refusals:
        involved = {}
        for account in refusal.accounts:
            identity = owner.get((account.service, account.id))
            if identity is not None:
                involved[identity.key] = identity
        if len(involved) < 2:
            continue
        joined: tuple[list[Refusal], dict[str, Identity]] = ([refusal], involved)
        for group in [g for g in groups if g[1].keys() & involved.keys()]:
            groups.remove(group)
            joined[0][:0] = group[0]
            joined[1].update(group[1])
        groups.append(joined)
    return [
        (tuple(reasons), tuple(sorted(members.values(), key=lambda i: i.key)))
        for reasons, members in groups
    ]


def _suggest(kind: Kind, group: Sequence[Identity], taken: set[str]) -> tuple[SuggestedEntry, ...]:
    """One entry per distinct person: those of the service most of them have an account in
    (the anchors; ties go to the one whose holders are linked most), each with the accounts
    of the others as commented candidates."""
    order = PREFERENCE if kind == "people" else TEAM_PREFERENCE
    counts = Counter(s for i in group for s in i.accounts)
    most = max(counts.values())

    def weight(service: Service) -> tuple[int, int]:
        holders = [i for i in group if service in i.accounts]
        return sum(len(i.accounts) for i in holders), -order.index(service)

    anchor_service = max((s for s, n in counts.items() if n == most), key=weight)
    anchors = [i for i in group if anchor_service in i.accounts]
    # An account configured to stand alone is settled; it is nobody's candidate.
    loose = [i for i in group if anchor_service not in i.accounts and not i.configured]
    entries = []
    spare = sorted(
        (a for i in loose for a in i.accounts.values()),
        key=lambda a: (SERVICES.index(a.service), a.id),
    )
    for anchor in anchors:
        candidates = tuple(a for a in spare if a.service not in anchor.accounts)
        extends = next((m.value for m in anchor.matches.values() if m.rule == "config"), None)
        if extends is not None and not candidates:
            continue  # configured, and nothing to add
        key = anchor.key if extends is not None else _new_key(kind, anchor, taken)
        ids = {s: a.id for s, a in sorted(anchor.accounts.items(), key=_by_service)}
        entries.append(SuggestedEntry(key, anchor.name, ids, candidates, extends))
    return tuple(entries)


def _new_key(kind: Kind, identity: Identity, taken: set[str]) -> str:
    """The identity's key when it is a plain one (it stays the same), else one from its name,
    unused by anyone."""
    if ":" not in identity.key:
        return identity.key
    words = normalize_name(identity.name).split()
    base = ".".join(words) if kind == "people" else slugify(identity.name)
    key, n = base or "someone", 2
    while key.lower() in taken:
        key, n = f"{base}-{n}", n + 1
    taken.add(key.lower())
    return key


def _config_problems(
    kind: Kind,
    directory: Directory,
    links: Sequence[Link],
    refusals: Sequence[Refusal],
    configured: Sequence[Service],
    failed: set[Service],
) -> list[ConfigProblem]:
    find = directory.person if kind == "people" else directory.team
    problems = []
    claimed: dict[tuple[Service, str], str] = {}
    for link in links:
        entry = _entry_label(link.key or _ids_text(link.ids))
        for service, ident in link.ids.items():
            first = claimed.setdefault((service, ident.lower()), entry)
            if first != entry:
                message = (
                    f"{service} {ident!r} is also in the entry {first}; one account belongs "
                    "to one entry: remove it from the wrong one"
                )
            elif service not in ID_NAMES[kind]:
                message = f"{service} has no {kind}; remove `{service} = {json.dumps(ident)}`"
            elif service not in configured:
                message = f"{service} is not configured, so its id {ident!r} is unused"
            elif service in failed:
                continue  # cannot tell: the failure is reported once, above
            elif find(service, ident) is None:
                message = (
                    f"no {service} account {ident!r}; check it is the "
                    f"{ID_NAMES[kind][service]} (ids match case-insensitively)"
                )
            else:
                continue
            problems.append(ConfigProblem(entry, message))
    for refusal in refusals:
        if refusal.rule == "config":
            accounts = ", ".join(f"{a.service} {a.id!r}" for a in refusal.accounts)
            problems.append(
                ConfigProblem(
                    _entry_label(refusal.value),
                    f"not applied: {accounts} cannot be one identity, since one of them is "
                    "already linked (by an earlier entry) with another account of the same "
                    "service; fix the entries that name them",
                )
            )
    return problems


def render_suggestion(kind: KindReport, ambiguity: Ambiguity) -> str:
    """TOML for one ambiguity: comments say what to choose; pasting it is always valid."""
    noun = "person" if kind.kind == "people" else "team"
    lines = textwrap.wrap(
        _printable(
            f"{kind.kind.capitalize()} kept apart: {ambiguity.why}. One {kind.table} entry per "
            f"{noun}: uncomment each candidate line that is theirs (one per service)."
        ),
        width=92,
        initial_indent="# ",
        subsequent_indent="# ",
    )
    for entry in ambiguity.suggestion:
        lines.append("")
        if entry.extends is not None:
            lines.append(
                _comment(
                    f"{entry.name}: your {kind.table} entry {_entry_label(entry.extends)} "
                    "lacks these; add the lines that are theirs to it:"
                )
            )
        else:
            lines += [f"[[{kind.kind}]]", f"key = {json.dumps(entry.key)}"]
            lines += [f"{s} = {json.dumps(i)}" for s, i in entry.ids.items()]
        lines += [
            f"# {a.service} = {json.dumps(a.id)}  {_comment(_account_label(a))}"
            for a in entry.candidates
        ]
    lines += [
        "",
        "# An account none of these is: give it its own entry (a key and that one id) to keep",
        "# it apart on purpose.",
    ]
    return "\n".join(lines)


def describe_match(kind: Kind, match: Match, account: Account) -> str:
    """How `account` was linked, as a person reads it: 'email alice@x', 'name "Inês Costa"'
    (its own name: the others' differ only in accents, case or punctuation),
    'configured [[people]] key = "alice"'."""
    if match.rule == "config":
        return f"configured [[{kind}]] {_entry_label(match.value)}"
    if match.rule == "name":
        return f"name {json.dumps(account.name or match.value, ensure_ascii=False)}"
    return f"{match.rule} {match.value}"


def display_name(kind: Kind, identity: Identity) -> str:
    """A person's name as the resolvers show it; a team's from the services that name teams."""
    if kind == "people":
        return identity.name
    return identity.first("name", TEAM_PREFERENCE) or identity.key


def _keys(links: Sequence[Link]) -> list[str]:
    return [link.key for link in links if link.key]


def _entry_label(value: str) -> str:
    """A configured entry by its key, or by its ids when it has none (Match.value's forms)."""
    return f"with {value}" if "=" in value else f"key = {json.dumps(value)}"


def _comment(text: str) -> str:
    return "# " + _printable(text)


def _printable(text: str) -> str:
    """Names come from the services: no control character may break the TOML comment."""
    return "".join(c if c.isprintable() else " " for c in text)


def _account_label(account: Account) -> str:
    extra = [f"username {account.username}"] if account.username else []
    extra += [account.email] if account.email else []
    shown = account.name or account.id
    return f"{shown} ({', '.join(extra)})" if extra else shown


def _shown_value(refusal: Refusal) -> str:
    """The shared value as someone would write it: a display name rather than its folding."""
    if refusal.rule == "name":
        for account in refusal.accounts:
            if account.name and normalize_name(account.name) == refusal.value:
                return account.name
    return refusal.value


def _ids_text(ids: Mapping[Service, str]) -> str:
    return ", ".join(f"{s}={i}" for s, i in ids.items())  # as Match.value writes them


def _by_service(item: tuple[Service, Account]) -> int:
    return SERVICES.index(item[0])
