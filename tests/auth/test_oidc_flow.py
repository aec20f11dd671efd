"""The OIDC authorization code flow against a real provider (oidc-provider-mock) over real HTTP."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx

from tests.conftest import graphql, login, unique_sub

ME = "{ me { name kind kindLabel siret customsOffice teleservices { code } } }"


def test_professional_logs_in_through_the_provider_and_me_answers(live_server, provider):
    sub = unique_sub("pro")
    client = login(live_server, provider, sub, {"name": "Alice Pro", "siret": "55210055400013"})
    me = graphql(client, ME).json()["data"]["me"]
    assert me == {
        "name": "Alice Pro",
        "kind": "PROFESSIONAL",
        "kindLabel": "professionnel",
        "siret": "55210055400013",
        "customsOffice": None,
        "teleservices": [{"code": "SOPRANO"}],
    }


def test_login_request_uses_pkce_s256_state_and_nonce(live_server):
    client = httpx.Client(base_url=live_server.url)
    start = client.get("/auth/login")
    params = parse_qs(urlsplit(start.headers["location"]).query)
    assert params["code_challenge_method"] == ["S256"]
    assert len(params["code_challenge"][0]) >= 43
    assert params["state"][0] and params["nonce"][0]
    assert params["redirect_uri"] == [f"{live_server.url}/auth/callback"]
