"""The forms of the actions that ask for more than a click: a message the API checks (MESSAGE_REQUIRED on the field
`message`), or a new date and its reason (« Prolonger le délai de décision »)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from reactpy import component, event, html, use_async_effect, use_state

from ui import formatting
from ui.client import GraphQLClientError, use_client
from ui.components.feedback import alert
from ui.components.focus import focus_script
from ui.components.forms import (
    NO_ERRORS,
    FormErrors,
    checkbox,
    form_error_alert,
    submit_button,
    text_input,
    textarea_input,
    use_form_values,
)
from ui.components.processing.presentations import message_hint, presentation


def _message_errors(error: GraphQLClientError, field: str) -> FormErrors:
    """The API names the message `message`; the form's own field may be called otherwise."""
    found = FormErrors.from_error(error)
    if "message" in found.fields and field != "message":
        return FormErrors(messages=found.messages, fields={field: found.fields["message"], **found.fields})
    return found


@component
def message_action_form(
    dossier_id: str,
    info: Mapping[str, Any],
    on_done: Callable[[Mapping[str, Any], Mapping[str, Any]], Awaitable[None]],
    on_cancel,
    limits: Mapping[str, Any],
    gone: str | None = None,
):
    """An action that says why: a required textarea, checked by the API. `limits`: the API's (`Query.limits`);
    `gone`: the status label of a dossier the other side has just moved where this action no longer exists (the text
    typed stays, the submit goes)."""
    client = use_client()
    form = use_form_values(message="")
    errors, set_errors = use_state(NO_ERRORS)
    busy, set_busy = use_state(False)
    refusals, set_refusals = use_state(0)  # each refusal moves the focus to the field again
    shown = presentation(info)
    field_id = f"message-{info['code'].replace('_', '-')}"

    @event(prevent_default=True)
    async def submit(event):
        set_busy(True)
        try:
            data = await client.execute(
                "ActOnDossier", {"id": dossier_id, "action": info["action"], "message": form.latest()["message"]}
            )
        except GraphQLClientError as error:
            set_errors(_message_errors(error, field_id))
            set_busy(False)
            set_refusals(lambda n: n + 1)
            return
        set_busy(False)
        await on_done(info, data["actOnDossier"])

    return html.form(
        {
            "className": "portal-action-form fr-mt-2w",
            "onSubmit": submit,
            "noValidate": True,
            "aria-label": info["label"],
            "id": f"formulaire-{field_id}",
        },
        alert(
            "warning",
            f"Cette action n'est plus possible : le dossier est maintenant {gone}. "
            "Votre texte reste affiché ci-dessous.",
            id=f"{field_id}-impossible",
        )
        if gone
        else "",
        form_error_alert(errors, f"{field_id}-erreurs"),
        textarea_input(
            field_id,
            info["messageLabel"] or "Message",
            form["message"],
            form.setter("message"),
            error=errors.get(field_id),
            hint=message_hint(info, limits),
            required=True,
            max_length=limits["messageMaxLength"],
        ),
        html.ul(
            {"className": "fr-btns-group fr-btns-group--inline-sm"},
            html.li(submit_button(shown.submit_label or info["label"], busy)) if not gone else "",
            html.li(
                html.button(
                    {"type": "button", "className": "fr-btn fr-btn--tertiary", "onClick": lambda e: on_cancel()},
                    "Fermer" if gone else "Annuler",
                )
            ),
        ),
        focus_script(field_id if refusals else None, refusals),
    )


@component
def extension_form(
    dossier_id: str,
    info: Mapping[str, Any],
    deadline: Mapping[str, Any] | None,
    on_done,
    on_cancel,
    limits: Mapping[str, Any],
):
    """« Prolonger le délai de décision » (an action that needs a date): a new date after the current one, and the
    reason the applicant will read."""
    client = use_client()
    form = use_form_values(date="", reason="")
    errors, set_errors = use_state(NO_ERRORS)
    busy, set_busy = use_state(False)
    focus, set_focus = use_state((None, 0))  # the first refused field takes the focus

    def refuse(found: FormErrors) -> None:
        set_errors(found)
        first = next((f for f in ("prolongation-date", "prolongation-motif") if found.get(f)), None)
        set_focus(lambda current: (first, current[1] + 1))

    @event(prevent_default=True)
    async def submit(event):
        values = form.latest()
        if not values["date"]:
            refuse(FormErrors.of("Indiquez la nouvelle date limite de la décision.", "prolongation-date"))
            return
        set_busy(True)
        try:
            await client.execute(
                "ExtendDecisionDeadline", {"id": dossier_id, "newDate": values["date"], "reason": values["reason"]}
            )
        except GraphQLClientError as error:
            found = FormErrors.from_error(error)
            fields = {
                "prolongation-date": found.get("newDate"),
                "prolongation-motif": found.get("message") or found.get("reason"),
            }
            refuse(FormErrors(found.messages, {k: v for k, v in fields.items() if v}))
            set_busy(False)
            return
        set_busy(False)
        await on_done(values["date"])

    current = f"Échéance actuelle : {formatting.date(deadline['due'])}." if deadline else None
    return html.form(
        {
            "className": "portal-action-form fr-mt-2w",
            "onSubmit": submit,
            "noValidate": True,
            "aria-label": info["label"],
            "id": "formulaire-prolongation",
        },
        form_error_alert(errors, "prolongation-erreurs"),
        text_input(
            "prolongation-date",
            "Nouvelle date limite de la décision",
            form["date"],
            form.setter("date"),
            error=errors.get("prolongation-date"),
            hint=current,
            type="date",
            required=True,
        ),
        textarea_input(
            "prolongation-motif",
            info["messageLabel"] or "Motif",
            form["reason"],
            form.setter("reason"),
            error=errors.get("prolongation-motif"),
            hint="Le demandeur verra la nouvelle date et ce motif.",
            required=True,
            max_length=limits["messageMaxLength"],
        ),
        html.ul(
            {"className": "fr-btns-group fr-btns-group--inline-sm"},
            html.li(submit_button("Enregistrer la prolongation", busy)),
            html.li(
                html.button(
                    {"type": "button", "className": "fr-btn fr-btn--tertiary", "onClick": lambda e: on_cancel()},
                    "Annuler",
                )
            ),
        ),
        focus_script(focus[0], focus[1]),
    )


