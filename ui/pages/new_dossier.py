"""/dossiers/nouveau « Déposer un nouveau dossier »: step 1 the type of authorisation (« Régime particulier »), step 2
the procedure (the API's catalogue, with its description); « Continuer » creates the draft for the operator one acts
for, and its editor opens in place, at its own address (/dossiers/<id>)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reactpy import component, event, html, use_async_effect, use_state

from ui import formatting
from ui.client import GraphQLClientError, use_client
from ui.components.access import LOADING, soprano_gate
from ui.components.feedback import error_alert, loading
from ui.components.focus import focus_script, replace_url_script
from ui.components.forms import (
    NO_ERRORS,
    Choice,
    FormErrors,
    radio_group,
    select_input,
    submit_button,
    use_form_values,
)
from ui.dossier_form import dossier_href
from ui.pages.dossier import dossier_loader

PATH = "/dossiers/nouveau"
TITLE = "Déposer un nouveau dossier"
# The only type of authorisation of this tele-service (the portal's other types are other tele-services).
AUTHORISATION_TYPES = [("SPECIAL_PROCEDURE", "Régime particulier")]
STEPS = ("Type d'autorisation", "Régime particulier demandé")
STEP_TITLE_ID = "etape-titre"


def stepper(step: int):
    current = STEPS[step - 1]
    following = STEPS[step] if step < len(STEPS) else None
    return html.div(
        {"className": "fr-stepper"},
        html.h2(
            {"className": "fr-stepper__title", "id": STEP_TITLE_ID},
            current,
            html.span({"className": "fr-stepper__state"}, f"Étape {step} sur {len(STEPS)}"),
        ),
        html.div(
            {
                "className": "fr-stepper__steps",
                "data-fr-current-step": str(step),
                "data-fr-steps": str(len(STEPS)),
            }
        ),
        html.p(
            {"className": "fr-stepper__details"},
            html.span({"className": "fr-text--bold"}, "Étape suivante : "),
            following,
        )
        if following
        else "",
    )


@component
def new_dossier_form(me: dict[str, Any]):
    client = use_client()
    procedures, set_procedures = use_state(LOADING)
    load_error, set_load_error = use_state(None)
    form = use_form_values(type="", procedure="")
    step, set_step = use_state(1)
    errors, set_errors = use_state(NO_ERRORS)
    needs_operator, set_needs_operator = use_state(False)
    busy, set_busy = use_state(False)
    created, set_created = use_state(None)
    focus, set_focus = use_state((None, 0))  # the element to focus after this render, and a counter

    def request_focus(element_id: str) -> None:
        set_focus(lambda current: (element_id, current[1] + 1))

    @use_async_effect(dependencies=[])
    async def load():
        try:
            data = await client.execute("Procedures")
        except GraphQLClientError as error:
            set_load_error(error.messages)
            return
        set_procedures(data["procedures"])

    @event(prevent_default=True)
    def choose_type(event):
        if not form.latest()["type"]:
            set_errors(FormErrors.of("Choisissez le type d'autorisation demandé.", "type"))
            request_focus("type-autorisation")
            return
        set_errors(NO_ERRORS)
        set_step(2)
        request_focus(STEP_TITLE_ID)

    @event(prevent_default=True)
    async def create(event):
        procedure = form.latest()["procedure"]
        if not procedure:
            set_errors(FormErrors.of("Choisissez le régime particulier demandé.", "procedure"))
            request_focus("regime-message-error")
            return
        set_busy(True)
        try:
            data = await client.execute("CreateDossier", {"procedure": procedure})
        except GraphQLClientError as error:
            set_busy(False)
            set_needs_operator("ACTING_OPERATOR_REQUIRED" in error.codes)
            problems = FormErrors.from_error(error)
            set_errors(problems)
            request_focus("regime-message-error" if problems.get("procedure") else "creation-erreur")
            return
        set_busy(False)
        set_created(data["createDossier"]["id"])

    if created:
        return html.div(
            replace_url_script(dossier_href(created)),
            dossier_loader(created, True, key=created),
        )
    acting = me.get("actingOperator")
    heading = [
        html.h1(TITLE),
        html.p(
            {"className": "fr-text--lead", "id": "depot-pour"},
            "Pour ",
            html.strong(acting["legalName"]),
            f" (SIRET {formatting.siret(acting['siret'])}).",
        )
        if acting
        else "",
    ]
    if not me.get("mayCreateDossier"):
        return html.div(
            *heading,
            html.div(
                {"className": "fr-alert fr-alert--info fr-mb-3w", "role": "status", "id": "depot-impossible"},
                html.h2({"className": "fr-alert__title"}, "Vous ne pouvez pas déposer de dossier"),
                html.p(
                    "Votre droit"
                    + (f" sur {acting['legalName']}" if acting else "")
                    + " ne permet pas de préparer ni de déposer un dossier. Demandez le droit « préparer » ou "
                    "« déposer » à l'administrateur de votre opérateur."
                ),
                html.p(html.a({"href": "/soprano", "className": "fr-link"}, "Revenir à mes dossiers")),
            ),
        )
    if load_error:
        return html.div(*heading, error_alert(load_error))
    if procedures is LOADING:
        return html.div(*heading, loading())

    refusal = (
        html.div(
            {"className": "fr-alert fr-alert--error fr-mb-3w", "role": "alert", "id": "creation-erreur"},
            html.h3({"className": "fr-alert__title"}, "Le dossier n'a pas été créé"),
            [html.p({"key": str(i)}, m) for i, m in enumerate(errors.messages)],
            html.p(
                html.a(
                    {"href": "/operateur", "className": "fr-link"}, "Choisir l'opérateur pour lequel vous agissez"
                )
            )
            if needs_operator
            else "",
        )
        if errors and not errors.fields
        else ""
    )

    if step == 1:
        body = html.form(
            {
                "onSubmit": choose_type,
                "noValidate": True,
                "className": "portal-form",
            },
            select_input(
                "type-autorisation",
                "Type d'autorisation",
                form["type"],
                AUTHORISATION_TYPES,
                form.setter("type"),
                error=errors.get("type"),
                hint="Ce téléservice instruit les demandes d'autorisation de régime particulier.",
                required=True,
            ),
            submit_button("Continuer", False),
        )
    else:
        body = html.form(
            {"onSubmit": create, "noValidate": True},
            radio_group(
                "regime",
                "Régime particulier demandé",
                [Choice(p["code"], p["label"], p["description"]) for p in procedures],
                form["procedure"] or None,
                form.setter("procedure"),
                error=errors.get("procedure"),
            ),
            html.p(
                {"className": "fr-text--sm"},
                html.a(
                    {
                        "className": "fr-link",
                        "href": "/assistance/documentation",
                        "id": "documentation-regimes-lien",
                    },
                    "Documentation réglementaire de chaque régime",
                ),
            ),
            html.ul(
                {"className": "fr-btns-group fr-btns-group--inline-md"},
                html.li(submit_button("Continuer", busy)),
                html.li(
                    html.button(
                        {
                            "type": "button",
                            "className": "fr-btn fr-btn--secondary",
                            "onClick": lambda event: (
                                set_errors(NO_ERRORS),
                                set_step(1),
                                request_focus(STEP_TITLE_ID),
                            ),
                        },
                        "Étape précédente",
                    )
                ),
            ),
        )
    return html.div(*heading, stepper(step), refusal, body, focus_script(focus[0], focus[1]))


@component
def new_dossier_page(me: dict[str, Any] | None, reload_me: Callable[[], None]):
    return soprano_gate(me, reload_me, TITLE, PATH, lambda: new_dossier_form(me))
