"""What goes wrong at login, and the session around it: each bad callback ends on a French error page without a
session; logout, cookie rotation and cookie flags; no open redirect after login; the kind of account from the
claims. Everything runs over real HTTP against the live portal and a real OIDC provider (oidc-provider-mock)."""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import json
import random
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
import oidc_provider_mock
import pytest

from backend.auth.devprovider import serve_wsgi
from backend.identity.identifiers import luhn_ok
from tests.conftest import free_port, graphql, login, run_live_server, set_provider_user, unique_sub

COOKIE = "soprano_session"
ME = "{ me { id name kind kindLabel siret customsOffice teleservices { code } } }"


def me_of(client: httpx.Client) -> dict | None:
    response = graphql(client, ME)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["me"]


def start_login(base_url: str, next_path: str | None = None) -> tuple[httpx.Client, str]:
    """GET /auth/login on the portal; returns the client (holding the pending-login cookie) and the authorize URL."""
    client = httpx.Client(base_url=base_url, follow_redirects=False, timeout=20)
    start = client.get("/auth/login", params={"next": next_path} if next_path is not None else None)
    assert start.status_code == 302, start.text
    return client, start.headers["location"]


def authorize(authorize_url: str, sub: str) -> str:
    """The user picks `sub` on the provider's page; returns the callback URL the provider redirects to."""
    response = httpx.post(authorize_url, data={"sub": sub}, timeout=20)
    assert response.status_code == 302, response.text
    return response.headers["location"]


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def session_payload(cookie_value: str) -> dict:
    """What Starlette's signed session cookie carries (base64 JSON before the signature): readable, not forgeable."""
    data = cookie_value.split(".")[0]
    return json.loads(base64.b64decode(data + "=" * (-len(data) % 4)))


def assert_error_page(response: httpx.Response, title: str, status: int = 400) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="fr"' in response.text
    assert title in response.text
    assert response.headers["x-frame-options"] == "DENY"
    # Nothing of the failed exchange is echoed back.
    assert "code=" not in response.text and "id_token" not in response.text


# --- Bad callbacks -----------------------------------------------------------------------------------------------


def test_tampered_state_is_rejected_with_a_french_page_and_no_session(live_server, provider):
    sub = unique_sub("state")
    client, authorize_url = start_login(live_server.url)
    callback = authorize(authorize_url, sub)
    assert "state=" in callback

    response = client.get(with_query(callback, state="tampered-" + "x" * 20))

    assert_error_page(response, "Session de connexion expirée")
    assert me_of(client) is None


def test_callback_without_a_pending_login_is_rejected(live_server, provider):
    """A callback replayed in another browser (no state in its cookie) is refused just the same."""
    client, authorize_url = start_login(live_server.url)
    callback = authorize(authorize_url, unique_sub("replay"))
    stranger = httpx.Client(base_url=live_server.url, follow_redirects=False, timeout=20)

    response = stranger.get(callback)

    assert_error_page(response, "Session de connexion expirée")
    assert me_of(stranger) is None
    # The legitimate browser can still finish its own login.
    assert client.get(callback).status_code == 303
    assert me_of(client) is not None


def test_denied_at_the_provider_shows_connexion_refusee(live_server, provider):
    client, authorize_url = start_login(live_server.url)
    denied = httpx.post(authorize_url, data={"action": "deny"}, timeout=20)
    assert denied.status_code == 302, denied.text
    callback = denied.headers["location"]
    assert "error=access_denied" in callback

    response = client.get(callback)

    assert_error_page(response, "Connexion refusée")
    assert me_of(client) is None
    # The attempt is over: its pending state was dropped from the cookie.
    assert not any(key.startswith("_state_") for key in session_payload(client.cookies[COOKIE]))


class JwksFrom:
    """WSGI middleware: answer /jwks with another provider's keys (while `forge` is on), pass the rest through."""

    def __init__(self, app, jwks_url: str) -> None:
        self.app = app
        self.jwks_url = jwks_url
        self.forge = True

    def __call__(self, environ, start_response):
        if self.forge and environ.get("PATH_INFO") == "/jwks":
            body = httpx.get(self.jwks_url, timeout=10).content
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        return self.app(environ, start_response)


