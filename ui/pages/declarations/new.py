"""/particulier/nouvelle « Nouvelle déclaration »: what is declared — goods brought back from a trip outside the EU,
or an online purchase delivered from outside the EU — each explained in one sentence; the draft the API creates then
opens on its own page."""

from __future__ import annotations

import json
from typing import Any

from reactpy import component, event, html, use_state

from ui.client import GraphQLClientError, use_client
from ui.components.feedback import alert
from ui.components.focus import focus_script
from ui.components.forms import NO_ERRORS, Choice, FormErrors, form_error_alert, radio_group, submit_button
from ui.pages.declarations.gates import declarant_gate, declarant_href
from ui.pages.declarations.presentation import slot
from ui.routes import DECLARANT_PATH

TITLE = "Nouvelle déclaration"
KINDS = [
    Choice(
        "TRIP",
        "Je rentre d'un voyage hors de l'Union européenne",
        "Vous rapportez en France des achats ou des effets personnels d'un pays hors de l'Union européenne "
        "(par exemple les États-Unis, la Suisse ou le Maroc).",
    ),
    Choice(
        "PURCHASE",
        "J'ai acheté en ligne et le colis vient d'un pays hors de l'Union européenne",
        "Vous avez commandé sur un site ou auprès d'un vendeur qui vous envoie le colis depuis un pays hors de "
        "l'Union européenne (par exemple la Chine ou le Royaume-Uni).",
    ),
]
FIELD = "type-declaration"


@component
def new_declaration_form():
    client = use_client()
    chosen, set_chosen = use_state("")
    errors, set_errors = use_state(NO_ERRORS)
    busy, set_busy = use_state(False)
    opened, set_opened = use_state(None)
    focus, set_focus = use_state((None, 0))

    @event(prevent_default=True)
    async def start(event):
        if not chosen:  # no request can be made without it
            set_errors(FormErrors.of("Choisissez ce que vous voulez déclarer.", FIELD))
            set_focus(lambda current: (f"{FIELD}-0", current[1] + 1))
            return
        set_busy(True)
        try:
            data = await client.execute("CreatePrivateDeclaration", {"kind": chosen})
        except GraphQLClientError as error:
            set_errors(FormErrors.from_error(error))
            set_focus(lambda current: ("nouvelle-erreurs", current[1] + 1))
            set_busy(False)
            return
        set_opened(data["createPrivateDeclaration"]["id"])

    if opened:
        return html.div(
            alert("success", ["Déclaration commencée : ouverture…"], id="declaration-creee"),
            html.script({"key": opened}, f"window.location.assign({json.dumps(declarant_href(opened))});"),
        )
    return html.form(
        {"onSubmit": start, "noValidate": True, "aria-labelledby": "nouvelle-titre", "className": "portal-form"},
        slot("erreurs", form_error_alert(errors, "nouvelle-erreurs", level=2)),
        radio_group(
            FIELD,
            "Que voulez-vous déclarer ?",
            KINDS,
            chosen,
            lambda value: (set_chosen(value), set_errors(NO_ERRORS)),
            error=errors.get(FIELD),
        ),
        html.p(
            {"className": "fr-text--sm"},
            "Vous pourrez ensuite ajouter vos articles un par un ; rien n'est envoyé à la douane avant que vous "
            "déposiez la déclaration.",
        ),
        html.ul(
            {"className": "fr-btns-group fr-btns-group--inline-sm"},
            html.li(submit_button("Commencer la déclaration", busy)),
            html.li(html.a({"className": "fr-btn fr-btn--tertiary", "href": DECLARANT_PATH}, "Annuler")),
        ),
        focus_script(focus[0], focus[1]),
    )


@component
def new_declaration_page(me: dict[str, Any] | None):
    def render():
        return html.div(
            html.p(
                {"className": "fr-text--sm fr-mb-1w"},
                html.a({"className": "fr-link", "href": DECLARANT_PATH}, "Mes déclarations"),
            ),
            html.h1({"id": "nouvelle-titre"}, TITLE),
            new_declaration_form(),
        )

    return declarant_gate(me, TITLE, render)
