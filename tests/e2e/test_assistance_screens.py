"""Assistance in the browser: Sophie opens one of her operator's submitted dossiers, « Poser une question à la
douane », submits it empty (every mistake next to its field) then asks; Claire finds it in « Questions des
opérateurs » from her workspace, takes it and answers; Sophie's open page shows the answer live and she closes the
question. Paul gives a 4/5 on a page and is told the next day's rule on a second try; Nadia, the support, reads it in
/support with the average. A visitor reads the documentation of TEA; a private person is told where his help is.

The test database is shared by the whole session: each story finds its own rows by reference (or a unique page)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.accessibility import audit
from tests.e2e.live_support import CLAIRE, LIVE, SOPHIE, people_of, submitted_dossier
from tests.e2e.test_access_screens import JEAN, PAUL, accept_terms_if_asked, log_in, tick

pytestmark = pytest.mark.browser

NADIA = "nadia.roux@douane.gouv.fr"  # customs officer without an office: the portal's support


@pytest.fixture
def people(browser: Browser) -> Iterator[Callable[..., Page]]:
    yield from people_of(browser)


def assert_accessible(page: Page, where: str) -> None:
    blocking = audit(page)
    assert not blocking, f"axe-core, {where}: {blocking}"


def field_error(page: Page, element_id: str):
    return page.locator(f"#{element_id}-message-error")


def test_sophie_asks_about_a_dossier_claire_answers_live_and_sophie_closes(live_server, provider, people):
    dossier = submitted_dossier(live_server, provider)
    sophie, claire = people(), people()
    log_in(sophie, live_server, SOPHIE, f"/dossiers/{dossier['id']}")
    accept_terms_if_asked(sophie)
    expect(sophie.get_by_role("heading", level=1)).to_have_text(f"Dossier {dossier['reference']}")
    expect(sophie.locator("#documentation-regime")).to_have_attribute("href", "/assistance/documentation/TEA")

    sophie.get_by_role("link", name="Poser une question à la douane").click()
    expect(sophie.get_by_role("heading", level=1)).to_have_text("Poser une question à la douane")
    expect(sophie.locator("#question-dossier")).to_contain_text(dossier["reference"])
    expect(sophie.locator("#question-dossier")).to_contain_text("FR000690")
    sophie.get_by_role("button", name="Envoyer la question").click()
    problems = {
        "question-objet": "Indiquez l'objet de votre question.",
        "question-message": "Écrivez votre question.",
    }
    for element_id, message in problems.items():
        expect(field_error(sophie, element_id)).to_have_text(message)
        expect(sophie.locator(f"#{element_id}")).to_have_attribute("aria-invalid", "true")
    expect(sophie.locator("#question-erreurs p")).to_have_text(list(problems.values()))
    expect(sophie.get_by_label(re.compile("^Objet"))).to_be_focused()
    assert_accessible(sophie, "question refusée")
    sophie.get_by_label(re.compile("^Objet")).fill("Compensation à l'équivalent")
    sophie.get_by_label(re.compile("^Votre question")).fill("Puis-je utiliser des marchandises équivalentes ?")
    sophie.get_by_role("button", name="Envoyer la question").click()
    sophie.wait_for_url(re.compile(r"/assistance/demandes/\d+$"))
    heading = sophie.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^Demande AR-\d{4}-\d{6}$"))
    reference = heading.inner_text().removeprefix("Demande ")
    expect(sophie.locator("#demande-statut")).to_have_text("ouverte")
    expect(sophie.locator("#demande-dossier")).to_have_text(dossier["reference"])
    expect(sophie.locator("#fil-messages li")).to_have_count(1)
    assert_accessible(sophie, "question posée")

    # Claire: from her workspace to the office's questions, then the question.
    log_in(claire, live_server, CLAIRE, "/douane")
    expect(claire.locator("#onglet-declarations")).to_be_visible()
    expect(claire.locator("#onglet-support")).to_have_count(0)  # an officer, not the support
    claire.locator("#onglet-questions").click()
    expect(claire.get_by_role("heading", level=1)).to_have_text("Questions des opérateurs")
    claire.get_by_label("Rechercher une demande").fill(reference)
    claire.get_by_role("button", name="Rechercher", exact=True).click()
    row = claire.locator("#tableau-questions tbody tr", has_text=reference)
    expect(row).to_contain_text("Compensation à l'équivalent")
    expect(row).to_contain_text("Non prise en charge")
    expect(claire).to_have_url(re.compile(rf"/douane/questions\?q={reference}$"))
    assert_accessible(claire, "questions du bureau")
    row.get_by_role("link", name=reference).click()
    expect(claire.get_by_role("heading", level=1)).to_have_text(f"Demande {reference}")
    claire.get_by_role("button", name="Prendre en charge").click()
    expect(claire.locator("#demande-faits")).to_contain_text("Claire Bernard")
    expect(claire.get_by_role("button", name="Prendre en charge")).to_have_count(0)
    expect(sophie.locator("#demande-faits")).to_contain_text("Claire Bernard", timeout=LIVE * 4)
    claire.get_by_role("button", name="Envoyer la réponse").click()
    expect(field_error(claire, "message-demande")).to_be_visible()
    claire.get_by_label(re.compile("^Message")).fill("Oui, sous conditions (art. 223 du CDU).")
    claire.get_by_role("button", name="Envoyer la réponse").click()
    expect(claire.locator("#demande-statut")).to_have_text("répondue")
    assert_accessible(claire, "question répondue")

    # Sophie's page, open all along: the answer shows without a reload, marked as customs'.
    answer = sophie.locator("#fil-messages li", has_text="art. 223 du CDU")
    expect(answer).to_be_visible(timeout=LIVE * 4)
    expect(answer).to_have_attribute("data-from-customs", "true")
    expect(answer).to_contain_text("Réponse de la douane")
    expect(sophie.locator("#demande-statut")).to_have_text("répondue")
    expect(sophie.locator("#demande-direct")).to_contain_text("nouvelle réponse")
    assert_accessible(sophie, "réponse reçue en direct")

    # Her assistance home has it « À traiter »; her home page says an answer waits.
    home = people(beside=sophie)
    home.goto(live_server.url + "/")
    expect(home.locator("#a-traiter-assistance")).to_contain_text("vous attend")
    home.locator("#lien-reponses-assistance").click()
    expect(home.get_by_role("tab", name=re.compile("^À traiter"))).to_have_attribute("aria-selected", "true")
    home.get_by_label("Rechercher une demande").fill(reference)
    home.get_by_role("button", name="Rechercher", exact=True).click()
    expect(home.locator("#tableau-demandes tbody tr", has_text=reference)).to_contain_text("répondue")
    assert_accessible(home, "mes demandes")
    home.close()

    sophie.get_by_role("button", name="Clore la demande").click()
    sophie.get_by_role("button", name="Confirmer la clôture").click()
    expect(sophie.locator("#demande-statut")).to_have_text("close")
    expect(sophie.locator("#demande-close")).to_be_visible()
    expect(sophie.get_by_role("button", name="Envoyer le message")).to_have_count(0)
    expect(claire.locator("#demande-statut")).to_have_text("close", timeout=LIVE * 4)

    # The dossier's page lists its question.
    sophie.goto(live_server.url + f"/dossiers/{dossier['id']}")
    expect(sophie.locator("#questions-dossier")).to_contain_text(reference)


def test_paul_gives_his_opinion_once_a_day_and_nadia_reads_it_with_the_average(live_server, people):
    paul, nadia = people(), people()
    page_path = f"/habilitations?essai={uuid.uuid4().hex[:8]}"
    comment = f"Clair et rapide {uuid.uuid4().hex[:6]}"
    log_in(paul, live_server, PAUL, "/")
    accept_terms_if_asked(paul)
    paul.goto(live_server.url + f"/assistance/avis?page={page_path.replace('?', '%3F').replace('=', '%3D')}")
    expect(paul.get_by_role("heading", level=1)).to_have_text("Votre avis nous intéresse")
    expect(paul.locator("#avis-page")).to_have_text(page_path)
    paul.get_by_role("button", name="Envoyer mon avis").click()
    expect(field_error(paul, "avis-note")).to_have_text("Choisissez une note de 1 à 5.")
    assert_accessible(paul, "avis sans note")
    tick(paul, "4 sur 5 – Satisfait")
    paul.get_by_label("Commentaire (facultatif)").fill(comment)
    paul.get_by_role("button", name="Envoyer mon avis").click()
    expect(paul.locator("#avis-merci")).to_contain_text("votre avis est enregistré")
    paul.reload()
    expect(paul.locator("#avis-deja-donne")).to_contain_text("déjà donné votre avis sur cette page aujourd'hui")
    assert_accessible(paul, "avis déjà donné")

    # Paul is not the support.
    paul.goto(live_server.url + "/support")
    expect(paul.locator("#support-refus")).to_contain_text("Votre compte n'en fait pas partie")

    # Nadia (the support, no office) reaches her desk from the workspace; the assistance page links it too.
    log_in(nadia, live_server, NADIA, "/assistance")
    expect(nadia.locator("#lien-questions-bureau")).to_have_count(0)
    expect(nadia.locator("#lien-support")).to_be_visible()
    nadia.goto(live_server.url + "/douane")
    nadia.locator("#onglet-support").click()
    expect(nadia.get_by_role("heading", level=1)).to_have_text("Support du portail")
    expect(nadia.locator("#avis-moyenne")).to_have_text(re.compile(r"^\d,\d / 5$"))
    expect(nadia.locator("#avis-mois tbody tr").first).to_be_visible()
    nadia.get_by_label("Rechercher un avis").fill(comment)
    nadia.get_by_role("button", name="Rechercher", exact=True).nth(1).click()
    row = nadia.locator("#tableau-avis tbody tr", has_text=comment)
    expect(row).to_contain_text("4 / 5")
    expect(row).to_contain_text("Paul Lefèvre")
    expect(row).to_contain_text(page_path)
    assert_accessible(nadia, "support")


def test_a_ticket_from_the_header_help_link_goes_to_the_support(live_server, people):
    paul = people()
    log_in(paul, live_server, PAUL, "/habilitations")
    accept_terms_if_asked(paul)
    paul.goto(live_server.url + "/habilitations")
    paul.locator("#aide").click()
    expect(paul.get_by_role("heading", level=1)).to_have_text("Assistance")
    assert_accessible(paul, "accueil de l'assistance")
    paul.get_by_role("link", name="Assistance technique").click()
    expect(paul.get_by_label("Page concernée")).to_have_value("/habilitations")
    paul.get_by_role("button", name="Envoyer au support").click()
    expect(field_error(paul, "ticket-objet")).to_be_visible()
    expect(field_error(paul, "ticket-description")).to_be_visible()
    assert_accessible(paul, "ticket refusé")
    paul.get_by_label(re.compile("^Objet")).fill("Le tableau ne se trie pas")
    paul.get_by_label(re.compile("^Description du problème")).fill("Rien ne change quand je clique.")
    paul.get_by_role("button", name="Envoyer au support").click()
    paul.wait_for_url(re.compile(r"/assistance/demandes/\d+$"))
    expect(paul.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Demande AT-\d{4}-\d{6}$"))
    expect(paul.locator("#demande-faits")).to_contain_text("/habilitations")
    expect(paul.locator("#formulaire-capture")).to_be_visible()
    assert_accessible(paul, "ticket ouvert")


def test_a_visitor_reads_the_documentation_and_a_private_person_is_told_where_his_help_is(
    live_server, page: Page
) -> None:
    page.goto(live_server.url + "/assistance/documentation")
    expect(page.get_by_role("heading", level=1)).to_have_text("Documentation réglementaire")
    expect(page.locator("#documentation-regimes li")).to_have_count(5)
    assert_accessible(page, "documentation")
    page.goto(live_server.url + "/assistance/documentation/TEA")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("#documentation-resume")).not_to_be_empty()
    first = page.locator("#documentation-references a").first
    expect(first).to_have_attribute("rel", "noopener")
    expect(first).to_have_attribute("href", re.compile(r"^https://"))
    expect(first).to_contain_text("lien externe")
    assert_accessible(page, "documentation TEA")
    page.goto(live_server.url + "/assistance/documentation/XYZ")
    expect(page.locator("#documentation-inconnue")).to_be_visible()
    page.goto(live_server.url + "/assistance")
    expect(page.get_by_role("main").get_by_role("link", name="Se connecter")).to_be_visible()

    log_in(page, live_server, JEAN, "/assistance")
    expect(page.locator("#assistance-refus")).to_contain_text("Mes déclarations")
    expect(page.locator("#aide")).to_have_count(0)  # his header has no « Aide »
