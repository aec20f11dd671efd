"""Every path of the workflow in real browsers, the officer and the operator side by side, each seeing the other's
step live (no reload):

- a complement asked, answered (the form edited and « Valider »), back in the officer's « À traiter », accepted;
- a submission not accepted, its reason read by the operator;
- accepted, an intended refusal (right to be heard), the operator's comment in the hearing period, then refused;
- every required message or reason refuses an empty submit with a French error next to its field, focused, and keeps
  what was typed;
- the applicant withdraws while the officer types a reason: the officer's text stays, and the page says why it can
  no longer be sent.

The complement, withdrawal and grant paths' other steps are in test_live_screens.py. Each test files its own dossier
over HTTP and narrows the dashboards to it with the search box: the test database is shared by the whole session.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from backend.clock import paris_today
from tests.e2e.live_support import (
    CLAIRE,
    SOPHIE,
    history_entry,
    open_dossier,
    people_of,
    rows,
    search_dashboard,
    submitted_dossier,
    tab,
)
from tests.e2e.test_access_screens import accept_terms_if_asked, log_in

pytestmark = pytest.mark.browser

LIVE = 5000  # ms: generous on a busy machine; every live check waits on an open page, never on a reload


@pytest.fixture
def people(browser: Browser) -> Iterator[Callable[..., Page]]:
    """One browser context per person, `people(beside=page)` another tab of the same person."""
    yield from people_of(browser)


def counted(label: str, count: int):
    return re.compile(rf"{label}\s*{count}\s*dossiers?$")


def refused_empty(page: Page, field_label: str, submit: str, message: str, field_id: str) -> None:
    """Submit the form with nothing typed: the API's French message next to the field, which takes the focus."""
    page.get_by_role("button", name=submit).click()
    field = page.get_by_label(field_label)
    expect(page.locator(f"#{field_id}-message-error")).to_have_text(message)
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_focused()
    expect(page.get_by_role("button", name=submit)).to_be_visible()  # the form stays open


# --- (a) complement asked, answered, accepted ---------------------------------------------------------------------


def test_an_answered_complement_goes_back_to_the_officers_queue_live_and_is_accepted(
    live_server, provider, people
):
    dossier = submitted_dossier(live_server, provider)
    reference = dossier["reference"]

    # Claire keeps her office's queue open in one tab, the dossier in another.
    queue = people()
    log_in(queue, live_server, CLAIRE, "/douane")
    search_dashboard(queue, reference)
    todo, waiting = tab(queue, "À traiter"), tab(queue, "En attente")
    expect(todo).to_have_text(counted("À traiter", 1))
    expect(waiting).to_have_text(counted("En attente", 0))
    expect(rows(queue, reference)).to_contain_text("déposé")
    officer = people(beside=queue)
    open_dossier(officer, live_server, dossier)

    # Sophie has the dossier open: filed, read-only, nothing to do but wait (or withdraw).
    operator = people()
    log_in(operator, live_server, SOPHIE)
    accept_terms_if_asked(operator)
    open_dossier(operator, live_server, dossier)
    expect(operator.locator("#dossier-statut")).to_have_text("déposé")
    expect(operator.get_by_role("button", name="Valider")).to_have_count(0)

    # Claire asks for a complement (the message is required).
    officer.get_by_role("button", name="Demander un complément").click()
    refused_empty(
        officer,
        "Complément demandé",
        "Envoyer la demande de complément",
        "Complément demandé : ce message est obligatoire.",
        "message-request-complement",
    )
    officer.get_by_label("Complément demandé").fill("Précisez la personne à contacter pour le contrôle.")
    officer.get_by_role("button", name="Envoyer la demande de complément").click()
    expect(officer.locator("#dossier-statut")).to_have_text("complément demandé")

    # Her queue moves it to « En attente » by itself.
    expect(todo).to_have_text(counted("À traiter", 0), timeout=LIVE)
    expect(waiting).to_have_text(counted("En attente", 1), timeout=LIVE)

    # Sophie's open page: the new status, what is asked (at the top and in the history), the form hers again.
    expect(operator.locator("#dossier-statut")).to_have_text("complément demandé", timeout=LIVE)
    expect(operator.locator("#traitement-decision")).to_contain_text(
        "Précisez la personne à contacter pour le contrôle.", timeout=LIVE
    )
    expect(history_entry(operator, "Complément demandé")).to_contain_text("Claire Bernard (douane)")
    contact = operator.get_by_label("Personne à contacter")
    expect(contact).to_be_editable(timeout=LIVE)

    # She answers: edits the field, leaves a word, and « Valider » files it again.
    contact.fill("Jeanne Complément")
    operator.get_by_role("button", name="Valider").click()
    expect(operator.locator("#dossier-message")).to_contain_text("Dossier déposé")
    expect(operator.locator("#dossier-statut")).to_have_text("déposé")
    expect(operator.get_by_label("Personne à contacter")).to_have_count(0)  # read-only again

    # Claire's queue shows it back in « À traiter », her open page the answer, without a reload.
    expect(todo).to_have_text(counted("À traiter", 1), timeout=LIVE)
    expect(waiting).to_have_text(counted("En attente", 0), timeout=LIVE)
    expect(rows(queue, reference)).to_contain_text("déposé", timeout=LIVE)
    expect(queue.locator("#tableau-annonce")).to_contain_text("Tableau de bord mis à jour")
    expect(officer.locator("#dossier-statut")).to_have_text("déposé", timeout=LIVE)
    expect(history_entry(officer, "Dossier déposé à nouveau (complément apporté)")).to_contain_text(
        "Sophie Moreau (demandeur)", timeout=LIVE
    )
    expect(officer.get_by_role("main")).to_contain_text("Jeanne Complément", timeout=LIVE)
    # What she said when asking no longer stands: the dossier is no longer waiting for the applicant.
    expect(officer.locator("#traitement-message")).not_to_contain_text("attend le demandeur")

    # She accepts it; Sophie's page follows.
    officer.get_by_role("button", name="Accepter la demande", exact=True).click()
    expect(officer.locator("#dossier-statut")).to_have_text("accepté (en instruction)")
    expect(officer.locator("#traitement-message")).to_contain_text("Demande acceptée")
    expect(operator.locator("#dossier-statut")).to_have_text("accepté (en instruction)", timeout=LIVE)
    expect(operator.locator("#echeance-libelle")).to_have_text("Délai de décision", timeout=LIVE)
    expect(history_entry(operator, "Demande acceptée : instruction en cours")).to_contain_text("Claire Bernard")
    expect(rows(queue, reference)).to_contain_text("accepté (en instruction)", timeout=LIVE)


