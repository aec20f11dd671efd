"""Health checks: /healthz/live (the process), /healthz/ready (the database; Redis reported, not required), /healthz
as it was (database and Redis). Every request has an id, echoed and written in each of its log lines."""

from __future__ import annotations

import io
import json
import logging
import re
from dataclasses import replace

import httpx
import pytest
from starlette.testclient import TestClient

from backend.config import Settings
from backend.logs import JsonFormatter, RequestIdFilter
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


# --- Liveness and readiness --------------------------------------------------------------------------------------


def test_liveness_says_the_process_answers(live_server):
    response = httpx.get(f"{live_server.url}/healthz/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readiness_checks_the_database(live_server):
    response = httpx.get(f"{live_server.url}/healthz/ready")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


def portal_without_lifespan(settings: Settings) -> TestClient:
    """The portal's routes without its start-up (which would migrate, and start the hub): enough for health checks."""
    from backend.app import create_app

    return TestClient(create_app(settings), raise_server_exceptions=False)


def test_without_its_database_a_host_is_live_but_not_ready(settings, tmp_path):
    absent = f"sqlite:///{tmp_path / 'absent' / 'x.db'}"
    client = portal_without_lifespan(replace(settings, database_url=absent, redis_url=None))

    assert client.get("/healthz/live").status_code == 200
    ready = client.get("/healthz/ready")
    assert ready.status_code == 503
    assert ready.json() == {"status": "error", "database": "injoignable"}
    assert client.get("/healthz").status_code == 503


def test_a_redis_outage_leaves_hosts_ready_but_degraded(settings):
    """Every host shares one Redis: its outage must not take them all out of the load balancer (readiness stays 200),
    while the compatibility check /healthz still reports it as an error."""
    client = portal_without_lifespan(replace(settings, redis_url="redis://127.0.0.1:1/0"))

    ready = client.get("/healthz/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "degraded", "database": "ok", "redis": "injoignable"}
    old = client.get("/healthz")
    assert old.status_code == 503
    assert old.json() == {"status": "error", "database": "ok", "redis": "injoignable"}


# --- Request id and logs -----------------------------------------------------------------------------------------


def test_the_request_id_of_the_client_is_echoed(live_server):
    response = httpx.get(f"{live_server.url}/healthz/live", headers={"X-Request-ID": "lb-7f3a.42"})
    assert response.headers["x-request-id"] == "lb-7f3a.42"


@pytest.mark.parametrize("given", [None, "deux mots", "x" * 200])
def test_a_request_without_a_usable_id_gets_one_of_ours(live_server, given):
    headers = {"X-Request-ID": given} if given else {}
    first = httpx.get(f"{live_server.url}/healthz/live", headers=headers).headers["x-request-id"]
    second = httpx.get(f"{live_server.url}/healthz/live", headers=headers).headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and re.fullmatch(r"[0-9a-f]{32}", second)
    assert first != second


def test_every_log_line_of_a_request_names_its_id_in_json(settings, tmp_path):
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    health_logger = logging.getLogger("soprano.health")
    health_logger.addHandler(handler)
    try:
        client = portal_without_lifespan(replace(settings, database_url=f"sqlite:///{tmp_path / 'no' / 'x.db'}"))
        client.get("/healthz/ready", headers={"X-Request-ID": "req-1234"})
        try:
            raise RuntimeError("a failure with its traceback")
        except RuntimeError:
            logging.getLogger("soprano.health").exception("outside any request")
    finally:
        health_logger.removeHandler(handler)

    entries = [json.loads(line) for line in lines.getvalue().splitlines()]
    assert [entry["message"].split(" (")[0] for entry in entries] == [
        "health check: database unreachable",
        "outside any request",
    ]
    failed, outside = entries
    assert failed["request_id"] == "req-1234"
    assert failed["level"] == "WARNING" and failed["logger"] == "soprano.health"
    assert "exception" not in failed  # the cause in one line, not a traceback per probe
    assert "Traceback" in outside["exception"]
    assert "request_id" not in outside
