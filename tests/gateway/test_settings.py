"""Config files: what is accepted, and what every bad file is told."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.settings import ConfigError, load_settings, parse_settings

GOOD = """
[backends.tempo]
url = "https://api.tempo.io/core/3"
token = "${TEMPO_TOKEN}"
timeout = 5

[backends.oncall]
url = "https://oncall.example.com/api/v0"

[[people]]
key = "sam"
tempo = "5b10ac8d82e05b22cc7d4ef5"
oncall = "sam.taylor"
teampulse = 11
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "teamgraph.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_loads_with_secrets_from_the_environment(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, GOOD), env={"TEMPO_TOKEN": "s3cret"})
    assert settings.backends.tempo is not None
    assert settings.backends.tempo.token == "s3cret"
    assert settings.backends.tempo.timeout == 5
    assert settings.backends.teamoclock is None  # absent services are simply absent
    assert settings.people[0].ids() == {
        "tempo": "5b10ac8d82e05b22cc7d4ef5", "oncall": "sam.taylor", "teampulse": "11",
    }  # fmt: skip


def test_a_missing_environment_variable_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"backends\.tempo\.token: environment variable "
                       r"TEMPO_TOKEN is not set"):  # fmt: skip
        load_settings(write(tmp_path, GOOD), env={})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[backends.tempo]\nurl = "https://x"\ntokn = "a"\n', r"tempo\.tokn: unknown key"),
        ('[backends.tempo]\nurl = "https://x"\n', r"tempo\.token: required key is missing"),
        ('[backends.teamoclock]\nurl = "not a url"\norg = "o"\nkey = "k"\n',
         r"backends\.teamoclock\.url: "),
        ('[backends.hack24]\nurl = "https://x"\ntimeout = -1\n', r"backends\.hack24\.timeout: "),
        ('[backends.oncall]\nurl = "https://x"\napp_key = "k"\n', r"app_name is not"),
        ('[backend.tempo]\nurl = "https://x"\n', r"backend: unknown key"),
        ('[[people]]\nkey = "a"\n', r"people\[0\]: names no service id"),
        ('[[people]]\nkey = "a"\noncall = "a"\n[[people]]\nkey = "A"\noncall = "b"\n',
         r"people\[1\]\.key: 'A' is used twice"),
        ("[backends.tempo\n", r"is not valid TOML"),
    ],
)  # fmt: skip
def test_bad_files_name_the_key_and_the_problem(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        load_settings(write(tmp_path, text), env={})


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = '[backends.tempo]\nurl = "https://x"\n[backends.teampulse]\nurl = "https://y"\n'
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, text), env={})
    message = str(caught.value)
    assert "backends.tempo.token" in message
    assert "backends.teampulse.username" in message and "backends.teampulse.password" in message


def test_an_unreadable_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_settings(tmp_path / "missing.toml")


async def test_cors_is_off_by_default_and_on_for_configured_origins() -> None:
    import httpx

    from gateway.app import create_app
    from gateway.settings import parse_settings

    preflight = {
        "Origin": "http://localhost:5173",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-teamgraph-trace,traceparent,"
        "apollographql-client-name,apollographql-client-version",
    }
    for origins, allowed in (([], None), (["http://localhost:5173"], "http://localhost:5173")):
        app = create_app(parse_settings({"server": {"cors_origins": origins}}, env={}))
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as http,
        ):
            response = await http.options("/graphql", headers=preflight)
        assert response.headers.get("access-control-allow-origin") == allowed
        assert response.status_code == (200 if allowed else 405)


def test_an_unknown_key_gets_a_did_you_mean_or_the_keys_its_table_takes() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_settings(
            {"limits": {"max_depht": 3}, "server": {"auth": {"qqqq": "x"}}, "zzz": 1}, env={}
        )
    message = str(caught.value)
    assert "limits.max_depht: unknown key; did you mean 'max_depth'?" in message
    assert "server.auth.qqqq: unknown key; this table takes api_key_sha256, jwt" in message
    assert "zzz: unknown key; this table takes backends, cache, demo, identity, limits" in message
