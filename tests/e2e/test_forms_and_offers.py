"""Issue 10, in a real browser: what the home page and the customs workspace say (formatted SIRET, an empty
office's list that says there is no dossier rather than blaming criteria nobody set), a French postcode that
« Contrôler » checks, and forms (mandate, token) that show every error at once."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import set_provider_user, unique_sub
from tests.e2e.live_support import search_dashboard, tab
from tests.e2e.test_access_screens import MARIE, accept_terms_if_asked, expect_form_errors, log_in
from tests.e2e.test_dossier_screens import SOPHIE, create_dossier_by_api, open_tab

pytestmark = pytest.mark.browser


def test_home_page_shows_the_operators_siret_grouped_as_the_header_does(page: Page, live_server) -> None:
    log_in(page, live_server, MARIE)
    accept_terms_if_asked(page)
    page.goto(live_server.url + "/")
    lead = page.get_by_role("main").locator("p.fr-text--lead")
    expect(lead).to_contain_text("SIRET 552 100 554 00013")
    expect(lead).not_to_contain_text("55210055400013")


def test_an_empty_office_says_it_has_no_dossier_and_blames_criteria_only_once_some_are_set(
    page: Page, live_server, provider
) -> None:
    # An officer of an office of their own: the demo offices receive the dossiers other tests file.
    officer = unique_sub("agent")
    office = "FR9" + uuid.uuid4().hex[:5].upper()
    set_provider_user(provider, officer, {"name": "Agent Essai", "customs_office": office})
    log_in(page, live_server, officer)
    accept_terms_if_asked(page)
    page.goto(live_server.url + "/douane")
    empty = page.locator("#tableau-de-bord .portal-empty")
    expect(empty).to_have_text("Aucun dossier dans cet onglet pour le moment.")
    tab(page, "Tous les dossiers").click()
    expect(empty).to_have_text("Votre bureau n'a encore aucun dossier.")
    search_dashboard(page, "INTROUVABLE-XYZ")
    expect(empty).to_have_text("Aucun dossier ne correspond à ces critères.")


def test_controler_refuses_a_french_postcode_that_is_not_five_digits_next_to_the_field(
    page: Page, live_server, provider
) -> None:
    dossier = create_dossier_by_api(live_server, provider, SOPHIE, "TEA")
    log_in(page, live_server, SOPHIE, f"/dossiers/{dossier['id']}")
    accept_terms_if_asked(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dossier {dossier['reference']}")
    open_tab(page, "Demandeur")
    page.locator("#champ-applicant-postcode").fill("ABCDE")
    page.get_by_role("button", name="Contrôler").click()
    expect(page.locator("#champ-applicant-postcode-message-error")).to_contain_text("5 chiffres")
    expect(page.locator("#points-a-corriger")).to_contain_text("5 chiffres")


def test_the_mandate_form_shows_every_error_at_once_next_to_its_field(page: Page, live_server) -> None:
    log_in(page, live_server, MARIE, "/habilitations")
    accept_terms_if_asked(page)
    form = page.get_by_role("form", name="Donner un mandat de représentation")
    form.get_by_label("SIRET du représentant en douane").fill("123")
    form.get_by_label("Début du mandat").fill("")
    form.get_by_role("button", name="Donner le mandat").click()
    expect_form_errors(
        page,
        "mandat-erreurs",
        {
            "mandat-siret": "Le SIRET doit comporter 14 chiffres.",
            "mandat-debut": "Indiquez la date de début du mandat.",
        },
    )
    expect(form.get_by_label("SIRET du représentant en douane")).to_have_value("123")  # nothing typed is lost


def test_the_token_form_shows_every_error_at_once_next_to_its_field(page: Page, live_server) -> None:
    log_in(page, live_server, MARIE, "/jetons")
    accept_terms_if_asked(page)
    form = page.get_by_role("form", name="Créer un jeton")
    form.get_by_label("Durée de validité (en jours)").fill("")
    form.get_by_role("button", name="Créer le jeton").click()
    expect_form_errors(
        page,
        "jeton-erreurs",
        {
            "jeton-nom": "Donnez un nom au jeton (par exemple le logiciel qui l'utilisera).",
            "jeton-duree": "Indiquez la durée de validité en jours (un nombre entier).",
        },
    )

    form.get_by_label("Nom du jeton").fill("Logiciel de gestion")
    form.get_by_label("Durée de validité (en jours)").fill("400")
    form.get_by_role("button", name="Créer le jeton").click()
    expect(page.locator("#jeton-duree-message-error")).to_contain_text("entre 1 et 366 jours")
    expect(page.locator("#jeton-nom-message-error")).to_have_count(0)
    expect(form.get_by_label("Nom du jeton")).to_have_value("Logiciel de gestion")
