"""Issue 10, in a real browser: the dashboard keeps its tab, filters, search, sort and « Afficher plus » in the address
bar, so a reload, a shared link and Back show the same list; a hand-edited link with unknown values still opens. And
at 1,024 px nothing is cut: the dossiers tables (the operator's and the officer's) wrap their cells, the editor's six tabs wrap to a second row."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.live_support import search_dashboard, tab
from tests.e2e.test_access_screens import accept_terms_if_asked, log_in, tick
from tests.processing_support import CREATE, DEMO_OFFICE, People, bring_to, filed, ok

pytestmark = pytest.mark.browser


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_reload_shared_link_and_back_keep_the_dashboards_tab_filters_and_rows(
    live_server, provider, page, browser
):
    people = People(live_server, provider)
    try:
        company = people.company()
        drafts = [ok(company.admin, CREATE, {"procedure": "TEA"})["createDossier"] for _ in range(21)]
        ok(company.admin, CREATE, {"procedure": "EUS"})
        waiting = filed(company.admin, "TEA")

        log_in(page, live_server, company.admin_sub, "/soprano")
        accept_terms_if_asked(page)
        listed = page.locator("#tableau-dossiers tbody tr")
        expect(listed).to_have_count(20)
        assert urlsplit(page.url).query == "", "the default view keeps a plain address"

        # « Afficher plus », then a reload: the 22 rows are back.
        page.get_by_role("button", name="Afficher plus").click()
        expect(listed).to_have_count(22)
        expect(page).to_have_url(re.compile(r"nombre=22"))
        page.reload()
        expect(listed).to_have_count(22)

        # Tab, procedure, sort and a ticked status: all in the address; a reload restores each.
        tab(page, "En attente").click()
        expect(listed).to_have_count(1)
        tick(page.get_by_role("group", name=re.compile("Statut du dossier")), "déposé")
        page.get_by_label("Régime").select_option(label="Admission temporaire")
        page.get_by_label("Trier").select_option(label="Par référence")
        expect(page).to_have_url(re.compile(r"tri=REFERENCE"))
        assert query(page) == {
            "onglet": ["en-attente"],
            "statut": ["SUBMITTED"],
            "regime": ["TEA"],
            "tri": ["REFERENCE"],
        }, page.url
        page.reload()
        expect(tab(page, "En attente")).to_have_attribute("aria-selected", "true")
        expect(page.get_by_label("Régime")).to_have_value("TEA")
        expect(page.get_by_label("Trier")).to_have_value("REFERENCE")
        expect(page.get_by_role("checkbox", name="déposé")).to_be_checked()
        expect(listed).to_have_count(1)
        expect(listed.first).to_contain_text(waiting["reference"])

        # A search, then a dossier opened and Back: the same search, the same single row.
        tab(page, "À traiter").click()
        expect(page).to_have_url(re.compile(r"^[^?]*(\?(?!.*onglet=en-attente).*)?$"))
        search_dashboard(page, drafts[3]["reference"])
        expect(listed).to_have_count(1)
        expect(page).to_have_url(re.compile("q=" + drafts[3]["reference"]))
        listed.first.get_by_role("link").click()
        expect(page).to_have_url(re.compile(r"/dossiers/"))
        page.go_back()
        expect(page.get_by_label("Rechercher un dossier")).to_have_value(drafts[3]["reference"])
        expect(listed).to_have_count(1)
        expect(listed.first).to_contain_text(drafts[3]["reference"])

        # The link shared with a colleague of the same operator opens the same view.
        shared = page.url
        other = browser.new_page()
        try:
            log_in(other, live_server, company.admin_sub, urlsplit(shared).path + "?" + urlsplit(shared).query)
            expect(other.locator("#tableau-dossiers tbody tr")).to_have_count(1)
            expect(other.get_by_label("Rechercher un dossier")).to_have_value(drafts[3]["reference"])
        finally:
            other.close()

        # A hand-edited link: unknown tab, status, sort and count are dropped, the dashboard still answers.
        page.goto(f"{live_server.url}/soprano?onglet=nulle-part&statut=PAS_UN_STATUT&tri=nimporte&nombre=abc")
        expect(tab(page, "À traiter")).to_have_attribute("aria-selected", "true")
        expect(listed).to_have_count(20)
        expect(page.get_by_role("alert")).to_have_count(0)
        expect(page).to_have_url(f"{live_server.url}/soprano")
    finally:
        people.close()


@pytest.fixture
def people(live_server, provider):
    """Companies and their administrators, made over HTTP and closed after the test."""
    made = People(live_server, provider)
    yield made
    made.close()


def at_1024_px(page: Page, live_server, sub: str, path: str) -> None:
    page.set_viewport_size({"width": 1024, "height": 800})
    log_in(page, live_server, sub, path)
    accept_terms_if_asked(page)


def test_the_dashboard_fits_a_1024_px_screen_without_cutting_a_column(live_server, people, page):
    """At 1,024 px the dossiers' table wraps its cells inside its box: nothing to scroll sideways, nothing cut."""
    company = people.company()
    filed(company.admin, "TEA")  # a deadline (« Délai d'acceptation de la demande ») in the widest column
    ok(company.admin, CREATE, {"procedure": "IPO"})
    at_1024_px(page, live_server, company.admin_sub, "/soprano?onglet=tous")
    expect(page.locator("#tableau-dossiers tbody tr")).to_have_count(2)
    widths = page.evaluate(
        """() => { const box = document.querySelector('#tableau-dossiers .fr-table__container');
          const link = document.querySelector('#tableau-dossiers tbody a');
          const lines = link.getBoundingClientRect().height / parseFloat(getComputedStyle(link).lineHeight);
          return {table: box.scrollWidth, box: box.clientWidth, page: document.documentElement.scrollWidth,
                  linkLines: Math.round(lines)}; }"""
    )
    assert widths["table"] <= widths["box"], widths
    assert widths["page"] <= 1024, widths
    assert widths["linkLines"] == 1, "a reference stays on one line"


