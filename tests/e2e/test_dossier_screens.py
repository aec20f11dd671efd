"""Filing an application in a real browser: « Déposer un nouveau dossier », the editor (tabs, fields from the API's form
model, « Contrôler » with inline errors and a summary, « Sauvegarder », « Valider »), goods lines, attachments through
the page's upload form, drafts reopened from /soprano, concurrent saves, and a consult-only collaborator.

The test database is shared by the whole session: every test works on dossiers it creates.
"""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from backend.clock import paris_today
from tests.conftest import graphql, login
from tests.e2e.test_access_screens import accept_terms_if_asked, log_in, tick

pytestmark = pytest.mark.browser

SOPHIE = "sophie.moreau@ateliers-durand.fr"  # collaborator of Ateliers Durand, right « déposer »
PAUL = "paul.lefevre@ateliers-durand.fr"  # collaborator of Ateliers Durand, right « consulter »
KARIM = "karim.benali@logistique-rhone.fr"  # external partner of Ateliers Durand, right « préparer »
IPO_TAB = "Données spécifiques – Perfectionnement actif"

FORM_MODEL = """
{ procedures { code rubriques { code label hasGoods fields { path label kind mandatory prefilled codeList } } } }
"""

# A real (tiny) PDF document: the portal checks the type from the content, not from the name.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)


# --- helpers ------------------------------------------------------------------------------------------------------


def field_id(path: str) -> str:
    return "champ-" + path.replace(".", "-")


def form_model(live_server, procedure: str) -> list[dict]:
    """The rubriques and fields of a procedure, as the API publishes them to every client."""
    response = httpx.post(live_server.url + "/graphql", json={"query": FORM_MODEL}, timeout=20)
    response.raise_for_status()
    return next(p for p in response.json()["data"]["procedures"] if p["code"] == procedure)["rubriques"]


def sample_value(field: dict) -> str | None:
    """A plausible answer for a field of the form model (None: the first entry of its code list / « Oui »)."""
    samples = {
        "applicant.contactPhone": "04 72 00 00 00",
        "applicant.customsOffice": "FR000690",
        "validation.date": paris_today().isoformat(),
    }
    if field["path"] in samples:
        return samples[field["path"]]
    return {
        "TEXT": f"Essai – {field['label']}",
        "TEXTAREA": f"Réponse d'essai pour « {field['label']} ».",
        "EMAIL": "contact@ateliers-durand.fr",
        "INTEGER": "12",
        "DECIMAL": "1,5",
        "DATE": paris_today().isoformat(),
    }.get(field["kind"])


def open_tab(page: Page, label: str) -> None:
    tab = page.get_by_role("tab", name=label)
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")


def fill_field(page: Page, field: dict, value: str | None) -> None:
    """Answer one field as a person does: type, choose in the list, or click the label of a choice."""
    id = field_id(field["path"])
    kind = field["kind"]
    if kind == "BOOLEAN":
        page.locator(f"label[for='{id}-{value or 'oui'}']").click()
        expect(page.locator(f"#{id}-{value or 'oui'}")).to_be_checked()
    elif kind == "CODES":
        group = page.locator(f"#{id}")
        box = group.get_by_role("checkbox").first if value is None else page.locator(f"#{id}-{value}")
        page.locator(f"label[for='{box.get_attribute('id')}']").click()
        expect(box).to_be_checked()
    elif kind == "CODE":
        select = page.locator(f"#{id}")
        if value is None:
            select.select_option(index=1)
        else:
            select.select_option(value)
    else:
        page.locator(f"#{id}").fill(value or "")


def fill_mandatory_fields(page: Page, rubriques: list[dict], answers: dict[str, str | None] | None = None) -> None:
    """Every mandatory field of the form model that is not prefilled, plus `answers` (path → value), tab by tab."""
    answers = answers or {}
    for rubrique in rubriques:
        fields = [
            f
            for f in rubrique["fields"]
            if f["path"] in answers or (f["mandatory"] and not f["prefilled"] and f["kind"] != "STORAGE_PLACES")
        ]
        if not fields:
            continue
        open_tab(page, rubrique["label"])
        for field in fields:
            fill_field(page, field, answers.get(field["path"], sample_value(field)))


