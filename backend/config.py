"""Settings, read once from environment variables.

Every setting has a documented default that makes `make run` work on a fresh machine (the *embedded default*):
SQLite under `var/`, in-process event hub, a development OIDC provider on loopback. Production (`ENV=prod`)
refuses to start without a real secret key and a real identity provider.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigurationError(RuntimeError):
    """The environment does not describe a runnable portal."""


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(item.strip() for item in (value or "").split(",") if item.strip())


@dataclass(frozen=True)
class Settings:
    env: str = "dev"
    data_dir: Path = PROJECT_ROOT / "var"
    database_url: str = ""
    redis_url: str | None = None
    # Portals sharing one Redis keep apart by prefix (pub/sub ignores the database number).
    redis_channel_prefix: str = "soprano:"
    secret_key: str = ""
    oidc_issuer: str | None = None
    oidc_client_id: str = "soprano-portal"
    oidc_client_secret: str = "soprano-dev-secret"
    oidc_scopes: str = "openid profile email"
    # A user whose ID token carries this claim (non-empty) is a customs officer; the value is their office.
    customs_office_claim: str = "customs_office"
    # Every user of these issuers is a customs officer (a staff identity provider).
    customs_issuers: tuple[str, ...] = ()
    dev_oidc_port: int = 9400
    session_max_age: int = 8 * 3600
    host: str = "127.0.0.1"
    port: int = 8000
    allowed_origins: tuple[str, ...] = field(default_factory=tuple)
    attachment_max_bytes: int = 20 * 1024 * 1024
    # Time limits of the decision phase (UCC art. 22): acceptance, decision, right to be heard, in days.
    acceptance_days: int = 30
    decision_days: int = 120
    hearing_days: int = 30
    # The time the applicant is given to answer a request for a complement (UCC art. 22(2): at most 30 days).
    complement_days: int = 30

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / "attachments"

    @property
    def is_dev(self) -> bool:
        return self.env == "dev"

    @property
    def uses_dev_provider(self) -> bool:
        """True when no identity provider is configured: `serve` starts the development provider."""
        return self.oidc_issuer is None

    @property
    def async_database_url(self) -> str:
        return to_async_url(self.database_url)

    @property
    def sync_database_url(self) -> str:
        return to_sync_url(self.database_url)


def to_async_url(url: str) -> str:
    """SQLAlchemy URL with the asyncio driver the application uses."""
    if url.startswith("sqlite:"):
        return "sqlite+aiosqlite:" + url[len("sqlite:") :]
    for prefix in ("postgresql:", "postgres:", "postgresql+psycopg2:"):
        if url.startswith(prefix):
            return "postgresql+psycopg:" + url[len(prefix) :]
    return url


def to_sync_url(url: str) -> str:
    """SQLAlchemy URL with a synchronous driver (migrations, CLI)."""
    if url.startswith("sqlite+aiosqlite:"):
        return "sqlite:" + url[len("sqlite+aiosqlite:") :]
    return to_async_url(url) if url.startswith(("postgresql", "postgres:")) else url


def _secret_key(env: str, data_dir: Path) -> str:
    key = _env("SECRET_KEY")
    if key:
        return key
    if env != "dev":
        raise ConfigurationError("SECRET_KEY est obligatoire hors développement (ENV=prod).")
    # Development: generated once and kept under var/ so sessions survive a restart.
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def load_settings() -> Settings:
    """Read the environment. Raises ConfigurationError with a French message when it is unusable."""
    env = _env("ENV", "dev")
    if env not in ("dev", "prod"):
        raise ConfigurationError(f"ENV doit valoir « dev » ou « prod » (reçu : {env!r}).")
    data_dir = Path(_env("DATA_DIR", str(PROJECT_ROOT / "var"))).resolve()
    database_url = _env("DATABASE_URL", f"sqlite:///{data_dir / 'soprano.db'}")
    issuer = _env("OIDC_ISSUER")
    if env == "prod" and issuer is None:
        raise ConfigurationError("OIDC_ISSUER est obligatoire hors développement (ENV=prod).")
    if env == "prod" and not (_env("OIDC_CLIENT_ID") and _env("OIDC_CLIENT_SECRET")):
        raise ConfigurationError("OIDC_CLIENT_ID et OIDC_CLIENT_SECRET sont obligatoires avec ENV=prod.")
    return Settings(
        env=env,
        data_dir=data_dir,
        database_url=database_url,
        redis_url=_env("REDIS_URL"),
        redis_channel_prefix=_env("REDIS_CHANNEL_PREFIX", "soprano:"),
        secret_key=_secret_key(env, data_dir),
        oidc_issuer=issuer.rstrip("/") if issuer else None,
        oidc_client_id=_env("OIDC_CLIENT_ID", "soprano-portal"),
        oidc_client_secret=_env("OIDC_CLIENT_SECRET", "soprano-dev-secret"),
        oidc_scopes=_env("OIDC_SCOPES", "openid profile email"),
        customs_office_claim=_env("CUSTOMS_OFFICE_CLAIM", "customs_office"),
        customs_issuers=tuple(i.rstrip("/") for i in _split(_env("CUSTOMS_ISSUERS"))),
        dev_oidc_port=int(_env("DEV_OIDC_PORT", "9400")),
        session_max_age=int(_env("SESSION_MAX_AGE", str(8 * 3600))),
        host=_env("HOST", "127.0.0.1"),
        port=int(_env("PORT", "8000")),
        allowed_origins=_split(_env("ALLOWED_ORIGINS")),
        attachment_max_bytes=int(float(_env("ATTACHMENT_MAX_MB", "20")) * 1024 * 1024),
        acceptance_days=int(_env("ACCEPTANCE_DAYS", "30")),
        complement_days=int(_env("COMPLEMENT_DAYS", "30")),
        decision_days=int(_env("DECISION_DAYS", "120")),
        hearing_days=int(_env("HEARING_DAYS", "30")),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