@contextlib.contextmanager
def portal_trusting(settings, issuer: str) -> Iterator[str]:
    """A second portal, on the same database, whose identity provider is `issuer`; yields its base URL."""
    from backend.app import create_app

    port = free_port()
    server, thread = run_live_server(create_app(dataclasses.replace(settings, oidc_issuer=issuer)), port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def test_id_token_signed_by_another_key_is_rejected(live_server, provider):
    middleware = JwksFrom(oidc_provider_mock.app(require_nonce=True), f"{provider.issuer}/jwks")
    impostor = serve_wsgi(middleware)
    try:
        # The impostor publishes the first provider's keys, and signs with its own.
        assert httpx.get(f"{impostor.issuer}/jwks").json() == httpx.get(f"{provider.issuer}/jwks").json()
        with portal_trusting(live_server.settings, impostor.issuer) as portal_url:
            client, authorize_url = start_login(portal_url)
            assert authorize_url.startswith(impostor.issuer)
            response = client.get(authorize(authorize_url, unique_sub("forged")))

            assert_error_page(response, "Identité non vérifiée")
            assert me_of(client) is None

        # Control: with its real keys published, the very same provider logs in on a fresh portal (the portal
        # caches the key set), so the refusal above was the signature's doing.
        middleware.forge = False
        with portal_trusting(live_server.settings, impostor.issuer) as portal_url:
            client, authorize_url = start_login(portal_url)
            assert client.get(authorize(authorize_url, unique_sub("genuine"))).status_code == 303
            assert me_of(client) is not None
    finally:
        impostor.stop()


# --- Session lifecycle -------------------------------------------------------------------------------------------


def test_logout_ends_the_session_and_the_old_cookie_is_dead(live_server, provider):
    client = login(live_server, provider, unique_sub("logout"), {"name": "Léa Logout"})
    assert me_of(client)["name"] == "Léa Logout"
    old_cookie = client.cookies[COOKIE]

    response = client.post("/auth/logout")

    assert response.status_code == 303
    assert response.headers["location"] == "/"
    assert me_of(client) is None
    # Replaying the cookie of before the logout: the server-side session is gone.
    replay = httpx.Client(base_url=live_server.url, cookies={COOKIE: old_cookie}, timeout=20)
    assert me_of(replay) is None


def test_logout_is_not_reachable_by_a_cross_site_link(live_server, provider):
    """SameSite=Lax cookies ride along top-level cross-site GET navigations: a GET must not log anyone out (the UI's
    « Se déconnecter » is a POST form)."""
    client = login(live_server, provider, unique_sub("csrf"), {"name": "Gaël Get"})

    response = client.get("/auth/logout")

    assert response.status_code != 303, response.headers  # a 405, or at most a page asking to confirm by POST
    assert me_of(client) is not None


def test_session_cookie_is_rotated_at_login(live_server, provider):
    sub = unique_sub("rotate")
    set_provider_user(provider, sub, {"name": "Rita Rotation"})
    client, authorize_url = start_login(live_server.url)
    before = client.cookies[COOKIE]

    back = client.get(authorize(authorize_url, sub))

    assert back.status_code == 303
    after = client.cookies[COOKIE]
    assert after != before
    assert "sid" not in session_payload(before)
    # A fresh session id; the pending login (state, post-login destination) is gone.
    payload = session_payload(after)
    assert payload.get("sid")
    assert not any(key.startswith("_state_") or key == "next" for key in payload), payload
    assert me_of(client)["name"] == "Rita Rotation"
    pre_login = httpx.Client(base_url=live_server.url, cookies={COOKIE: before}, timeout=20)
    assert me_of(pre_login) is None


def test_each_login_issues_a_new_session_id(live_server, provider):
    sub = unique_sub("again")
    first = login(live_server, provider, sub, {"name": "Ana Again"})
    second = login(live_server, provider, sub)
    assert session_payload(first.cookies[COOKIE])["sid"] != session_payload(second.cookies[COOKIE])["sid"]


def test_session_cookie_flags(live_server):
    response = httpx.get(f"{live_server.url}/auth/login")
    cookies = [value for key, value in response.headers.multi_items() if key == "set-cookie"]
    session_cookies = [c for c in cookies if c.startswith(f"{COOKIE}=")]
    assert len(session_cookies) == 1, cookies
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in session_cookies[0].split(";")[1:]}
    assert "httponly" in attributes
    assert attributes["samesite"].lower() == "samesite=lax"
    assert attributes["path"].lower() == "path=/"
    assert "secure" not in attributes  # development runs on plain http