# --- (b) not accepted ---------------------------------------------------------------------------------------------


def test_a_submission_not_accepted_reaches_the_operator_live_with_its_reason(live_server, provider, people):
    dossier = submitted_dossier(live_server, provider)
    reference = dossier["reference"]

    operator = people()
    log_in(operator, live_server, SOPHIE, "/soprano")
    accept_terms_if_asked(operator)
    search_dashboard(operator, reference)
    expect(tab(operator, "En attente")).to_have_text(counted("En attente", 1))
    page = people(beside=operator)
    open_dossier(page, live_server, dossier)
    expect(page.get_by_role("button", name="Retirer la demande")).to_be_visible()

    officer = people()
    log_in(officer, live_server, CLAIRE)
    open_dossier(officer, live_server, dossier)
    officer.get_by_role("button", name="Ne pas accepter").click()
    refused_empty(
        officer,
        "Motif de non-acceptation",
        "Confirmer la non-acceptation",
        "Motif de non-acceptation : ce message est obligatoire.",
        "message-not-accept",
    )
    reason = "La demande relève d'un autre bureau de douane (lieu d'utilisation hors ressort)."
    officer.get_by_label("Motif de non-acceptation").fill(reason)
    officer.get_by_role("button", name="Confirmer la non-acceptation").click()
    expect(officer.locator("#dossier-statut")).to_have_text("non accepté")
    expect(officer.locator("#traitement-message")).to_contain_text("Demande non acceptée")
    expect(officer.locator("#aucune-action")).to_be_visible()

    # Sophie's open dossier: the status, the reason at the top and in the history; nothing left to do.
    expect(page.locator("#dossier-statut")).to_have_text("non accepté", timeout=LIVE)
    decision = page.locator("#traitement-decision")
    expect(decision).to_contain_text("Demande non acceptée", timeout=LIVE)
    expect(decision).to_contain_text(f"Motif de non-acceptation : {reason}")
    entry = history_entry(page, "Demande non acceptée")
    expect(entry).to_contain_text(reason)
    expect(entry).to_contain_text("Claire Bernard (douane)")
    expect(entry).to_contain_text(re.compile(r"déposé →.* non accepté"))
    expect(page.get_by_role("button", name="Retirer la demande")).to_have_count(0)
    expect(page.locator("#echeance-texte")).to_have_text("Aucune échéance en cours pour ce dossier.")

    # Her dashboard (the other tab): no longer « En attente ».
    expect(tab(operator, "En attente")).to_have_text(counted("En attente", 0), timeout=LIVE)
    expect(tab(operator, "À traiter")).to_have_text(counted("À traiter", 0))


# --- (c) right to be heard, then refused --------------------------------------------------------------------------


