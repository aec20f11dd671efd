"""Issued authorisations in the browser (issue 11): Claire grants with a validity, Marie sees the authorisation
appear live in « Mes autorisations », downloads its PDF, requests an amendment, Claire grants it, Marie sees version 2
and what changed; customs suspend it and the holder's open page follows."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator

import pypdf
import pytest
from playwright.sync_api import Browser, Page, expect

from backend.authorizations.rules import add_years
from backend.clock import paris_today
from tests.e2e.live_support import CLAIRE, LIVE, people_of
from tests.e2e.test_access_screens import MARIE, PAUL, accept_terms_if_asked, log_in
from tests.processing_support import People, ok
from tests.processing_support import bring_to as bring

TODAY = paris_today()
UNTIL = add_years(TODAY, 2) - dt.timedelta(days=1)


@pytest.fixture
def people(browser: Browser) -> Iterator[Callable[..., Page]]:
    yield from people_of(browser)


@pytest.fixture(scope="module")
def http_people(live_server, provider) -> Iterator[People]:
    """The same people over HTTP, to bring a dossier where the story starts."""
    everyone = People(live_server, provider)
    yield everyone
    everyone.close()


def open_page(page: Page, live_server, path: str) -> None:
    page.goto(live_server.url + path)
    accept_terms_if_asked(page)


def test_an_authorisation_from_grant_to_amendment_in_the_browser(live_server, provider, people, http_people):
    marie_api, claire_api = http_people(MARIE), http_people(CLAIRE, accept=False)
    dossier = bring("ACCEPTED", marie_api, claire_api)
    officer, holder = people(), people()
    log_in(officer, live_server, CLAIRE)
    log_in(holder, live_server, MARIE)
    open_page(holder, live_server, "/autorisations")
    expect(holder.get_by_role("heading", level=1)).to_have_text("Mes autorisations")
    expect(holder.locator("#autorisations-compte")).to_be_visible()
    before = holder.locator("#tableau-autorisations tbody tr").count()

    # Claire grants with a validity: an end date beyond five years is refused next to its field, nothing is lost.
    open_page(officer, live_server, f"/dossiers/{dossier['id']}")
    officer.get_by_role("button", name="Octroyer l'autorisation", exact=True).click()
    officer.get_by_label("Fin de validité").fill(add_years(TODAY, 6).isoformat())
    officer.get_by_label("Conditions fixées par la douane (facultatif)").fill("Inventaire trimestriel.")
    officer.get_by_role("button", name="Octroyer et délivrer l'autorisation").click()
    expect(officer.locator("#octroi-fin-messages")).to_contain_text("au plus tard le")
    expect(officer.get_by_label("Conditions fixées par la douane (facultatif)")).to_have_value(
        "Inventaire trimestriel."
    )
    officer.get_by_label("Fin de validité").fill(UNTIL.isoformat())
    officer.get_by_role("button", name="Octroyer et délivrer l'autorisation").click()
    expect(officer.locator("#traitement-message")).to_contain_text("Référence de l'autorisation : FRTEA")
    reference = re.search(r"FRTEA\d+", officer.locator("#traitement-message").inner_text()).group(0)

    # Marie's open list shows it without a reload.
    expect(holder.locator("#tableau-autorisations tbody tr")).to_have_count(before + 1, timeout=LIVE * 4)
    row = holder.locator("#tableau-autorisations tbody tr", has_text=reference)
    expect(row).to_contain_text(re.compile("en vigueur", re.I))
    expect(row).to_contain_text(f"Du {TODAY:%d/%m/%Y} au {UNTIL:%d/%m/%Y}")
    row.get_by_role("link", name=reference).click()
    expect(holder.get_by_role("heading", level=1)).to_have_text(f"Autorisation {reference}")
    expect(holder.locator("#contenu-version")).to_contain_text("Inventaire trimestriel.")

    # « Sauvegarder / imprimer »: a real PDF of version 1.
    with holder.expect_download() as download:
        holder.locator("#telecharger-pdf").click()
    assert download.value.suggested_filename == f"autorisation-{reference}-v1.pdf"
    with open(download.value.path(), "rb") as file:
        pages = pypdf.PdfReader(io.BytesIO(file.read())).pages
    text = " ".join(page.extract_text() for page in pages)
    assert reference in text and "version 1" in text and "Ateliers Durand" in text

    # « Demander un avenant »: a prefilled dossier; the change shows against the authorisation once saved.
    holder.locator("#demander-avenant").click()
    holder.wait_for_url(re.compile(r"/dossiers/"))
    expect(holder.locator("#changements-autorisation")).to_contain_text("0 modification")
    expect(holder.locator("#autorisation-concernee")).to_have_text(reference)
    amendment_path = urlsplit_path(holder.url)
    holder.get_by_role("tab", name=re.compile("Demandeur")).click()
    holder.get_by_label(re.compile("^Ville")).fill("Villeurbanne")
    holder.get_by_role("tab", name=re.compile("Validation")).click()
    holder.get_by_label(re.compile("^Date")).fill(TODAY.isoformat())
    holder.get_by_role("button", name="Sauvegarder").click()
    expect(holder.locator("#changements-autorisation")).to_contain_text("Villeurbanne")
    holder.get_by_role("button", name="Valider").click()
    expect(holder.locator("#dossier-statut")).to_have_text("déposé")

    # Claire accepts and grants the amendment: version 2 of the same authorisation.
    open_page(officer, live_server, amendment_path)
    officer.get_by_role("button", name="Accepter la demande", exact=True).click()
    expect(officer.locator("#dossier-statut")).to_have_text("accepté (en instruction)")
    officer.get_by_role("button", name="Octroyer l'autorisation", exact=True).click()
    # The grant form proposes the version in force's end of validity and conditions; the new version starts today.
    expect(officer.get_by_label("Fin de validité")).to_have_value(UNTIL.isoformat())
    expect(officer.get_by_label("Conditions fixées par la douane (facultatif)")).to_have_value(
        "Inventaire trimestriel."
    )
    expect(officer.locator("#formulaire-octroi")).to_contain_text("L'avenant devient la version suivante")
    officer.get_by_role("button", name="Octroyer et délivrer l'autorisation").click()
    expect(officer.locator("#traitement-message")).to_contain_text(f"Référence de l'autorisation : {reference}")

    # Marie sees version 2 and the difference; version 1 stays readable.
    holder.locator("#autorisation-concernee").click()
    expect(holder.get_by_role("heading", level=1)).to_have_text(f"Autorisation {reference}")
    expect(holder.locator("#version-titre")).to_have_text("Version 2 – avenant (en vigueur)")
    differences = holder.locator("#tableau-differences tbody")
    expect(differences).to_contain_text("Villeurbanne")
    expect(differences).to_contain_text("Lyon")
    holder.locator("#tableau-versions").get_by_role("link", name="Version 1").click()
    expect(holder.locator("#version-titre")).to_have_text("Version 1 – octroi")
    expect(holder.locator("#contenu-version")).to_contain_text("Lyon")

    # Customs intend a suspension: no « Suspendre » before the holder is heard; the holder's open page shows the
    # intended measure and its grounds live, with until when they may answer.
    open_page(officer, live_server, f"/autorisations?q={reference}")  # among many in a shared database
    officer.locator("#tableau-autorisations tbody").get_by_role("link", name=reference).click()
    expect(officer.locator("#mesures-boutons")).not_to_contain_text("Suspendre")
    officer.get_by_role("button", name="Envisager une suspension").click()
    officer.get_by_role("button", name="Confirmer : envisager une suspension").click()
    expect(officer.locator("#mesure-notify-suspend-motif-messages")).to_contain_text("Indiquez le motif")
    officer.get_by_label("Motifs de la suspension envisagée").fill("Inventaire non transmis.")
    officer.get_by_role("button", name="Confirmer : envisager une suspension").click()
    expect(officer.locator("#droit-entendu-etat")).to_contain_text("jusqu'au")
    deadline = (paris_today() + dt.timedelta(days=30)).strftime("%d/%m/%Y")
    expect(holder.locator("#droit-entendu-etat")).to_contain_text(
        f"Vous pouvez présenter vos observations jusqu'au {deadline} inclus", timeout=LIVE * 4
    )
    expect(holder.locator("#droit-entendu-etat")).to_contain_text("Inventaire non transmis.")
    # SOPRANO's home says it is « à traiter », with the last day, and leads back to it.
    open_page(holder, live_server, "/soprano")
    expect(holder.locator("#a-repondre")).to_contain_text("où la douane attend vos observations")
    expect(holder.locator("#a-repondre")).to_contain_text(f"{reference} – ")
    expect(holder.locator("#a-repondre")).to_contain_text(f"vos observations jusqu'au {deadline}")
    holder.locator("#a-repondre").get_by_role("link", name=reference).click()
    expect(holder).to_have_url(re.compile(r"/autorisations/[^/?]+$"))
    holder.get_by_role("button", name="Envoyer mes observations").click()
    expect(holder.locator("#observations-titulaire-messages")).to_contain_text("Indiquez vos observations")
    holder.get_by_label("Vos observations").fill("L'inventaire part demain par courrier.")
    holder.get_by_role("button", name="Envoyer mes observations").click()
    expect(holder.locator("#droit-entendu-etat")).to_contain_text("Vos observations ont été transmises")
    expect(holder.locator("#formulaire-observations")).to_have_count(0)
    to_answer = ok(marie_api, "{ authorizations(toAnswer: true, first: 100) { items { reference } } }")
    assert reference not in [
        i["reference"] for i in to_answer["authorizations"]["items"]
    ]  # no longer « à traiter »

    # Heard: customs may now suspend; the holder's open page follows, live.
    expect(officer.locator("#droit-entendu-etat")).to_contain_text("a présenté ses observations", timeout=LIVE * 4)
    open_page(officer, live_server, "/douane")  # « à traiter » for customs now, and back to it
    expect(officer.locator("#a-decider")).to_contain_text("où une décision vous attend")
    # The box shows the first ten (other tests' authorisations share this office); the whole list is one link away.
    open_page(officer, live_server, f"/autorisations?traiter=decider&q={reference}")
    expect(officer.locator("#filtre-a-traiter")).to_contain_text(
        "Seulement celles à traiter : une décision vous attend"
    )
    expect(officer.locator("#tableau-autorisations")).to_contain_text(reference)
    officer.locator("#tableau-autorisations").get_by_role("link", name=reference).click()
    officer.get_by_role("button", name="Suspendre", exact=True).click()
    officer.get_by_label("Motif de la suspension").fill("Inventaire non transmis.")
    officer.get_by_role("button", name="Confirmer : suspendre").click()
    expect(officer.locator("#droit-entendu")).to_have_count(0)
    expect(officer.locator("#autorisation-etat")).to_have_text("suspendue")
    expect(holder.locator("#autorisation-etat")).to_have_text("suspendue", timeout=LIVE * 4)
    expect(holder.locator("#autorisation-mesures")).to_contain_text("Suspendue du")
    expect(holder.locator("#historique-liste")).to_contain_text("Inventaire non transmis.")


def urlsplit_path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_a_consult_only_user_is_offered_no_request_and_customs_no_request(live_server, people, http_people):
    """Paul (consult) reads the authorisation, with no « Demander un avenant »; Claire gets measures, not requests."""
    marie_api, claire_api = http_people(MARIE), http_people(CLAIRE, accept=False)
    dossier = bring("ACCEPTED", marie_api, claire_api)
    granted = ok(
        claire_api,
        "mutation($i: GrantDossierInput!) { grantDossier(input: $i) { authorization { id reference } } }",
        {"i": {"dossierId": dossier["id"], "validUntil": UNTIL.isoformat()}},
    )["grantDossier"]["authorization"]
    paul = people()
    log_in(paul, live_server, PAUL)
    open_page(paul, live_server, f"/autorisations/{granted['id']}")
    expect(paul.get_by_role("heading", level=1)).to_have_text(f"Autorisation {granted['reference']}")
    expect(paul.locator("#demander-avenant")).to_have_count(0)
    expect(paul.locator("#mesures")).to_have_count(0)
    officer = people()
    log_in(officer, live_server, CLAIRE)
    open_page(officer, live_server, f"/autorisations/{granted['id']}")
    expect(officer.locator("#mesures-boutons")).to_contain_text("Envisager une suspension")
    expect(officer.locator("#demander-avenant")).to_have_count(0)


def test_the_holder_asks_for_a_suspension_customs_answer_and_both_comment(live_server, people, http_people):
    marie_api, claire_api = http_people(MARIE), http_people(CLAIRE, accept=False)
    dossier = bring("ACCEPTED", marie_api, claire_api)
    granted = ok(
        claire_api,
        "mutation($i: GrantDossierInput!) { grantDossier(input: $i) { authorization { id reference } } }",
        {"i": {"dossierId": dossier["id"], "validUntil": UNTIL.isoformat()}},
    )["grantDossier"]["authorization"]
    path = f"/autorisations/{granted['id']}"
    holder, officer = people(), people()
    log_in(holder, live_server, MARIE)
    log_in(officer, live_server, CLAIRE)
    open_page(holder, live_server, path)
    open_page(officer, live_server, path)

    # The holder asks: a reason is required, next to its field; then the request is pending.
    holder.locator("#demander-suspend").click()
    holder.get_by_role("button", name="Envoyer la demande").click()
    expect(holder.locator("#demande-motif-messages")).to_contain_text("Indiquez le motif")
    holder.get_by_label(re.compile("Motif de votre demande de la suspension")).fill("Travaux dans l'atelier.")
    holder.get_by_role("button", name="Envoyer la demande").click()
    expect(holder.locator("#demande-en-attente")).to_contain_text("attend la réponse de la douane")
    expect(holder.locator("#demander-suspend")).to_have_count(0)

    # Customs see it live, and answer with the suspension « à la demande du titulaire ».
    expect(officer.locator("#demande-titulaire")).to_contain_text("demande la suspension", timeout=LIVE * 4)
    expect(officer.locator("#historique-liste")).to_contain_text("Travaux dans l'atelier.")
    officer.get_by_role("button", name="Suspendre", exact=True).click()
    officer.get_by_label("Cas de suspension (AD CDU, art. 16)").select_option("holder_request")
    officer.get_by_label("Motif de la suspension").fill("Suspension accordée pendant les travaux.")
    officer.get_by_role("button", name="Confirmer : suspendre").click()
    expect(officer.locator("#autorisation-etat")).to_have_text("suspendue")
    expect(officer.locator("#demande-titulaire")).to_have_count(0)
    expect(holder.locator("#autorisation-etat")).to_have_text("suspendue", timeout=LIVE * 4)
    expect(holder.locator("#demande-en-attente")).to_have_count(0)

    # Both comment; each reads the other's live.
    holder.get_by_role("textbox", name="Commentaire").fill("Merci, reprise prévue en mars.")
    holder.get_by_role("button", name="Envoyer le commentaire").click()
    expect(officer.locator("#historique-liste")).to_contain_text("reprise prévue en mars", timeout=LIVE * 4)
    officer.get_by_role("textbox", name="Commentaire").fill("Bien noté.")
    officer.get_by_role("button", name="Envoyer le commentaire").click()
    expect(holder.locator("#historique-liste")).to_contain_text("Bien noté.", timeout=LIVE * 4)
