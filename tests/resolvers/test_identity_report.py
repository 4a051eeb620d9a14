"""The identity report on hand-made accounts: ambiguities grouped, suggestions that extend a
configured entry, teams, and a suggestion that round-trips (the cast-wide behaviour is
tested over HTTP in tests/schema/test_identity_report.py)."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence

from resolvers.backends.errors import SERVICES
from resolvers.identity import (
    Account,
    Directory,
    Link,
    link_people_traced,
    link_teams_traced,
)
from resolvers.identity_report import KindReport, report_kind
from tests.suggestions import choose


def people_report(accounts: Sequence[Account], links: Sequence[Link] = ()) -> KindReport:
    linking = link_people_traced(accounts, links)
    directory = Directory(people=linking.identities, teams=[], people_refusals=linking.refusals)
    return report_kind("people", directory, links, SERVICES, set())


def teams_report(accounts: Sequence[Account], links: Sequence[Link] = ()) -> KindReport:
    linking = link_teams_traced(accounts, links)
    directory = Directory(people=[], teams=linking.identities, team_refusals=linking.refusals)
    return report_kind("teams", directory, links, SERVICES, set())


def links_in(toml: str, table: str) -> list[Link]:
    entries = tomllib.loads(toml).get(table, [])
    return [Link(e.pop("key", None), e) for e in entries]


SAMS = [
    Account("oncall", "sam", name="Sam Taylor", username="sam"),
    Account("oncall", "samuel", name="Sam Taylor", username="samuel"),
    Account("tempo", "aaa", name="Sam Taylor"),
    Account("tempo", "bbb", name="Sam Taylor"),
]


def test_a_configured_person_lacking_a_service_is_extended_not_repeated() -> None:
    report = people_report(SAMS, [Link("sam", {"oncall": "sam"})])
    [ambiguity] = report.ambiguities
    extend, new = ambiguity.suggestion
    assert (extend.key, extend.extends, [a.id for a in extend.candidates]) == (
        "sam", "sam", ["aaa", "bbb"]
    )  # fmt: skip
    assert (new.key, new.extends, new.ids) == ("samuel", None, {"oncall": "samuel"})
    toml = report.suggestion_for(ambiguity)
    # The configured entry is not written again (its key would clash): comments only.
    assert toml.count("[[people]]\n") == 1
    assert '# Sam Taylor: your [[people]] entry key = "sam" lacks these' in toml
    assert tomllib.loads(toml) == {"people": [{"key": "samuel", "oncall": "samuel"}]}


def test_an_entry_configured_for_everyone_resolves_it() -> None:
    links = [Link("sam", {"oncall": "sam", "tempo": "aaa"}),
             Link("samuel", {"oncall": "samuel", "tempo": "bbb"})]  # fmt: skip
    report = people_report(SAMS, links)
    assert report.ambiguities == () and len(report.resolved) == 1
    assert report.resolved[0].suggestion == ()
    # A lone account configured alone is settled too: nobody's candidate, not unlinked.
    report = people_report([*SAMS[:3]], [Link("sam", {"oncall": "sam"}),
                                         Link(None, {"tempo": "aaa"})])  # fmt: skip
    [ambiguity] = report.ambiguities
    assert [e.key for e in ambiguity.suggestion] == ["samuel"]
    assert ambiguity.suggestion[0].candidates == ()
    assert report.unlinked == ()


def test_two_teams_of_one_name_are_one_ambiguity_with_both_reasons_and_round_trip() -> None:
    teams = [
        Account("tempo", "1", name="Platform"),
        Account("tempo", "2", name="Platform"),
        Account("oncall", "platform", name="platform", username="platform"),
        Account("hack24", "mobile", name="Mobile", username="mobile"),
    ]
    report = teams_report(teams)
    [ambiguity] = report.ambiguities
    assert [(r.rule, r.value) for r in ambiguity.reasons] == [
        ("slug", "platform"), ("name", "platform")
    ]  # fmt: skip
    assert ambiguity.clashes == {"tempo": 2}
    assert [u.key for u in report.unlinked] == ["mobile"]
    toml = report.suggestion_for(ambiguity)
    entries = tomllib.loads(toml)["teams"]
    assert [e["tempo"] for e in entries] == ["1", "2"]
    assert len({e["key"] for e in entries}) == 2  # unique keys, pasted twice is no clash
    assert toml.count('# oncall = "platform"  # platform (username platform)') == 2
    # The operator says Tempo team 2 is oncall's platform:
    chosen = choose(toml, {entries[1]["key"]: {"oncall": "platform"}})
    after = teams_report(teams, links_in(chosen, "teams"))
    assert after.ambiguities == () and len(after.resolved) == 1
    linked = {i.key: set(i.accounts.values()) for i in after.linked}
    assert linked[entries[1]["key"]] == {teams[1], teams[2]}


def test_an_entry_claiming_an_account_of_another_is_named_and_not_applied() -> None:
    links = [Link("sam", {"oncall": "sam", "tempo": "aaa"}),
             Link(None, {"tempo": "bbb", "oncall": "SAM"})]  # fmt: skip
    report = people_report(SAMS, links)
    assert [(p.entry, p.message.split(";")[0]) for p in report.problems] == [
        ("with tempo=bbb, oncall=SAM", "oncall 'SAM' is also in the entry key = \"sam\""),
        ("with tempo=bbb, oncall=SAM", "not applied: oncall 'sam', tempo 'bbb' cannot be one "
         "identity, since one of them is already linked (by an earlier entry) with another "
         "account of the same service"),
    ]  # fmt: skip