def test_an_intended_refusal_the_operators_comment_in_the_hearing_period_then_a_refusal(
    live_server, provider, people
):
    dossier = submitted_dossier(live_server, provider)
    officer, operator = people(), people()
    log_in(officer, live_server, CLAIRE)
    log_in(operator, live_server, SOPHIE)
    accept_terms_if_asked(operator)
    open_dossier(officer, live_server, dossier)
    open_dossier(operator, live_server, dossier)

    officer.get_by_role("button", name="Accepter la demande", exact=True).click()
    expect(officer.locator("#dossier-statut")).to_have_text("accepté (en instruction)")
    expect(operator.locator("#dossier-statut")).to_have_text("accepté (en instruction)", timeout=LIVE)

    # The intended refusal: its reasons are required, then the 30 days of the right to be heard run.
    officer.get_by_role("button", name="Notifier une intention de refus").click()
    refused_empty(
        officer,
        "Motifs du refus envisagé",
        "Notifier l'intention de refus",
        "Motifs du refus envisagé : ce message est obligatoire.",
        "message-notify-intended-refusal",
    )
    intended = "La garantie présentée ne couvre pas le montant des droits en jeu."
    officer.get_by_label("Motifs du refus envisagé").fill(intended)
    officer.get_by_role("button", name="Notifier l'intention de refus").click()
    expect(officer.locator("#dossier-statut")).to_have_text("droit d'être entendu")
    hearing_until = (paris_today() + dt.timedelta(days=30)).strftime("%d/%m/%Y")

    # Sophie's page: the status, the reasons and until when she may answer, at the top.
    expect(operator.locator("#dossier-statut")).to_have_text("droit d'être entendu", timeout=LIVE)
    expect(operator.locator("#echeance-libelle")).to_have_text("Délai du droit d'être entendu", timeout=LIVE)
    expect(operator.locator("#echeance-date")).to_have_text(hearing_until)
    decision = operator.locator("#traitement-decision")
    expect(decision).to_contain_text(f"Motifs du refus envisagé : {intended}", timeout=LIVE)
    expect(decision).to_contain_text("laissez un commentaire")
    expect(history_entry(operator, "Intention de refus notifiée")).to_contain_text(intended)

    # She comments within the hearing period; Claire's open page shows it.
    answer = "Une garantie bancaire complémentaire de 50 000 € sera jointe sous huit jours."
    operator.get_by_label("Votre commentaire").fill(answer)
    operator.get_by_role("button", name="Publier le commentaire").click()
    expect(operator.locator("#commentaire-resultat")).to_have_text("Commentaire publié.")
    expect(history_entry(officer, answer)).to_contain_text("Sophie Moreau (demandeur)", timeout=LIVE)
    expect(officer.locator("#historique-annonce")).to_contain_text(
        "Nouveau commentaire (Sophie Moreau, demandeur)"
    )

    # Claire refuses: reasons required; what she types stays while Sophie's next comment arrives.
    officer.get_by_role("button", name="Refuser la demande", exact=True).click()
    refused_empty(
        officer,
        "Motifs du refus",
        "Confirmer le refus",
        "Motifs du refus : ce message est obligatoire.",
        "message-refuse",
    )
    reasons = "Aucune garantie complémentaire n'a été produite dans le délai du droit d'être entendu."
    officer.get_by_label("Motifs du refus").fill(reasons)
    operator.get_by_label("Votre commentaire").fill("Le courrier de la banque est en cours.")
    operator.get_by_role("button", name="Publier le commentaire").click()
    expect(history_entry(officer, "Le courrier de la banque est en cours.")).to_be_visible(timeout=LIVE)
    expect(officer.get_by_label("Motifs du refus")).to_have_value(reasons)
    officer.get_by_role("button", name="Confirmer le refus").click()
    expect(officer.locator("#dossier-statut")).to_have_text("refusé")
    expect(officer.locator("#traitement-message")).to_contain_text("Demande refusée")
    expect(officer.locator("#echeance-texte")).to_have_text("Aucune échéance en cours pour ce dossier.")
    expect(officer.locator("#aucune-action")).to_be_visible()

    # Sophie's page: « refusé » and the reasons, live; the hearing deadline is over, nothing to withdraw.
    expect(operator.locator("#dossier-statut")).to_have_text("refusé", timeout=LIVE)
    decision = operator.locator("#traitement-decision")
    expect(decision).to_contain_text("Demande refusée", timeout=LIVE)
    expect(decision).to_contain_text(f"Motifs du refus : {reasons}")
    refusal = history_entry(operator, "Demande refusée")
    expect(refusal).to_contain_text(reasons)
    expect(refusal).to_contain_text(re.compile(r"droit d'être entendu →.* refusé"))
    expect(operator.locator("#echeance-texte")).to_have_text("Aucune échéance en cours pour ce dossier.")
    expect(operator.get_by_role("button", name="Retirer la demande")).to_have_count(0)
    labels = operator.locator("#historique-liste .portal-timeline__label").all_inner_texts()
    steps = [
        "Dossier déposé",
        "Demande acceptée : instruction en cours",
        "Intention de refus notifiée : droit d'être entendu",
        "Commentaire",
        "Commentaire",
        "Demande refusée",
    ]
    assert [label for label in labels if label in steps] == steps, labels


