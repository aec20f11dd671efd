"""compose.yaml and the Dockerfile against the settings (no container can run here): the compose file parses, names two
portal hosts, PostgreSQL and Redis; every environment variable it or the image gives the portal is a setting, with a
value the settings accept; ports, URLs, health checks and dependencies point at what exists."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import yaml

from backend.config import PROJECT_ROOT, Settings, environment_variables, load_settings

COMPOSE = PROJECT_ROOT / "compose.yaml"
DOCKERFILE = PROJECT_ROOT / "Dockerfile"
# What the image sets for Python itself, not for the portal.
NOT_SETTINGS = {"PYTHONUNBUFFERED"}
# What an operator gives compose (its ${…} variables) in this test.
OPERATOR = {
    "SECRET_KEY": "a-long-random-production-secret",
    "OIDC_ISSUER": "https://idp.example/",
    "OIDC_CLIENT_ID": "soprano",
    "OIDC_CLIENT_SECRET": "client-secret",
}


def interpolate(value: str, given: dict[str, str]) -> str:
    """Compose's ${NAME}, ${NAME:-default} and ${NAME:?error}."""

    def one(match: re.Match) -> str:
        name, op, arg = match.group(1), match.group(2), match.group(3) or ""
        if name in given and (given[name] or op is None):
            return given[name]
        if op == ":?":
            raise AssertionError(f"compose refuses to start without {name}: {arg}")
        return arg

    return re.sub(r"\$\{([A-Z_][A-Z0-9_]*)(?:(:-|:\?)([^}]*))?\}", one, value)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def dockerfile_env() -> dict[str, str]:
    """The ENV of the Dockerfile's last stage (the image that runs)."""
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    last_stage = text.rsplit("\nFROM ", 1)[1]
    env: dict[str, str] = {}
    for line in last_stage.splitlines():
        if line.startswith("ENV "):
            env.update(dict(re.findall(r"([A-Z_][A-Z0-9_]*)=(\S+)", line)))
    return env


def portals(compose: dict) -> dict[str, dict]:
    """The services that run the portal's image."""
    return {name: service for name, service in compose["services"].items() if service.get("build") == "."}


def test_compose_names_two_portal_hosts_postgresql_and_redis(compose):
    services = compose["services"]
    serving = [name for name, service in portals(compose).items() if "command" not in service]
    assert len(serving) == 2, serving
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert portals(compose)["migrate"]["command"] == ["soprano", "db", "upgrade"]


def test_every_variable_given_to_the_portal_is_a_setting(compose):
    known = set(environment_variables())
    for name, service in portals(compose).items():
        unknown = set(service["environment"]) - known
        assert not unknown, f"{name}: {sorted(unknown)} ne sont pas des réglages du portail"
    assert not set(dockerfile_env()) - known - NOT_SETTINGS


def test_the_settings_accept_what_compose_and_the_image_give(compose, monkeypatch, tmp_path):
    for name in environment_variables():
        monkeypatch.delenv(name, raising=False)
    for name, service in portals(compose).items():
        values = dockerfile_env() | {
            key: interpolate(str(value), OPERATOR) for key, value in service["environment"].items()
        }
        values["DATA_DIR"] = str(tmp_path / name)  # /data is the container's
        for key, value in values.items():
            if key not in NOT_SETTINGS:
                monkeypatch.setenv(key, value)
        settings = load_settings()
        assert settings.env == "prod" and settings.log_format == "json"
        assert settings.redis_url and settings.database_url.startswith("postgresql://")


def test_compose_refuses_to_start_without_the_secrets(compose):
    environment = portals(compose)["portal-1"]["environment"]
    for name in ("SECRET_KEY", "OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"):
        with pytest.raises(AssertionError, match=name):
            interpolate(environment[name], {k: v for k, v in OPERATOR.items() if k != name})


def test_urls_and_ports_point_at_the_services(compose):
    services = compose["services"]
    postgres = services["postgres"]["environment"]
    image_port = int(dockerfile_env()["PORT"])
    published = set()
    for name, service in portals(compose).items():
        env = {key: interpolate(str(value), OPERATOR) for key, value in service["environment"].items()}
        database = urlsplit(env["DATABASE_URL"])
        assert database.hostname in services and database.port == 5432
        assert database.username == postgres["POSTGRES_USER"]
        assert database.path.lstrip("/") == postgres["POSTGRES_DB"]
        assert database.password == interpolate(postgres["POSTGRES_PASSWORD"], OPERATOR)
        assert urlsplit(env["REDIS_URL"]).hostname in services
        container_port = int(env.get("PORT", image_port))
        for mapping in service.get("ports", []):
            host, container = str(mapping).rsplit(":", 1)
            assert int(container) == container_port, f"{name} publishes {container}, serves {container_port}"
            published.add(host)
        for needed in service.get("depends_on", {}):
            assert needed in services, f"{name} depends on {needed}, which is not a service"
    assert len(published) == 2


def test_health_checks_ask_routes_that_exist():
    from backend.health import health_routes

    routes = {route.path for route in health_routes(Settings(), None)}
    checked = set(re.findall(r"/healthz[/a-z]*", DOCKERFILE.read_text() + COMPOSE.read_text()))
    assert checked and checked <= routes, checked - routes


def test_the_image_listens_on_every_interface_of_its_container():
    assert dockerfile_env()["HOST"] == "0.0.0.0"  # noqa: S104 - inside a container, behind its published ports
