"""Settings from the environment: defaults written once (Settings), each read from its variable and checked, a bad
value refused with a configuration error that names the variable, and every variable documented in the README."""

from __future__ import annotations

import re
import sys
from dataclasses import fields

import pytest

from backend.cli import main
from backend.config import (
    MIB,
    PROJECT_ROOT,
    ConfigurationError,
    Environment,
    Settings,
    environment_variables,
    get_settings,
    load_settings,
)

# Settings whose loaded value is worked out, not the field's default: resolved paths, derived URL, generated key.
DERIVED = {"data_dir", "assets_dir", "database_url", "secret_key"}


@pytest.fixture
def environ(monkeypatch, tmp_path):
    """An environment naming no setting but DATA_DIR (a temporary one)."""
    for name in environment_variables():
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def test_an_empty_environment_gives_the_documented_defaults(environ, tmp_path):
    loaded, defaults = load_settings(), Settings()
    for field in fields(Settings):
        if field.name not in DERIVED:
            assert getattr(loaded, field.name) == getattr(defaults, field.name), field.name
    assert loaded.data_dir == tmp_path.resolve()
    assert loaded.database_url == f"sqlite:///{tmp_path.resolve() / 'soprano.db'}"
    assert loaded.secret_key == (tmp_path / "secret_key").read_text().strip()  # development: generated once


def test_every_setting_has_its_variable():
    variables = {name.lower() for name in environment_variables()}
    assert variables == set(Environment.model_fields)
    assert {field.name for field in fields(Settings)} == (variables - {"attachment_max_mb"}) | {
        "attachment_max_bytes"
    }


def test_values_are_parsed_from_their_variables(environ):
    environ.setenv("PORT", "8081")
    environ.setenv("ATTACHMENT_MAX_MB", "0.5")
    environ.setenv("CUSTOMS_ISSUERS", "https://agents.douane.example/, https://other.example")
    environ.setenv("ALLOWED_ORIGINS", "https://partner.example")
    environ.setenv("OIDC_ISSUER", "https://idp.example/")
    environ.setenv("LOG_LEVEL", "debug")
    environ.setenv("LOG_FORMAT", "JSON")
    environ.setenv("HEARING_DAYS", "15")

    settings = load_settings()

    assert settings.port == 8081
    assert settings.attachment_max_bytes == MIB // 2
    assert settings.customs_issuers == ("https://agents.douane.example", "https://other.example")
    assert settings.allowed_origins == ("https://partner.example",)
    assert settings.oidc_issuer == "https://idp.example"
    assert (settings.log_level, settings.log_format) == ("DEBUG", "json")
    assert settings.hearing_days == 15


def test_an_empty_variable_counts_as_unset(environ):
    environ.setenv("PORT", "")
    environ.setenv("REDIS_URL", "")
    settings = load_settings()
    assert settings.port == 8000
    assert settings.redis_url is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ENV", "staging"),
        ("PORT", "huit-mille"),
        ("PORT", "70000"),
        ("DEV_OIDC_PORT", "0"),
        ("SESSION_MAX_AGE", "toujours"),
        ("ACCEPTANCE_DAYS", "0"),
        ("COMPLEMENT_DAYS", "-5"),
        ("ATTACHMENT_MAX_MB", "beaucoup"),
        ("LOG_LEVEL", "bavard"),
        ("LOG_FORMAT", "xml"),
        ("REDIS_URL", "127.0.0.1:6379"),
        ("DATABASE_URL", "mysql://db/soprano"),
        ("OIDC_ISSUER", "idp.example"),
    ],
)
def test_a_bad_value_is_a_configuration_error_naming_its_variable(environ, name, value):
    environ.setenv(name, value)
    with pytest.raises(ConfigurationError) as error:
        load_settings()
    assert str(error.value).startswith(f"{name} : ")
    assert repr(value) in str(error.value)


@pytest.fixture
def cli(environ):
    """main() as `soprano` runs it, but leaving this process's logging (pytest's) as it is."""
    environ.setattr("backend.cli.configure_logging", lambda settings: None)
    return main


def test_the_command_line_reports_a_bad_value_without_a_traceback(environ, cli, capsys):
    environ.setenv("PORT", "huit-mille")
    assert cli(["db", "upgrade"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Erreur de configuration : PORT : ")
    assert "Traceback" not in err


def test_serve_without_the_dev_extra_says_how_to_get_it(environ, cli, monkeypatch, capsys):
    """Without OIDC_ISSUER, `soprano serve` starts the development provider: without its package (the `dev` extra),
    it stops with what to install, not an ImportError."""
    monkeypatch.setitem(sys.modules, "oidc_provider_mock", None)  # as if not installed
    monkeypatch.delitem(sys.modules, "backend.auth.devprovider", raising=False)
    assert cli(["serve"]) == 2
    err = capsys.readouterr().err
    assert "oidc-provider-mock" in err and "soprano-portal[dev]" in err and "OIDC_ISSUER" in err


# --- README ------------------------------------------------------------------------------------------------------


def readme_settings() -> list[tuple[list[str], list[str]]]:
    """The README's settings table: per row, the variables it names and the defaults it gives in `code`."""
    text = (PROJECT_ROOT / "README.md").read_text()
    table = text.split("## Settings (environment variables)", 1)[1].split("\n\n", 2)[1]
    rows = []
    for line in table.splitlines()[2:]:
        variable, default = line.split("|")[1:3]
        rows.append((re.findall(r"`([A-Z][A-Z0-9_]*)`", variable), re.findall(r"`([^`]+)`", default)))
    return rows


def test_the_readme_documents_every_setting_and_no_other():
    documented = [name for names, _ in readme_settings() for name in names]
    assert sorted(documented) == sorted(set(documented)), "a variable is documented twice"
    assert set(documented) == set(environment_variables())


def test_the_readme_gives_the_real_defaults():
    checked = 0
    for names, defaults in readme_settings():
        if len(names) != len(defaults):
            continue  # a default described in words (derived, generated, unset)
        for name, documented in zip(names, defaults, strict=True):
            default = Environment.model_fields[name.lower()].default
            if isinstance(default, bool | int | float) or (isinstance(default, str) and default):
                assert type(default)(documented) == default, f"{name}: README {documented!r}, code {default!r}"
                checked += 1
    assert checked >= 15


def test_paris_time_comes_from_tzdata_when_the_system_has_no_zone_database():
    """Customs deadlines are French calendar days: without the system's zone files (a slim image), zoneinfo must
    still find Europe/Paris (the tzdata package), never fall back to UTC."""
    import datetime as dt
    import tomllib
    import zoneinfo

    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    assert any(requirement.startswith("tzdata") for requirement in project["dependencies"])
    zoneinfo.reset_tzpath(to=[])
    try:
        zoneinfo.ZoneInfo.clear_cache()
        paris = zoneinfo.ZoneInfo("Europe/Paris")
        assert dt.datetime(2026, 7, 1, 12, tzinfo=paris).utcoffset() == dt.timedelta(hours=2)
    finally:
        zoneinfo.reset_tzpath()
        zoneinfo.ZoneInfo.clear_cache()