# --- (d) the required messages ------------------------------------------------------------------------------------


def test_required_messages_and_reasons_refuse_an_empty_submit_next_to_the_field_and_keep_the_input(
    live_server, provider, people
):
    dossier = submitted_dossier(live_server, provider)
    officer = people()
    log_in(officer, live_server, CLAIRE)
    open_dossier(officer, live_server, dossier)

    # Only blanks is empty too: refused, and what was typed stays.
    officer.get_by_role("button", name="Demander un complément").click()
    officer.get_by_label("Complément demandé").fill("   ")
    officer.get_by_role("button", name="Envoyer la demande de complément").click()
    expect(officer.locator("#message-request-complement-message-error")).to_have_text(
        "Complément demandé : ce message est obligatoire."
    )
    expect(officer.get_by_label("Complément demandé")).to_have_value("   ")
    expect(officer.get_by_label("Complément demandé")).to_be_focused()
    expect(officer.locator("#dossier-statut")).to_have_text("déposé")
    officer.get_by_role("button", name="Annuler").click()

    # The comment.
    refused_empty(
        officer,
        "Votre commentaire",
        "Publier le commentaire",
        "Commentaire : ce message est obligatoire.",
        "commentaire",
    )

    # The extension of the decision deadline: the date is the page's check, the reason the API's; each keeps the other.
    officer.get_by_role("button", name="Accepter la demande", exact=True).click()
    expect(officer.locator("#dossier-statut")).to_have_text("accepté (en instruction)")
    officer.get_by_role("button", name="Prolonger le délai de décision").click()
    later = (paris_today() + dt.timedelta(days=200)).isoformat()
    officer.get_by_label("Nouvelle date limite de la décision").fill(later)
    refused_empty(
        officer,
        "Motif de la prolongation",
        "Enregistrer la prolongation",
        "Motif de la prolongation : ce message est obligatoire.",
        "prolongation-motif",
    )
    expect(officer.get_by_label("Nouvelle date limite de la décision")).to_have_value(later)
    officer.get_by_label("Motif de la prolongation").fill("Avis du service des contributions indirectes attendu.")
    officer.get_by_label("Nouvelle date limite de la décision").fill("")
    refused_empty(
        officer,
        "Nouvelle date limite de la décision",
        "Enregistrer la prolongation",
        "Indiquez la nouvelle date limite de la décision.",
        "prolongation-date",
    )
    expect(officer.get_by_label("Motif de la prolongation")).to_have_value(
        "Avis du service des contributions indirectes attendu."
    )
    officer.get_by_label("Nouvelle date limite de la décision").fill(later)
    officer.get_by_role("button", name="Enregistrer la prolongation").click()
    expect(officer.locator("#echeance-prolongation")).to_contain_text("Avis du service des contributions")


def test_a_withdrawal_while_the_officer_types_keeps_the_text_and_says_the_action_is_gone(
    live_server, provider, people
):
    dossier = submitted_dossier(live_server, provider)
    officer, operator = people(), people()
    log_in(officer, live_server, CLAIRE)
    log_in(operator, live_server, SOPHIE)
    accept_terms_if_asked(operator)
    open_dossier(officer, live_server, dossier)
    open_dossier(operator, live_server, dossier)

    officer.get_by_role("button", name="Ne pas accepter").click()
    reason = "Le dossier ne précise pas le lieu d'utilisation des marchandises."
    officer.get_by_label("Motif de non-acceptation").fill(reason)

    operator.get_by_role("button", name="Retirer la demande").click()
    operator.get_by_role("button", name="Confirmer le retrait").click()
    expect(operator.locator("#dossier-statut")).to_have_text("retiré")

    # Claire's page follows; her text is still there, she is told why she can no longer send it.
    expect(officer.locator("#dossier-statut")).to_have_text("retiré", timeout=LIVE)
    expect(officer.locator("#message-not-accept-impossible")).to_contain_text(
        "Cette action n'est plus possible : le dossier est maintenant retiré."
    )
    expect(officer.get_by_label("Motif de non-acceptation")).to_have_value(reason)
    expect(officer.get_by_role("button", name="Confirmer la non-acceptation")).to_have_count(0)
    expect(officer.locator("#actions-dossier")).to_have_count(0)
    officer.get_by_role("button", name="Fermer").click()
    expect(officer.get_by_label("Motif de non-acceptation")).to_have_count(0)
    expect(officer.locator("#aucune-action")).to_be_visible()