def test_the_customs_table_with_its_action_column_fits_a_1024_px_screen(live_server, people, page):
    """The officer's table has a seventh column (« Action »: « Prendre en charge »): with the longest statuses and
    deadlines in it, it wraps inside its box too, with room to spare."""
    company = people.company()
    filed(company.admin, "IPO")  # filed at the demo office, which Claire's belongs to
    officer = people.officer(DEMO_OFFICE)
    for status in ("COMPLEMENT_REQUESTED", "ACCEPTED", "HEARING"):  # the longest statuses and deadlines
        bring_to(status, company.admin, officer)
    at_1024_px(page, live_server, "claire.bernard@douane.gouv.fr", "/douane?onglet=tous")
    rows = page.locator("#tableau-dossiers tbody tr")
    expect(rows.first).to_be_visible()
    expect(page.locator("#tableau-dossiers thead th")).to_have_count(7)
    expect(
        page.locator("#tableau-dossiers tbody").get_by_role("button", name=re.compile("Prendre en charge")).first
    ).to_be_visible()
    widths = page.evaluate(
        """() => { const box = document.querySelector('#tableau-dossiers .fr-table__container');
          const last = document.querySelector('#tableau-dossiers thead th:last-child').getBoundingClientRect();
          return {table: box.scrollWidth, box: box.clientWidth, page: document.documentElement.scrollWidth,
                  lastRight: last.right, boxRight: box.getBoundingClientRect().right,
                  cells: [...document.querySelectorAll('#tableau-dossiers th, #tableau-dossiers td')].map(
                    c => [Math.round(c.getBoundingClientRect().width), c.innerText.slice(0, 60)])}; }"""
    )
    # Room to spare: the narrowest the table can get (every cell at its longest word) leaves 40 px of the box free,
    # so a reference with wider digits or a longer operator's word still fits.
    narrowest = page.evaluate(
        """() => { const t = document.querySelector('#tableau-dossiers table'); t.style.width = 'min-content';
          const w = t.getBoundingClientRect().width; t.style.width = ''; return w; }"""
    )
    assert narrowest <= widths["box"] - 40, (narrowest, widths)
    assert widths["table"] <= widths["box"], widths
    assert widths["page"] <= 1024, widths
    assert widths["lastRight"] <= widths["boxRight"] + 0.5, "the « Action » column is inside the box"


def test_the_editors_six_tabs_are_all_visible_at_1024_px(live_server, people, page):
    """The sixth rubrique (« Données spécifiques – … ») wraps to a second row instead of being cut off."""
    company = people.company()
    dossier = ok(company.admin, CREATE, {"procedure": "TEA"})["createDossier"]
    at_1024_px(page, live_server, company.admin_sub, f"/dossiers/{dossier['id']}")
    tabs = page.get_by_role("tablist").first.get_by_role("tab")
    expect(tabs).to_have_count(6)
    box = page.get_by_role("tablist").first.bounding_box()
    for index in range(6):
        tab_box = tabs.nth(index).bounding_box()
        assert tab_box["x"] >= box["x"] and tab_box["x"] + tab_box["width"] <= box["x"] + box["width"] + 0.5
