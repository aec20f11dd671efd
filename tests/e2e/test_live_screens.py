"""The decision phase in real browsers, two people at once: the operator's dashboard follows a customs step live, the
comments of each side reach the other's open page, the applicant withdraws, customs accept, extend, notify an intended
refusal and grant; the customs workspace refuses a professional; an open page says when its session has ended.

Each test files its own dossier over HTTP (as the API tests do) and narrows the dashboards to it with the search box:
the test database is shared by the whole session.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from backend.clock import paris_today
from tests.conftest import login
from tests.e2e.live_support import (
    CLAIRE,
    LIVE,
    SOPHIE,
    history_entry,
    open_dossier,
    people_of,
    rows,
    search_dashboard,
    submitted_dossier,
    tab,
)
from tests.e2e.test_access_screens import accept_terms_if_asked, log_in, tick
from tests.processing_support import CREATE, People, comment, filed, ok
from ui.client import SESSION_ENDED

pytestmark = pytest.mark.browser


@pytest.fixture
def people(browser: Browser) -> Iterator[Callable[..., Page]]:
    """One browser context per person (tests.e2e.live_support.people_of)."""
    yield from people_of(browser)


# --- tests --------------------------------------------------------------------------------------------------------


def test_a_complement_request_moves_the_dossier_to_a_traiter_on_the_operators_open_dashboard(
    live_server, provider, people
):
    dossier = submitted_dossier(live_server, provider)
    reference = dossier["reference"]

    # Sophie has her home page open on « En attente »: the dossier is with customs.
    operator = people()
    log_in(operator, live_server, SOPHIE, "/soprano")
    accept_terms_if_asked(operator)
    search_dashboard(operator, reference)
    todo, waiting = tab(operator, "À traiter"), tab(operator, "En attente")
    expect(waiting).to_have_text(re.compile(r"En attente\s*1\s*dossier$"))
    expect(todo).to_have_text(re.compile(r"À traiter\s*0\s*dossiers?$"))
    waiting.click()
    expect(waiting).to_have_attribute("aria-selected", "true")
    expect(rows(operator, reference)).to_contain_text("déposé")
    expect(rows(operator, reference)).to_contain_text("Délai d'acceptation de la demande")
    expect(rows(operator, reference)).to_contain_text("Ateliers Durand SA")

    # Claire finds it in her office's queue (« À traiter »: a new submission), opens it, asks for a complement.
    officer = people()
    log_in(officer, live_server, CLAIRE, "/douane")
    expect(officer.get_by_role("heading", level=1)).to_have_text("Espace agent des douanes")
    expect(officer.locator("#bureau")).to_contain_text("FR000690")
    search_dashboard(officer, reference)
    expect(tab(officer, "À traiter")).to_have_text(re.compile(r"À traiter\s*1\s*dossier$"))
    officer.get_by_role("link", name=reference).click()
    expect(officer.get_by_role("heading", level=1)).to_have_text(f"Dossier {reference}")
    expect(officer.locator("#dossier-statut")).to_have_text("déposé")
    officer.get_by_role("button", name="Demander un complément").click()
    officer.get_by_label("Complément demandé").fill("Joignez le contrat de location du matériel.")
    officer.get_by_role("button", name="Envoyer la demande de complément").click()

    # Within the second, without a reload, Sophie's open page moves it from « En attente » to « À traiter ».
    expect(todo).to_have_text(re.compile(r"À traiter\s*1\s*dossier$"), timeout=LIVE)
    expect(waiting).to_have_text(re.compile(r"En attente\s*0\s*dossiers?$"), timeout=LIVE)
    expect(rows(operator, reference)).to_have_count(0, timeout=LIVE)
    expect(operator.locator("#tableau-annonce")).to_contain_text("Tableau de bord mis à jour")
    todo.click()
    expect(rows(operator, reference)).to_contain_text("complément demandé")

    # Claire's own page says it was done, and shows the new status.
    expect(officer.locator("#traitement-message")).to_contain_text("Complément demandé")
    expect(officer.locator("#dossier-statut")).to_have_text("complément demandé")
    expect(history_entry(officer, "Joignez le contrat de location du matériel.")).to_contain_text("Claire Bernard")

    # Sophie answers: the form is hers again, within the complement's time limit; « Valider » files it anew, and
    # Claire's open page follows.
    rows(operator, reference).get_by_role("link", name=reference).click()
    expect(operator.locator("#dossier-statut")).to_have_text("complément demandé")
    expect(operator.locator("#echeance-libelle")).to_have_text("Délai pour fournir le complément")
    expect(operator.locator("#traitement-decision")).to_contain_text("pour le déposer à nouveau jusqu'au ")
    expect(history_entry(operator, "Complément demandé")).to_contain_text("Joignez le contrat de location")
    operator.get_by_role("button", name="Valider").click()
    expect(operator.locator("#dossier-statut")).to_have_text("déposé")
    expect(officer.locator("#dossier-statut")).to_have_text("déposé", timeout=LIVE)
    expect(history_entry(officer, "Dossier déposé à nouveau (complément apporté)")).to_contain_text(
        "Sophie Moreau"
    )
    expect(officer.get_by_role("button", name="Accepter la demande", exact=True)).to_be_visible()


def test_comments_reach_the_other_sides_open_dossier_page_live(live_server, provider, people):
    dossier = submitted_dossier(live_server, provider)
    operator, officer = people(), people()
    log_in(operator, live_server, SOPHIE)
    log_in(officer, live_server, CLAIRE)
    open_dossier(operator, live_server, dossier)
    open_dossier(officer, live_server, dossier)

    officer.get_by_label("Votre commentaire").fill("Le plan des locaux est-il à jour ?")
    officer.get_by_role("button", name="Publier le commentaire").click()
    expect(officer.locator("#commentaire-resultat")).to_have_text("Commentaire publié.")
    expect(officer.get_by_label("Votre commentaire")).to_have_value("")
    entry = history_entry(operator, "Le plan des locaux est-il à jour ?")
    expect(entry).to_be_visible(timeout=LIVE)
    expect(entry).to_contain_text("Claire Bernard (douane)")
    expect(operator.locator("#historique-annonce")).to_contain_text("Nouveau commentaire (Claire Bernard, douane)")

    operator.get_by_label("Votre commentaire").fill("Oui : mis à jour le mois dernier.")
    operator.get_by_role("button", name="Publier le commentaire").click()
    answer = history_entry(officer, "Oui : mis à jour le mois dernier.")
    expect(answer).to_be_visible(timeout=LIVE)
    expect(answer).to_contain_text("Sophie Moreau (demandeur)")
    # One chronological list: the submission, then the question, then the answer.
    texts = officer.locator("#historique-liste > li").all_inner_texts()
    order = [
        next(i for i, t in enumerate(texts) if "Dossier déposé" in t),
        next(i for i, t in enumerate(texts) if "Le plan des locaux" in t),
        next(i for i, t in enumerate(texts) if "mis à jour le mois dernier" in t),
    ]
    assert order == sorted(order), texts

    # An empty comment: the API's message, next to the field.
    officer.get_by_role("button", name="Publier le commentaire").click()
    expect(officer.locator("#commentaire-message-error")).to_contain_text("obligatoire")
    expect(officer.get_by_label("Votre commentaire")).to_have_attribute("aria-invalid", "true")


def test_the_applicant_withdraws_and_the_officers_actions_disappear(live_server, provider, people):
    dossier = submitted_dossier(live_server, provider)
    operator, officer = people(), people()
    log_in(operator, live_server, SOPHIE)
    log_in(officer, live_server, CLAIRE)
    open_dossier(officer, live_server, dossier)
    actions = officer.locator("#actions-dossier")
    for label in ("Demander un complément", "Accepter la demande", "Ne pas accepter la demande"):
        expect(actions.get_by_role("button", name=label, exact=True)).to_be_visible()

    open_dossier(operator, live_server, dossier)
    expect(operator.locator("#traitement")).to_contain_text("Votre demande")
    operator.get_by_role("button", name="Retirer la demande").click()
    expect(operator.get_by_role("group", name=re.compile("Retirer votre demande"))).to_be_visible()
    operator.get_by_role("button", name="Confirmer le retrait").click()
    expect(operator.locator("#dossier-statut")).to_have_text("retiré")
    expect(operator.locator("#traitement-message")).to_contain_text("Demande retirée")
    expect(operator.get_by_role("button", name="Retirer la demande")).to_have_count(0)
    expect(history_entry(operator, "Demande retirée par le demandeur")).to_contain_text("déposé")

    # The officer's open page follows: no action left, the status and the history say why.
    expect(officer.locator("#dossier-statut")).to_have_text("retiré", timeout=LIVE)
    for label in ("Demander un complément", "Accepter la demande", "Ne pas accepter la demande"):
        expect(officer.get_by_role("button", name=label, exact=True)).to_have_count(0)
    expect(officer.locator("#aucune-action")).to_be_visible()
    expect(history_entry(officer, "Demande retirée par le demandeur")).to_contain_text("Sophie Moreau (demandeur)")
    expect(officer.locator("#historique-annonce")).to_contain_text("Demande retirée par le demandeur")


def test_customs_accept_extend_notify_an_intended_refusal_and_grant(live_server, provider, people):
    dossier = submitted_dossier(live_server, provider)
    officer, operator = people(), people()
    log_in(officer, live_server, CLAIRE)
    log_in(operator, live_server, SOPHIE)
    open_dossier(officer, live_server, dossier)
    open_dossier(operator, live_server, dossier)
    today = paris_today()
    expect(officer.locator("#echeance-libelle")).to_have_text("Délai d'acceptation de la demande")
    expect(officer.locator("#echeance")).not_to_contain_text("dépassée")
    # Customs read the application as filed: no field to type in, no « Sauvegarder ».
    expect(officer.get_by_role("button", name="Sauvegarder")).to_have_count(0)
    expect(officer.get_by_text("le formulaire est en lecture seule")).to_be_visible()

    # Accept: the decision time limit runs (120 days).
    officer.get_by_role("button", name="Accepter la demande", exact=True).click()
    expect(officer.locator("#dossier-statut")).to_have_text("accepté (en instruction)")
    expect(officer.locator("#echeance-libelle")).to_have_text("Délai de décision")
    expect(history_entry(officer, "Demande acceptée : instruction en cours")).to_contain_text(
        re.compile(r"Statut : déposé →.* accepté \(en instruction\)")
    )
    expect(operator.locator("#echeance-libelle")).to_have_text("Délai de décision", timeout=LIVE)

    # Extend it: the new date and the reason, which the applicant reads.
    officer.get_by_role("button", name="Prolonger le délai de décision").click()
    officer.get_by_label("Nouvelle date limite de la décision").fill((today + dt.timedelta(days=200)).isoformat())
    officer.get_by_role("button", name="Enregistrer la prolongation").click()
    expect(officer.locator("#prolongation-motif-message-error")).to_contain_text("obligatoire")
    officer.get_by_label("Motif de la prolongation").fill("Expertise du laboratoire des douanes en cours.")
    officer.get_by_role("button", name="Enregistrer la prolongation").click()
    new_due = (today + dt.timedelta(days=200)).strftime("%d/%m/%Y")
    expect(officer.locator("#echeance-date")).to_have_text(new_due)
    expect(officer.locator("#echeance-prolongation")).to_have_text(
        "prolongé : Expertise du laboratoire des douanes en cours."
    )
    expect(operator.locator("#echeance-prolongation")).to_contain_text("Expertise du laboratoire", timeout=LIVE)

    # Notify an intended refusal: a message is required (the API says so), then the right to be heard runs.
    officer.get_by_role("button", name="Notifier une intention de refus").click()
    officer.get_by_role("button", name="Notifier l'intention de refus").click()
    expect(officer.locator("#message-notify-intended-refusal-message-error")).to_contain_text("obligatoire")
    officer.get_by_label("Motifs du refus envisagé").fill("Les garanties présentées sont insuffisantes.")
    officer.get_by_role("button", name="Notifier l'intention de refus").click()
    expect(officer.locator("#dossier-statut")).to_have_text("droit d'être entendu")
    expect(officer.locator("#echeance-libelle")).to_have_text("Délai du droit d'être entendu")
    hearing = history_entry(officer, "Intention de refus notifiée : droit d'être entendu")
    expect(hearing).to_contain_text("Les garanties présentées sont insuffisantes.")
    expect(hearing).to_contain_text(re.compile(r"accepté \(en instruction\) →.* droit d'être entendu"))
    expect(operator.locator("#dossier-statut")).to_have_text("droit d'être entendu", timeout=LIVE)
    expect(operator.locator("#echeance-libelle")).to_have_text("Délai du droit d'être entendu")

    # Grant, with the authorisation's validity: no deadline any more, every step in the history with its label.
    officer.get_by_role("button", name="Octroyer l'autorisation", exact=True).click()
    officer.get_by_label("Fin de validité").fill((today + dt.timedelta(days=365)).isoformat())
    officer.get_by_role("button", name="Octroyer et délivrer l'autorisation").click()
    expect(officer.locator("#dossier-statut")).to_have_text("octroyé")
    expect(officer.locator("#traitement-message")).to_contain_text("Référence de l'autorisation : FRTEA")
    expect(officer.locator("#echeance-texte")).to_have_text("Aucune échéance en cours pour ce dossier.")
    expect(officer.locator("#actions-dossier")).to_have_count(0)
    labels = officer.locator("#historique-liste .portal-timeline__label").all_inner_texts()
    steps = [
        "Dossier déposé",
        "Demande acceptée : instruction en cours",
        "Délai de décision prolongé",
        "Intention de refus notifiée : droit d'être entendu",
        "Autorisation octroyée après audition",
    ]
    assert [label for label in labels if label in steps] == steps, labels
    expect(operator.locator("#dossier-statut")).to_have_text("octroyé", timeout=LIVE)


def test_the_customs_workspace_refuses_a_professional(live_server, page):
    log_in(page, live_server, SOPHIE, "/douane")
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace agent des douanes")
    refusal = page.locator("#douane-refus")
    expect(refusal).to_have_attribute("role", "alert")
    expect(refusal).to_contain_text("réservé aux agents des douanes")
    expect(page.locator("#tableau-de-bord")).to_have_count(0)


def test_the_customs_workspace_invites_a_visitor_to_log_in(live_server, page):
    page.goto(live_server.url + "/douane")
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace agent des douanes")
    expect(page.get_by_role("main").get_by_role("link", name="Se connecter")).to_have_attribute(
        "href", "/auth/login?next=/douane"
    )


def test_the_dashboard_counts_filters_sorts_pages_and_follows_new_dossiers(live_server, provider, page):
    people = People(live_server, provider)
    try:
        company = people.company()
        created = [ok(company.admin, CREATE, {"procedure": "TEA"})["createDossier"] for _ in range(21)]
        end_use = ok(company.admin, CREATE, {"procedure": "EUS"})["createDossier"]
        waiting = filed(company.admin, "TEA")

        log_in(page, live_server, company.admin_sub, "/soprano")
        accept_terms_if_asked(page)
        todo_tab, waiting_tab = tab(page, "À traiter"), tab(page, "En attente")
        expect(todo_tab).to_have_text(re.compile(r"À traiter\s*22\s*dossiers$"))
        expect(waiting_tab).to_have_text(re.compile(r"En attente\s*1\s*dossier$"))
        listed = page.locator("#tableau-dossiers tbody tr")
        expect(page.locator("#tableau-resultat")).to_have_text("22 dossiers, dont 20 affichés")
        expect(listed).to_have_count(20)
        expect(listed.first).to_contain_text(end_use["reference"])  # the most recently changed first
        expect(listed.first).to_contain_text("Destination particulière")
        expect(listed.first).to_contain_text(company.name)

        # « Afficher plus »: the next page, after the last row shown.
        page.get_by_role("button", name="Afficher plus").click()
        expect(listed).to_have_count(22)
        expect(page.get_by_role("button", name="Afficher plus")).to_have_count(0)

        # Sorted by reference: the first created first.
        page.get_by_label("Trier").select_option(label="Par référence")
        expect(listed.first).to_contain_text(created[0]["reference"])

        # A procedure: only that one; the tabs count with the filter.
        page.get_by_label("Régime").select_option(label="Destination particulière")
        expect(listed).to_have_count(1)
        expect(todo_tab).to_have_text(re.compile(r"À traiter\s*1\s*dossier$"))
        page.get_by_role("button", name="Réinitialiser les filtres").click()
        expect(listed).to_have_count(20)

        # « Statut du dossier »: the boxes of the tab's statuses filter the list, the tab still counts them all.
        statuses = page.get_by_role("group", name=re.compile("Statut du dossier"))
        tick(statuses, "complément demandé")
        expect(page.locator("#tableau-dossiers")).to_contain_text("Aucun dossier ne correspond à ces critères.")
        expect(todo_tab).to_have_text(re.compile(r"À traiter\s*22\s*dossiers$"))
        tick(statuses, "brouillon")
        expect(listed).to_have_count(20)

        # « En attente »: its own statuses; the submitted dossier with its acceptance deadline.
        waiting_tab.click()
        expect(page.get_by_role("group", name=re.compile("Statut du dossier"))).to_contain_text("accepté")
        expect(listed).to_have_count(1)
        expect(listed.first).to_contain_text(waiting["reference"])
        expect(listed.first).to_contain_text("Délai d'acceptation de la demande")

        # Searching a reference.
        todo_tab.click()
        # The tab's own filters are drawn before a person types in them (the other tab's box is gone).
        expect(todo_tab).to_have_attribute("aria-selected", "true")
        search_dashboard(page, created[3]["reference"])
        expect(listed).to_have_count(1)
        expect(listed.first).to_contain_text(created[3]["reference"])
        page.get_by_role("button", name="Réinitialiser les filtres").click()

        # A draft made elsewhere (another window, a partner's software) appears without a reload.
        fresh = ok(company.admin, CREATE, {"procedure": "CW"})["createDossier"]
        expect(todo_tab).to_have_text(re.compile(r"À traiter\s*23\s*dossiers$"), timeout=LIVE)
        expect(listed.first).to_contain_text(fresh["reference"])
        expect(page.locator("#tableau-annonce")).to_contain_text("Tableau de bord mis à jour")
    finally:
        people.close()


def test_a_representative_sees_the_operator_of_each_row_and_filters_by_operator(live_server, provider, page):
    people = People(live_server, provider)
    try:
        first, second, representative = people.company(), people.company(), people.company()
        people.mandate(first, representative)
        people.mandate(second, representative)
        mine = [
            ok(representative.admin, CREATE, {"procedure": "TEA", "operatorId": company.operator_id})[
                "createDossier"
            ]
            for company in (first, second)
        ]

        log_in(page, live_server, representative.admin_sub, "/soprano")
        accept_terms_if_asked(page)
        listed = page.locator("#tableau-dossiers tbody tr")
        for dossier, company in zip(mine, (first, second), strict=True):
            expect(page.locator("#tableau-dossiers tbody tr", has_text=dossier["reference"])).to_contain_text(
                company.name
            )
        page.get_by_label("Opérateur", exact=True).select_option(label=second.name)
        expect(listed).to_have_count(1)
        expect(listed.first).to_contain_text(mine[1]["reference"])
        expect(listed.first).to_contain_text(second.name)
    finally:
        people.close()


def _checkbox_labels(page: Page) -> list[str]:
    group = page.get_by_role("group", name=re.compile("Statut du dossier"))
    expect(group.locator("label").first).to_be_visible()
    return [label.strip() for label in group.locator("label").all_inner_texts()]


def _api_statuses(client) -> list[dict]:
    return ok(
        client,
        "{ dossierStatuses { code label final operatorBucket officerBucket officerBucketOnceOverdue } }",
    )["dossierStatuses"]


def test_taking_a_dossier_removes_the_button_and_names_the_officer_to_officers_only(live_server, provider, people):
    dossier = submitted_dossier(live_server, provider)
    officer, operator = people(), people()
    log_in(officer, live_server, CLAIRE)
    open_dossier(officer, live_server, dossier)
    expect(officer.locator("#traitement-agent")).to_have_text("Aucun agent n'a encore pris ce dossier en charge.")
    take = officer.locator("#actions-dossier").get_by_role("button", name="Prendre en charge")
    expect(take).to_be_visible()
    take.click()
    expect(officer.locator("#traitement-message")).to_contain_text(
        f"Vous avez pris en charge le dossier {dossier['reference']}."
    )
    # The API no longer offers it to the officer who took it; the page names who did.
    expect(officer.get_by_role("button", name="Prendre en charge")).to_have_count(0)
    expect(officer.locator("#traitement-agent")).to_have_text("Pris en charge par Claire Bernard")
    expect(officer.get_by_role("button", name="Accepter la demande", exact=True)).to_be_visible()
    officer.reload()
    expect(officer.locator("#traitement-agent")).to_have_text("Pris en charge par Claire Bernard")
    expect(officer.get_by_role("button", name="Prendre en charge")).to_have_count(0)

    # The applicant is not told who processes the dossier inside customs.
    log_in(operator, live_server, SOPHIE)
    open_dossier(operator, live_server, dossier)
    expect(operator.locator("#traitement")).to_contain_text("Votre demande")
    expect(operator.locator("#traitement-agent")).to_have_count(0)
    expect(operator.locator("#traitement")).not_to_contain_text("Pris en charge par")
    expect(operator.locator("#dossier-entete")).not_to_contain_text("Claire Bernard")


def test_the_officers_taken_filter_narrows_the_list_and_the_checkboxes_are_the_apis(live_server, provider, page):
    people = People(live_server, provider)
    try:
        company = people.company()
        mine, other = filed(company.admin, "TEA"), filed(company.admin, "TEA")
        statuses = _api_statuses(company.admin)

        log_in(page, live_server, CLAIRE, "/douane")
        # « À traiter » of customs: the statuses the API ranks there (an expired hearing period included).
        expected = [s["label"] for s in statuses if "TODO" in (s["officerBucket"], s["officerBucketOnceOverdue"])]
        assert "droit d'être entendu" in expected, expected
        assert _checkbox_labels(page) == expected

        search_dashboard(page, company.siret)
        listed = page.locator("#tableau-dossiers tbody tr")
        expect(listed).to_have_count(2)
        # « Prendre en charge » from the list: that row then names the officer instead of offering the button.
        rows(page, mine["reference"]).get_by_role("button", name="Prendre en charge").click()
        expect(page.locator("#tableau-message")).to_contain_text(
            f"Vous avez pris en charge le dossier {mine['reference']}."
        )
        expect(rows(page, mine["reference"])).to_contain_text("Pris en charge par Claire Bernard")
        expect(rows(page, mine["reference"]).get_by_role("button", name="Prendre en charge")).to_have_count(0)
        expect(rows(page, other["reference"]).get_by_role("button", name="Prendre en charge")).to_be_visible()

        taken = page.get_by_label("Prise en charge")
        taken.select_option(label="Mes dossiers")
        expect(listed).to_have_count(1)
        expect(listed.first).to_contain_text(mine["reference"])
        expect(tab(page, "À traiter")).to_have_text(re.compile(r"À traiter\s*1\s*dossier$"))
        taken.select_option(label="Non pris en charge")
        expect(listed).to_have_count(1)
        expect(listed.first).to_contain_text(other["reference"])
        taken.select_option(label="Tous")
        expect(listed).to_have_count(2)
        taken.select_option(label="Mes dossiers")
        expect(listed).to_have_count(1)
        page.get_by_role("button", name="Réinitialiser les filtres").click()
        expect(taken).to_have_value("ALL")
    finally:
        people.close()


def test_the_operators_status_checkboxes_are_those_the_api_ranks_in_each_tab(live_server, provider, page):
    people = People(live_server, provider)
    try:
        company = people.company()
        statuses = _api_statuses(company.admin)
        log_in(page, live_server, company.admin_sub, "/soprano")
        accept_terms_if_asked(page)
        assert _checkbox_labels(page) == [s["label"] for s in statuses if s["operatorBucket"] == "TODO"]
        tab(page, "En attente").click()
        expect(tab(page, "En attente")).to_have_attribute("aria-selected", "true")
        waiting = [s["label"] for s in statuses if s["operatorBucket"] == "WAITING"]
        assert waiting == ["déposé", "accepté (en instruction)"], waiting
        expect(page.get_by_role("group", name=re.compile("Statut du dossier")).locator("label")).to_have_text(
            waiting
        )
        tab(page, "Tous les dossiers").click()
        expect(page.get_by_role("group", name=re.compile("Statut du dossier")).locator("label")).to_have_text(
            [s["label"] for s in statuses]
        )
    finally:
        people.close()


def test_an_open_dossier_page_says_so_when_its_session_ends(live_server, provider, people):
    dossier = submitted_dossier(live_server, provider)
    operator = people()
    log_in(operator, live_server, SOPHIE)
    open_dossier(operator, live_server, dossier)
    officer = login(live_server, provider, CLAIRE)
    try:
        comment(officer, dossier["id"], "Avant la déconnexion.")
        expect(history_entry(operator, "Avant la déconnexion.")).to_be_visible(timeout=LIVE)
        expect(operator.locator("#dossier-direct")).to_have_text("")

        # Sophie logs out in another tab of the same browser; this page stays open.
        assert operator.context.request.post(live_server.url + "/auth/logout").ok
        comment(officer, dossier["id"], "Après la déconnexion.")
        expect(operator.locator("#dossier-direct")).to_have_text(SESSION_ENDED, timeout=LIVE)
        expect(history_entry(operator, "Après la déconnexion.")).to_have_count(0)
    finally:
        officer.close()
