"""/assistance/question: « Assistance réglementaire » — a question to the economic action unit (PAE) of an office:
the subject, the message and either the dossier it is about (reached from a dossier's page, ?dossier=<id>: its
office answers) or the office's code. Every mistake is told at once next to its field, nothing typed is lost; once
asked, the request's page opens."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from reactpy import component, event, html, use_async_effect, use_location, use_state

from ui.client import GraphQLClientError, use_client
from ui.components.feedback import error_alert
from ui.components.focus import focus_script
from ui.components.forms import (
    NO_ERRORS,
    form_error_alert,
    submit_button,
    text_input,
    textarea_input,
    use_form_values,
)
from ui.dossier_form import dossier_href, dossier_id_from_path
from ui.pages.assistance.forms import first_focus, opening, placed
from ui.pages.assistance.gates import assistance_gate
from ui.pages.assistance.presentation import back_link
from ui.pages.declarations.presentation import slot
from ui.routes import ASSISTANCE_PATH

TITLE = "Poser une question à la douane"
SUBJECT, MESSAGE, OFFICE = "question-objet", "question-message", "question-bureau"
ELEMENTS = {"subject": SUBJECT, "message": MESSAGE, "office": OFFICE, "dossierId": OFFICE}
SUMMARY = "question-erreurs"
LOADING = object()


def dossier_from_query(query_string: str) -> str | None:
    values = parse_qs((query_string or "").lstrip("?")).get("dossier") or [""]
    value = values[0].strip()
    return dossier_id_from_path(value) if value else None


@component
def question_form(dossier_id: str | None):
    client = use_client()
    form = use_form_values(subject="", message="", office="")
    errors, set_errors = use_state(NO_ERRORS)
    busy, set_busy = use_state(False)
    focus, set_focus = use_state((None, 0))
    opened, set_opened = use_state(None)
    dossier, set_dossier = use_state(LOADING if dossier_id else None)

    @use_async_effect(dependencies=[dossier_id])
    async def load():
        if not dossier_id:
            return
        try:
            data = await client.execute("DossierForQuestion", {"id": dossier_id})
        except GraphQLClientError:
            data = {"dossier": None}
        set_dossier(data["dossier"])

    @event(prevent_default=True)
    async def ask(event):
        values = form.latest()
        set_busy(True)
        variables: dict[str, Any] = {"subject": values["subject"], "message": values["message"]}
        if dossier:
            variables["dossierId"] = dossier["id"]
        else:
            variables["office"] = values["office"].strip().upper() or None
        try:
            data = await client.execute("AskRegulatoryQuestion", variables)
        except GraphQLClientError as error:
            found = placed(error, ELEMENTS)
            set_errors(found)
            set_focus(lambda current: (first_focus(found, [SUBJECT, MESSAGE, OFFICE], SUMMARY), current[1] + 1))
            set_busy(False)
            return
        asked = data["askRegulatoryQuestion"]
        set_opened(asked)

    if opened:
        return opening(opened["id"], f"Question {opened['reference']} envoyée : ouverture…")
    if dossier is LOADING:
        where = html.p({"aria-busy": "true"}, "Chargement du dossier…")
    elif dossier:
        office = dossier.get("customsOffice")
        where = html.div(
            {"className": "fr-callout fr-mb-3w", "id": "question-dossier"},
            html.p({"className": "fr-callout__text fr-text--md"},
                   "Votre question porte sur le dossier ",
                   html.a({"href": dossier_href(dossier["id"])}, dossier["reference"]),
                   f" ({dossier['procedureLabel']}). Elle est adressée au bureau de douane qui instruit ce dossier"
                   + (f" : {office}." if office else ".")),
        )  # fmt: skip
    else:
        where = html.div(
            error_alert("Ce dossier est introuvable : indiquez le bureau de douane à qui poser votre question.")
            if dossier_id
            else "",
            text_input(OFFICE, "Bureau de douane", form["office"], form.setter("office"),
                       error=errors.get(OFFICE), required=True, autoComplete="off", spellCheck="false",
                       hint="Le code du bureau : le code pays suivi de 6 caractères, par exemple FR000690."),
        )  # fmt: skip
    return html.form(
        {"onSubmit": ask, "noValidate": True, "aria-labelledby": "question-titre", "className": "portal-form",
         "id": "formulaire-question"},
        slot("erreurs", form_error_alert(errors, SUMMARY, level=2)),
        slot("ou", where),
        text_input(SUBJECT, "Objet", form["subject"], form.setter("subject"), error=errors.get(SUBJECT),
                   required=True, maxLength=200, hint="En quelques mots, ce sur quoi porte votre question."),
        textarea_input(MESSAGE, "Votre question", form["message"], form.setter("message"),
                       error=errors.get(MESSAGE), required=True, rows=6, max_length=4000,
                       hint="La cellule conseil aux entreprises (PAE) du bureau vous répond sur la page de la "
                            "demande."),
        html.ul(
            {"className": "fr-btns-group fr-btns-group--inline-sm"},
            html.li(submit_button("Envoyer la question", busy)),
            html.li(html.a({"className": "fr-btn fr-btn--tertiary",
                            "href": dossier_href(dossier_id) if dossier_id else ASSISTANCE_PATH}, "Annuler")),
        ),
        focus_script(focus[0], focus[1]),
    )  # fmt: skip


@component
def question_page(me: dict[str, Any] | None):
    location = use_location()
    dossier_id = dossier_from_query(location.query_string or "")

    def render():
        return html.div(
            back_link(dossier_href(dossier_id), "Retour au dossier") if dossier_id
            else back_link(ASSISTANCE_PATH, "Assistance"),
            html.h1({"id": "question-titre"}, TITLE),
            html.p({"className": "fr-text--lead"},
                   "Assistance réglementaire : une question sur un régime particulier, un dossier ou une "
                   "autorisation, posée à la cellule conseil aux entreprises (PAE) du bureau de douane."),
            question_form(dossier_id, key=dossier_id or "bureau"),
        )  # fmt: skip

    return assistance_gate(me, TITLE, render)
