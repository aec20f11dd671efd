"""Settings, read once from environment variables.

`Settings` is the one object the code reads; its field defaults are the documented defaults, written here only. They
make `make run` work on a fresh machine (the *embedded default*): SQLite under `var/`, in-process event hub, a
development OIDC provider on loopback. `Environment` (pydantic-settings) reads and checks the environment variable of
each setting, so a bad value is a configuration error that names its variable. Production (`ENV=prod`) refuses to
start without a real secret key and a real identity provider.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# A checkout keeps var/ and node_modules/ beside the code; an installed package keeps them where it is run from.
_HOME = PROJECT_ROOT if (PROJECT_ROOT / "pyproject.toml").is_file() else Path.cwd()
MIB = 1024 * 1024


class ConfigurationError(RuntimeError):
    """The environment does not describe a runnable portal."""


# The demo account with the support role (development only).
DEMO_SUPPORT_EMAIL = "nadia.roux@douane.gouv.fr"


@dataclass(frozen=True)
class Settings:
    env: str = "dev"
    data_dir: Path = _HOME / "var"
    # Empty: the SQLite file soprano.db under data_dir.
    database_url: str = ""
    # PostgreSQL: seconds to connect, to wait for a pooled connection and for unacknowledged data (a network split),
    # and for one statement; past them a request is answered UNAVAILABLE instead of hanging.
    database_timeout_seconds: float = 5
    database_statement_timeout_seconds: float = 10
    # A GraphQL request over HTTP (uploads aside) is answered UNAVAILABLE when it has not finished after this long.
    request_timeout_seconds: float = 20
    # Rate limits (backend/ratelimit.py): GraphQL mutations per user, API token or visitor's address, and the login per
    # address, as « N/second|minute|hour ». Shared by every worker through Redis when REDIS_URL is set.
    rate_limit_mutations: str = "300/minute"
    rate_limit_login: str = "60/minute"
    redis_url: str | None = None
    # Portals sharing one Redis keep apart by prefix (pub/sub ignores the database number).
    redis_channel_prefix: str = "soprano:"
    secret_key: str = field(default="", repr=False)
    oidc_issuer: str | None = None
    oidc_client_id: str = "soprano-portal"
    oidc_client_secret: str = field(default="soprano-dev-secret", repr=False)
    oidc_scopes: str = "openid profile email"
    # A user whose ID token carries this claim (non-empty) is a customs officer; the value is their office.
    customs_office_claim: str = "customs_office"
    # Every user of these issuers is a customs officer (a staff identity provider).
    customs_issuers: tuple[str, ...] = ()
    dev_oidc_port: int = 9400
    session_max_age: int = 8 * 3600
    host: str = "127.0.0.1"
    port: int = 8000
    allowed_origins: tuple[str, ...] = ()
    attachment_max_bytes: int = 20 * MIB
    # Time limits of the decision phase (UCC art. 22): acceptance, decision, right to be heard, in days.
    acceptance_days: int = 30
    decision_days: int = 120
    hearing_days: int = 30
    # The time the applicant is given to answer a request for a complement (UCC art. 22(2): at most 30 days).
    complement_days: int = 30
    # Issued authorisations: « Demander le renouvellement » opens this many days before the end of validity; the
    # longest validity of a temporary admission (UCC DA art. 173 sets none: a setting); the reference's format
    # (country, authorisation type, national number: the exact national format is unverified).
    renewal_window_days: int = 90
    temporary_admission_max_years: int = 5
    authorization_reference_format: str = "FR{type}{number:06d}"
    # The customs office whose officers examine private persons' declarations (effects carried, online purchases).
    private_declarations_office: str = "FR000690"
    # The portal's support (assistance technique, feedback): these e-mail addresses, customs-side accounts. In
    # development the demo support account is one of them too.
    support_users: tuple[str, ...] = ()
    # What one GraphQL request may cost, refused before it runs (backend/api/limits.py): tokens of the document,
    # depth of fields, aliases, and a cost with fragments expanded and lists weighted by their page size.
    query_max_tokens: int = 2000
    query_max_depth: int = 10
    query_max_aliases: int = 20
    query_max_cost: int = 10_000
    # Schema introspection (`__schema`, `__type`); unset: on in development only. Field suggestions (« Did you
    # mean … ») follow the environment: development only.
    graphql_introspection: bool | None = None
    log_level: str = "INFO"
    # "text" for people, "json" (one object a line, with the request id) for a log collector.
    log_format: str = "text"
    # The front-end packages installed by npm (the DSFR), served under /static/dsfr.
    assets_dir: Path = _HOME / "node_modules"

    def __post_init__(self) -> None:
        if not self.database_url:
            object.__setattr__(self, "database_url", f"sqlite:///{self.data_dir / 'soprano.db'}")

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / "attachments"

    @property
    def dsfr_dir(self) -> Path:
        return self.assets_dir / "@gouvfr" / "dsfr" / "dist"

    @property
    def is_dev(self) -> bool:
        return self.env == "dev"

    def is_support_email(self, email: str | None) -> bool:
        """Whether the account of this e-mail address has the support role."""
        wanted = (email or "").strip().lower()
        named = {address.lower() for address in self.support_users}
        if self.is_dev:
            named.add(DEMO_SUPPORT_EMAIL)
        return bool(wanted) and wanted in named

    @property
    def introspection_enabled(self) -> bool:
        return self.is_dev if self.graphql_introspection is None else self.graphql_introspection

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


Port = Annotated[int, Field(ge=1, le=65535)]
Days = Annotated[int, Field(gt=0)]
# A comma-separated list (pydantic-settings would otherwise expect JSON).
Names = Annotated[tuple[str, ...], NoDecode]
_SECRET = {"secret_key", "oidc_client_secret"}


class Environment(BaseSettings):
    """The environment variables of the settings: each is its field's name in capitals, defaults to Settings' value,
    and counts as unset when empty. Only `ATTACHMENT_MAX_MB` differs from its setting (`attachment_max_bytes`)."""

    model_config = SettingsConfigDict(env_ignore_empty=True, frozen=True)

    env: Literal["dev", "prod"] = Settings.env
    data_dir: Path = Settings.data_dir
    database_url: str = Settings.database_url
    database_timeout_seconds: Annotated[float, Field(gt=0, le=300)] = Settings.database_timeout_seconds
    database_statement_timeout_seconds: Annotated[float, Field(gt=0, le=3600)] = (
        Settings.database_statement_timeout_seconds
    )
    request_timeout_seconds: Annotated[float, Field(gt=0, le=3600)] = Settings.request_timeout_seconds
    rate_limit_mutations: str = Settings.rate_limit_mutations
    rate_limit_login: str = Settings.rate_limit_login
    redis_url: str | None = Settings.redis_url
    redis_channel_prefix: str = Settings.redis_channel_prefix
    secret_key: str = Settings.secret_key
    oidc_issuer: str | None = Settings.oidc_issuer
    oidc_client_id: str = Settings.oidc_client_id
    oidc_client_secret: str = Settings.oidc_client_secret
    oidc_scopes: str = Settings.oidc_scopes
    customs_office_claim: str = Settings.customs_office_claim
    customs_issuers: Names = Settings.customs_issuers
    dev_oidc_port: Port = Settings.dev_oidc_port
    session_max_age: Annotated[int, Field(gt=0)] = Settings.session_max_age
    host: str = Settings.host
    port: Port = Settings.port
    allowed_origins: Names = Settings.allowed_origins
    attachment_max_mb: Annotated[float, Field(gt=0)] = Settings.attachment_max_bytes / MIB
    acceptance_days: Days = Settings.acceptance_days
    decision_days: Days = Settings.decision_days
    hearing_days: Days = Settings.hearing_days
    complement_days: Days = Settings.complement_days
    renewal_window_days: Days = Settings.renewal_window_days
    temporary_admission_max_years: Annotated[int, Field(ge=1, le=10)] = Settings.temporary_admission_max_years
    authorization_reference_format: str = Settings.authorization_reference_format
    private_declarations_office: Annotated[str, Field(pattern=r"^[A-Z]{2}[0-9A-Z]{6}$")] = (
        Settings.private_declarations_office
    )
    support_users: Names = Settings.support_users
    query_max_tokens: Annotated[int, Field(ge=100)] = Settings.query_max_tokens
    query_max_depth: Annotated[int, Field(ge=5, le=50)] = Settings.query_max_depth
    query_max_aliases: Annotated[int, Field(ge=1)] = Settings.query_max_aliases
    query_max_cost: Annotated[int, Field(ge=100)] = Settings.query_max_cost
    graphql_introspection: bool | None = Settings.graphql_introspection
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Settings.log_level
    log_format: Literal["text", "json"] = Settings.log_format
    assets_dir: Path = Settings.assets_dir

    @field_validator("customs_issuers", "allowed_origins", "support_users", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(item.strip() for item in value.split(",") if item.strip())
        return value

    @field_validator("customs_issuers")
    @classmethod
    def _issuers(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(issuer.rstrip("/") for issuer in value)

    @field_validator("oidc_issuer")
    @classmethod
    def _issuer(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith(("https://", "http://")):
            raise ValueError("une URL http(s):// est attendue")
        return value.rstrip("/")

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str) -> str:
        if value and not value.startswith(("sqlite:", "sqlite+", "postgresql", "postgres:")):
            raise ValueError("une URL SQLAlchemy sqlite:///… ou postgresql://… est attendue")
        return value

    @field_validator("authorization_reference_format")
    @classmethod
    def _reference_format(cls, value: str) -> str:
        try:
            sample = value.format(type="CWP", number=999_999_999)
        except (KeyError, IndexError, ValueError):
            raise ValueError(
                "un modèle avec {type} et {number} est attendu, par exemple FR{type}{number:06d}"
            ) from None
        if "{type" not in value or "{number" not in value or len(sample) > 35:
            raise ValueError("un modèle avec {type} et {number}, de 35 caractères au plus, est attendu")
        return value

    @field_validator("rate_limit_mutations", "rate_limit_login")
    @classmethod
    def _rate(cls, value: str) -> str:
        from limits import parse

        try:
            parse(value)
        except ValueError:
            raise ValueError("une limite « nombre/unité » est attendue, par exemple 300/minute") from None
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("une URL redis://… est attendue")
        return value

    @field_validator("log_level", "log_format", mode="before")
    @classmethod
    def _case(cls, value: Any, info) -> Any:
        if not isinstance(value, str):
            return value
        return value.upper() if info.field_name == "log_level" else value.lower()


def environment_variables() -> list[str]:
    """Every environment variable the settings read, in the order of Settings."""
    return [name.upper() for name in Environment.model_fields]


def _refusal(error: ValidationError) -> ConfigurationError:
    lines = []
    for problem in error.errors():
        name = str(problem["loc"][0])
        given = os.environ.get(name.upper(), problem.get("input"))  # as set, before any normalisation
        shown = "" if name in _SECRET else f" (reçu : {given!r})"
        lines.append(f"{name.upper()} : {problem['msg']}{shown}")
    return ConfigurationError("; ".join(lines))


def _secret_key(given: str, env: str, data_dir: Path) -> str:
    if given:
        return given
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
    """Read the environment. Raises ConfigurationError, naming the variable, when it is unusable."""
    try:
        environment = Environment()
    except ValidationError as error:
        raise _refusal(error) from None
    if environment.env == "prod":
        if environment.oidc_issuer is None:
            raise ConfigurationError("OIDC_ISSUER est obligatoire hors développement (ENV=prod).")
        if not {"oidc_client_id", "oidc_client_secret"} <= environment.model_fields_set:
            raise ConfigurationError("OIDC_CLIENT_ID et OIDC_CLIENT_SECRET sont obligatoires avec ENV=prod.")
    values = environment.model_dump()
    data_dir = values.pop("data_dir").resolve()
    megabytes = values.pop("attachment_max_mb")
    return Settings(
        **values
        | {
            "data_dir": data_dir,
            "assets_dir": environment.assets_dir.resolve(),
            "attachment_max_bytes": int(megabytes * MIB),
            "secret_key": _secret_key(environment.secret_key, environment.env, data_dir),
        }
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
