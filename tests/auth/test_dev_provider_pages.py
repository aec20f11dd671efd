"""The development provider's login page, the one every demo user meets: French, titled, and self-contained (it
loads nothing from the network, so it is styled offline), listing the demo accounts; a refused request is French too."""

from __future__ import annotations

import re

import httpx

from backend.demo import DEMO_ACCOUNTS

AUTHORIZE = {
    "response_type": "code",
    "client_id": "soprano-portal",
    "redirect_uri": "http://127.0.0.1:1/auth/callback",
    "scope": "openid profile email",
    "state": "s",
    "nonce": "n",
}


def test_the_login_page_is_french_titled_self_contained_and_lists_the_demo_accounts(provider):
    answer = httpx.get(f"{provider.issuer}/oauth2/authorize", params=AUTHORIZE)
    assert answer.status_code == 200
    page = answer.text
    assert '<html lang="fr">' in page
    assert re.search(r"<title>Connexion – Portail douane</title>", page)
    assert "Connexion au portail douane" in page and "Se connecter" in page
    assert not re.search(r"""(href|src)=["']https?://""", page), "no stylesheet or script from the network"
    for account in DEMO_ACCOUNTS:
        assert f'value="{account.sub}"' in page
    assert "Authorize" not in page


def test_a_request_the_provider_refuses_is_answered_in_french(provider):
    answer = httpx.get(f"{provider.issuer}/oauth2/authorize", params={"client_id": "soprano-portal"})
    assert answer.status_code == 400
    assert '<html lang="fr">' in answer.text
    assert "Connexion impossible" in answer.text
