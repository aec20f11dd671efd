"""Private persons' declarations in the browser: Jean declares a trip with three items (spirits with their litres),
every mistake of the facts told at once next to its field, sees the allowance exceeded and the estimate, submits;
Claire opens it from her office's queue, asks for information; Jean's open page shows the request live and he
answers; Claire accepts with the amount due (the estimate proposed); Jean's page shows « acceptée » and the amount,
live. Hugo's office has none, and says so; each side asking the other's page is told plainly.

The test database is shared by the whole session: Jean's and the office's lists hold other tests' declarations, so
the story finds its own by reference."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from backend.clock import paris_today
from tests.e2e.accessibility import audit
from tests.e2e.live_support import CLAIRE, LIVE, people_of
from tests.e2e.test_access_screens import JEAN, MARIE, log_in, tick

pytestmark = pytest.mark.browser

HUGO = "hugo.lambert@douane.gouv.fr"  # customs officer of another office: no private declaration is sent to it
SPIRITS = "Alcools forts (plus de 22 %)"


@pytest.fixture
def people(browser: Browser) -> Iterator[Callable[..., Page]]:
    yield from people_of(browser)


def assert_accessible(page: Page, where: str) -> None:
    blocking = audit(page)
    assert not blocking, f"axe-core, {where}: {blocking}"


def field_error(page: Page, element_id: str):
    return page.locator(f"#{element_id}-message-error")


def add_item(page: Page, description: str, category: str, price: str, litres: str | None = None) -> None:
    form = page.locator("#formulaire-article")
    form.get_by_label("Description de l'article").fill(description)
    form.get_by_label("Catégorie").select_option(label=category)
    if litres is not None:
        # Alcohol and tobacco: the quantity field, in the category's own unit, appears once the category is chosen.
        form.get_by_label("Quantité (litres)").fill(litres)
    else:
        expect(form.get_by_label(re.compile(r"^Quantité"))).to_have_count(0)
    form.get_by_label("Prix payé").fill(price)
    form.get_by_role("button", name="Ajouter l'article").click()
    expect(page.locator("#articles-message")).to_contain_text(f"Article ajouté : {description}")


def declare_trip(page: Page, live_server) -> str:
    """Jean, from his home: a trip from the United States with three items, submitted; returns its reference."""
    page.get_by_role("link", name="Déclarer un achat ou des effets personnels").click()
    expect(page).to_have_url(re.compile(r"/particulier$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes déclarations")
    expect(page.locator("#declarations-compte")).to_be_visible()
    assert "SOPRANO" not in page.get_by_role("main").inner_text()
    expect(page).to_have_title("Mes déclarations | Portail douane")  # the tab names his page, never SOPRANO
    assert_accessible(page, "Mes déclarations")

    page.get_by_role("link", name="Nouvelle déclaration").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle déclaration")
    page.get_by_role("button", name="Commencer la déclaration").click()
    expect(field_error(page, "type-declaration")).to_have_text("Choisissez ce que vous voulez déclarer.")
    assert_accessible(page, "Nouvelle déclaration, erreur")
    tick(page, "Je rentre d'un voyage hors de l'Union européenne")
    page.get_by_role("button", name="Commencer la déclaration").click()
    page.wait_for_url(re.compile(r"/particulier/[^/?]+(\?.*)?$"))
    expect(page.locator("#etape-titre")).to_contain_text("Votre voyage")
    expect(page.locator("#estimation-manque")).to_contain_text("Complétez les informations du voyage")

    # Step 1: a country of the EU and nothing else — every mistake at once, each next to its field.
    page.get_by_label("Pays d'où vous arrivez").fill("DE")
    expect(page.locator("#faits-etat")).to_have_text("Modifications non enregistrées.")
    page.wait_for_function("window.portalUnsaved === true")  # the page asks before it is left
    page.get_by_role("button", name="Enregistrer et continuer").click()
    problems = {
        "voyage-date": "Indiquez la date d'arrivée en France.",
        "voyage-transport": "Choisissez le moyen de transport : avion ou bateau, ou un autre.",
        "voyage-pays": "Ce pays est dans l'Union européenne : rien n'est à déclarer pour des biens qui en viennent.",
    }
    for element_id, message in problems.items():
        expect(field_error(page, element_id)).to_have_text(message)
    expect(page.locator("#faits-erreurs p")).to_have_text(list(problems.values()))
    expect(page.get_by_label("Date d'arrivée en France")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Date d'arrivée en France")).to_be_focused()
    assert_accessible(page, "étape 1 refusée")
    page.get_by_label("Date d'arrivée en France").fill(paris_today().isoformat())
    tick(page, "En avion ou en bateau")
    page.get_by_label("Pays d'où vous arrivez").fill("US")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    # Step 2: three items, the spirits with their litres; the estimate follows each one.
    expect(page.locator("#etape-titre")).to_contain_text("Vos articles")
    expect(page).to_have_url(re.compile(r"\?etape=2$"))
    page.wait_for_function("window.portalUnsaved === false")
    add_item(page, "Veste en cuir", "Vêtements", "300")
    add_item(page, "Casque audio", "Appareils électroniques (téléphones, ordinateurs…)", "200")
    add_item(page, "Whisky", SPIRITS, "45", litres="1")
    articles = page.locator("#declaration-articles")
    expect(articles.locator("tbody tr")).to_have_count(3)
    expect(articles.locator("tbody tr", has_text="Whisky")).to_contain_text("litres : 1")
    estimate = page.locator("#estimation")
    expect(estimate.locator("#estimation-valeur")).to_contain_text("500,00 €")  # the whisky is not counted
    expect(estimate.locator("#estimation-franchise")).to_contain_text("430,00 €")
    expect(estimate.locator("#estimation-depassement")).to_have_text("Franchise dépassée de 70,00 €")
    expect(estimate.locator("#estimation-lignes")).to_contain_text("TVA")
    expect(estimate.locator("#estimation-a-savoir")).to_contain_text("litre")
    expect(estimate.locator("#estimation-regles")).to_contain_text("en vigueur depuis le")
    expect(estimate.locator("#estimation-total")).to_contain_text("À payer selon cette estimation")
    assert_accessible(page, "étape 2")

    # An item is changed, then removed and added again: the list and the estimate follow.
    row = articles.locator("tbody tr", has_text="Casque audio")
    row.get_by_role("button", name=re.compile("^Modifier")).click()
    expect(page.locator("#article-titre")).to_have_text("Modifier l'article « Casque audio »")
    expect(page.get_by_label("Prix payé")).to_have_value("200")
    page.get_by_label("Prix payé").fill("250")
    page.get_by_role("button", name="Enregistrer l'article").click()
    expect(estimate.locator("#estimation-depassement")).to_have_text("Franchise dépassée de 120,00 €")
    row.get_by_role("button", name=re.compile("^Retirer")).click()
    row.get_by_role("button", name="Retirer", exact=True).click()
    expect(articles.locator("tbody tr")).to_have_count(2)
    add_item(page, "Casque audio", "Appareils électroniques (téléphones, ordinateurs…)", "200")
    expect(estimate.locator("#estimation-depassement")).to_have_text("Franchise dépassée de 70,00 €")

    # Step 3: what is sent, then « Déposer ».
    page.locator("#articles-continuer").click()
    expect(page.locator("#etape-titre")).to_contain_text("Vérifier et déposer")
    expect(page.locator("#declaration-faits")).to_contain_text("États-Unis (US)")
    expect(page.locator("#depot-pret")).to_be_visible()
    assert_accessible(page, "étape 3")
    page.get_by_role("button", name="Déposer la déclaration").click()
    expect(page.locator("#declaration-statut")).to_have_text("déposée")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^Déclaration DP-\d{4}-\d{6}$"))
    expect(page.locator("#telecharger-recapitulatif")).to_have_attribute(
        "href", re.compile(r"^/files/declarations/\d+\.pdf$")
    )
    assert_accessible(page, "déclaration déposée")
    return heading.inner_text().removeprefix("Déclaration ")


def test_jean_declares_claire_asks_jean_answers_live_and_claire_accepts(live_server, people):
    jean, claire = people(), people()
    log_in(jean, live_server, JEAN)
    reference = declare_trip(jean, live_server)
    estimated = jean.locator("#estimation-total").inner_text()

    # Claire: from her workspace to the queue, then the declaration.
    log_in(claire, live_server, CLAIRE, "/douane")
    claire.locator("#onglet-declarations").click()
    expect(claire.get_by_role("heading", level=1)).to_have_text("Déclarations des particuliers")
    claire.get_by_label("Rechercher une déclaration").fill(reference)
    claire.get_by_role("button", name="Rechercher", exact=True).click()
    row = claire.locator("#tableau-declarations tbody tr", has_text=reference)
    expect(row).to_contain_text("Jean Petit")
    expect(row).to_contain_text("Whisky")
    assert_accessible(claire, "file des déclarations")
    row.get_by_role("link", name=reference).click()
    expect(claire.get_by_role("heading", level=1)).to_have_text(f"Déclaration {reference}")
    expect(claire.locator("#declaration-articles")).to_contain_text("litres : 1")
    expect(claire.locator("#estimation-depassement")).to_have_text("Franchise dépassée de 70,00 €")
    expect(claire.locator("#historique-liste")).to_contain_text("Déclaration déposée")

    claire.get_by_role("button", name="Prendre en charge").click()
    expect(claire.locator("#declaration-statut")).to_have_text("en cours d'examen")
    expect(jean.locator("#declaration-statut")).to_have_text("en cours d'examen", timeout=LIVE * 4)
    claire.get_by_role("button", name="Demander un complément").click()
    claire.get_by_role("button", name="Confirmer : demander un complément").click()
    expect(field_error(claire, "complement-message")).to_have_text(
        "Écrivez ce que le déclarant doit préciser ou fournir."
    )
    expect(claire.locator("#complement-erreurs")).to_be_visible()
    assert_accessible(claire, "demande de complément refusée")
    claire.get_by_label("Ce que le déclarant doit préciser ou fournir").fill("Joignez la facture du casque.")
    claire.get_by_role("button", name="Confirmer : demander un complément").click()
    expect(claire.locator("#declaration-statut")).to_have_text("complément demandé")

    # Jean's page, open all along: the request shows without a reload; he answers.
    request = jean.locator("#demande-complement")
    expect(request).to_contain_text("Joignez la facture du casque.", timeout=LIVE * 4)
    expect(jean.locator("#declaration-statut")).to_have_text("complément demandé")
    expect(jean.locator("#declaration-annonce")).to_contain_text("la douane demande un complément")
    assert_accessible(jean, "complément demandé")
    jean.get_by_role("button", name="Envoyer ma réponse").click()
    expect(field_error(jean, "reponse-douane")).to_have_text("Répondez à la douane : écrivez votre réponse.")
    jean.get_by_label("Votre réponse").fill("La facture de 200 € est dans le colis.")
    jean.get_by_role("button", name="Envoyer ma réponse").click()
    # Back to Claire, who had taken it: « en cours d'examen », not the office's queue again.
    expect(jean.locator("#declaration-statut")).to_have_text("en cours d'examen")
    expect(jean.locator("#historique-liste")).to_contain_text("La facture de 200 € est dans le colis.")

    # « Mes déclarations » in another tab of Jean's: « En attente », found by its reference (the address says so).
    listing = people(beside=jean)
    listing.goto(live_server.url + f"/particulier?onglet=en-attente&q={reference}")
    expect(listing.get_by_role("tab", name=re.compile("^En attente"))).to_have_attribute("aria-selected", "true")
    expect(listing.get_by_label("Rechercher une déclaration")).to_have_value(reference)
    waiting = listing.locator("#tableau-declarations tbody tr", has_text=reference)
    expect(waiting).to_contain_text("en cours d'examen")

    # Claire's page follows; she accepts with the amount due, the estimate proposed.
    expect(claire.locator("#historique-liste")).to_contain_text(
        "La facture de 200 € est dans le colis.", timeout=LIVE * 4
    )
    expect(claire.locator("#declaration-statut")).to_have_text("en cours d'examen")
    expect(claire.get_by_role("button", name="Prendre en charge")).to_have_count(0)
    claire.get_by_role("button", name="Accepter", exact=True).click()
    proposed = claire.get_by_label("Montant dû, en euros")
    amount = re.search(r"([\d\s\u00a0]+(?:,\d+)?)\s*€", estimated).group(1).replace("\u00a0", "").replace(" ", "")
    expect(proposed).to_have_value(amount.removesuffix(",00"))
    proposed.fill("abc")
    claire.get_by_role("button", name="Confirmer : accepter").click()
    expect(field_error(claire, "acceptation-montant")).to_have_text(
        "Le montant dû doit être un nombre (par exemple 33,50)."
    )
    proposed.fill("33,50")
    claire.get_by_label("Message au déclarant (facultatif)").fill("À régler en ligne.")
    claire.get_by_role("button", name="Confirmer : accepter").click()
    expect(claire.locator("#declaration-statut")).to_have_text("acceptée")
    expect(claire.locator("#examen-boutons")).to_have_count(0)

    # Jean's list leaves « En attente » by itself; his page shows « acceptée » and the amount due, live.
    expect(waiting).to_have_count(0, timeout=LIVE * 4)
    expect(listing.locator("#declarations-annonce")).to_contain_text("Liste mise à jour")
    expect(listing.locator("#tableau-declarations")).to_contain_text("Aucune déclaration ne correspond")
    expect(jean.locator("#declaration-statut")).to_have_text("acceptée", timeout=LIVE * 4)
    expect(jean.locator("#montant-du")).to_have_text("Montant à payer : 33,50 €.")
    expect(jean.locator("#historique-liste")).to_contain_text("À régler en ligne.")
    expect(jean.locator("#formulaire-message-declaration")).to_be_visible()  # he may still write to customs
    assert_accessible(jean, "déclaration acceptée")
    assert_accessible(claire, "déclaration acceptée, côté douane")

    # « Mes déclarations »: under « Terminées », with the amount.
    jean.get_by_role("link", name="Mes déclarations").click()
    jean.get_by_role("tab", name=re.compile("^Terminées")).click()
    jean.get_by_label("Rechercher une déclaration").fill(reference)
    jean.get_by_role("button", name="Rechercher", exact=True).click()
    expect(jean).to_have_url(re.compile(r"onglet=terminees"))
    done = jean.locator("#tableau-declarations tbody tr", has_text=reference)
    expect(done).to_contain_text("Montant dû : 33,50 €")


def test_a_purchase_asks_for_the_ioss_number_and_converts_at_the_dated_rate(live_server, page):
    log_in(page, live_server, JEAN, "/particulier/nouvelle")
    tick(page, "J'ai acheté en ligne et le colis vient d'un pays hors de l'Union européenne")
    page.get_by_role("button", name="Commencer la déclaration").click()
    expect(page.locator("#etape-titre")).to_contain_text("Votre achat")
    tick(page.locator("#achat-tva"), "Oui")
    page.get_by_label("Pays d'où le colis est expédié").fill("CN")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    problems = {
        "achat-date": "Indiquez la date de la commande.",
        "achat-vendeur": "Indiquez le vendeur ou le site de la commande.",
        "achat-ioss": "Indiquez le numéro IOSS du vendeur (IM suivi de 10 chiffres).",
    }
    for element_id, message in problems.items():
        expect(field_error(page, element_id)).to_have_text(message)
        expect(page.locator(f"#{element_id}")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#faits-erreurs p")).to_have_text(list(problems.values()))
    # The alert above the form moves nothing below it: each field still takes what is typed.
    page.get_by_label("Vendeur ou site de la commande").fill("Boutique Exemple")
    expect(page.get_by_label("Vendeur ou site de la commande")).to_have_value("Boutique Exemple")
    page.get_by_label("Date de la commande").fill(paris_today().isoformat())
    page.locator("#achat-devise").select_option("USD")
    page.get_by_label("Numéro IOSS du vendeur").fill("IM2500012345")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    expect(page.locator("#etape-titre")).to_contain_text("Vos articles")
    expect(page.locator("#article-devise")).to_have_value("USD")  # the order's currency
    add_item(page, "Robe", "Vêtements", "60")
    conversions = page.locator("#estimation-conversions")
    expect(conversions).to_contain_text("Robe : 60,00 USD = ")
    expect(conversions).to_contain_text(re.compile(r"1 € = [\d,]+ USD, taux du \d{2}/\d{2}/\d{4}"))
    expect(page.locator("#estimation-a-savoir")).to_contain_text("IM2500012345")


def test_hugos_office_has_no_declaration_and_says_so(live_server, page):
    log_in(page, live_server, HUGO, "/douane/declarations")
    expect(page.get_by_role("heading", level=1)).to_have_text("Déclarations des particuliers")
    expect(page.locator("#declarations")).to_contain_text(
        re.compile(
            r"Aucune déclaration de particulier n'a été adressée à votre bureau \w+ : il n'y a rien à examiner"
        )
    )
    for label in ("À traiter", "En attente", "Terminées"):
        expect(page.get_by_role("tab", name=re.compile(f"^{label}"))).to_contain_text("0")


def test_jeans_home_leads_to_his_declarations_not_to_a_missing_page(live_server, page):
    log_in(page, live_server, JEAN)
    card = page.get_by_role("link", name="Déclarer un achat ou des effets personnels")
    expect(card).to_have_attribute("href", "/particulier")
    card.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes déclarations")
    expect(page.get_by_text("Page non trouvée")).to_have_count(0)
    expect(page.get_by_role("banner")).not_to_contain_text("SOPRANO")


def test_each_side_asking_the_others_declaration_page_is_told_plainly(live_server, people):
    jean, marie = people(), people()
    log_in(jean, live_server, JEAN, "/douane/declarations")
    expect(jean.locator("#declaration-refus")).to_contain_text("réservée aux agents des douanes")
    expect(jean.get_by_role("link", name="Mes déclarations")).to_have_attribute("href", "/particulier")
    assert_accessible(jean, "un particulier dans l'espace agent")
    log_in(marie, live_server, MARIE, "/particulier/nouvelle")
    expect(marie.locator("#declaration-refus")).to_contain_text("Cette fonction est réservée aux particuliers")
    expect(marie.get_by_role("button", name="Commencer la déclaration")).to_have_count(0)
    assert_accessible(marie, "un professionnel dans les déclarations")
