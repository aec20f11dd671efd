"""/operateur « Choisir l'opérateur représenté »: a representative or partner picks the operator they act for."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reactpy import component, event, html, use_state

from ui import formatting
from ui.client import GraphQLClientError, use_client
from ui.components.access import TERMS_NOT_ACCEPTED, soprano_gate, terms_screen
from ui.components.feedback import success_alert
from ui.components.forms import (
    NO_ERRORS,
    Choice,
    FormErrors,
    form_error_alert,
    radio_group,
    submit_button,
    use_form_values,
)
from ui.components.layout import actionable_operators

PATH = "/operateur"
TITLE = "Choisir l'opérateur représenté"


def _choice(entry: dict[str, Any]) -> Choice:
    operator = entry["operator"]
    details = [
        f"SIRET {formatting.siret(operator['siret'])}",
        f"SIREN {formatting.siren(operator['siren'])}",
        entry["viaLabel"],
    ]
    if entry.get("scopeLabel"):
        details.append(entry["scopeLabel"])
    details.append(f"droit : {entry['rightLabel']}")
    if entry.get("isActing"):
        details.append("opérateur actuel")
    return Choice(operator["id"], operator["legalName"], " · ".join(details))


@component
def operator_choice(me: dict[str, Any], reload_me: Callable[[], None]):
    client = use_client()
    entries = actionable_operators(me)
    acting = me.get("actingOperator")
    form = use_form_values(selected=acting["id"] if acting else None)
    selected = form["selected"]
    confirming, set_confirming = use_state(False)
    errors, set_errors = use_state(NO_ERRORS)
    done, set_done = use_state(None)
    busy, set_busy = use_state(False)
    needs_terms, set_needs_terms = use_state(False)
    by_id = {entry["operator"]["id"]: entry["operator"] for entry in entries}

    @event(prevent_default=True)
    def ask_confirmation(event):
        if form.latest()["selected"] not in by_id:
            set_errors(FormErrors.of("Choisissez l'opérateur pour lequel vous voulez agir.", "operateur"))
            return
        set_errors(NO_ERRORS)
        set_done(None)
        set_confirming(True)

    async def confirm(event):
        chosen = form.latest()["selected"]
        set_busy(True)
        try:
            await client.execute("SelectActingOperator", {"operatorId": chosen})
        except GraphQLClientError as error:
            set_busy(False)
            set_confirming(False)
            if TERMS_NOT_ACCEPTED in error.codes:
                set_needs_terms(True)
                return
            set_errors(FormErrors.from_error(error))
            return
        set_busy(False)
        set_confirming(False)
        set_done(by_id[chosen])
        reload_me()

    if needs_terms:

        def accepted():
            set_needs_terms(False)
            reload_me()

        return terms_screen(accepted)

    heading = [
        html.h1(TITLE),
        html.p(
            "Un représentant en douane ou un partenaire habilité agit pour l'un des opérateurs ci-dessous. "
            "Votre choix vaut pour toute votre session."
        ),
    ]
    if not entries:
        return html.div(
            *heading,
            html.p(
                "Vous n'avez aucun droit sur SOPRANO : demandez une habilitation à l'administrateur de votre opérateur."
            ),
        )
    if confirming:
        operator = by_id[selected]
        return html.div(
            *heading,
            html.section(
                {"className": "fr-callout", "aria-labelledby": "confirmation-titre"},
                html.h2({"className": "fr-callout__title", "id": "confirmation-titre"}, "Confirmation"),
                html.p(
                    {"className": "fr-callout__text"},
                    f"Confirmer : vous allez agir pour {operator['legalName']} "
                    f"(SIRET {formatting.siret(operator['siret'])}).",
                ),
                html.ul(
                    {"className": "fr-btns-group fr-btns-group--inline fr-mt-2w"},
                    html.li(
                        html.button(
                            {"type": "button", "className": "fr-btn", "onClick": confirm, "disabled": busy},
                            "Confirmer",
                        )
                    ),
                    html.li(
                        html.button(
                            {
                                "type": "button",
                                "className": "fr-btn fr-btn--secondary",
                                "onClick": lambda event: set_confirming(False),
                            },
                            "Annuler",
                        )
                    ),
                ),
            ),
        )
    return html.div(
        *heading,
        success_alert(
            [
                f"Vous agissez désormais pour {done['legalName']} (SIRET {formatting.siret(done['siret'])}).",
            ],
            title="Opérateur choisi",
            id="operateur-choisi",
            level=2,  # under the page's h1
        )
        if done
        else "",
        form_error_alert(errors, "operateur-erreurs", level=2),
        html.form(
            {"onSubmit": ask_confirmation, "noValidate": True},
            radio_group(
                "operateur",
                "Opérateur pour lequel vous agissez",
                [_choice(entry) for entry in entries],
                selected,
                form.setter("selected"),
                error=errors.get("operateur"),
            ),
            submit_button("Continuer", False),
        ),
        html.p(
            {"className": "fr-mt-4w"}, html.a({"className": "fr-link", "href": "/soprano"}, "Retour à SOPRANO")
        ),
    )


@component
def operator_choice_page(me: dict[str, Any] | None, reload_me: Callable[[], None]):
    return soprano_gate(me, reload_me, TITLE, PATH, lambda: operator_choice(me, reload_me))