def create_dossier_in_browser(page: Page, live_server, procedure_label: str) -> str:
    """From /soprano: « Déposer un nouveau dossier » → type → procedure → the new draft's editor. Its reference."""
    page.goto(live_server.url + "/soprano")
    accept_terms_if_asked(page)
    page.get_by_role("link", name="Déposer un nouveau dossier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Déposer un nouveau dossier")
    expect(page.get_by_text("Étape 1 sur 2")).to_be_visible()
    page.get_by_label("Type d'autorisation").select_option(label="Régime particulier")
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_text("Étape 2 sur 2")).to_be_visible()
    choices = page.get_by_role("group", name="Régime particulier demandé")
    expect(choices.get_by_role("radio")).to_have_count(5)
    tick(choices, procedure_label)
    page.get_by_role("button", name="Continuer").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Dossier SOP-")
    # The new draft has its own address: a reload (or a bookmark) opens it again.
    expect(page).to_have_url(re.compile(r"/dossiers/[A-Za-z0-9=]+$"))
    return heading.inner_text().removeprefix("Dossier ").strip()


def create_dossier_by_api(live_server, provider, sub: str, procedure: str) -> dict:
    client = login(live_server, provider, sub)
    try:
        terms = graphql(client, "{ termsOfUse { version accepted } }").json()["data"]["termsOfUse"]
        if not terms["accepted"]:
            graphql(
                client, "mutation($v: String!) { acceptTerms(version: $v) { accepted } }", {"v": terms["version"]}
            )
        body = graphql(
            client,
            "mutation($p: ProcedureCode!) { createDossier(procedure: $p) { id reference version } }",
            {"p": procedure},
        ).json()
    finally:
        client.close()
    assert "errors" not in body, body
    return body["data"]["createDossier"]


def add_goods_line(page: Page, kind_title: str, values: dict[str, str]) -> None:
    section = page.locator("section.portal-goods", has=page.get_by_role("heading", name=kind_title))
    form = section.locator("form")
    form.get_by_label("Code NC").fill(values["cnCode"])
    form.get_by_label("Désignation").fill(values["description"])
    form.get_by_label("Quantité").fill(values["quantity"])
    form.get_by_label("Unité").select_option(label=values["unit"])
    if values.get("value"):
        form.get_by_label("Valeur (€)").fill(values["value"])
    form.get_by_role("button", name="Ajouter la ligne").click()
    expect(section.locator("tbody tr", has_text=values["description"])).to_have_count(1)
    expect(form.get_by_label("Code NC")).to_have_value("")


# --- tests --------------------------------------------------------------------------------------------------------


