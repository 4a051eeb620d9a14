"""`identityReport` over HTTP: who links to whom and why, ambiguities with the config that
resolves them (round trip), a failing service, and the operator switch that guards it."""

from __future__ import annotations

import tomllib
from typing import Any

from gateway.auth import hash_key
from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from gateway.settings import AuthSettings, Settings, parse_settings
from tests.harness import configured, open_gateway
from tests.suggestions import choose, truth

REPORT = """
fragment Cluster on IdentityCluster { key name configured members { service id rule value how } }
fragment Ambiguity on IdentityAmbiguity {
  why resolved suggestion reasons { rule value } identities { ...Cluster }
}
fragment Kind on IdentityKindReport {
  linked { ...Cluster } unlinked { ...Cluster } ambiguities { ...Ambiguity }
  resolved { ...Ambiguity } problems { entry message }
}
{ identityReport { services failures { service code message } people { ...Kind }
                   teams { ...Kind } suggestion } }
"""


def operator(cast: Cast, **changes: Any) -> Settings:
    """Demo settings with the operator fields on, and other top-level keys changed."""
    return configured(cast, server={"operator_fields": True}).model_copy(update=changes)


def pasted(settings: Settings, toml: str) -> Settings:
    """`settings` with a suggestion pasted into its file: its entries appended."""
    added = tomllib.loads(toml)
    data = settings.model_dump(mode="json", exclude_none=True)
    for table in ("people", "teams"):
        data[table] = data.get(table, []) + added.get(table, [])
    return parse_settings(data, env={})


def rules(clusters: list[dict[str, Any]]) -> set[str]:
    return {m["rule"] for c in clusters for m in c["members"]}


