"""Cross-site pages cannot open the portal's WebSockets; the access log never shows an authorization code; every
HTTP response carries the security headers (Content-Security-Policy, HSTS outside development…), each once."""

from __future__ import annotations

import logging
from dataclasses import replace
from types import SimpleNamespace

import httpx
import pytest
from starlette.testclient import TestClient
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from backend.app import PortalScope, content_security_policy, origin_of, security_headers
from backend.config import Settings
from backend.logs import RedactCallbackQuery


def test_ui_websocket_from_another_site_is_refused(live_server):
    url = live_server.url.replace("http://", "ws://") + "/reactpy/ui.app.root/?path=%2F&qs="
    with pytest.raises((InvalidStatus, ConnectionClosed)), connect(url, origin="https://evil.example") as ws:
        ws.recv(timeout=5)


def test_ui_websocket_from_the_portal_itself_is_served(live_server):
    url = live_server.url.replace("http://", "ws://") + "/reactpy/ui.app.root/?path=%2F&qs="
    with connect(url, origin=live_server.url) as ws:
        message = ws.recv(timeout=5)
    assert "layout-update" in message


def test_callback_query_is_masked_in_the_access_log():
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:1", "GET", "/auth/callback?code=SECRET&state=S", "1.1", 303),
        None,
    )
    RedactCallbackQuery().filter(record)
    assert "SECRET" not in record.getMessage()
    assert "/auth/callback?[masqué]" in record.getMessage()


def test_responses_carry_security_headers(live_server):
    response = httpx.get(live_server.url + "/")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


# --- Every response carries the security headers, each once --------------------------------------------------------

UI_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'; "
    "form-action 'self' {issuer}"
)
HSTS = "max-age=31536000; includeSubDomains"


def expected_headers(settings: Settings) -> dict[str, str]:
    headers = {
        "content-security-policy": UI_POLICY.format(issuer=origin_of(settings.oidc_issuer)),
        "x-content-type-options": "nosniff",
        "x-frame-options": "DENY",
        "referrer-policy": "same-origin",
    }
    if not settings.is_dev:
        headers["strict-transport-security"] = HSTS
    return headers


def assert_security_headers(response: httpx.Response, settings: Settings) -> None:
    for name, value in expected_headers(settings).items():
        assert response.headers.get_list(name) == [value], (response.request.url, name)
    if settings.is_dev:
        assert "strict-transport-security" not in response.headers, response.request.url


# Each kind of response: a UI page, the API, a health check, static files (the portal's, the DSFR's, ReactPy's
# client), a missing file and an unknown page (both 404), a redirect.
RESPONSES = [
    ("GET", "/", 200),
    ("GET", "/soprano", 200),
    ("POST", "/graphql", 200),
    ("GET", "/healthz/live", 200),
    ("GET", "/healthz/ready", 200),
    ("GET", "/static/portal.css", 200),
    ("GET", "/static/dsfr/dsfr.min.css", 200),
    ("GET", "/reactpy/static/index.js", 200),
    ("GET", "/static/absent.css", 404),
    ("GET", "/page-qui-n-existe-pas", 404),
    ("GET", "/files/999999999", 404),
    ("GET", "/auth/login", 302),
]


def request(client: httpx.Client | TestClient, method: str, path: str):
    if method == "POST":
        return client.post(path, json={"query": "{ __typename }"})
    return client.get(path, follow_redirects=False)


@pytest.mark.parametrize(("method", "path", "status"), RESPONSES, ids=[f"{m} {p}" for m, p, _ in RESPONSES])
def test_each_kind_of_response_carries_each_security_header_once(live_server, method, path, status):
    with httpx.Client(base_url=live_server.url) as client:
        response = request(client, method, path)
    assert response.status_code == status, response.text
    assert_security_headers(response, live_server.settings)


def test_strict_transport_security_is_left_out_in_development(live_server):
    response = httpx.get(live_server.url + "/")
    assert live_server.settings.is_dev
    assert "strict-transport-security" not in response.headers


