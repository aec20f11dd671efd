"""axe-core on every page of the portal, as each demo account meets it: no serious or critical violation (WCAG 2.1
A/AA and best practices). Every other browser test also audits the page it ends on (tests/e2e/conftest.py);
lesser violations are listed in var/axe-report.md."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.accessibility import audit
from tests.e2e.test_access_screens import JEAN, LUCIE, MARIE, PAUL, accept_terms_if_asked, log_in
from tests.e2e.test_dossier_screens import KARIM, SOPHIE, create_dossier_by_api, open_tab

pytestmark = pytest.mark.browser

CLAIRE = "claire.bernard@douane.gouv.fr"
HUGO = "hugo.lambert@douane.gouv.fr"
PAGES = [
    "/",
    "/soprano",
    "/douane",
    "/operateur",
    "/habilitations",
    "/jetons",
    "/dossiers/nouveau",
    "/assistance",
    "/assistance/question",
    "/assistance/technique",
    "/assistance/avis",
    "/douane/questions",
    "/support",
    "/page-inconnue",
]


def settled(page: Page) -> None:
    """The page has rendered its heading and finished loading (no « Chargement » left)."""
    expect(page.get_by_role("main").get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text("Chargement", exact=False)).to_have_count(0)


def assert_accessible(page: Page, where: str) -> None:
    blocking = audit(page)
    assert not blocking, f"axe-core, {where}: {blocking}"


def test_a_visitors_pages_have_no_serious_violation(page: Page, live_server) -> None:
    for path in ("/", "/soprano", "/assistance/documentation", "/assistance/documentation/TEA", "/page-inconnue"):
        page.goto(live_server.url + path)
        settled(page)
        assert_accessible(page, f"visiteur {path}")
    page.get_by_role("banner").get_by_role("link", name="Se connecter").click()
    expect(page.locator("button[value]").first).to_be_visible()
    assert_accessible(page, "page de connexion du fournisseur de développement")


@pytest.mark.parametrize("account", [MARIE, SOPHIE, PAUL, KARIM, LUCIE, JEAN, CLAIRE, HUGO])
def test_every_page_a_demo_account_reaches_has_no_serious_violation(page: Page, live_server, account: str) -> None:
    log_in(page, live_server, account)
    accept_terms_if_asked(page)
    for path in PAGES:
        page.goto(live_server.url + path)
        settled(page)
        assert_accessible(page, f"{account} {path}")


def test_the_dossier_editor_and_its_errors_have_no_serious_violation(page: Page, live_server, provider) -> None:
    dossier = create_dossier_by_api(live_server, provider, SOPHIE, "IPO")
    log_in(page, live_server, SOPHIE, "/dossiers/nouveau")
    accept_terms_if_asked(page)
    settled(page)
    page.get_by_role("button", name="Continuer").click()
    expect(page.locator("#type-autorisation-message-error")).to_be_visible()
    assert_accessible(page, "nouveau dossier, étape 1 en erreur")
    page.get_by_label("Type d'autorisation").select_option(index=1)
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("group", name="Régime particulier demandé")).to_be_visible()
    assert_accessible(page, "nouveau dossier, étape 2")

    page.goto(f"{live_server.url}/dossiers/{dossier['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dossier {dossier['reference']}")
    page.get_by_role("button", name="Contrôler").click()
    expect(page.locator("#points-a-corriger")).to_be_visible()
    for tab in page.get_by_role("tablist").first.get_by_role("tab").all_inner_texts():
        open_tab(page, tab.strip())
        assert_accessible(page, f"éditeur, onglet {tab.strip()}")


def test_the_audit_itself_fails_on_a_serious_violation(page: Page, live_server) -> None:
    page.goto(live_server.url + "/")
    settled(page)
    assert audit(page) == []
    page.evaluate(
        "() => { const i = document.createElement('img'); i.src = '/static/portal.css'; document.querySelector('main').append(i); }"
    )
    assert [v["id"] for v in audit(page)] == ["image-alt"]  # an image with no text alternative: critical
    page.evaluate("() => document.querySelector('main img').alt = ''")  # decorative now: fixed
    assert audit(page) == []
