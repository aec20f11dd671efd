"""Issue 10, in a real browser: whatever the typing speed and however late the server's renders come, a field holds
exactly what was typed, what is saved is exactly that, and a form the program empties after success is empty.

The server is slowed by delaying every render of the UI's layout: keystrokes then arrive while older renders are
still on their way, which is what a fast typist, a paste-then-edit or a distant server produces."""

from __future__ import annotations

import asyncio
import random

import pytest
from playwright.sync_api import Page, expect
from reactpy.core.layout import Layout

from tests.conftest import graphql, login
from tests.e2e.test_access_screens import MARIE, accept_terms_if_asked, log_in
from tests.e2e.test_dossier_screens import SOPHIE, create_dossier_by_api, open_tab

pytestmark = pytest.mark.browser

CONTACT = "Sophie Moreau-Lefèvre, service des douanes"
PLACE = "Ateliers Durand SA, 12 rue des Forges, 69007 Lyon (bâtiment B, quai 3)"


@pytest.fixture
def slow_renders(monkeypatch):
    """Every render of the UI waits 40 ms before it is sent, as a loaded or distant server would."""
    render = Layout.render

    async def slowed(self):
        await asyncio.sleep(0.04)
        return await render(self)

    monkeypatch.setattr(Layout, "render", slowed)


def saved_answers(live_server, provider, dossier_id: str) -> dict:
    client = login(live_server, provider, SOPHIE)
    try:
        body = graphql(client, "query($id: ID!) { dossier(id: $id) { answers } }", {"id": dossier_id}).json()
    finally:
        client.close()
    assert "errors" not in body, body
    return body["data"]["dossier"]["answers"]


@pytest.mark.parametrize("delay", [0, 2, 5])
def test_text_typed_at_any_speed_into_a_slow_server_is_kept_and_saved_character_for_character(
    page: Page, live_server, provider, slow_renders, delay: int
) -> None:
    dossier = create_dossier_by_api(live_server, provider, SOPHIE, "EUS")
    log_in(page, live_server, SOPHIE, f"/dossiers/{dossier['id']}")
    accept_terms_if_asked(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dossier {dossier['reference']}")

    open_tab(page, "Demandeur")
    contact = page.locator("#champ-applicant-contactName")
    contact.fill("")
    contact.click()
    page.keyboard.type(CONTACT, delay=delay)
    open_tab(page, "Données spécifiques")
    place = page.locator("#champ-specific-firstPlaceOfUse")
    place.click()
    page.keyboard.type(PLACE, delay=delay)
    # Nothing the browser holds was overwritten by a late render, even once the server has caught up.
    page.wait_for_timeout(500)
    expect(place).to_have_value(PLACE)
    open_tab(page, "Demandeur")
    expect(contact).to_have_value(CONTACT)

    page.get_by_role("button", name="Sauvegarder").click()
    expect(page.locator("#dossier-message")).to_contain_text("Dossier sauvegardé")
    answers = saved_answers(live_server, provider, dossier["id"])
    assert answers["applicant.contactName"] == CONTACT
    assert answers["specific.firstPlaceOfUse"] == PLACE

    page.reload()
    open_tab(page, "Demandeur")
    expect(page.locator("#champ-applicant-contactName")).to_have_value(CONTACT)


def test_a_token_name_typed_fast_is_created_as_typed_and_the_form_is_emptied_afterwards(
    page: Page, live_server, slow_renders
) -> None:
    log_in(page, live_server, MARIE, "/jetons")
    accept_terms_if_asked(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes jetons d'accès API")
    form = page.get_by_role("form", name="Créer un jeton")
    name = f"Logiciel de gestion des stocks {random.randint(1000, 9999)}"
    form.get_by_label("Nom du jeton").click()
    page.keyboard.type(name, delay=0)
    form.get_by_role("button", name="Créer le jeton").click()
    expect(page.get_by_text("Copiez ce jeton maintenant : il ne sera plus affiché.")).to_be_visible()
    expect(page.locator("#table-jetons tbody tr", has_text=name)).to_contain_text("actif")
    # The program emptied the field after success: the browser shows it empty, and typing starts afresh.
    field = form.get_by_label("Nom du jeton")
    expect(field).to_have_value("")
    field.click()
    page.keyboard.type("Second", delay=0)
    expect(field).to_have_value("Second")


def test_leaving_an_editor_with_unsaved_changes_asks_first_and_staying_keeps_them(
    page: Page, live_server, provider
) -> None:
    dossier = create_dossier_by_api(live_server, provider, SOPHIE, "EUS")
    log_in(page, live_server, SOPHIE, f"/dossiers/{dossier['id']}")
    accept_terms_if_asked(page)
    url = page.url
    asked: list[str] = []

    def stay(dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    open_tab(page, "Demandeur")
    contact = page.locator("#champ-applicant-contactName")
    contact.fill("")
    contact.click()
    page.keyboard.type("Jeanne Martin", delay=10)
    expect(page.locator("#etat-saisie")).to_have_text("Modifications non sauvegardées.")

    # « Mes dossiers » (a link of the portal): the browser asks; staying keeps the page and what was typed.
    page.get_by_role("link", name="Mes dossiers").first.click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert page.url == url
    expect(contact).to_have_value("Jeanne Martin")

    # Saved, the page may go without a word.
    page.get_by_role("button", name="Sauvegarder").click()
    expect(page.locator("#dossier-message")).to_contain_text("Dossier sauvegardé")
    expect(page.locator("#etat-saisie")).to_have_text("")
    page.get_by_role("link", name="Mes dossiers").first.click()
    expect(page).to_have_url(live_server.url + "/soprano")
    assert asked == ["beforeunload"]
