"""`teamgraph identity` through its entry point: on the demo, and on a config for emulators
served on a real socket (a first config without `[[people]]`, the suggestion pasted back,
a service down)."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
import tomli_w

from gateway.cli import main
from gateway.emulators.cast_build import build_cast
from tests.gateway.test_cli import running
from tests.servers import free_port
from tests.suggestions import choose, truth


@pytest.fixture(scope="module")
def emulated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The five emulators on a socket, and the config `emulate --write-config` wrote for them."""
    config = tmp_path_factory.mktemp("identity") / "emulated.toml"
    port = free_port()
    with running("emulate", "--port", str(port), "--write-config", str(config),
                 url=f"http://127.0.0.1:{port}/hack24/teams"):  # fmt: skip
        yield config


def without_people(config: Path, tmp_path: Path, **backends: dict[str, object]) -> Path:
    """A copy of `config` with no `[[people]]` (as before anyone linked anyone), and some
    backend keys changed."""
    data = tomllib.loads(config.read_text())
    data.pop("people", None)
    for service, changes in backends.items():
        data["backends"][service].update(changes)
    path = tmp_path / "first.toml"
    path.write_text(tomli_w.dumps(data))
    return path


def identity(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["identity", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_demo_report_names_each_rule_the_loner_and_the_configured_sam_taylors(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = identity(capsys)
    assert code == 0 and err == ""
    assert out.startswith(
        "Identity across tempo, oncall, teamoclock, teampulse, hack24 (the built-in demo)\n"
    )
    assert "People: 24 linked, 1 unlinked, 0 ambiguous, 1 kept apart by configuration" in out
    assert "Teams: 4 linked, 0 unlinked, 0 ambiguous, 0 kept apart by configuration" in out
    lines = [line.split() for line in out.splitlines()]
    # One line per account: service, id, and the rule that linked it.
    assert ["oncall", "alice", "email", "alice@teamgraph.example"] in lines
    assert ["teamoclock", "Dmitri.K", "username", "dmitri.k"] in lines
    assert ["hack24", "ines-costa", "name", '"Inês', 'Costa"'] in lines
    assert ["teampulse", "11", "configured", "[[people]]", "key", "=", '"sam.taylor"'] in lines
    assert ["hack24", "data-analytics", "slug", "data-analytics"] in lines
    assert ["teampulse", "90", "Yusuf", "Demir"] in lines  # under "Unlinked"
    assert "  Kept apart by configuration (resolved ambiguities):\n    name 'Sam Taylor'" in out
    assert "Suggested configuration" not in out
    code, toml, _ = identity(capsys, "--format", "toml")
    assert code == 0 and toml == "# nothing to resolve: no ambiguous matches\n"


def test_a_first_config_gets_a_suggestion_that_resolves_its_ambiguity(
    emulated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = without_people(emulated, tmp_path)
    code, out, _ = identity(capsys, "--config", str(first))
    assert code == 0
    assert "People: 24 linked, 1 unlinked, 1 ambiguous, 0 kept apart by configuration" in out
    assert "Ambiguous (kept apart; choose with [[people]], see the suggestion):" in out
    assert f"# -- Suggested configuration: paste into {first}," in out
    code, suggestion, _ = identity(capsys, "--config", str(first), "--format", "toml")
    assert code == 0 and suggestion in out
    original = first.read_text()
    # Pasted untouched it is valid, and decides nothing: the operator has to choose.
    first.write_text(original + "\n" + suggestion)
    code, out, _ = identity(capsys, "--config", str(first))
    assert code == 0 and "1 ambiguous" in out
    # Each person's candidate lines uncommented: resolved, exactly as the demo links them.
    first.write_text(original + "\n" + choose(suggestion, truth(build_cast())))
    code, out, _ = identity(capsys, "--config", str(first), "--format", "json")
    report = json.loads(out)
    assert code == 0 and report["suggestion"] == ""
    assert report["people"]["ambiguities"] == []
    [kept] = report["people"]["resolved"]
    assert [i["key"] for i in kept["identities"]] == ["sam.taylor", "samuel.taylor"]
    assert all(len(i["accounts"]) == 5 and i["configured"] for i in kept["identities"])
    assert [u["key"] for u in report["people"]["unlinked"]] == ["yusuf"]
    assert tomllib.loads(first.read_text())["people"] == build_cast().identity_links()["people"]


def test_a_service_that_fails_is_named_and_the_rest_is_reported(
    emulated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dead = {"url": f"http://127.0.0.1:{free_port()}/api/v0", "retries": 0, "timeout": 2}
    config = without_people(emulated, tmp_path, oncall=dead)
    code, out, err = identity(capsys, "--config", str(config))
    assert code == 1
    # The failed call's own WARNING log line, then what it means for the report.
    assert err.splitlines()[-1].startswith(
        "teamgraph: oncall failed (UPSTREAM_UNAVAILABLE): the report lacks its accounts"
    )
    assert "  ! oncall failed (UPSTREAM_UNAVAILABLE: oncall: " in out
    lines = [line.split() for line in out.splitlines()]
    # The rest is linked without oncall's emails: here by name.
    assert ["teamoclock", "alice", "name", '"Alice', 'Nguyen"'] in lines
    assert not any(line[:1] == ["oncall"] for line in lines)
    code, out, _ = identity(capsys, "--config", str(config), "--format", "json")
    assert code == 1
    assert json.loads(out)["failures"][0]["service"] == "oncall"


def test_a_bad_config_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[[people]]\nkey = "x"\ntempoo = "1"\n')
    code, _, err = identity(capsys, "--config", str(path))
    assert code == 2 and "people[0].tempoo: unknown key; did you mean 'tempo'?" in err