async def test_the_report_is_off_unless_the_operator_turns_it_on(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        result = await gw.execute(REPORT)
    assert result["data"] == {"identityReport": None}
    [error] = result["errors"]
    assert error["extensions"] == {"code": "FORBIDDEN"}
    assert "operator_fields = true" in error["message"]
    assert gw.log.calls == []  # refused before listing anyone


async def test_with_caller_auth_only_authenticated_callers_reach_it(cast: Cast) -> None:
    auth = AuthSettings(api_key_sha256=[hash_key("ops-key")])
    settings = configured(cast, server={"operator_fields": True, "auth": auth})
    async with open_gateway(cast, settings=settings) as gw:
        anonymous = await gw.http.post("/graphql", json={"query": REPORT})
        keyed = await gw.http.post(
            "/graphql", json={"query": REPORT}, headers={"X-API-Key": "ops-key"}
        )
    assert anonymous.status_code == 401
    assert keyed.status_code == 200 and keyed.json()["data"]["identityReport"]["people"]


async def test_the_demo_shows_every_rule_an_unlinked_account_and_a_resolved_ambiguity(
    cast: Cast,
) -> None:
    async with open_gateway(cast, settings=operator(cast)) as gw:
        result = await gw.execute(REPORT)
    assert "errors" not in result, result["errors"]
    report = result["data"]["identityReport"]
    people, teams = report["people"], report["teams"]
    by_key = {c["key"]: c for c in people["linked"]}
    # Each linked account says which rule put it there, and on what value.
    alice = {m["service"]: m for m in by_key["alice"]["members"]}
    assert alice["ONCALL"]["how"] == "email alice@teamgraph.example"
    ines = {m["service"]: m for m in by_key["ines"]["members"]}
    assert ines["TEMPO"]["how"] == 'name "Ines Costa"'  # linked to "Inês Costa", folded
    dmitri = {m["service"]: m for m in by_key["dmitri.k"]["members"]}
    assert dmitri["TEAMOCLOCK"] == {"service": "TEAMOCLOCK", "id": "Dmitri.K", "rule": "username",
                                    "value": "dmitri.k", "how": "username dmitri.k"}  # fmt: skip
    sam = {m["service"]: m for m in by_key["sam.taylor"]["members"]}
    assert sam["TEMPO"]["how"] == 'configured [[people]] key = "sam.taylor"'
    assert rules(people["linked"]) == {"config", "email", "username", "name"}
    assert rules(teams["linked"]) == {"slug"}
    assert len(people["linked"]) == len(cast.people) - 1 and len(teams["linked"]) == 4
    # Yusuf is known to TeamPulse only.
    assert [(c["key"], c["members"][0]["service"]) for c in people["unlinked"]] == [
        ("yusuf", "TEAMPULSE")
    ]
    # The two Sam Taylors share a name; configuration keeps them apart on purpose.
    assert people["ambiguities"] == [] and report["suggestion"] == ""
    [kept] = people["resolved"]
    assert kept["resolved"] and kept["reasons"] == [{"rule": "name", "value": "sam taylor"}]
    assert [c["key"] for c in kept["identities"]] == ["sam.taylor", "samuel.taylor"]
    assert kept["why"].startswith("name 'Sam Taylor' matches 2 identities but cannot merge")
    assert people["problems"] == [] and report["failures"] == []
    # The report costs the directory's calls and no more: every list, Tempo's members per team.
    assert len(gw.log.calls) == 8 + len(cast.teams)


async def test_a_suggestion_pasted_and_chosen_resolves_the_ambiguity(cast: Cast) -> None:
    unlinked = operator(cast, people=[])  # a first config: no [[people]] yet
    async with open_gateway(cast, settings=unlinked) as gw:
        before = (await gw.execute(REPORT))["data"]["identityReport"]
    [ambiguity] = before["people"]["ambiguities"]
    assert not ambiguity["resolved"]
    assert "2 have tempo accounts" in ambiguity["why"]
    assert len(ambiguity["identities"]) == 8  # 2 oncall+Team O'clock pairs, 6 loose accounts
    suggestion = before["suggestion"]
    assert suggestion == ambiguity["suggestion"] + "\n"
    # Pasted as it is, the suggestion is valid config and decides nothing: still ambiguous.
    async with open_gateway(cast, settings=pasted(unlinked, suggestion)) as gw:
        as_is = (await gw.execute(REPORT))["data"]["identityReport"]
    assert len(as_is["people"]["ambiguities"]) == 1
    # With each person's lines uncommented, the ambiguity is resolved, as the demo config does.
    chosen = pasted(unlinked, choose(suggestion, truth(cast)))
    assert [p.model_dump(exclude_none=True) for p in chosen.people] == (
        cast.identity_links()["people"]
    )
    async with open_gateway(cast, settings=chosen) as gw:
        after = (await gw.execute(REPORT))["data"]["identityReport"]
    assert after["people"]["ambiguities"] == [] and after["suggestion"] == ""
    [kept] = after["people"]["resolved"]
    assert [c["key"] for c in kept["identities"]] == ["sam.taylor", "samuel.taylor"]
    assert all(c["configured"] and len(c["members"]) == 5 for c in kept["identities"])


async def test_configured_entries_that_match_nothing_are_named(cast: Cast) -> None:
    people = [*cast.identity_links()["people"], {"key": "ghost", "tempo": "no-such-account"},
              {"key": "twice", "teampulse": 11}]  # fmt: skip
    teams = [{"key": "pulse", "teampulse": "3", "oncall": "platform"}]
    settings = parse_settings(
        {**operator(cast).model_dump(mode="json", exclude_none=True), "people": people,
         "teams": teams}, env={}
    )  # fmt: skip
    async with open_gateway(cast, settings=settings) as gw:
        report = (await gw.execute(REPORT))["data"]["identityReport"]
    assert report["people"]["problems"] == [
        {"entry": 'key = "ghost"', "message": "no tempo account 'no-such-account'; check it is "
         "the Tempo accountId (ids match case-insensitively)"},
        {"entry": 'key = "twice"', "message": "teampulse '11' is also in the entry key = "
         '"sam.taylor"; one account belongs to one entry: remove it from the wrong one'},
    ]  # fmt: skip
    assert report["teams"]["problems"] == [
        {"entry": 'key = "pulse"', "message": 'teampulse has no teams; remove `teampulse = "3"`'}
    ]


async def test_a_failing_service_is_named_and_the_rest_reported(cast: Cast) -> None:
    down = {"oncall": Faults(down=True)}
    async with open_gateway(cast, settings=operator(cast), faults=down) as gw:
        result = await gw.execute(REPORT)
    report = result["data"]["identityReport"]
    assert [(f["service"], f["code"]) for f in report["failures"]] == [
        ("ONCALL", "UPSTREAM_UNAVAILABLE")
    ]
    assert {e["extensions"].get("service") for e in result["errors"]} == {"oncall"}
    alice = next(c for c in report["people"]["linked"] if c["key"] == "alice")
    assert {m["service"] for m in alice["members"]} == {"TEMPO", "TEAMOCLOCK", "HACK24"}
