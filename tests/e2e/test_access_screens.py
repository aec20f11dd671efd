"""Accounts and rights, in a real browser: choosing the operator one acts for, the CGU, the SOPRANO entry, managing
habilitations and mandates as an administrator, and API tokens that a real GraphQL client then uses.

The test database is shared by the whole session: what a test grants or creates, it takes back, and it works on
fresh users or unique names wherever it changes something.
"""

from __future__ import annotations

import random
import re

import pytest
from gql import Client, gql
from gql.transport.exceptions import TransportQueryError, TransportServerError
from gql.transport.httpx import HTTPXTransport
from playwright.sync_api import Page, expect

from backend.identity.identifiers import IdentifierError, validate_siret
from tests.conftest import set_provider_user, unique_sub

pytestmark = pytest.mark.browser

MARIE = "marie.durand@ateliers-durand.fr"  # administrator of Ateliers Durand
PAUL = "paul.lefevre@ateliers-durand.fr"  # collaborator of Ateliers Durand, right « consulter »
LUCIE = "lucie.martin@transitaire-martin.fr"  # customs representative of three operators
JEAN = "jean.petit@exemple.fr"  # private person
DURAND_SIRET = "55210055400013"


def log_in(page: Page, live_server, sub: str, path: str = "/") -> None:
    """Open `path`, click « Se connecter » (the page's own link when it offers one), pick `sub` at the provider."""
    page.goto(live_server.url + path)
    in_header = page.get_by_role("banner").get_by_role("link", name="Se connecter")
    expect(in_header).to_be_visible()  # the page has rendered for a visitor
    in_main = page.get_by_role("main").get_by_role("link", name="Se connecter")
    (in_main if in_main.count() else in_header).click()
    predefined = page.locator(f"button[value='{sub}']")
    if predefined.count():
        predefined.click()
    else:  # a user created by the test: typed in, as the provider's page allows
        page.locator("input[name='sub']").fill(sub)
        page.get_by_role("button", name="Se connecter", exact=True).click()
    expect(page.locator("#compte")).to_be_visible()


