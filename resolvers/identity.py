"""Who is who: links the accounts one person (or team) has in each service.

Pure logic, no I/O: :func:`link_people` and :func:`link_teams` take every account the
services know and return clusters. The rules, strongest first:

1. explicit links from configuration (``[[people]]`` / ``[[teams]]``);
2. email (case-insensitive);
3. username (case-insensitive);
4. normalised display name (accents, case, punctuation and ``&``/``and`` folded).

Two safety rules hold at every step: one cluster never holds two accounts of the same service
(so two different people are never merged), and a key that matches clusters which cannot all
be merged is ambiguous and merges nothing (two "Sam Taylor"s stay apart).

Linking also says why: each linked account keeps the :class:`Match` (rule and shared value)
that brought it into its cluster, and every refused merge is kept as a :class:`Refusal`, so
``teamgraph identity`` and ``identityReport`` explain exactly what these rules did.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from resolvers.backends.errors import BackendError, Service

# Display order: which service's name, username and email a person is shown with first.
PREFERENCE: tuple[Service, ...] = ("oncall", "teamoclock", "teampulse", "tempo", "hack24")
TEAM_PREFERENCE: tuple[Service, ...] = ("teamoclock", "oncall", "hack24", "tempo", "teampulse")


@dataclass(frozen=True, slots=True)
class Account:
    """How one service knows a person (or a team)."""

    service: Service
    id: str  # the service's own key: accountId, username, numeric id, slug
    name: str | None = None  # display name
    username: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """An explicit link from configuration: one key, and the id in each service."""

    key: str | None
    ids: Mapping[Service, str]


@dataclass(frozen=True, slots=True)
class Match:
    """Why an account is in its cluster: the rule, and the value it shared with the others.

    ``rule`` is "config", "email", "username", "name" (people) or "slug", "name" (teams);
    ``value`` is the shared email, username, folded name or slug, or for "config" the
    entry's key (or its ids, ``oncall=alice``, when it has no key).
    """

    rule: str
    value: str


@dataclass(frozen=True, slots=True)
class Refusal:
    """A value that matched accounts which cannot all be one person (or team): linking
    merged none of them. For rule "config", a configured entry that could not be applied."""

    rule: str
    value: str
    accounts: tuple[Account, ...]


@dataclass
class Identity:
    """One person or team, with the account each service knows it by."""

    key: str
    accounts: dict[Service, Account] = field(default_factory=dict)
    linked_by: set[str] = field(default_factory=set)  # which rules joined its accounts
    # Per service: the match that put that account here (absent for an account alone,
    # unless a configured entry names it).
    matches: dict[Service, Match] = field(default_factory=dict)

    @property
    def configured(self) -> bool:
        """A `[[people]]` / `[[teams]]` entry names one of its accounts."""
        return any(m.rule == "config" for m in self.matches.values())

    def id_in(self, service: Service) -> str | None:
        account = self.accounts.get(service)
        return account.id if account else None

    def first(self, attr: str, order: Sequence[Service] = PREFERENCE) -> str | None:
        for service in order:
            account = self.accounts.get(service)
            value = getattr(account, attr, None) if account else None
            if value:
                return str(value)
        return None

    # Shown on every object a query returns, and identities outlive requests (the directory
    # cache): computed once. Accounts never change after linking.
    @cached_property
    def name(self) -> str:
        return self.first("name") or self.key

    @cached_property
    def email(self) -> str | None:
        return self.first("email")

    @cached_property
    def username(self) -> str | None:
        return self.first("username")


def normalize_name(text: str) -> str:
    """Fold accents, case, punctuation and "&" so "Data & Analytics" == "data and analytics"."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = text.lower().replace("&", " and ")
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def slugify(text: str) -> str:
    """ "Data & Analytics" -> "data-analytics", the way slug-keyed services derive ids."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


class _Clusters:
    """Union-find over accounts that refuses merges putting two accounts of one service
    into one cluster."""

    def __init__(self, accounts: Sequence[Account]) -> None:
        self.accounts = list(accounts)
        self.parent = list(range(len(accounts)))
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(accounts))}
        self.rules: dict[int, set[str]] = {i: set() for i in range(len(accounts))}
        self.matched: dict[int, Match] = {}  # account -> the first match that linked it
        self.refused: list[Refusal] = []

    def root(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def services(self, root: int) -> list[Service]:
        return [self.accounts[i].service for i in self.members[root]]

    def try_merge(self, indices: Iterable[int], match: Match) -> bool:
        """Merge the clusters of `members` (accounts sharing `match.value`) into one, unless
        that would clash; all or nothing. A clash is kept as a Refusal."""
        members = set(indices)
        distinct = sorted({self.root(m) for m in members})
        if len(distinct) < 2:
            if len(members) > 1:  # already together: the value agrees, and says why
                for m in members:
                    self.matched.setdefault(m, match)
            return False
        seen: list[Service] = []
        for r in distinct:
            seen.extend(self.services(r))
        if len(seen) != len(set(seen)):
            # Ambiguous: two accounts of one service would become one person.
            accounts = tuple(self.accounts[m] for m in sorted(members))
            self.refused.append(Refusal(match.rule, match.value, accounts))
            return False
        keep = distinct[0]
        for other in distinct[1:]:
            self.parent[other] = keep
            self.members[keep].extend(self.members.pop(other))
            self.rules[keep] |= self.rules.pop(other)
        self.rules[keep].add(match.rule)
        for m in members:
            self.matched.setdefault(m, match)
        return True

    def merge_by(self, rule: str, key_of: Callable[[Account], Iterable[str]]) -> None:
        groups: dict[str, set[int]] = defaultdict(set)
        for i, account in enumerate(self.accounts):
            for key in key_of(account):
                if key:
                    groups[key].add(i)
        for key in sorted(groups):
            if len(groups[key]) > 1:  # a value no one else has links nothing
                self.try_merge(groups[key], Match(rule, key))

    def clusters(self) -> list[tuple[list[Account], set[str]]]:
        out = []
        for root in sorted(self.members):
            out.append(([self.accounts[i] for i in self.members[root]], self.rules[root]))
        return out


def _apply_links(clusters: _Clusters, links: Sequence[Link]) -> dict[int, str]:
    """Merge explicitly linked accounts; return the configured key per cluster root."""
    index = {(a.service, a.id.lower()): i for i, a in enumerate(clusters.accounts)}
    keyed: dict[int, str] = {}
    for link in links:
        found = [
            index[(service, str(ident).lower())]
            for service, ident in link.ids.items()
            if (service, str(ident).lower()) in index
        ]
        if not found:
            continue
        value = link.key or ", ".join(f"{s}={i}" for s, i in link.ids.items())
        match = Match("config", value)
        merged = clusters.try_merge(found, match)
        if merged or clusters.root(found[0]) == clusters.root(found[-1]):
            # Also an entry naming one account: it stands alone on purpose.
            for i in found:
                clusters.matched.setdefault(i, match)
        if link.key:
            keyed[clusters.root(found[0])] = link.key
    return {clusters.root(r): k for r, k in keyed.items()}


def _build(
    clusters: _Clusters,
    keyed: dict[int, str],
    key_of: Callable[[dict[Service, Account]], str],
) -> list[Identity]:
    roots = {clusters.root(i) for i in range(len(clusters.accounts))}
    identities: list[Identity] = []
    taken: set[str] = set(keyed.values())
    for root in sorted(roots):
        accounts = {a.service: a for a in (clusters.accounts[i] for i in clusters.members[root])}
        key = keyed.get(root)
        if key is None:
            key = key_of(accounts)
            if key in taken:  # two unlinked people share a username: qualify by service
                first = next(iter(accounts.values()))
                key = f"{first.service}:{first.id}"
        taken.add(key)
        rules = clusters.rules[root] | ({"config"} if root in keyed else set())
        matches = {
            clusters.accounts[i].service: clusters.matched[i]
            for i in clusters.members[root]
            if i in clusters.matched
        }
        identities.append(Identity(key=key, accounts=accounts, linked_by=rules, matches=matches))
    identities.sort(key=lambda ident: ident.key)
    return identities


@dataclass
class Linking:
    """What linking made of a list of accounts: the identities, and the merges it refused."""

    identities: list[Identity]
    refusals: list[Refusal]


def link_people(accounts: Sequence[Account], links: Sequence[Link] = ()) -> list[Identity]:
    """Cluster person accounts across services (see the module docstring for the rules)."""
    return link_people_traced(accounts, links).identities


def link_teams(accounts: Sequence[Account], links: Sequence[Link] = ()) -> list[Identity]:
    """Cluster team accounts (see :func:`link_teams_traced`)."""
    return link_teams_traced(accounts, links).identities


def link_people_traced(accounts: Sequence[Account], links: Sequence[Link] = ()) -> Linking:
    """:func:`link_people`, with the merges it refused (the ambiguities)."""
    clusters = _Clusters(accounts)
    keyed = _apply_links(clusters, links)
    clusters.merge_by("email", lambda a: [a.email.strip().lower()] if a.email else [])
    clusters.merge_by("username", lambda a: [a.username.lower()] if a.username else [])
    clusters.merge_by("name", lambda a: [normalize_name(a.name)] if a.name else [])

    def key_of(accs: dict[Service, Account]) -> str:
        for service in PREFERENCE:
            acc = accs.get(service)
            if acc and acc.username:
                return acc.username.lower()
        first = next(iter(accs.values()))
        return f"{first.service}:{first.id}"

    return Linking(_build(clusters, keyed, key_of), clusters.refused)


def link_teams_traced(accounts: Sequence[Account], links: Sequence[Link] = ()) -> Linking:
    """Cluster team accounts: explicit links, then slug, then normalised name.

    A team's ``username`` is its slug where the service has one (oncall name, Team O'clock
    slug, Hack24 id); services with only a display name are matched by ``slugify(name)``.
    """
    clusters = _Clusters(accounts)
    keyed = _apply_links(clusters, links)
    clusters.merge_by("slug", lambda a: [(a.username or slugify(a.name or "")).lower()])
    clusters.merge_by("name", lambda a: [normalize_name(a.name)] if a.name else [])

    def key_of(accs: dict[Service, Account]) -> str:
        for service in TEAM_PREFERENCE:
            acc = accs.get(service)
            if acc:
                return (acc.username or slugify(acc.name or acc.id)).lower()
        raise AssertionError("a cluster always holds an account")

    return Linking(_build(clusters, keyed, key_of), clusters.refused)


T = TypeVar("T")
# Records built from answers that one directory keeps (see `Directory.derived`).
_DERIVED_MAX = 4096


@dataclass
class Directory:
    """The linked people and teams of one request, with lookups by any of their ids."""

    people: list[Identity]
    teams: list[Identity]
    # Services whose accounts could not be listed, and why: "not in this service" cannot be
    # told apart from "that service is down" for them.
    failures: dict[str, BackendError] = field(default_factory=dict)
    # Merges linking refused (ambiguous values, clashing configured entries): what
    # `teamgraph identity` reports; resolvers never need them.
    people_refusals: list[Refusal] = field(default_factory=list)
    team_refusals: list[Refusal] = field(default_factory=list)
    _people_by: dict[tuple[str, str], Identity] = field(default_factory=dict)
    _teams_by: dict[tuple[str, str], Identity] = field(default_factory=dict)
    # What resolvers built from an answer's model with this directory: see `derived`.
    _derived: dict[Hashable, tuple[object, Any]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        for person in self.people:
            self._people_by[("key", person.key.lower())] = person
            for account in person.accounts.values():
                self._people_by[(account.service, account.id.lower())] = person
        for team in self.teams:
            self._teams_by[("key", team.key.lower())] = team
            for account in team.accounts.values():
                self._teams_by[(account.service, account.id.lower())] = team

    def derived(self, key: Hashable, source: object, build: Callable[[], T]) -> T:
        """What `build` makes of `source` (an upstream answer's model) with this directory,
        made once while both live: the same answer again (resolvers/backends/parsed.py gives
        back the very model for the same bytes) under the same directory gives the same
        records. `key` names what is built and for what; a different `source` under it is
        built anew. What is built is shared between requests, so never changed."""
        found = self._derived.get(key)
        if found is not None and found[0] is source:
            value: T = found[1]
            return value
        value = build()
        if len(self._derived) >= _DERIVED_MAX:
            self._derived.clear()  # a directory lives for minutes: emptied when full
        self._derived[key] = (source, value)
        return value

    def person(self, service: str, ident: str) -> Identity | None:
        """The person a service's id belongs to (service "key" for our own keys)."""
        return self._people_by.get((service, str(ident).lower()))

    def team(self, service: str, ident: str) -> Identity | None:
        return self._teams_by.get((service, str(ident).lower()))

    def find_person(self, key: str) -> Identity | None:
        """By our key, email or username (case-insensitive)."""
        wanted = key.strip().lower()
        found = self.person("key", wanted)
        if found:
            return found
        for person in self.people:
            for account in person.accounts.values():
                if wanted in ((account.email or "").lower(), (account.username or "").lower()):
                    return person
        return None

    def find_team(self, key: str) -> Identity | None:
        """By our key, any service's slug or id, or name."""
        wanted = key.strip().lower()
        found = self.team("key", wanted)
        if found:
            return found
        for team in self.teams:
            for account in team.accounts.values():
                if wanted in (account.id.lower(), (account.username or "").lower()) or (
                    account.name and normalize_name(account.name) == normalize_name(key)
                ):
                    return team
        return None
