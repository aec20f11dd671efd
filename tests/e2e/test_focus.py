"""Issue 10, in a real browser (RGAA): after each step of « Déposer un nouveau dossier » and after « Sauvegarder »,
the keyboard focus is on what changed — the next step's title, the error, the confirmation — never left on
`<body>`."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_access_screens import accept_terms_if_asked, log_in, tick
from tests.e2e.test_dossier_screens import SOPHIE, open_tab

pytestmark = pytest.mark.browser


def test_each_step_of_a_new_dossier_and_each_save_puts_the_focus_on_what_changed(page: Page, live_server) -> None:
    log_in(page, live_server, SOPHIE, "/dossiers/nouveau")
    accept_terms_if_asked(page)
    expect(page.get_by_text("Étape 1 sur 2")).to_be_visible()

    # « Continuer » with no type chosen: the focus goes to the field the error is next to.
    page.get_by_role("button", name="Continuer").click()
    expect(page.locator("#type-autorisation-message-error")).to_contain_text("Choisissez le type")
    expect(page.locator("#type-autorisation")).to_be_focused()

    # A type chosen: the focus goes to the title of step 2.
    page.get_by_label("Type d'autorisation").select_option(label="Régime particulier")
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_text("Étape 2 sur 2")).to_be_visible()
    expect(page.locator("#etape-titre")).to_be_focused()

    # « Continuer » with no procedure chosen: the focus goes to the error itself.
    page.get_by_role("button", name="Continuer").click()
    error = page.locator("#regime-message-error")
    expect(error).to_have_text("Choisissez le régime particulier demandé.")
    expect(error).to_be_focused()

    # The dossier created opens in place: the focus goes to its confirmation.
    tick(page.get_by_role("group", name="Régime particulier demandé"), "Destination particulière")
    page.get_by_role("button", name="Continuer").click()
    message = page.locator("#dossier-message")
    expect(message).to_contain_text("créé : complétez-le")
    expect(message).to_be_focused()

    # « Sauvegarder » (disabled while it works): the focus goes to « Dossier sauvegardé », not to <body>.
    open_tab(page, "Demandeur")
    page.locator("#champ-applicant-contactName").fill("Sophie Moreau-Lefèvre")
    page.get_by_role("button", name="Sauvegarder").click()
    expect(message).to_contain_text("Dossier sauvegardé (version 2)")
    expect(message).to_be_focused()
    assert page.evaluate("document.activeElement.id") == "dossier-message"


def test_tab_goes_from_field_to_field_and_shows_the_help_of_the_field_it_reaches(
    page: Page, live_server, provider
) -> None:
    from tests.e2e.test_dossier_screens import create_dossier_by_api

    dossier = create_dossier_by_api(live_server, provider, SOPHIE, "EUS")
    log_in(page, live_server, SOPHIE, f"/dossiers/{dossier['id']}")
    accept_terms_if_asked(page)
    open_tab(page, "Demandeur")
    # Clicked with the mouse: the help stays closed until « Aide » is clicked.
    page.locator("#champ-applicant-contactName").click()
    expect(page.locator("#champ-applicant-contactName-aide")).to_be_hidden()
    # Tab: the next stop is the next field, not its « Aide » button, and that field's help shows.
    page.keyboard.press("Tab")
    expect(page.locator("#champ-applicant-contactPhone")).to_be_focused()
    expect(page.locator("#champ-applicant-contactPhone-aide")).to_be_visible()
    expect(page.locator("#champ-applicant-contactName-aide")).to_be_hidden()
    # The help is read with the field, open or not.
    expect(page.locator("#champ-applicant-contactPhone")).to_have_attribute(
        "aria-describedby", "champ-applicant-contactPhone-messages champ-applicant-contactPhone-aide"
    )
    page.keyboard.press("Tab")
    expect(page.locator("#champ-applicant-contactEmail")).to_be_focused()
