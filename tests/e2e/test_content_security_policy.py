"""The UI works under the portal's Content-Security-Policy: every screen a person goes through (login at the
identity provider, home, SOPRANO, a new dossier, a dossier with an upload, the authorisations and a PDF, the customs
workspace, logout) renders with no violation reported by Chromium.

A violation is seen two ways: the page's `securitypolicyviolation` events (kept in `window.__cspViolations` and
reported to the test at once, so a navigation cannot lose one), and any console message about the policy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Page, expect

from tests.api.dossiers.support import PDF
from tests.e2e.live_support import CLAIRE, SOPHIE
from tests.e2e.test_access_screens import MARIE, accept_terms_if_asked, log_in
from tests.processing_support import bring_to, grant

pytestmark = pytest.mark.browser

WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const violation = {
    page: location.href,
    directive: event.effectiveDirective || event.violatedDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  };
  window.__cspViolations.push(violation);
  if (window.reportCspViolation) { window.reportCspViolation(violation); }
}, true);
"""
CONSOLE_SIGNS = ("Content Security Policy", "Content-Security-Policy", "Refused to")


@dataclass
class Violations:
    page: Page
    events: list[dict] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def assert_none(self) -> None:
        if not self.page.is_closed() and self.page.url.startswith("http"):
            in_page = self.page.evaluate("() => window.__cspViolations || []")
            self.events += [v for v in in_page if v not in self.events]
        assert not self.events, f"Content-Security-Policy violations: {self.events}"
        assert not self.console, f"Console messages about the Content-Security-Policy: {self.console}"


@pytest.fixture
def violations(page: Page) -> Iterator[Violations]:
    seen = Violations(page)
    page.expose_function("reportCspViolation", lambda violation: seen.events.append(violation))
    page.add_init_script(WATCH_VIOLATIONS)

    def on_console(message) -> None:
        if any(sign in message.text for sign in CONSOLE_SIGNS):
            seen.console.append(f"{message.type}: {message.text}")

    page.on("console", on_console)
    yield seen


@pytest.fixture(scope="module")
def granted(people) -> dict:
    """An authorisation of Ateliers Durand granted by Claire, and a draft of Marie's to attach a file to."""
    marie, claire = people(MARIE), people(CLAIRE, accept=False)
    decided = grant(claire, bring_to("ACCEPTED", marie, claire)["id"])
    return {
        "dossier": decided["dossier"],
        "authorization": decided["authorization"],
        "draft": bring_to("DRAFT", marie, claire),
    }


def visit(page: Page, live_server, path: str) -> None:
    """Open `path` as a new page load, checking the policy came with it, and wait for its h1."""
    response = page.goto(live_server.url + path)
    assert response is not None and "content-security-policy" in response.headers, path
    accept_terms_if_asked(page)
    expect_rendered(page)


def expect_rendered(page: Page, title: str | re.Pattern | None = None) -> None:
    heading = page.get_by_role("main").get_by_role("heading", level=1)
    expect(heading).to_be_visible()
    expect(heading).not_to_have_text(re.compile(r"^\s*$|Page non trouvée"))
    if title is not None:
        expect(heading).to_have_text(title)
    expect(page.locator("#compte").first).to_be_visible()  # the ReactPy UI is live, as the person logged in


def log_out(page: Page) -> None:
    page.get_by_role("banner").get_by_role("button", name="Se déconnecter").first.click()
    expect(page.get_by_role("banner").get_by_role("link", name="Se connecter").first).to_be_visible()
    expect(page.get_by_role("main").get_by_role("heading", level=1)).to_be_visible()


def test_a_violation_would_be_seen(live_server, page, violations):
    """The watch is real: an image from another site, refused by img-src, is reported."""
    page.goto(live_server.url + "/")
    expect(page.get_by_role("main").get_by_role("heading", level=1)).to_be_visible()
    page.evaluate(
        "() => { const img = document.createElement('img'); img.alt = '';"
        " img.src = 'https://ailleurs.example/image.png'; document.body.appendChild(img); }"
    )
    page.wait_for_function("() => window.__cspViolations.length > 0")
    seen = page.evaluate("() => window.__cspViolations")
    assert [v["directive"] for v in seen] == ["img-src"], seen
    assert seen[0]["blocked"].startswith("https://ailleurs.example/"), seen
    page.evaluate("() => document.querySelector('img[src^=\"https://ailleurs\"]').remove()")
    violations.events.clear()
    page.evaluate("() => { window.__cspViolations = []; }")


