"""Contracts that must not drift: the committed GraphQL schema, the Alembic migrations against the models (on a
fresh SQLite and on the suite's own database, PostgreSQL in CI), and production's refusals (unmigrated database,
missing secret key)."""

from __future__ import annotations

import pprint
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from alembic import command
from backend.api.export_schema import exported_schema
from backend.config import PROJECT_ROOT, ConfigurationError, Settings, get_settings, load_settings
from backend.db import create_sync_engine_for
from backend.migrations import (
    DatabaseNotMigrated,
    alembic_config,
    current_revision,
    ensure_migrated,
    head_revision,
    upgrade,
)
from backend.models import metadata


def fresh_settings(tmp_path: Path, env: str = "dev") -> Settings:
    return Settings(
        env=env,
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'fresh.db'}",
        secret_key="contract-test-secret",
        oidc_issuer="http://127.0.0.1:9",
        oidc_client_id="soprano-portal",
        oidc_client_secret="contract-test-client-secret",
    )


def schema_differences(url: str) -> list:
    """What autogenerate would put in a new migration: empty when the migrations build exactly the models."""
    engine = create_sync_engine_for(url)
    try:
        with engine.connect() as conn:
            # The options of alembic/env.py, so that `make migration` is the remedy for what this reports.
            context = MigrationContext.configure(conn, opts={"compare_type": True, "target_metadata": metadata})
            return compare_metadata(context, metadata)
    finally:
        engine.dispose()


def table_names(url: str) -> set[str]:
    engine = create_sync_engine_for(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


# --- GraphQL schema ----------------------------------------------------------------------------------------------


def test_committed_graphql_schema_is_up_to_date():
    committed = (PROJECT_ROOT / "schema.graphql").read_text()
    assert exported_schema() == committed, (
        "schema.graphql ne correspond plus au schéma servi : lancez `make schema` et committez le résultat."
    )


# --- Migrations --------------------------------------------------------------------------------------------------


def test_migrations_match_the_models_on_a_fresh_sqlite(tmp_path):
    settings = fresh_settings(tmp_path)
    upgrade(settings)
    assert current_revision(settings) == head_revision(settings)
    differences = schema_differences(settings.sync_database_url)
    assert differences == [], (
        'Les migrations ne produisent pas le schéma des modèles : lancez `make migration m="…"`.\n'
        + pprint.pformat(differences)
    )


def test_migrations_match_the_models_on_the_test_database(settings):
    """On the suite's database: PostgreSQL when DATABASE_URL is set (the CI run), else SQLite."""
    upgrade(settings)
    assert current_revision(settings) == head_revision(settings)
    differences = schema_differences(settings.sync_database_url)
    assert differences == [], (
        f"Dérive entre migrations et modèles sur {settings.sync_database_url.split(':')[0]} : "
        'lancez `make migration m="…"`.\n' + pprint.pformat(differences)
    )


def test_upgrade_downgrade_upgrade_on_a_fresh_sqlite(tmp_path):
    settings = fresh_settings(tmp_path)
    config = alembic_config(settings)
    ours = {table.name for table in metadata.sorted_tables}

    upgrade(settings)
    assert ours <= table_names(settings.sync_database_url)

    command.downgrade(config, "base")
    assert current_revision(settings) is None
    assert not (ours & table_names(settings.sync_database_url))

    upgrade(settings)
    assert current_revision(settings) == head_revision(settings)
    assert schema_differences(settings.sync_database_url) == []


def test_migrations_have_a_single_head(tmp_path):
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(alembic_config(fresh_settings(tmp_path))).get_heads()
    assert len(heads) == 1, f"Plusieurs têtes de migration : {heads} (fusionnez-les avec `alembic merge`)."


# --- Production refusals -----------------------------------------------------------------------------------------


def test_production_refuses_an_unmigrated_database(tmp_path):
    settings = fresh_settings(tmp_path, env="prod")

    with pytest.raises(DatabaseNotMigrated) as error:
        ensure_migrated(settings)

    assert "soprano db upgrade" in str(error.value)
    assert "n'est pas à jour" in str(error.value)
    # Production never migrates by itself: the database is still empty.
    assert current_revision(settings) is None
    assert not ({table.name for table in metadata.sorted_tables} & table_names(settings.sync_database_url))


def test_production_accepts_a_migrated_database(tmp_path):
    settings = fresh_settings(tmp_path, env="prod")
    upgrade(settings)
    ensure_migrated(settings)  # no exception


def test_production_refuses_a_database_behind_head(tmp_path):
    settings = fresh_settings(tmp_path, env="prod")
    upgrade(settings)
    command.downgrade(alembic_config(settings), "base")
    with pytest.raises(DatabaseNotMigrated, match="soprano db upgrade"):
        ensure_migrated(settings)


@pytest.fixture
def prod_env(monkeypatch, tmp_path):
    for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "OIDC_SCOPES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ENV", "prod")
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("OIDC_ISSUER", "https://idp.example/")
    monkeypatch.setenv("OIDC_CLIENT_ID", "soprano")
    monkeypatch.setenv("OIDC_CLIENT_SECRET", "client-secret")
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def test_production_requires_a_secret_key(prod_env, tmp_path):
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        load_settings()
    assert not (tmp_path / "secret_key").exists()  # no key is generated outside development


def test_production_settings_load_with_a_secret_key(prod_env):
    prod_env.setenv("SECRET_KEY", "a-real-production-secret")
    settings = load_settings()
    assert settings.env == "prod" and not settings.is_dev
    assert settings.secret_key == "a-real-production-secret"
    assert settings.oidc_issuer == "https://idp.example"


@pytest.mark.parametrize("missing", ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"])
def test_production_requires_a_real_identity_provider(prod_env, missing):
    prod_env.setenv("SECRET_KEY", "a-real-production-secret")
    prod_env.delenv(missing)
    with pytest.raises(ConfigurationError, match=missing):
        load_settings()
