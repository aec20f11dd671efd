"""« Mes autorisations » keeps its view in the address bar, in a real browser: Marie filters on « Suspendue » and
searches, and a reload, an authorisation opened then Back, each shows the same filters and the same rows; the days
filter and the sort come back too; a hand-edited link full of garbage opens the unfiltered list, without an error.

Ateliers Durand gets three authorisations of its own here (the test database has no demo dossiers): one in force for
two years, one ending within 90 days, one suspended. The database is shared by the session: other tests' authorisations
of Ateliers Durand may be listed too, so the rows are checked by reference, and counts against the API's."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from backend.clock import paris_today
from tests.e2e.live_support import CLAIRE
from tests.e2e.test_access_screens import MARIE, accept_terms_if_asked, log_in
from tests.processing_support import bring_to, grant, ok

pytestmark = pytest.mark.browser

ASK_SUSPENSION = """
mutation($id: ID!, $reason: String!) {
  askCustomsAboutAuthorization(id: $id, kind: SUSPEND, reason: $reason) { id }
}"""
SUSPEND = "mutation($input: SuspendAuthorizationInput!) { suspendAuthorization(input: $input) { id state } }"
COUNT = """
query($states: [AuthorizationState!], $search: String, $days: Int) {
  authorizations(states: $states, search: $search, expiresWithinDays: $days, first: 1) { totalCount }
}"""


@dataclass(frozen=True)
class Issued:
    id: str
    reference: str


@dataclass(frozen=True)
class Durand:
    active: Issued  # in force for two years
    ending: Issued  # ends within 90 days
    suspended: Issued


@pytest.fixture(scope="module")
def durand(people) -> Durand:
    """Marie's three authorisations, granted (and one suspended at her request) by Claire over HTTP."""
    marie, claire = people(MARIE), people(CLAIRE, accept=False)
    today = paris_today()

    def issued(days: int) -> Issued:
        dossier = bring_to("ACCEPTED", marie, claire)
        until = (today + dt.timedelta(days=days)).isoformat()
        made = grant(claire, dossier["id"], validUntil=until)["authorization"]
        return Issued(made["id"], made["reference"])

    active, ending, suspended = issued(730), issued(45), issued(1095)
    ok(marie, ASK_SUSPENSION, {"id": suspended.id, "reason": "Travaux dans l'atelier."})
    done = ok(
        claire,
        SUSPEND,
        {"input": {"authorizationId": suspended.id, "case": "HOLDER_REQUEST", "reason": "Demande du titulaire."}},
    )["suspendAuthorization"]
    assert done["state"] == "SUSPENDED", done
    return Durand(active, ending, suspended)


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def rows(page: Page):
    return page.locator("#tableau-autorisations tbody tr")


def references(page: Page) -> list[str]:
    return [text.strip() for text in rows(page).locator("td:first-child a").all_inner_texts()]


def count_of(people, **variables) -> int:
    return ok(people(MARIE), COUNT, variables)["authorizations"]["totalCount"]


def count_text(total: int) -> re.Pattern:
    return re.compile(rf"^{total} autorisations?\b")


