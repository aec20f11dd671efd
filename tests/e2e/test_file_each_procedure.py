"""Filing each special procedure in a real browser, as a person does (issue: « an operator can file each of the five
procedures in the browser »). Inward processing is filed end to end in test_dossier_screens.py; here: temporary
admission, end-use, customs warehousing (public type I with its single storage place, private without approved
premises with two) and outward processing (standard exchange system with its replacement product).

Sophie Moreau (right « déposer » on Ateliers Durand) goes « Déposer un nouveau dossier » → « Régime particulier » →
the procedure, answers every mandatory field of every rubrique by typing, choosing in lists and ticking « Oui » /
« Non », adds the goods lines in the goods tables, clicks « Contrôler » and is told of one mistake next to its field,
corrects it, « Contrôler » again (nothing left), « Valider »: the page shows the dossier « déposé » with its reference.
The API then reads the dossier SUBMITTED, with the answers and goods lines she typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from backend.clock import paris_today
from tests.conftest import graphql, login
from tests.e2e.test_access_screens import log_in, tick
from tests.e2e.test_dossier_screens import add_goods_line, create_dossier_in_browser, open_tab

pytestmark = pytest.mark.browser

SOPHIE = "sophie.moreau@ateliers-durand.fr"  # collaborator of Ateliers Durand, right « déposer »
TODAY = paris_today()
GOODS_TAB = "Marchandises et produits"
GOODS_TABLE = "Marchandises à placer sous le régime"

READ_BACK = """
query($id: ID!) {
  dossier(id: $id) {
    reference status procedureCode authorisationType answers
    goods { kind cnCode description quantity unit value }
  }
}
"""


# --- how a person answers -----------------------------------------------------------------------------------------


def panel(page: Page, code: str) -> Locator:
    """The tab panel of a rubrique (every panel stays in the page; only the active one is visible)."""
    return page.locator(f"#rubrique-{code}")


def type_in(scope: Locator, label: str, value: str) -> None:
    box = scope.get_by_label(label)
    box.fill(value)
    expect(box).to_have_value(value)


def choose(scope: Locator, label: str, option: str) -> None:
    scope.get_by_label(label).select_option(label=option)


def answer(page: Page, question: str, choice: str) -> None:
    """« Oui » or « Non » to a question (a radio group named by its question)."""
    tick(page.get_by_role("group", name=question), choice)


GOODS_AGGREGATES = {"goods.lines": "GOODS", "goods.processed": "PROCESSED", "goods.replacement": "REPLACEMENT"}


def problem_shown(page: Page, path: str) -> Locator:
    """Where the editor shows a problem next to what it concerns: under the field, or above the goods table."""
    if path in GOODS_AGGREGATES:
        return page.locator(f"#marchandises-{GOODS_AGGREGATES[path]}-erreur")
    return page.locator(f"#champ-{path.replace('.', '-')}-message-error")


def expect_problem_next_to_field(page: Page, path: str, message: str) -> None:
    expect(problem_shown(page, path)).to_contain_text(message)
    if path not in GOODS_AGGREGATES:  # the input (or the group of inputs) is marked invalid
        expect(page.locator(f"#champ-{path.replace('.', '-')}")).to_have_attribute("aria-invalid", "true")


def check_goods_form(page: Page, title: str, cn_hint: str, value_required: bool) -> None:
    """The form under a goods table marks what « Contrôler » requires of a line, and says how to write its code."""
    form = page.locator("section.portal-goods", has=page.get_by_role("heading", name=title)).locator("form")
    for label in ("Code NC", "Désignation", "Quantité", "Unité"):
        expect(form.get_by_label(label)).to_have_attribute("aria-required", "true")
    value = form.get_by_label("Valeur (€)")
    if value_required:
        expect(value).to_have_attribute("aria-required", "true")
    else:
        expect(value).not_to_have_attribute("aria-required", "true")
    expect(form.locator("label[for$='-cnCode']")).to_contain_text(cn_hint)


@dataclass
class Scenario:
    """One procedure filed in the browser: what the person answers, the mistake « Contrôler » finds, its fix."""

    procedure: str  # ProcedureCode of the API
    label: str  # as listed at step 2 of « Déposer un nouveau dossier »
    authorisation_type: str
    fill_specific: Callable[[Page], None]
    goods: list[tuple[str, dict[str, str]]]  # (table title, line) added before the first « Contrôler »
    mistakes: list[tuple[str, str]]  # (problem path, message) at the first « Contrôler »
    fix: Callable[[Page], None]
    answers: dict[str, Any]  # what the API must hold afterwards (besides the common answers)
    yield_rate: str | None = None  # processing procedures ask the rate of yield
    goods_after_fix: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    # Lines of the summary at the first « Contrôler »: one per mistake, unless a mistake breaks two rules.
    summary_items: int = 1


# --- the common rubriques -----------------------------------------------------------------------------------------

COMMON_ANSWERS: dict[str, Any] = {
    "applicant.name": "Ateliers Durand SA",  # prefilled, kept
    "applicant.siret": "55210055400013",
    "applicant.contactName": "Sophie Moreau",
    "applicant.contactPhone": "04 72 10 20 30",
    "applicant.contactEmail": "sophie.moreau@ateliers-durand.fr",
    "applicant.customsOffice": "FR000690",
    "applicant.applicationType": "FIRST",
    "applicant.accountsPlace": "Siège, 12 rue des Forges, 69007 Lyon",
    "accounts.type": "STOCK",
    "accounts.details": "Comptabilité matières tenue sur l'ERP de l'entreprise, un compte par régime.",
    "goods.identification": "Numéros de série relevés sur la déclaration et plaques d'identification.",
    "misc.placeOfProcessing": "Atelier de Vénissieux, 4 avenue de l'Industrie, 69200 Vénissieux",
    "misc.dischargePeriodMonths": 12,
    "validation.signatory": "Sophie Moreau, responsable douane",
    "validation.place": "Lyon",
    "validation.date": TODAY.isoformat(),
}


def fill_common_rubriques(page: Page, scenario: Scenario) -> None:
    open_tab(page, "Demandeur")
    applicant = panel(page, "applicant")
    # Prefilled from the operator: read, not typed.
    expect(applicant.get_by_label("Nom du demandeur")).to_have_value("Ateliers Durand SA")
    expect(applicant.get_by_label("SIRET")).to_have_value("55210055400013")
    type_in(applicant, "Personne à contacter", "Sophie Moreau")
    type_in(applicant, "Téléphone du contact", "04 72 10 20 30")
    type_in(applicant, "Courriel du contact", "sophie.moreau@ateliers-durand.fr")
    type_in(applicant, "Bureau de douane destinataire", "FR000690")
    choose(applicant, "Type de demande", "Première demande")
    type_in(applicant, "Lieu de tenue de la comptabilité principale", "Siège, 12 rue des Forges, 69007 Lyon")

    open_tab(page, "Comptabilités / écritures")
    accounts = panel(page, "accounts")
    choose(accounts, "Type de comptabilité principale", "Comptabilité matières (stocks)")
    type_in(accounts, "Description des écritures", COMMON_ANSWERS["accounts.details"])

    open_tab(page, GOODS_TAB)
    goods = panel(page, "goods")
    if scenario.yield_rate:
        type_in(goods, "Taux de rendement", scenario.yield_rate)
    type_in(goods, "Identification des marchandises", COMMON_ANSWERS["goods.identification"])
    processing = scenario.yield_rate is not None
    for title, line in scenario.goods:
        # 4-digit HS headings are admitted in processing only; the value is asked of the goods to place.
        hint = "position SH sont admis en perfectionnement" if processing else "8 chiffres."
        check_goods_form(page, title, hint, value_required=title == GOODS_TABLE)
        add_goods_line(page, title, line)

    open_tab(page, "Divers")
    misc = panel(page, "misc")
    type_in(misc, "Lieu de première utilisation ou de transformation", COMMON_ANSWERS["misc.placeOfProcessing"])
    type_in(misc, "Délai d'apurement (mois)", "12")

    open_tab(page, "Validation")
    validation = panel(page, "validation")
    type_in(validation, "Signataire", COMMON_ANSWERS["validation.signatory"])
    type_in(validation, "Lieu", "Lyon")
    type_in(validation, "Date", TODAY.isoformat())


# --- the procedures -----------------------------------------------------------------------------------------------


def tea_specific(page: Page) -> None:
    open_tab(page, "Données spécifiques – Admission temporaire")
    specific = panel(page, "specific")
    type_in(specific, "Utilisation prévue", "Démonstration et essais sur chantier avant achat éventuel.")
    type_in(specific, "Durée de séjour (mois)", "18")
    type_in(specific, "Lieu d'utilisation", "Chantier du Grand Parc, 69100 Villeurbanne")
    type_in(specific, "Mesures d'identification", "Numéro de série CAT0320XK01234 et photographies.")
    # Back to « Divers »: a period for discharge of 0 month, the mistake « Contrôler » will point at.
    open_tab(page, "Divers")
    type_in(panel(page, "misc"), "Délai d'apurement (mois)", "0")


def tea_fix(page: Page) -> None:
    type_in(panel(page, "misc"), "Délai d'apurement (mois)", "12")


def eus_specific(page: Page) -> None:
    open_tab(page, "Données spécifiques – Destination particulière")
    specific = panel(page, "specific")
    type_in(specific, "Informations complémentaires sur les marchandises à placer", "S. O.")
    # Not the unit of the goods to place (litres): the mistake « Contrôler » will point at.
    choose(specific, "Unité de mesure", "hectolitre")
    type_in(specific, "Premier lieu d'utilisation", "Exploitation Martin, 3 chemin des Vignes, 69400 Gleizé")
    type_in(specific, "Lieu d'utilisation secondaire", "S. O.")


def eus_fix(page: Page) -> None:
    choose(panel(page, "specific"), "Unité de mesure", "litre")


def storage_place(page: Page, number: int, values: dict[str, str]) -> None:
    places = page.get_by_role("group", name="Installations de stockage")
    places.get_by_role("button", name="Ajouter une installation de stockage").click()
    place = places.get_by_role("group", name=f"Installation de stockage n° {number}")
    type_in(place, "Nom", values["name"])
    place.get_by_label("Pays").select_option(label="France")
    type_in(place, "Adresse", values["address"])
    type_in(place, "Téléphone", values["phone"])
    type_in(place, "Courriel", values["email"])


CORBAS = {
    "name": "Entrepôt de Corbas",
    "address": "1 rue du Stockage, 69960 Corbas",
    "phone": "04 78 00 11 22",
    "email": "corbas@ateliers-durand.fr",
}
GERLAND = {
    "name": "Magasin de Gerland",
    "address": "40 avenue Tony Garnier, 69007 Lyon",
    "phone": "04 78 00 33 44",
    "email": "gerland@ateliers-durand.fr",
}


def stored(place: dict[str, str]) -> dict[str, Any]:
    return {**place, "country": "FR", "fax": None}


def cw1_specific(page: Page) -> None:
    open_tab(page, "Données spécifiques – Entrepôt douanier")
    specific = panel(page, "specific")
    choose(specific, "Type d'entrepôt", "Entrepôt douanier public de type I")
    # No storage place yet: the mistake « Contrôler » will point at.
    type_in(specific, "Taux de perte (%)", "0,5")
    answer(page, "Enlèvement temporaire", "Non")
    answer(page, "Stockage de marchandises de l'Union", "Non")
    answer(page, "Stockage de marchandises sous un autre régime", "Non")


def cw1_fix(page: Page) -> None:
    storage_place(page, 1, CORBAS)


def cwp_specific(page: Page) -> None:
    open_tab(page, "Données spécifiques – Entrepôt douanier")
    specific = panel(page, "specific")
    choose(specific, "Type d'entrepôt", "Entrepôt douanier privé sans agrément des locaux")
    answer(page, "Enlèvement temporaire", "Oui")
    type_in(
        specific,
        "Modalités de surveillance de l'enlèvement temporaire",
        "Demande préalable au bureau, inscription au registre des sorties.",
    )
    answer(page, "Stockage de marchandises de l'Union", "Oui")
    type_in(
        specific, "Mesures de distinction", "Zone séparée et marquée au sol, références distinctes dans l'ERP."
    )
    answer(page, "Stockage de marchandises sous un autre régime", "Non")


def cwp_fix(page: Page) -> None:
    storage_place(page, 1, CORBAS)
    storage_place(page, 2, GERLAND)


def opo_specific(page: Page) -> None:
    open_tab(page, "Données spécifiques – Perfectionnement passif")
    answer(page, "Utilisation de marchandises équivalentes", "Non")
    answer(page, "Système des échanges standard", "Oui")
    answer(page, "Échanges standard avec importation anticipée", "Non")
    answer(page, "Importation anticipée (IM/EX)", "Non")
    # No re-export deadline and no replacement product yet: what « Contrôler » will point at.


REEXPORT = (TODAY + dt.timedelta(days=90)).isoformat()
REPLACEMENT = {
    "cnCode": "85015230",
    "description": "Moteur électrique triphasé neuf de remplacement, 90 kW, même référence",
    "quantity": "1",
    "unit": "nombre d'articles (pièces)",
}


def opo_fix(page: Page) -> None:
    type_in(panel(page, "specific"), "Date limite de réexportation", REEXPORT)
    open_tab(page, GOODS_TAB)
    # A replacement product is described by its 8-digit CN code, even in processing.
    check_goods_form(page, "Produits de remplacement", "8 chiffres.", value_required=False)
    add_goods_line(page, "Produits de remplacement", REPLACEMENT)


SCENARIOS = [
    Scenario(
        procedure="TEA",
        label="Admission temporaire",
        authorisation_type="TEA",
        fill_specific=tea_specific,
        goods=[
            (
                GOODS_TABLE,
                {
                    "cnCode": "84295210",
                    "description": "Pelle hydraulique sur chenilles, n° de série CAT0320XK01234",
                    "quantity": "1",
                    "unit": "nombre d'articles (pièces)",
                    "value": "185000,00",
                },
            )
        ],
        mistakes=[
            (
                "misc.dischargePeriodMonths",
                "« Délai d'apurement (mois) » doit être d'au moins un mois.",
            )
        ],
        fix=tea_fix,
        answers={
            "specific.intendedUse": "Démonstration et essais sur chantier avant achat éventuel.",
            "specific.periodMonths": 18,
            "specific.placeOfUse": "Chantier du Grand Parc, 69100 Villeurbanne",
            "specific.identificationMeasures": "Numéro de série CAT0320XK01234 et photographies.",
        },
    ),
    Scenario(
        procedure="EUS",
        label="Destination particulière",
        authorisation_type="EUS",
        fill_specific=eus_specific,
        goods=[
            (
                GOODS_TABLE,
                {
                    "cnCode": "27102011",
                    "description": "Gazole pour engins agricoles",
                    "quantity": "15000",
                    "unit": "litre",
                    "value": "12345,60",
                },
            )
        ],
        mistakes=[
            (
                "specific.unit",
                "L'unité de mesure doit être la même que celle retenue pour les marchandises à placer.",
            )
        ],
        fix=eus_fix,
        answers={
            "specific.additionalGoodsInformation": "S. O.",
            "specific.unit": "LTR",
            "specific.firstPlaceOfUse": "Exploitation Martin, 3 chemin des Vignes, 69400 Gleizé",
            "specific.secondaryPlaceOfUse": "S. O.",
        },
    ),
    Scenario(
        procedure="CW",
        label="Entrepôt douanier",
        authorisation_type="CW1",
        fill_specific=cw1_specific,
        goods=[
            (
                GOODS_TABLE,
                {
                    "cnCode": "09011100",
                    "description": "Café vert non torréfié, non décaféiné, en sacs de 60 kg",
                    "quantity": "24000",
                    "unit": "kilogramme",
                    "value": "96000,00",
                },
            )
        ],
        mistakes=[
            (
                "specific.storagePlaces",
                "Un seul lieu de stockage est autorisé pour un entrepôt douanier public de type I.",
            )
        ],
        fix=cw1_fix,
        summary_items=2,  # no storage place at all, and not the single one of a public warehouse
        answers={
            "specific.warehouseType": "PUBLIC_1",
            "specific.storagePlaces": [stored(CORBAS)],
            "specific.lossRate": "0.5",
            "specific.temporaryRemoval": False,
            "specific.unionGoods": False,
            "specific.otherProcedureGoods": False,
        },
    ),
    Scenario(
        procedure="CW",
        label="Entrepôt douanier",
        authorisation_type="CWP",
        fill_specific=cwp_specific,
        goods=[
            (
                GOODS_TABLE,
                {
                    "cnCode": "22042109",
                    "description": "Vin rouge d'Afrique du Sud en bouteilles de 75 cl",
                    "quantity": "9000",
                    "unit": "litre",
                    "value": "54000,00",
                },
            )
        ],
        mistakes=[("specific.storagePlaces", "Indiquez au moins un lieu de stockage.")],
        fix=cwp_fix,
        summary_items=2,  # « obligatoire », and at least one place for a private warehouse without approval
        answers={
            "specific.warehouseType": "PRIVATE_UNAPPROVED",
            "specific.storagePlaces": [stored(CORBAS), stored(GERLAND)],
            "specific.temporaryRemoval": True,
            "specific.temporaryRemovalDetails": "Demande préalable au bureau, inscription au registre des sorties.",
            "specific.unionGoods": True,
            "specific.unionGoodsMeasures": "Zone séparée et marquée au sol, références distinctes dans l'ERP.",
            "specific.otherProcedureGoods": False,
        },
    ),
    Scenario(
        procedure="OPO",
        label="Perfectionnement passif",
        authorisation_type="OPO",
        fill_specific=opo_specific,
        yield_rate="1 moteur réparé pour 1 moteur exporté.",
        goods=[
            (
                GOODS_TABLE,
                {
                    "cnCode": "85015230",
                    "description": "Moteur électrique triphasé 90 kW à réparer, n° de série M90-4471",
                    "quantity": "1",
                    "unit": "nombre d'articles (pièces)",
                    "value": "24000,00",
                },
            ),
            (
                "Produits transformés",
                {
                    "cnCode": "85015230",
                    "description": "Moteur électrique triphasé 90 kW réparé, n° de série M90-4471",
                    "quantity": "1",
                    "unit": "nombre d'articles (pièces)",
                },
            ),
        ],
        mistakes=[
            ("specific.reexportDeadline", "Indiquez la date limite de réexportation."),
            (
                "goods.replacement",
                "Avec les échanges standard, décrivez le produit de remplacement",
            ),
        ],
        fix=opo_fix,
        summary_items=2,
        answers={
            "goods.yieldRate": "1 moteur réparé pour 1 moteur exporté.",
            "specific.equivalentGoods": False,
            "specific.standardExchange": True,
            "specific.standardExchangePriorImport": False,
            "specific.reexportDeadline": REEXPORT,
            "specific.priorImport": False,
        },
        goods_after_fix=[("Produits de remplacement", REPLACEMENT)],
    ),
]


def stored_line(kind: str, line: dict[str, str]) -> dict[str, Any]:
    """A goods line as the API gives it back (unit code, decimals with a point)."""
    units = {"litre": "LTR", "kilogramme": "KGM", "nombre d'articles (pièces)": "NAR"}
    value = line.get("value")
    return {
        "kind": kind,
        "cnCode": line["cnCode"],
        "description": line["description"],
        "quantity": line["quantity"],
        "unit": units[line["unit"]],
        "value": value.replace(",", ".") if value else None,
    }


KINDS = {GOODS_TABLE: "GOODS", "Produits transformés": "PROCESSED", "Produits de remplacement": "REPLACEMENT"}


# --- the test -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.authorisation_type)
def test_sophie_files_the_procedure_in_the_browser(live_server, provider, page, scenario: Scenario):
    log_in(page, live_server, SOPHIE, "/soprano")
    reference = create_dossier_in_browser(page, live_server, scenario.label)
    dossier_id = page.url.rsplit("/", 1)[1]
    expect(page.locator("#dossier-entete")).to_contain_text(scenario.label)
    expect(page.locator("#dossier-statut")).to_have_text("brouillon")

    fill_common_rubriques(page, scenario)
    scenario.fill_specific(page)

    # « Contrôler »: only the mistake is left, next to its field and in the summary.
    page.get_by_role("button", name="Contrôler").click()
    summary = page.locator("#points-a-corriger")
    expect(summary).to_be_visible()
    for path, message in scenario.mistakes:
        expect_problem_next_to_field(page, path, message)
        expect(summary).to_contain_text(message)
    expect(summary.locator("li")).to_have_count(scenario.summary_items)

    scenario.fix(page)
    page.get_by_role("button", name="Contrôler").click()
    expect(page.locator("#dossier-message")).to_contain_text("Aucun point à corriger")
    expect(summary).to_have_count(0)
    for path, _ in scenario.mistakes:
        expect(problem_shown(page, path)).to_have_count(0)

    page.get_by_role("button", name="Valider").click()
    message = page.locator("#dossier-message")
    expect(message).to_contain_text("Dossier déposé", timeout=20000)
    expect(message).to_contain_text(f"Le dossier {reference} a été déposé")
    expect(page.locator("#dossier-statut")).to_have_text("déposé")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dossier {reference}")
    expect(page.locator("#dossier-entete")).to_contain_text(f"Régime particulier – {scenario.authorisation_type}")
    expect(page.get_by_role("button", name="Valider")).to_have_count(0)

    # What the API holds: submitted, with every answer and goods line typed.
    client = login(live_server, provider, SOPHIE)
    try:
        body = graphql(client, READ_BACK, {"id": dossier_id}).json()
    finally:
        client.close()
    assert "errors" not in body, body
    dossier = body["data"]["dossier"]
    assert dossier["reference"] == reference
    assert dossier["status"] == "SUBMITTED"
    assert dossier["procedureCode"] == scenario.procedure
    assert dossier["authorisationType"] == scenario.authorisation_type
    expected = {**COMMON_ANSWERS, **scenario.answers}
    stored_answers = {path: dossier["answers"].get(path) for path in expected}
    assert stored_answers == expected
    lines = [stored_line(KINDS[title], line) for title, line in scenario.goods + scenario.goods_after_fix]
    assert sorted(dossier["goods"], key=repr) == sorted(lines, key=repr)
