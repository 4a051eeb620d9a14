"""Identity linking rules, on hand-made accounts (the cast-wide behaviour is tested through
GraphQL in tests/schema)."""

from __future__ import annotations

from resolvers.backends.errors import Service
from resolvers.identity import (
    Account,
    Directory,
    Identity,
    Link,
    Match,
    Refusal,
    link_people,
    link_people_traced,
    link_teams,
    normalize_name,
)


def _by_service(identities: list[Identity], service: Service, ident: str) -> Identity:
    return next(
        i for i in identities if i.accounts.get(service) and i.accounts[service].id == ident
    )


def test_email_links_before_anything_else() -> None:
    people = link_people(
        [
            Account("oncall", "jdoe", name="Juan Doe", username="jdoe", email="JD@x.example"),
            Account("teamoclock", "juan", name="J. Doe", username="juan", email="jd@x.example"),
        ]
    )
    assert len(people) == 1
    assert set(people[0].accounts) == {"oncall", "teamoclock"}
    assert people[0].linked_by == {"email"}


def test_username_links_case_insensitively() -> None:
    people = link_people(
        [
            Account("oncall", "dmitri.k", name="Dmitri K", username="dmitri.k", email="a@x"),
            Account("teamoclock", "Dmitri.K", name="Dima", username="Dmitri.K", email="b@y"),
        ]
    )
    assert len(people) == 1 and people[0].linked_by == {"username"}
    assert people[0].key == "dmitri.k"


def test_display_names_fold_accents_case_and_punctuation() -> None:
    assert normalize_name("Inês  Costa") == normalize_name("ines costa")
    assert normalize_name("Data & Analytics") == normalize_name("data and analytics")
    people = link_people(
        [
            Account("oncall", "ines", name="Inês Costa", username="ines"),
            Account("tempo", "5d0f", name="Ines Costa"),
        ]
    )
    assert len(people) == 1 and people[0].linked_by == {"name"}


def test_ambiguous_names_are_not_merged() -> None:
    accounts = [
        Account("oncall", "sam.taylor", name="Sam Taylor", username="sam.taylor"),
        Account("oncall", "samuel.taylor", name="Sam Taylor", username="samuel.taylor"),
        Account("tempo", "aaa", name="Sam Taylor"),
    ]
    people = link_people(accounts)
    assert len(people) == 3  # the Tempo account could be either: linked to neither
    assert all(len(p.accounts) == 1 for p in people)


def test_explicit_links_win_and_resolve_ambiguity() -> None:
    accounts = [
        Account("oncall", "sam.taylor", name="Sam Taylor", username="sam.taylor"),
        Account("oncall", "samuel.taylor", name="Sam Taylor", username="samuel.taylor"),
        Account("tempo", "aaa", name="Sam Taylor"),
        Account("tempo", "bbb", name="Sam Taylor"),
    ]
    people = link_people(
        accounts,
        [Link("sam", {"oncall": "sam.taylor", "tempo": "aaa"}),
         Link(None, {"oncall": "samuel.taylor", "tempo": "bbb"})],
    )  # fmt: skip
    assert len(people) == 2
    sam = _by_service(people, "oncall", "sam.taylor")
    assert sam.key == "sam" and sam.id_in("tempo") == "aaa" and "config" in sam.linked_by
    samuel = _by_service(people, "oncall", "samuel.taylor")
    assert samuel.id_in("tempo") == "bbb" and samuel.key == "samuel.taylor"


def test_one_person_never_holds_two_accounts_of_one_service() -> None:
    # Same email on two oncall users (a shared mailbox): merging would lose one of them.
    people = link_people(
        [
            Account("oncall", "a", username="a", email="team@x"),
            Account("oncall", "b", username="b", email="team@x"),
            Account("teamoclock", "a", username="a", email="a@x"),
        ]
    )
    assert len(people) == 2
    a = _by_service(people, "oncall", "a")
    assert set(a.accounts) == {"oncall", "teamoclock"}


def test_clashing_keys_are_qualified_by_service() -> None:
    people = link_people(
        [
            Account("teampulse", "20", name="Smokey The Bear", username="smokey"),
            Account("teampulse", "21", name="Smokey The Bear", username="smokey"),
        ]
    )
    assert sorted(p.key for p in people) == ["smokey", "teampulse:21"]


def test_teams_link_by_slug_and_name() -> None:
    teams = link_teams(
        [
            Account("tempo", "4", name="Data & Analytics"),
            Account("oncall", "data-analytics", name="data-analytics", username="data-analytics"),
            Account("teamoclock", "data-analytics", name="Data and Analytics",
                    username="data-analytics"),
            Account("hack24", "mobile", name="Mobile", username="mobile"),
        ]
    )  # fmt: skip
    assert len(teams) == 2
    data = _by_service(teams, "tempo", "4")
    assert set(data.accounts) == {"tempo", "oncall", "teamoclock"}
    assert data.key == "data-analytics"


def test_directory_finds_people_by_key_email_or_username() -> None:
    people = link_people(
        [Account("oncall", "alice", name="Alice N", username="alice", email="Alice@x.example")]
    )
    directory = Directory(people=people, teams=[])
    assert directory.find_person("ALICE@x.example") is people[0]
    assert directory.find_person("Alice") is people[0]
    assert directory.person("oncall", "ALICE") is people[0]
    assert directory.find_person("nobody") is None


def test_each_linked_account_keeps_the_match_that_linked_it() -> None:
    linking = link_people_traced(
        [
            Account("oncall", "ines", name="Inês Costa", username="ines", email="i@x"),
            Account("teamoclock", "ines", name="Ines C", username="ines", email="I@x"),
            Account("tempo", "5d0f", name="Ines Costa"),
            Account("teampulse", "90", name="Yusuf Demir", username="yusuf"),
        ]
    )
    ines = _by_service(linking.identities, "tempo", "5d0f")
    assert ines.matches == {
        "oncall": Match("email", "i@x"),
        "teamoclock": Match("email", "i@x"),  # also the same username: the first rule counts
        "tempo": Match("name", "ines costa"),
    }
    assert _by_service(linking.identities, "teampulse", "90").matches == {}
    assert linking.refusals == []


def test_refused_merges_are_kept_with_their_value() -> None:
    accounts = [
        Account("oncall", "sam.taylor", name="Sam Taylor", username="sam.taylor"),
        Account("oncall", "samuel.taylor", name="Sam Taylor", username="samuel.taylor"),
        Account("tempo", "aaa", name="Sam Taylor"),
    ]
    linking = link_people_traced(accounts)
    assert linking.refusals == [Refusal("name", "sam taylor", tuple(accounts))]
    assert all(not p.configured for p in linking.identities)


def test_a_configured_entry_of_one_account_sets_it_apart_and_a_clashing_one_is_refused() -> None:
    accounts = [
        Account("tempo", "aaa", name="Sam Taylor"),
        Account("tempo", "bbb", name="Sam Taylor"),
        Account("oncall", "sam", name="Sam Taylor", username="sam"),
    ]
    linking = link_people_traced(
        accounts,
        [Link("sam", {"tempo": "aaa", "oncall": "sam"}), Link(None, {"tempo": "bbb"}),
         Link("both", {"tempo": "bbb", "oncall": "sam"})],
    )  # fmt: skip
    lone = _by_service(linking.identities, "tempo", "bbb")
    assert lone.configured and lone.matches == {"tempo": Match("config", "tempo=bbb")}
    assert Refusal("config", "both", (accounts[1], accounts[2])) in linking.refusals