# --- Post-login destination --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "next_path",
    ["//evil.example", "//evil.example/soprano", "https://evil.example/", "/\\evil.example", "/\t/evil.example"],
)
def test_login_never_redirects_off_site(live_server, provider, next_path):
    sub = unique_sub("next")
    client, authorize_url = start_login(live_server.url, next_path)
    back = client.get(authorize(authorize_url, sub))
    assert back.status_code == 303
    assert back.headers["location"] == "/"


def test_login_honours_a_local_next(live_server, provider):
    client, authorize_url = start_login(live_server.url, "/soprano")
    back = client.get(authorize(authorize_url, unique_sub("next")))
    assert back.status_code == 303
    assert back.headers["location"] == "/soprano"


# --- Kind of account ---------------------------------------------------------------------------------------------


def test_user_without_siret_is_a_private_person(live_server, provider):
    client = login(live_server, provider, unique_sub("perso"), {"name": "Jean Particulier"})
    me = me_of(client)
    assert me["kind"] == "PRIVATE_PERSON"
    assert me["kindLabel"] == "particulier"
    assert me["siret"] is None and me["customsOffice"] is None
    assert me["teleservices"] == [{"code": "DECLARATION_PARTICULIER"}]


def test_user_with_a_customs_office_claim_is_a_customs_officer(live_server, provider):
    client = login(
        live_server, provider, unique_sub("agent"), {"name": "Claire Agent", "customs_office": "FR000690"}
    )
    me = me_of(client)
    assert me["kind"] == "CUSTOMS_OFFICER"
    assert me["kindLabel"] == "agent des douanes"
    assert me["customsOffice"] == "FR000690"
    assert me["teleservices"] == [{"code": "ESPACE_DOUANE"}]


def test_same_issuer_and_subject_is_the_same_user(live_server, provider):
    sub = unique_sub("twice")
    first = me_of(login(live_server, provider, sub, {"name": "Tom Twice"}))
    second = me_of(login(live_server, provider, sub, {"name": "Tom Twice Renamed"}))
    assert second["id"] == first["id"]
    assert second["name"] == "Tom Twice Renamed"  # refreshed from the claims at each login
    other = me_of(login(live_server, provider, unique_sub("twice"), {"name": "Tom Twice"}))
    assert other["id"] != first["id"]


def random_siret() -> str:
    """A Luhn-valid SIRET no other test uses (so that a wrongly created operator troubles nobody)."""
    body = "9" + "".join(random.choice("0123456789") for _ in range(12))
    return next(body + key for key in "0123456789" if luhn_ok(body + key))


@pytest.mark.parametrize(
    "malform",
    [
        lambda siret: siret + "9",  # 15 digits: one too many
        lambda siret: siret + "-42",
        lambda siret: siret.translate(str.maketrans("0123456789", "０１２３４５６７８９")),  # fullwidth digits
    ],
    ids=["15-digits", "suffixed", "fullwidth"],
)
def test_malformed_siret_claim_never_becomes_a_siret(live_server, provider, malform):
    """A `siret` claim that is not a SIRET must not be cut down to one, or kept as it came: it would attach the person
    to a company that is not theirs (as its administrator when it is new), or create a bogus operator."""
    siret = random_siret()
    claim = malform(siret)
    me = me_of(login(live_server, provider, unique_sub("siret"), {"name": "Sam Siret", "siret": claim}))
    assert me["siret"] is None, (claim, me)


def test_malformed_customs_office_claim_never_becomes_an_office(live_server, provider):
    """A 9-character office claim is not cut down to an 8-character office (someone else's)."""
    office = "FR" + "".join(random.choice("0123456789") for _ in range(6))
    claim = office + "9"
    me = me_of(
        login(live_server, provider, unique_sub("office"), {"name": "Oscar Office", "customs_office": claim})
    )
    assert me["customsOffice"] != office, (claim, me)