def test_marie_works_under_the_policy(live_server, page, violations, granted):
    log_in(page, live_server, MARIE)
    expect_rendered(page, "Bonjour Marie Durand")
    visit(page, live_server, "/soprano")
    expect(page.locator("#tableau-de-bord")).to_be_visible()  # the dossier list
    visit(page, live_server, "/dossiers/nouveau")
    visit(page, live_server, "/habilitations")

    # A dossier's page, and its upload form: a multipart POST answered by a redirect back to the page.
    visit(page, live_server, f"/dossiers/{granted['draft']['id']}")
    page.locator("#piece-jointe-fichier").set_input_files(
        {"name": "statuts-csp.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Joindre le fichier").click()
    expect(page.locator("#pieces-jointes-resultat")).to_contain_text("Pièce jointe « statuts-csp.pdf » ajoutée")
    expect_rendered(page)

    # The authorisations, one of them, and its PDF.
    visit(page, live_server, "/autorisations")
    expect(page.get_by_role("main").get_by_role("heading", level=1)).to_have_text("Mes autorisations")
    authorization = granted["authorization"]
    visit(page, live_server, f"/autorisations/{authorization['id']}")
    expect(page.get_by_role("main").get_by_role("heading", level=1)).to_have_text(
        f"Autorisation {authorization['reference']}"
    )
    with page.expect_download() as download:
        page.locator("#telecharger-pdf").click()
    assert download.value.suggested_filename.endswith(".pdf")
    expect_rendered(page)

    violations.assert_none()
    log_out(page)
    violations.assert_none()


def test_sophie_works_under_the_policy(live_server, page, violations, granted):
    log_in(page, live_server, SOPHIE, "/soprano")
    accept_terms_if_asked(page)
    expect_rendered(page)
    expect(page.locator("#tableau-de-bord")).to_be_visible()
    visit(page, live_server, "/")
    visit(page, live_server, "/dossiers/nouveau")
    visit(page, live_server, f"/dossiers/{granted['dossier']['id']}")
    visit(page, live_server, "/autorisations")

    violations.assert_none()
    log_out(page)
    violations.assert_none()


def test_claire_works_under_the_policy(live_server, page, violations, granted):
    log_in(page, live_server, CLAIRE)
    expect_rendered(page)
    visit(page, live_server, "/douane")
    visit(page, live_server, f"/dossiers/{granted['dossier']['id']}")
    visit(page, live_server, "/autorisations")
    visit(page, live_server, f"/autorisations/{granted['authorization']['id']}")

    violations.assert_none()
    log_out(page)
    violations.assert_none()


def test_graphiql_loads_under_its_development_policy(live_server, browser):
    """GraphiQL (development only) asks unpkg.com for React and GraphiQL: the policy lets it ask. The requests are
    cut here (no network in tests), and the policy is checked before any request leaves the page, so what is
    proven is that nothing GraphiQL's page asks for is refused."""
    context = browser.new_context(locale="fr-FR")
    try:
        page = context.new_page()
        seen: list[dict] = []
        page.expose_function("reportCspViolation", lambda violation: seen.append(violation))
        page.add_init_script(WATCH_VIOLATIONS)
        asked: list[str] = []

        def cut(route) -> None:
            asked.append(route.request.url)
            route.abort()

        page.route("https://unpkg.com/**", cut)
        response = page.goto(live_server.url + "/graphql")
        assert response is not None and "unpkg.com" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
        assert any("graphiql" in url for url in asked), asked
        assert not seen, f"Content-Security-Policy violations on GraphiQL: {seen}"
    finally:
        context.close()
