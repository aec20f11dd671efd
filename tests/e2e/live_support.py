"""What the browser tests of the decision phase share: the people, a submitted dossier, the dashboard and dossier page
locators. Two people at once means one browser context each (cookies of their own); `people_of` opens them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from playwright.sync_api import Browser, Page, expect

from tests.api.dossiers.support import SUBMIT, complete
from tests.conftest import login
from tests.processing_support import ok

SOPHIE = "sophie.moreau@ateliers-durand.fr"  # collaborator of Ateliers Durand, right « déposer »
CLAIRE = (
    "claire.bernard@douane.gouv.fr"  # customs officer, office FR000690 (the office the factories' answers name)
)
LIVE = 1500  # ms: what « live » means here, measured from the click that completes on the other side


def submitted_dossier(live_server, provider) -> dict:
    """A complete TEA application of Ateliers Durand for office FR000690, submitted by Sophie over HTTP."""
    client = login(live_server, provider, SOPHIE)
    try:
        terms = ok(client, "{ termsOfUse { version accepted } }")["termsOfUse"]
        if not terms["accepted"]:
            ok(client, "mutation($v: String!) { acceptTerms(version: $v) { accepted } }", {"v": terms["version"]})
        dossier = complete(client, "TEA")
        submitted = ok(client, SUBMIT, {"id": dossier["id"], "version": dossier["version"]})["submitDossier"]
    finally:
        client.close()
    assert submitted["status"] == "SUBMITTED"
    return {**dossier, **submitted}


def people_of(browser: Browser) -> Iterator[Callable[..., Page]]:
    """For a `people` fixture: `people()` opens one browser context per person, `people(beside=page)` another tab of
    that person; every page fails the test on a JavaScript error."""
    contexts = []
    errors: list[str] = []

    def open_page(beside: Page | None = None) -> Page:
        if beside is None:
            context = browser.new_context(locale="fr-FR")
            contexts.append(context)
        else:
            context = beside.context
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.set_default_timeout(15000)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def search_dashboard(page: Page, reference: str) -> None:
    page.get_by_label("Rechercher un dossier").fill(reference)
    page.get_by_role("button", name="Rechercher", exact=True).click()


def tab(page: Page, label: str):
    return page.get_by_role("tab", name=re.compile(f"^{label}"))


def rows(page: Page, reference: str):
    return page.locator("#tableau-dossiers tbody tr", has_text=reference)


def open_dossier(page: Page, live_server, dossier: dict) -> None:
    page.goto(live_server.url + f"/dossiers/{dossier['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dossier {dossier['reference']}")
    expect(page.locator("#historique-liste")).to_be_visible()


def history_entry(page: Page, text: str):
    return page.locator("#historique-liste li", has_text=text)