def test_reload_back_and_a_garbage_link_keep_or_clean_the_lists_view(live_server, page, people, durand, tmp_path):
    log_in(page, live_server, MARIE, "/autorisations")
    accept_terms_if_asked(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes autorisations")
    expect(page.locator("#autorisations-compte")).to_have_text(count_text(count_of(people)))
    assert urlsplit(page.url).query == "", "the default view keeps a plain address"

    # « Suspendue »: in the address at once; the suspended one listed, the one in force not.
    page.locator("#filtre-etat").select_option(label="Suspendue")
    expect(page).to_have_url(re.compile(r"[?&]etat=SUSPENDED(&|$)"))
    expect(rows(page).filter(has_text=durand.suspended.reference)).to_have_count(1)
    expect(rows(page).filter(has_text=durand.active.reference)).to_have_count(0)

    # A search: applied by « Rechercher », then in the address too.
    page.locator("#recherche").fill(durand.suspended.reference)
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(page).to_have_url(re.compile("q=" + durand.suspended.reference))
    expect(rows(page)).to_have_count(1)
    assert query(page) == {"etat": ["SUSPENDED"], "q": [durand.suspended.reference]}, page.url
    filtered_url = page.url

    # A reload: the same filters shown, the same single row.
    page.reload()
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text(durand.suspended.reference)
    expect(rows(page).first).to_contain_text(re.compile("suspendue", re.I))
    expect(page.locator("#filtre-etat")).to_have_value("SUSPENDED")
    expect(page.locator("#recherche")).to_have_value(durand.suspended.reference)
    expect(page.locator("#autorisations-compte")).to_have_text(count_text(1))
    assert page.url == filtered_url
    page.screenshot(path=str(tmp_path / "liste-filtree-apres-rechargement.png"), full_page=True)

    # The authorisation opened, then Back: the same view.
    rows(page).first.get_by_role("link", name=durand.suspended.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Autorisation {durand.suspended.reference}")
    page.go_back()
    expect(page).to_have_url(filtered_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes autorisations")
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text(durand.suspended.reference)
    expect(page.locator("#filtre-etat")).to_have_value("SUSPENDED")
    expect(page.locator("#recherche")).to_have_value(durand.suspended.reference)

    # Every state, no search, « expire dans 90 jours » and another sort: all in the address, all back on reload.
    page.locator("#filtre-etat").select_option(label="Tous les états")
    page.locator("#recherche").fill("")
    page.locator("#expire-dans").fill("90")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]expire=90(&|$)"))
    page.locator("#tri").select_option(label="Référence")
    expect(page).to_have_url(re.compile(r"[?&]tri=REFERENCE(&|$)"))
    assert query(page) == {"expire": ["90"], "tri": ["REFERENCE"]}, page.url
    ending = count_of(people, days=90)
    expect(page.locator("#autorisations-compte")).to_have_text(count_text(ending))
    page.reload()
    expect(page.locator("#autorisations-compte")).to_have_text(count_text(ending))
    expect(page.locator("#expire-dans")).to_have_value("90")
    expect(page.locator("#tri")).to_have_value("REFERENCE")
    expect(rows(page).filter(has_text=durand.ending.reference)).to_have_count(1)
    expect(rows(page).filter(has_text=durand.active.reference)).to_have_count(0)
    shown = references(page)
    assert shown == sorted(shown), "sorted by reference"

    # A wrong number of days is still refused next to its field; the address keeps the view applied.
    page.locator("#expire-dans").fill("beaucoup")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(page.locator("#expire-dans-messages")).to_contain_text("Indiquez un nombre de jours entre 0 et 3650")
    assert query(page) == {"expire": ["90"], "tri": ["REFERENCE"]}, page.url

    # A hand-edited link: every unknown or malformed value dropped, the unfiltered list, no error.
    page.goto(
        f"{live_server.url}/autorisations?etat=suspendue&regime=XYZ&expire=99999&tri=nimporte&nombre=abc&page=2"
    )
    expect(page.locator("#autorisations-compte")).to_have_text(count_text(count_of(people)))
    expect(page.locator("#filtre-etat")).to_have_value("")
    expect(page.locator("#filtre-regime")).to_have_value("")
    expect(page.locator("#tri")).to_have_value("VALID_UNTIL")
    expect(page.locator("#expire-dans")).to_have_value("")
    expect(page.locator("#recherche")).to_have_value("")
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.locator("#autorisations-erreur")).to_have_count(0)
    expect(page).to_have_url(f"{live_server.url}/autorisations")
    # The nearest end of validity first: the one ending within 90 days is on the first page.
    expect(rows(page).filter(has_text=durand.ending.reference)).to_have_count(1)