@pytest.fixture
def production(live_server) -> TestClient:
    """The portal as production builds it (HSTS, no GraphiQL), on the test database, without its start-up."""
    from backend.app import create_app

    prod = replace(live_server.settings, env="prod", secret_key="production-secret-key-for-tests-only")
    return TestClient(create_app(prod), base_url="https://testserver", raise_server_exceptions=False)


@pytest.mark.parametrize(("method", "path", "status"), RESPONSES, ids=[f"{m} {p}" for m, p, _ in RESPONSES])
def test_production_adds_strict_transport_security_to_each_response(production, live_server, method, path, status):
    response = request(production, method, path)
    assert response.status_code == status, response.text
    prod = replace(live_server.settings, env="prod")
    assert_security_headers(response, prod)
    assert response.headers.get_list("strict-transport-security") == [HSTS]


def test_graphiql_may_load_its_scripts_in_development_only(live_server, production):
    """GraphiQL (development) is Strawberry's page, from unpkg.com; production has no GraphiQL and no such source."""
    ide = httpx.get(live_server.url + "/graphql", headers={"accept": "text/html"})
    assert ide.status_code == 200 and "graphiql" in ide.text.lower()
    policy = ide.headers.get_list("content-security-policy")
    assert len(policy) == 1
    assert "script-src 'self' 'unsafe-inline' https://unpkg.com;" in policy[0]
    assert "style-src 'self' 'unsafe-inline' https://unpkg.com;" in policy[0]
    assert "frame-ancestors 'none'" in policy[0] and "object-src 'none'" in policy[0]

    # The API itself (POST) keeps the UI's policy, and production never names unpkg.com.
    api = httpx.post(live_server.url + "/graphql", json={"query": "{ __typename }"})
    assert "unpkg" not in api.headers["content-security-policy"]
    prod = production.get("/graphql", headers={"accept": "text/html"})
    assert "unpkg" not in prod.headers["content-security-policy"]


def test_the_policy_names_the_identity_provider_origin_in_form_action(settings):
    """Chrome checks form-action against the redirects that follow a form's POST: the provider's origin (scheme, host
    and port, no path) is allowed there, and only there."""
    issuer = replace(settings, oidc_issuer="https://connexion.douane.example:8443/realms/portail")
    policy = content_security_policy(issuer)
    directives = dict(part.split(" ", 1) for part in policy.split("; "))
    assert directives["form-action"] == "'self' https://connexion.douane.example:8443"
    assert sum("connexion.douane.example" in sources for sources in directives.values()) == 1


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("http://127.0.0.1:9400", "http://127.0.0.1:9400"),
        ("https://IdP.example/realms/x/", "https://idp.example"),
        ("https://[::1]:9400/oidc", "https://[::1]:9400"),
    ],
)
def test_origin_of_an_issuer(url, origin):
    assert origin_of(url) == origin


def test_security_headers_are_built_once_per_application(settings):
    dev = security_headers(settings)
    prod = security_headers(replace(settings, env="prod"))
    assert [name for name, _ in prod] == [name for name, _ in dev] + [b"strict-transport-security"]
    assert all(isinstance(name, bytes) and isinstance(value, bytes) for name, value in prod)


def test_a_route_setting_a_security_header_keeps_its_own_and_sends_it_once(settings):
    """A route may set one of these headers itself (a stricter policy for a file, say): it is sent once, its own."""
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    own = "default-src 'none'; sandbox"

    async def route(request):
        return PlainTextResponse(
            "ok", headers={"Content-Security-Policy": own, "X-Content-Type-Options": "nosniff"}
        )

    app = PortalScope(Starlette(routes=[Route("/", route)]), SimpleNamespace(settings=settings))
    response = TestClient(app).get("/")
    assert response.headers.get_list("content-security-policy") == [own]
    assert response.headers.get_list("x-content-type-options") == ["nosniff"]
    assert response.headers.get_list("x-frame-options") == ["DENY"]
