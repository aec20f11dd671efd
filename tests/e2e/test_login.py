"""A person logs in through the development provider in a real browser, sees their space, and logs out."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_demo_professional_logs_in_sees_soprano_and_logs_out(live_server, page):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("régimes particuliers")
    page.get_by_role("link", name="Se connecter").first.click()

    # The provider's own page lists the demo accounts.
    page.locator("button[value='marie.durand@ateliers-durand.fr']").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Marie Durand")
    expect(page.locator("#type-de-compte")).to_have_text("professionnel")
    expect(page.get_by_role("link", name="SOPRANO – Régimes particuliers")).to_be_visible()

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter").first).to_be_visible()
    expect(page.get_by_text("Marie Durand")).to_have_count(0)
