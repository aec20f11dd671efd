"""/healthz reports the database, and Redis when the portal is configured with it."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import require


def test_health_checks_the_database(live_server):
    response = httpx.get(f"{live_server.url}/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@pytest.mark.redis
def test_health_checks_redis_when_configured(live_server):
    require(bool(live_server.settings.redis_url), "REDIS_URL n'est pas défini")
    response = httpx.get(f"{live_server.url}/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}
