"""/assistance/technique: « Assistance technique » — a problem reported to the portal's support: the subject, the
description and the page it came from (pre-filled from ?page=, which the header's « Aide » passes on). A screenshot
may then be joined on the request's page."""

from __future__ import annotations

from typing import Any

from reactpy import component, event, html, use_location, use_state

from ui.client import GraphQLClientError, use_client
from ui.components.focus import focus_script
from ui.components.forms import (
    NO_ERRORS,
    form_error_alert,
    submit_button,
    text_input,
    textarea_input,
    use_form_values,
)
from ui.pages.assistance.forms import first_focus, opening, placed
from ui.pages.assistance.gates import assistance_gate
from ui.pages.assistance.presentation import back_link, page_from_query
from ui.pages.declarations.presentation import slot
from ui.routes import ASSISTANCE_PATH

TITLE = "Signaler un problème technique"
SUBJECT, DESCRIPTION, PAGE = "ticket-objet", "ticket-description", "ticket-page"
ELEMENTS = {"subject": SUBJECT, "description": DESCRIPTION, "page": PAGE}
SUMMARY = "ticket-erreurs"


@component
def ticket_form(page: str):
    client = use_client()
    form = use_form_values(subject="", description="", page=page)
    errors, set_errors = use_state(NO_ERRORS)
    busy, set_busy = use_state(False)
    focus, set_focus = use_state((None, 0))
    opened, set_opened = use_state(None)

    @event(prevent_default=True)
    async def send(event):
        values = form.latest()
        set_busy(True)
        try:
            data = await client.execute(
                "OpenTechnicalTicket",
                {"subject": values["subject"], "description": values["description"],
                 "page": values["page"].strip() or None},
            )  # fmt: skip
        except GraphQLClientError as error:
            found = placed(error, ELEMENTS)
            set_errors(found)
            set_focus(lambda current: (first_focus(found, [SUBJECT, DESCRIPTION, PAGE], SUMMARY), current[1] + 1))
            set_busy(False)
            return
        set_opened(data["openTechnicalTicket"])

    if opened:
        return opening(opened["id"], f"Demande {opened['reference']} envoyée au support : ouverture…")
    return html.form(
        {"onSubmit": send, "noValidate": True, "aria-labelledby": "ticket-titre", "className": "portal-form",
         "id": "formulaire-ticket"},
        slot("erreurs", form_error_alert(errors, SUMMARY, level=2)),
        text_input(SUBJECT, "Objet", form["subject"], form.setter("subject"), error=errors.get(SUBJECT),
                   required=True, maxLength=200, hint="Par exemple : le bouton « Joindre le fichier » ne répond pas."),
        textarea_input(DESCRIPTION, "Description du problème", form["description"], form.setter("description"),
                       error=errors.get(DESCRIPTION), required=True, rows=6, max_length=4000,
                       hint="Ce que vous faisiez, ce que vous attendiez, ce qui s'est passé (message affiché…)."),
        text_input(PAGE, "Page concernée", form["page"], form.setter("page"), error=errors.get(PAGE),
                   hint="L'adresse de la page du portail où le problème se produit, par exemple /dossiers/nouveau.",
                   autoComplete="off", spellCheck="false"),
        html.p({"className": "fr-text--sm"},
               "Une fois la demande envoyée, vous pourrez y joindre une capture d'écran (PNG ou JPEG)."),
        html.ul(
            {"className": "fr-btns-group fr-btns-group--inline-sm"},
            html.li(submit_button("Envoyer au support", busy)),
            html.li(html.a({"className": "fr-btn fr-btn--tertiary", "href": ASSISTANCE_PATH}, "Annuler")),
        ),
        focus_script(focus[0], focus[1]),
    )  # fmt: skip


@component
def ticket_page(me: dict[str, Any] | None):
    location = use_location()
    page = page_from_query(location.query_string or "")

    def render():
        return html.div(
            back_link(ASSISTANCE_PATH, "Assistance"),
            html.h1({"id": "ticket-titre"}, TITLE),
            html.p({"className": "fr-text--lead"},
                   "Assistance technique : le support du portail vous répond sur la page de la demande."),
            ticket_form(page, key=page or "sans-page"),
        )  # fmt: skip

    return assistance_gate(me, TITLE, render)