def expect_form_errors(page: Page, summary_id: str, errors: dict[str, str]) -> None:
    """Every error at once: each message next to its field (`{field id: message}`, in the form's order), and the
    summary above the form listing them all in that order."""
    for field_id, message in errors.items():
        expect(page.locator(f"#{field_id}-message-error")).to_have_text(message)
        expect(page.locator(f"#{field_id}")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#{summary_id} p, #{summary_id} li")).to_have_text(list(errors.values()))


def tick(scope, label: str) -> None:
    """Tick a DSFR checkbox or radio as a person does: by its label (the DSFR draws the box over the input)."""
    scope.locator("label", has_text=label).click()
    expect(scope.get_by_label(label)).to_be_checked()


def accept_terms_if_asked(page: Page) -> None:
    heading = page.get_by_role("main").get_by_role("heading", level=1)
    expect(heading).to_be_visible()
    if "Conditions générales" in heading.inner_text():
        tick(page, "J'ai lu et j'accepte les conditions générales d'utilisation")
        page.get_by_role("button", name="Accepter et continuer").click()
        expect(heading).not_to_contain_text("Conditions générales")


def log_in_once_elsewhere(browser, live_server, sub: str) -> None:
    """A first login in another browser, so that the portal knows the person."""
    context = browser.new_context(locale="fr-FR")
    try:
        log_in(context.new_page(), live_server, sub)
    finally:
        context.close()


def fresh_siret() -> str:
    """A SIRET nobody uses yet that the portal accepts (its own check keys, SIREN's and SIRET's)."""
    while True:
        candidate = "9" + "".join(random.choices("0123456789", k=13))
        try:
            return validate_siret(candidate)
        except IdentifierError:
            continue


def test_representative_accepts_terms_chooses_verrerie_and_header_shows_it(live_server, page):
    log_in(page, live_server, LUCIE, "/operateur")
    expect(page).to_have_url(re.compile(r"/operateur$"))
    accept_terms_if_asked(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choisir l'opérateur représenté")
    choices = page.get_by_role("group", name="Opérateur pour lequel vous agissez")
    expect(choices.get_by_role("radio")).to_have_count(4)  # her own operator and the three she represents
    expect(choices).to_contain_text("opérateur représenté")
    expect(choices).to_contain_text("mandat de représentation partielle")

    tick(choices, "Verrerie de Provence")
    page.get_by_role("button", name="Continuer").click()
    expect(
        page.get_by_text("Confirmer : vous allez agir pour Verrerie de Provence (SIRET 812 345 676 00017)")
    ).to_be_visible()
    page.get_by_role("button", name="Confirmer", exact=True).click()

    expect(page.locator("#operateur-choisi")).to_contain_text("Vous agissez désormais pour Verrerie de Provence")
    header = page.get_by_role("banner")
    expect(header.locator("#operateur-actif")).to_contain_text("Verrerie de Provence – SIRET 812 345 676 00017")
    expect(header.get_by_role("link", name="Changer d'opérateur")).to_have_attribute("href", "/operateur")

    # The choice belongs to the session: a new page load still acts for Verrerie de Provence.
    page.goto(live_server.url + "/soprano")
    expect(page.locator("#agit-pour")).to_contain_text("Vous agissez pour Verrerie de Provence")
    expect(page.get_by_role("link", name="Choisir l'opérateur représenté")).to_be_visible()
    expect(page.get_by_role("heading", name="Mes dossiers")).to_be_visible()
    expect(page.locator("#tableau-de-bord")).to_be_visible()  # her dossiers (for Verrerie: a partial mandate)
    expect(page.get_by_role("link", name="Déposer un nouveau dossier")).to_have_attribute(
        "href", "/dossiers/nouveau"
    )


def test_cancelling_the_confirmation_keeps_the_current_operator(live_server, page):
    log_in(page, live_server, LUCIE, "/operateur")
    accept_terms_if_asked(page)
    before = page.locator("#operateur-actif").all_inner_texts()
    tick(page, "Chocolaterie du Nord")
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("button", name="Annuler").click()
    expect(page.get_by_label("Chocolaterie du Nord")).to_be_checked()
    assert page.locator("#operateur-actif").all_inner_texts() == before


def test_mobile_menu_shows_the_operator_chosen_without_a_page_load(live_server, page):
    log_in(page, live_server, LUCIE, "/operateur")
    accept_terms_if_asked(page)
    page.set_viewport_size({"width": 390, "height": 800})
    tick(page, "Ateliers Durand SA")
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("button", name="Confirmer", exact=True).click()
    expect(page.locator("#operateur-choisi")).to_be_visible()
    # The header (menu included) is drawn anew for the new operator: open the menu once it is there.
    expect(page.locator("#operateur-actif-mobile")).to_contain_text("Ateliers Durand SA", timeout=10_000)

    page.get_by_role("button", name="Menu").click()
    menu = page.get_by_role("dialog")
    expect(menu).to_contain_text("Ateliers Durand SA")
    expect(menu.get_by_role("link", name="Changer d'opérateur")).to_be_visible()
    expect(menu.get_by_role("button", name="Se déconnecter")).to_be_visible()
    # Nothing is wider than the screen (tables scroll inside their own box).
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_admin_grants_prepare_to_a_new_collaborator_sees_it_then_revokes_it(live_server, provider, browser, page):
    sub = unique_sub("collegue")
    name = f"Camille Essai {sub[9:15]}"
    set_provider_user(provider, sub, {"name": name, "siret": DURAND_SIRET})
    log_in_once_elsewhere(browser, live_server, sub)

    log_in(page, live_server, MARIE, "/habilitations")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gestion des habilitations")
    expect(page.locator("#operateur-gere")).to_contain_text("Ateliers Durand SA")
    form = page.get_by_role("form", name="Habiliter une personne")
    form.get_by_label("Adresse électronique").fill(sub)
    form.get_by_label("Droit sur SOPRANO").select_option(label="préparer")
    form.get_by_role("button", name="Habiliter").click()
    expect(page.locator("#habiliter-succes")).to_contain_text(f"{name} est habilité(e) à préparer")
    expect(form.get_by_label("Adresse électronique")).to_have_value("")

    row = page.locator("#table-habilitations tbody tr", has_text=sub)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(name)
    expect(row).to_contain_text("préparer")
    expect(row).to_contain_text("Marie Durand")  # granted by
    expect(page.locator("#table-journal")).to_contain_text("Habilitation donnée")

    row.get_by_role("button", name="Retirer").click()
    expect(row).to_contain_text(f"Retirer l'habilitation de {name} (préparer) ?")
    row.get_by_role("button", name="Confirmer le retrait").click()
    expect(page.locator("#habilitations-message")).to_contain_text(f"Habilitation de {name} retirée")
    expect(page.locator("#table-habilitations tbody tr", has_text=sub)).to_have_count(0)
    expect(page.locator("#table-journal tbody tr", has_text="Habilitation retirée").first).to_contain_text(name)


def test_grant_to_unknown_email_shows_the_french_error_next_to_the_field_and_keeps_the_input(live_server, page):
    log_in(page, live_server, MARIE, "/habilitations")
    form = page.get_by_role("form", name="Habiliter une personne")
    # A bad e-mail, a bad SIRET and no right: every error at once, each next to its field, listed in the form's order.
    form.get_by_label("Adresse électronique").fill("personne.inconnue@")
    form.get_by_label("SIRET de son opérateur").fill("123")
    form.get_by_role("button", name="Habiliter").click()
    expect_form_errors(
        page,
        "habiliter-erreurs",
        {
            "habiliter-email": "L'adresse électronique n'est pas valide : format attendu nom@domaine.fr.",
            "habiliter-siret": "Le SIRET doit comporter 14 chiffres.",
            "habiliter-droit": "Choisissez le droit à donner.",
        },
    )

    typed = "personne.inconnue@exemple.fr"
    form.get_by_label("Adresse électronique").fill(typed)
    form.get_by_label("SIRET de son opérateur").fill("")
    form.get_by_label("Droit sur SOPRANO").select_option(label="consulter")
    form.get_by_role("button", name="Habiliter").click()

    message = "Aucun compte professionnel ne correspond : la personne doit s'être connectée une fois au portail."
    expect(page.locator("#habiliter-email-message-error")).to_have_text(message)
    expect(page.locator("#habiliter-siret-message-error")).to_have_count(0)
    expect(page.get_by_role("alert")).to_contain_text(message)
    email = form.get_by_label("Adresse électronique")
    expect(email).to_have_value(typed)
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_label("Droit sur SOPRANO")).to_have_value("CONSULT")


def test_last_administrator_cannot_be_removed_and_the_api_message_is_shown(live_server, page):
    log_in(page, live_server, MARIE, "/habilitations")
    row = page.locator("#table-collaborateurs tbody tr", has_text="Marie Durand")
    expect(row).to_contain_text("administrateur")
    row.get_by_role("button", name="Retirer l'administration").click()
    expect(page.locator("#collaborateurs-message")).to_have_text(
        "Impossible de retirer le dernier administrateur de l'opérateur."
    )
    expect(row.get_by_role("button", name="Retirer l'administration")).to_be_visible()


def test_admin_gives_a_mandate_to_a_representative_then_ends_it(live_server, provider, browser, page):
    siret = fresh_siret()
    sub = unique_sub("transitaire")
    set_provider_user(provider, sub, {"name": "Représentant Essai", "siret": siret})
    log_in_once_elsewhere(browser, live_server, sub)  # the portal now knows the representative's operator

    log_in(page, live_server, MARIE, "/habilitations")
    form = page.get_by_role("form", name="Donner un mandat de représentation")
    form.get_by_label("SIRET du représentant en douane").fill("55210055400014")
    form.get_by_role("button", name="Donner le mandat").click()
    expect(page.locator("#mandat-siret-message-error")).to_contain_text("clé de contrôle")

    form.get_by_label("SIRET du représentant en douane").fill(siret)
    tick(form, "Partielle")
    form.get_by_label("Fin du mandat").fill("2030-12-31")
    form.get_by_role("button", name="Donner le mandat").click()
    expect(page.locator("#mandat-succes")).to_contain_text(f"Mandat donné à Établissement {siret}")
    row = page.locator("#table-representants tbody tr", has_text=f"Établissement {siret}")
    expect(row).to_contain_text("partielle")
    expect(row).to_contain_text("31/12/2030")
    expect(row).to_contain_text("en cours")

    row.get_by_role("button", name="Mettre fin").click()
    row.get_by_role("button", name="Confirmer la fin du mandat").click()
    expect(page.locator("#representants-message")).to_contain_text("terminé")
    expect(page.locator("#table-representants tbody tr", has_text=f"Établissement {siret}")).to_have_count(0)
    expect(page.locator("#table-journal")).to_contain_text("Fin d'un mandat de représentation")


def test_collaborator_without_admin_right_reads_the_api_refusal_on_habilitations(live_server, page):
    log_in(page, live_server, PAUL, "/habilitations")
    expect(page.get_by_role("alert")).to_contain_text(
        "Seuls les administrateurs de l'opérateur peuvent gérer ses habilitations."
    )
    expect(page.locator("#table-habilitations")).to_have_count(0)


def test_token_created_on_jetons_works_for_a_graphql_client_until_revoked_in_the_ui(live_server, page):
    log_in(page, live_server, PAUL, "/jetons")
    accept_terms_if_asked(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes jetons d'accès API")
    form = page.get_by_role("form", name="Créer un jeton")
    # Paul may only consult Ateliers Durand: his token cannot ask for more.
    expect(form.get_by_label("Droit du jeton").locator("option")).to_have_text(["consulter"])
    expect(form.get_by_label("Durée de validité (en jours)")).to_have_value("90")
    form.get_by_role("button", name="Créer le jeton").click()  # no name: the API refuses, in French
    expect(page.get_by_role("alert")).to_contain_text("Donnez un nom au jeton")
    # … and names the field at fault: the message is next to it.
    expect(page.locator("#jeton-nom-message-error")).to_contain_text("Donnez un nom au jeton")
    expect(form.get_by_label("Nom du jeton")).to_have_attribute("aria-invalid", "true")
    token_name = f"Logiciel essai {random.randint(1000, 9999)}"
    form.get_by_label("Nom du jeton").fill(token_name)
    form.get_by_role("button", name="Créer le jeton").click()

    expect(page.get_by_text("Copiez ce jeton maintenant : il ne sera plus affiché.")).to_be_visible()
    token = page.locator("#jeton-cree").inner_text().strip()
    assert token.startswith("sop_")
    expect(page.locator("#jeton-exemple")).to_contain_text(f"Authorization: Bearer {token}")
    row = page.locator("#table-jetons tbody tr", has_text=token_name)
    expect(row).to_contain_text(f"{token[:10]}…")
    expect(row).to_contain_text("Ateliers Durand SA")
    expect(row).to_contain_text("actif")

    statuses: list[int] = []
    transport = HTTPXTransport(
        url=live_server.url + "/graphql",
        headers={"Authorization": "Bearer " + token},
        event_hooks={"response": [lambda response: statuses.append(response.status_code)]},
    )
    with Client(transport=transport) as session:
        assert session.execute(gql("{ me { name } }")) == {"me": {"name": "Paul Lefèvre"}}

        row.get_by_role("button", name="Révoquer").click()
        row.get_by_role("button", name="Confirmer la révocation").click()
        expect(row).to_contain_text("révoqué")
        expect(row.get_by_role("button", name="Révoquer")).to_have_count(0)

        with pytest.raises((TransportQueryError, TransportServerError)):
            session.execute(gql("{ me { name } }"))
    assert statuses[-1] == 401

    # Reloading the page never shows the token's value again.
    page.reload()
    expect(page.locator("#table-jetons tbody tr", has_text=token_name)).to_contain_text("révoqué")
    assert token not in page.content()


def test_private_person_is_invited_to_log_in_then_told_soprano_is_for_professionals(live_server, page):
    page.goto(live_server.url + "/soprano")
    login_link = page.get_by_role("main").get_by_role("link", name="Se connecter")
    expect(login_link).to_have_attribute("href", "/auth/login?next=/soprano")
    log_in(page, live_server, JEAN, "/soprano")
    expect(page).to_have_url(re.compile(r"/soprano$"))
    expect(page.get_by_role("alert")).to_have_text("Cette fonction est réservée aux comptes professionnels.")
    assert "réservée aux comptes professionnels" in page.get_by_role("main").inner_text()


def test_home_soprano_card_leads_to_the_soprano_page(live_server, page):
    log_in(page, live_server, MARIE, "/")
    page.get_by_role("link", name="SOPRANO – Régimes particuliers").click()
    expect(page).to_have_url(re.compile(r"/soprano$"))
    accept_terms_if_asked(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("SOPRANO")
    expect(page.locator("#agit-pour")).to_contain_text("Ateliers Durand SA")
    expect(page.get_by_role("link", name="Gestion des habilitations")).to_have_attribute("href", "/habilitations")
    expect(page.get_by_role("link", name="Mes jetons d'accès API")).to_have_attribute("href", "/jetons")