def test_sophie_files_an_inward_processing_application_with_prior_export_end_to_end(live_server, page):
    rubriques = form_model(live_server, "IPO")
    log_in(page, live_server, SOPHIE, "/soprano")
    reference = create_dossier_in_browser(page, live_server, "Perfectionnement actif")
    header = page.locator("#dossier-entete")
    expect(header).to_contain_text("Perfectionnement actif")
    expect(header).to_contain_text("Régime particulier – IPO")
    expect(header).to_contain_text("Ateliers Durand SA")
    expect(page.locator("#dossier-statut")).to_have_text("brouillon")
    # Prefilled from the operator, and marked so.
    expect(page.get_by_label("Nom du demandeur")).to_have_value("Ateliers Durand SA")
    expect(page.locator("label[for='champ-applicant-name']")).to_contain_text("pré-rempli, modifiable")

    # Prior export asked without equivalent goods: « Contrôler » says why, next to the field and in the summary.
    open_tab(page, IPO_TAB)
    tick(page.get_by_role("group", name="Exportation anticipée (EX/IM)"), "Oui")
    tick(page.get_by_role("group", name="Utilisation de marchandises équivalentes"), "Non")
    page.get_by_role("button", name="Contrôler").click()
    message = "L'exportation anticipée ne peut être sollicitée que si l'utilisation de marchandises équivalentes"
    expect(page.locator("#champ-specific-priorExport-message-error")).to_contain_text(message)
    expect(page.get_by_role("group", name="Exportation anticipée (EX/IM)")).to_have_attribute(
        "aria-invalid", "true"
    )
    summary = page.locator("#points-a-corriger")
    expect(summary).to_contain_text("points à corriger")
    expect(summary).to_contain_text(message)
    # A link of the summary opens the field's tab and puts the focus on it.
    open_tab(page, "Demandeur")
    summary.get_by_role("link", name=re.compile("Exportation anticipée")).click()
    expect(page.get_by_role("tab", name=re.compile("Données spécifiques"))).to_have_attribute(
        "aria-selected", "true"
    )
    expect(page.locator("#champ-specific-priorExport-oui")).to_be_focused()

    # Fixed: equivalent goods used, import period of 6 months; then every other mandatory field.
    fill_mandatory_fields(
        page,
        rubriques,
        {
            "specific.equivalentGoods": "oui",
            "specific.priorExport": "oui",
            "specific.importPeriodMonths": "6",
            "goods.yieldRate": "100 kg de tôles donnent 92 kg de structures.",
        },
    )
    page.get_by_role("button", name="Sauvegarder").click()
    expect(page.locator("#dossier-message")).to_contain_text("Dossier sauvegardé (version 2)")
    expect(page.locator("#dossier-entete")).to_contain_text("Sophie Moreau")

    # Goods to place and a processed product.
    open_tab(page, "Marchandises et produits")
    add_goods_line(
        page,
        "Marchandises à placer sous le régime",
        {
            "cnCode": "72081000",
            "description": "Tôles d'acier laminées à chaud",
            "quantity": "1000",
            "unit": "kilogramme",
            "value": "850,00",
        },
    )
    add_goods_line(
        page,
        "Produits transformés",
        {"cnCode": "73089098", "description": "Structures métalliques", "quantity": "920", "unit": "kilogramme"},
    )
    page.get_by_role("button", name="Contrôler").click()
    expect(page.locator("#dossier-message")).to_contain_text("Aucun point à corriger")
    expect(page.locator("#points-a-corriger")).to_have_count(0)

    # A real PDF through the page's upload form (a plain multipart POST, back to the dossier with a message).
    page.locator("#piece-jointe-fichier").set_input_files(
        {"name": "statuts-ateliers-durand.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Joindre le fichier").click()
    expect(page.locator("#pieces-jointes-resultat")).to_contain_text(
        "Pièce jointe « statuts-ateliers-durand.pdf » ajoutée"
    )
    row = page.locator("#table-pieces-jointes tbody tr", has_text="statuts-ateliers-durand.pdf")
    expect(row).to_contain_text("PDF")
    expect(row).to_contain_text("Sophie Moreau")
    expect(row.get_by_role("link", name=re.compile("Télécharger"))).to_have_attribute(
        "href", re.compile(r"^/files/\d+$")
    )
    # The page was reloaded: what was saved is still there.
    expect(page.get_by_label("Période d'importation (mois)")).to_have_value("6")

    page.get_by_role("button", name="Valider").click()
    expect(page.locator("#dossier-message")).to_contain_text("Dossier déposé")
    expect(page.locator("#dossier-statut")).to_have_text("déposé")
    expect(page.locator("#historique-liste")).to_contain_text("Dossier déposé")
    # Read-only from now on.
    expect(page.get_by_role("button", name="Sauvegarder")).to_have_count(0)
    expect(page.get_by_role("button", name="Valider")).to_have_count(0)
    open_tab(page, IPO_TAB)
    expect(page.locator("#rubrique-specific")).to_contain_text("Période d'importation (mois)")

    # The home page lists it as submitted, « En attente » (with customs).
    page.goto(live_server.url + "/soprano")
    page.get_by_role("tab", name=re.compile("^En attente")).click()
    listed = page.locator("#tableau-dossiers tbody tr", has_text=reference)
    expect(listed).to_contain_text("Perfectionnement actif")
    expect(listed).to_contain_text("déposé")


def test_a_draft_left_and_reopened_from_soprano_keeps_its_saved_values(live_server, page):
    log_in(page, live_server, SOPHIE, "/soprano")
    reference = create_dossier_in_browser(page, live_server, "Destination particulière")
    page.get_by_label("Personne à contacter").fill("Jeanne Brouillon")
    page.get_by_label("Courriel du contact").fill("jeanne.brouillon@ateliers-durand.fr")
    open_tab(page, "Données spécifiques – Destination particulière")
    page.get_by_label("Unité de mesure").select_option(label="kilogramme")
    page.get_by_label("Premier lieu d'utilisation").fill("Usine de Vénissieux, 69200 Vénissieux")
    page.get_by_role("button", name="Sauvegarder").click()
    expect(page.locator("#dossier-message")).to_contain_text("Dossier sauvegardé")
    # Typed after the save and left: not kept.
    open_tab(page, "Demandeur")
    page.get_by_label("Téléphone du contact").fill("non sauvegardé")

    page.goto(live_server.url + "/soprano")
    row = page.locator("#tableau-dossiers tbody tr", has_text=reference)  # « À traiter »: a draft to finish
    expect(row).to_contain_text("brouillon")
    expect(row).to_contain_text("Destination particulière")
    row.get_by_role("link", name=reference).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dossier {reference}")
    expect(page.get_by_label("Personne à contacter")).to_have_value("Jeanne Brouillon")
    expect(page.get_by_label("Courriel du contact")).to_have_value("jeanne.brouillon@ateliers-durand.fr")
    expect(page.get_by_label("Téléphone du contact")).to_have_value("")
    open_tab(page, "Données spécifiques – Destination particulière")
    expect(page.get_by_label("Unité de mesure")).to_have_value("KGM")
    expect(page.get_by_label("Premier lieu d'utilisation")).to_have_value("Usine de Vénissieux, 69200 Vénissieux")


def test_tabs_follow_the_arrow_keys_and_help_bubbles_open_and_close(live_server, page):
    log_in(page, live_server, SOPHIE, "/soprano")
    create_dossier_in_browser(page, live_server, "Admission temporaire")
    first = page.get_by_role("tab", name="Demandeur")
    first.focus()
    page.keyboard.press("ArrowRight")
    second = page.get_by_role("tab", name="Comptabilités / écritures")
    expect(second).to_have_attribute("aria-selected", "true")
    expect(second).to_be_focused()
    expect(page.get_by_role("tabpanel", name="Comptabilités / écritures")).to_be_visible()
    page.keyboard.press("End")
    expect(page.get_by_role("tab", name=re.compile("Données spécifiques"))).to_be_focused()
    page.keyboard.press("Home")
    expect(first).to_be_focused()

    bubble = page.get_by_role("button", name="Aide : Bureau de douane destinataire")
    expect(bubble).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#champ-applicant-customsOffice-aide")).to_be_hidden()
    bubble.click()
    expect(bubble).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#champ-applicant-customsOffice-aide")).to_contain_text("FR000690")
    expect(page.get_by_label("Bureau de douane destinataire")).to_have_attribute(
        "aria-describedby", re.compile("champ-applicant-customsOffice-aide")
    )
    bubble.click()
    expect(page.locator("#champ-applicant-customsOffice-aide")).to_be_hidden()
    # Mandatory: a red asterisk, and « obligatoire » for screen readers.
    label = page.locator("label[for='champ-applicant-customsOffice']")
    expect(label.locator(".portal-required")).to_contain_text("*")
    expect(label).to_contain_text("(obligatoire)")

    # On a phone, nothing is wider than the screen (the tab list scrolls in its own box).
    page.set_viewport_size({"width": 390, "height": 800})
    expect(page.get_by_role("tablist")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_second_concurrent_save_gets_the_conflict_naming_the_first_person_and_keeps_its_input(
    live_server, provider, browser, page
):
    dossier = create_dossier_by_api(live_server, provider, SOPHIE, "TEA")
    path = f"/dossiers/{dossier['id']}"

    # Sophie opens the draft; so does Karim (partner, « préparer ») in another browser.
    log_in(page, live_server, SOPHIE, path)
    accept_terms_if_asked(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dossier {dossier['reference']}")
    context = browser.new_context(locale="fr-FR")
    try:
        other = context.new_page()
        other.set_default_timeout(15000)
        log_in(other, live_server, KARIM, path)
        accept_terms_if_asked(other)
        expect(other.get_by_role("heading", level=1)).to_have_text(f"Dossier {dossier['reference']}")

        # « préparer »: he saves and checks; submitting is for someone with « déposer ».
        expect(other.get_by_role("button", name="Valider")).to_have_count(0)
        expect(other.get_by_role("main")).to_contain_text("une personne habilitée à déposer le validera")
        other.get_by_label("Personne à contacter").fill("Karim Benali")
        other.get_by_role("button", name="Sauvegarder").click()
        expect(other.locator("#dossier-message")).to_contain_text("Dossier sauvegardé")
    finally:
        context.close()

    page.get_by_label("Personne à contacter").fill("Sophie Moreau")
    page.get_by_role("button", name="Sauvegarder").click()
    alert = page.locator("#dossier-message")
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).to_contain_text("Le dossier n'a pas été sauvegardé")
    expect(alert).to_contain_text("modifié par Karim Benali")
    expect(alert).to_contain_text("Votre saisie est conservée")
    expect(page.get_by_label("Personne à contacter")).to_have_value("Sophie Moreau")

    # Karim's value is the one saved.
    page.reload()
    expect(page.get_by_label("Personne à contacter")).to_have_value("Karim Benali")


def test_consult_only_collaborator_reads_a_dossier_without_save_or_submit(live_server, provider, page):
    dossier = create_dossier_by_api(live_server, provider, SOPHIE, "EUS")
    log_in(page, live_server, PAUL, f"/dossiers/{dossier['id']}")
    accept_terms_if_asked(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dossier {dossier['reference']}")
    expect(page.get_by_role("main")).to_contain_text("vous permet de consulter ce dossier, pas de le modifier")
    for name in ("Contrôler", "Sauvegarder", "Valider", "Ajouter la ligne", "Joindre le fichier"):
        expect(page.get_by_role("button", name=name)).to_have_count(0)
    # The answers read as text, not as inputs.
    expect(page.locator("#rubrique-applicant dl")).to_contain_text("Ateliers Durand SA")
    expect(page.locator("#rubrique-applicant input")).to_have_count(0)

    # Filing a new one is not offered (the API says he may not), and its address says why before any step.
    page.goto(live_server.url + "/soprano")
    expect(page.get_by_role("heading", level=2, name="Mes dossiers")).to_be_visible()
    expect(page.get_by_role("link", name="Déposer un nouveau dossier")).to_have_count(0)
    page.goto(live_server.url + "/dossiers/nouveau")
    expect(page.locator("#depot-impossible")).to_contain_text(
        "Votre droit sur Ateliers Durand SA ne permet pas de préparer ni de déposer un dossier."
    )
    expect(page.get_by_label("Type d'autorisation")).to_have_count(0)


def test_unknown_dossier_address_says_not_found(live_server, page):
    log_in(page, live_server, SOPHIE, "/dossiers/RG9zc2llcjo5OTk5OTk=")
    accept_terms_if_asked(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dossier introuvable")
    expect(page.get_by_role("alert")).to_contain_text("n'existe pas ou vous n'y avez pas accès")


def test_goods_lines_are_added_checked_edited_and_removed_with_api_errors_next_to_their_field(
    live_server, provider, page
):
    dossier = create_dossier_by_api(live_server, provider, SOPHIE, "EUS")
    log_in(page, live_server, SOPHIE, f"/dossiers/{dossier['id']}")
    accept_terms_if_asked(page)
    open_tab(page, "Marchandises et produits")
    section = page.locator("section.portal-goods", has=page.get_by_role("heading", name="Marchandises à placer"))
    form = section.get_by_role("form", name=re.compile("Ajouter"))

    # A malformed CN code: the API refuses the line, its message next to the field, the input kept.
    form.get_by_label("Code NC").fill("12AB")
    form.get_by_label("Désignation").fill("Gazole pour engins agricoles")
    form.get_by_role("button", name="Ajouter la ligne").click()
    expect(page.locator("#ajouter-GOODS-cnCode-message-error")).to_contain_text("Le code NC comporte 8 chiffres")
    expect(form.get_by_label("Code NC")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_label("Désignation")).to_have_value("Gazole pour engins agricoles")

    # Incomplete (no value): accepted as a draft line, and « Contrôler » names what is missing in its row.
    form.get_by_label("Code NC").fill("27102011")
    form.get_by_label("Quantité").fill("1500")
    form.get_by_label("Unité").select_option(label="litre")
    form.get_by_role("button", name="Ajouter la ligne").click()
    row = section.locator("tbody tr", has_text="Gazole pour engins agricoles")
    expect(row).to_contain_text("27102011")
    expect(row).to_contain_text("1\u00a0500")
    expect(row).to_contain_text("litre")
    page.get_by_role("button", name="Contrôler").click()
    expect(row).to_contain_text("La valeur est obligatoire.")
    expect(page.locator("#points-a-corriger")).to_contain_text("La valeur est obligatoire.")
    expect(page.get_by_role("tab", name=re.compile("Marchandises et produits"))).to_contain_text(
        "points à corriger"
    )

    # « Modifier »: the line's form, the value added; the row's problem goes away.
    row.get_by_role("button", name=re.compile("Modifier")).click()
    edit = section.get_by_role("form", name=re.compile("Modifier la ligne"))
    expect(edit.get_by_label("Code NC")).to_be_focused()
    expect(edit.get_by_label("Code NC")).to_have_value("27102011")
    edit.get_by_label("Valeur (€)").fill("1234,5")
    edit.get_by_role("button", name="Enregistrer la ligne").click()
    expect(edit).to_have_count(0)
    expect(row).to_contain_text("1\u00a0234,50")
    expect(row).not_to_contain_text("La valeur est obligatoire.")

    # « Supprimer », confirmed.
    row.get_by_role("button", name=re.compile("Supprimer")).click()
    expect(row).to_contain_text("Supprimer la ligne « Gazole pour engins agricoles » ?")
    row.get_by_role("button", name="Confirmer la suppression").click()
    expect(section.locator("tbody tr", has_text="Gazole pour engins agricoles")).to_have_count(0)
    expect(section).to_contain_text("Ligne « Gazole pour engins agricoles » supprimée.")


def test_upload_saves_the_typed_answers_first_refuses_a_disguised_file_and_keeps_removed_files_in_history(
    live_server, provider, page
):
    dossier = create_dossier_by_api(live_server, provider, SOPHIE, "CW")
    log_in(page, live_server, SOPHIE, f"/dossiers/{dossier['id']}")
    accept_terms_if_asked(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dossier {dossier['reference']}")

    # A text file named .pdf: the type is read from the content, the refusal comes back as ?erreur=.
    upload = page.locator("#piece-jointe-fichier")
    upload.set_input_files({"name": "faux.pdf", "mimeType": "application/pdf", "buffer": b"rien d'un PDF"})
    page.get_by_role("button", name="Joindre le fichier").click()
    expect(page).to_have_url(re.compile(r"\?erreur="))
    expect(page.locator("#pieces-jointes-resultat")).to_have_attribute("role", "alert")
    expect(page.locator("#pieces-jointes-resultat")).to_contain_text("Type de fichier non accepté")
    expect(page.locator("#pieces-jointes-resultat")).to_be_focused()

    # Typed, not saved, then a file joined: the answers are saved before the page reloads.
    page.get_by_label("Personne à contacter").fill("Louis Entrepôt")
    expect(page.get_by_text("Vos modifications non sauvegardées seront d'abord sauvegardées.")).to_be_visible()
    page.locator("#piece-jointe-fichier").set_input_files(
        {"name": "plan des locaux.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Joindre le fichier").click()
    expect(page.locator("#pieces-jointes-resultat")).to_contain_text(
        "Pièce jointe « plan des locaux.pdf » ajoutée"
    )
    expect(page.get_by_label("Personne à contacter")).to_have_value("Louis Entrepôt")
    row = page.locator("#table-pieces-jointes tbody tr", has_text="plan des locaux.pdf")
    expect(row).to_contain_text("1 Ko")

    # The file downloads, with the access check of the portal's session.
    href = row.get_by_role("link", name=re.compile("Télécharger")).get_attribute("href")
    response = page.request.get(live_server.url + href)
    assert response.status == 200 and response.body() == PDF

    row.get_by_role("button", name=re.compile("Retirer")).click()
    row.get_by_role("button", name="Confirmer le retrait").click()
    expect(page.locator("#pieces-jointes-message")).to_contain_text("retirée (elle reste dans l'historique)")
    expect(page.locator("#table-pieces-jointes tbody tr", has_text="plan des locaux.pdf")).to_have_count(0)

    toggle = page.get_by_role("button", name="Consulter l'historique des pièces jointes")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    version = page.locator("#historique-pieces-jointes tbody tr", has_text="plan des locaux.pdf")
    expect(version).to_have_count(1)
    expect(version).to_contain_text("Sophie Moreau")  # added by, and removed by
    expect(version).not_to_contain_text("—")
    expect(page.locator("#historique-liste")).to_contain_text("Pièce jointe retirée")


def test_a_malformed_answer_is_refused_at_save_next_to_its_field_and_valider_lists_what_is_missing(
    live_server, provider, page
):
    dossier = create_dossier_by_api(live_server, provider, SOPHIE, "OPO")
    log_in(page, live_server, SOPHIE, f"/dossiers/{dossier['id']}")
    accept_terms_if_asked(page)
    email = page.get_by_label("Courriel du contact")
    email.fill("pas-une-adresse")
    page.get_by_role("button", name="Sauvegarder").click()
    expect(page.locator("#champ-applicant-contactEmail-message-error")).to_contain_text(
        "n'est pas une adresse électronique valide"
    )
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#points-a-corriger")).to_contain_text("Valeur refusée")
    expect(email).to_have_value("pas-une-adresse")

    email.fill("contact@ateliers-durand.fr")
    page.get_by_role("button", name="Valider").click()
    summary = page.locator("#points-a-corriger")
    expect(summary).to_contain_text("points à corriger")
    expect(summary).to_contain_text("Ajoutez au moins une marchandise à placer sous le régime.")
    expect(page.locator("#dossier-message")).to_contain_text("Le dossier n'a pas été déposé")
    expect(page.locator("#dossier-statut")).to_have_text("brouillon")
    # The valid e-mail was saved on the way.
    page.reload()
    expect(page.get_by_label("Courriel du contact")).to_have_value("contact@ateliers-durand.fr")


def test_customs_warehouse_storage_places_are_added_checked_against_the_warehouse_type_and_kept(
    live_server, provider, page
):
    dossier = create_dossier_by_api(live_server, provider, SOPHIE, "CW")
    log_in(page, live_server, SOPHIE, f"/dossiers/{dossier['id']}")
    accept_terms_if_asked(page)
    open_tab(page, "Données spécifiques – Entrepôt douanier")
    page.get_by_label("Type d'entrepôt").select_option(label="Entrepôt douanier public de type I")
    places = page.get_by_role("group", name="Installations de stockage")
    places.get_by_role("button", name="Ajouter une installation de stockage").click()
    places.get_by_role("button", name="Ajouter une installation de stockage").click()
    first = places.get_by_role("group", name="Installation de stockage n° 1")
    first.get_by_label("Nom").fill("Entrepôt de Corbas")
    first.get_by_label("Pays").select_option(label="France")
    first.get_by_label("Adresse").fill("1 rue du Stockage, 69960 Corbas")
    first.get_by_label("Courriel").fill("pas-une-adresse")
    page.get_by_role("button", name="Sauvegarder").click()
    # The API names the storage place's part it refuses.
    expect(page.locator("#champ-specific-storagePlaces-0-email-message-error")).to_contain_text(
        "Adresse électronique de l'installation invalide"
    )

    first.get_by_label("Courriel").fill("corbas@ateliers-durand.fr")
    page.get_by_role("button", name="Contrôler").click()
    # A public type I warehouse has exactly one storage place; the second one lacks its name, country and address.
    expect(page.locator("#champ-specific-storagePlaces-message-error")).to_contain_text(
        "Un seul lieu de stockage est autorisé"
    )
    expect(page.locator("#champ-specific-storagePlaces-1-name-message-error")).to_contain_text(
        "Indiquez le nom de l'installation de stockage."
    )
    places.get_by_role("button", name="Retirer l'installation n° 2").click()
    expect(places.get_by_role("group", name=re.compile("Installation de stockage n°"))).to_have_count(1)
    page.get_by_role("button", name="Sauvegarder").click()
    expect(page.locator("#dossier-message")).to_contain_text("Dossier sauvegardé")
    expect(page.locator("#dossier-entete")).to_contain_text("Régime particulier – CW1")

    page.reload()
    open_tab(page, "Données spécifiques – Entrepôt douanier")
    first = page.get_by_role("group", name="Installation de stockage n° 1")
    expect(first.get_by_label("Nom")).to_have_value("Entrepôt de Corbas")
    expect(first.get_by_label("Pays")).to_have_value("FR")
    expect(first.get_by_label("Courriel")).to_have_value("corbas@ateliers-durand.fr")
    expect(page.get_by_role("group", name="Installation de stockage n° 2")).to_have_count(0)
