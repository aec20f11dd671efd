"""Schema migrations (Alembic) as functions: upgrade, and the check the app runs before serving."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from alembic import command
from backend.config import PROJECT_ROOT, Settings
from backend.db import create_sync_engine_for

# The scripts are the checkout's alembic/ folder; an installed package carries them as backend/migration_scripts
# (see setup.py).
PACKAGED_SCRIPTS = Path(__file__).resolve().parent / "migration_scripts"


class DatabaseNotMigrated(RuntimeError):
    pass


def scripts_dir() -> Path:
    return PACKAGED_SCRIPTS if PACKAGED_SCRIPTS.is_dir() else PROJECT_ROOT / "alembic"


def alembic_config(settings: Settings) -> Config:
    # No alembic.ini: it only serves `alembic revision` in the checkout (`make migration`), and logging is ours.
    config = Config()
    config.set_main_option("script_location", str(scripts_dir()))
    config.attributes["database_url"] = settings.sync_database_url
    return config


def head_revision(settings: Settings) -> str | None:
    return ScriptDirectory.from_config(alembic_config(settings)).get_current_head()


def current_revision(settings: Settings) -> str | None:
    engine = create_sync_engine_for(settings.sync_database_url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def upgrade(settings: Settings, revision: str = "head") -> None:
    if settings.database_url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(settings), revision)


def ensure_migrated(settings: Settings) -> None:
    """Development migrates by itself; production refuses to serve an out-of-date database."""
    if settings.is_dev:
        upgrade(settings)
        return
    current, head = current_revision(settings), head_revision(settings)
    if current != head:
        raise DatabaseNotMigrated(
            f"La base de données n'est pas à jour (révision {current or 'aucune'}, attendue {head}). "
            "Lancez « soprano db upgrade » avant de démarrer le serveur."
        )