GRANT_FIELDS = {  # the API's field → the form's element
    "validFrom": "octroi-debut",
    "validUntil": "octroi-fin",
    "conditions": "octroi-conditions",
}


@component
def grant_form(dossier_id: str, info: Mapping[str, Any], on_done, on_cancel, limits: Mapping[str, Any]):
    """« Octroyer l'autorisation »: the validity (start, end — none for a customs warehouse) and the conditions set by
    customs; every problem the API finds is shown at once, next to its field."""
    client = use_client()
    initial = {"start": formatting.today_iso(), "end": "", "conditions": "", "annex": False}
    form = use_form_values(**initial)
    errors, set_errors = use_state(NO_ERRORS)
    busy, set_busy = use_state(False)
    focus, set_focus = use_state((None, 0))
    purpose, set_purpose = use_state(None)

    @use_async_effect(dependencies=[dossier_id])
    async def propose():
        try:
            data = await client.execute("GrantProposal", {"id": dossier_id})
        except GraphQLClientError:
            return  # the form stays as it is: customs type the terms
        dossier = data["dossier"]
        if not dossier:
            return
        set_purpose(dossier["purpose"])
        proposal = dossier["grantProposal"]
        if form.latest() == initial:  # never over what the officer has already typed
            form.update(
                start=proposal["validFrom"],
                end=proposal["validUntil"] or "",
                conditions=proposal["conditions"],
                annex=proposal["annex7102"],
            )

    @event(prevent_default=True)
    async def submit(event):
        values = form.latest()
        set_busy(True)
        try:
            data = await client.execute(
                "GrantDossier",
                {
                    "input": {
                        "dossierId": dossier_id,
                        "validFrom": values["start"] or None,
                        "validUntil": values["end"] or None,
                        "conditions": values["conditions"],
                        "annex7102": bool(values["annex"]),
                    }
                },
            )
        except GraphQLClientError as error:
            found = FormErrors.from_error(error)
            fields = {element: found.get(name) for name, element in GRANT_FIELDS.items() if found.get(name)}
            set_errors(FormErrors(found.messages, fields))
            first = next((element for element in GRANT_FIELDS.values() if element in fields), None)
            set_focus(lambda current: (first or "octroi-erreurs", current[1] + 1))
            set_busy(False)
            return
        set_busy(False)
        payload = data["grantDossier"]
        await on_done(
            {**info, "granted": payload["authorization"]},
            {**payload["dossier"], "authorization": payload["authorization"]},
        )

    return html.form(
        {
            "className": "portal-action-form fr-mt-2w",
            "onSubmit": submit,
            "noValidate": True,
            "aria-label": info["label"],
            "id": "formulaire-octroi",
        },
        form_error_alert(errors, "octroi-erreurs"),
        html.p(
            {"className": "fr-text--sm"},
            {
                "AMENDMENT": "L'avenant devient la version suivante de l'autorisation, avec le contenu du dossier tel "
                "qu'il est ; la validité et les conditions proposées sont celles de la version en vigueur. ",
                "RENEWAL": "Le renouvellement devient la version suivante de l'autorisation ; la validité proposée "
                "suit celle en cours, pour la même durée. ",
            }.get(
                purpose or "",
                "L'autorisation est délivrée avec sa version 1, le contenu du dossier tel qu'il est. ",
            ),
            "Validité maximale "
            "(AD CDU, art. 173) : 5 ans en perfectionnement actif ou passif et en destination particulière (3 ans "
            "pour les marchandises de l'annexe 71-02) ; l'entrepôt douanier n'est pas limité dans le temps.",
        ),
        text_input(
            "octroi-debut",
            "Début de validité",
            form["start"],
            form.setter("start"),
            error=errors.get("octroi-debut"),
            hint="Au plus tôt le jour de la décision.",
            type="date",
            required=True,
        ),
        text_input(
            "octroi-fin",
            "Fin de validité",
            form["end"],
            form.setter("end"),
            error=errors.get("octroi-fin"),
            hint="Obligatoire, sauf pour l'entrepôt douanier (laissez vide).",
            type="date",
        ),
        checkbox(
            "octroi-annexe",
            "Marchandises de l'annexe 71-02 de l'AD CDU (validité de 3 ans au plus)",
            bool(form["annex"]),
            form.setter("annex"),
        ),
        textarea_input(
            "octroi-conditions",
            "Conditions fixées par la douane (facultatif)",
            form["conditions"],
            form.setter("conditions"),
            error=errors.get("octroi-conditions"),
            hint="Le titulaire les lira dans l'autorisation et sur son PDF.",
            max_length=limits["messageMaxLength"],
        ),
        html.ul(
            {"className": "fr-btns-group fr-btns-group--inline-sm"},
            html.li(submit_button("Octroyer et délivrer l'autorisation", busy)),
            html.li(
                html.button(
                    {"type": "button", "className": "fr-btn fr-btn--tertiary", "onClick": lambda e: on_cancel()},
                    "Annuler",
                )
            ),
        ),
        focus_script(focus[0], focus[1]),
    )
