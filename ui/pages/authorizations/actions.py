"""What one may do on an authorisation's page, as the API offers it: the holder's « Demander un avenant » / « Demander
le renouvellement » (a prefilled dossier opens), and customs' measures (suspend, lift, revoke, annul, re-assess),
each a small form whose every problem shows next to its field."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from reactpy import component, event, html, use_state

from ui import formatting
from ui.client import GraphQLClientError, use_client
from ui.components.feedback import alert, error_alert
from ui.components.focus import focus_script
from ui.components.forms import (
    NO_ERRORS,
    FormErrors,
    form_error_alert,
    select_input,
    submit_button,
    text_input,
    textarea_input,
    use_form_values,
)


@component
def request_buttons(item: Mapping[str, Any]):
    """The holder's requests; the one in progress when there is one (one at a time)."""
    client = use_client()
    busy, set_busy = use_state(None)
    error, set_error = use_state(None)
    opened, set_opened = use_state(None)

    async def ask(operation: str):
        set_busy(operation)
        try:
            data = await client.execute(operation, {"authorizationId": item["id"]})
        except GraphQLClientError as failure:
            set_error(" ".join(failure.messages))
            set_busy(None)
            return
        key = "requestAmendment" if operation == "RequestAmendment" else "requestRenewal"
        set_opened(data[key]["id"])

    if opened:  # the new dossier opens (a page of its own)
        return html.div(
            alert("success", ["Dossier créé : ouverture du formulaire…"], id="demande-creee"),
            html.script({"key": opened}, f"window.location.assign({json.dumps('/dossiers/' + opened)});"),
        )
    offered = item.get("requestsOffered") or []
    buttons = []
    if "AMENDMENT" in offered:
        buttons.append(("RequestAmendment", "Demander un avenant", "demander-avenant"))
    if "RENEWAL" in offered:
        buttons.append(("RequestRenewal", "Demander le renouvellement", "demander-renouvellement"))
    pending = item.get("pendingRequestId")
    if not buttons and not pending:
        return ""

    def click(operation: str):
        async def handler(event):
            await ask(operation)

        return handler

    return html.section(
        {"id": "demandes", "className": "fr-mb-4w", "aria-labelledby": "demandes-titre"},
        html.h2({"className": "fr-h4", "id": "demandes-titre"}, "Faire évoluer l'autorisation"),
        error_alert(error, id="demande-erreur") if error else "",
        html.p(
            html.a({"className": "fr-link", "href": f"/dossiers/{pending}", "id": "demande-en-cours"},
                   "Une demande sur cette autorisation est en cours : voir le dossier"),
        )
        if pending
        else html.p(
            {"className": "fr-text--sm"},
            "Un avenant ou un renouvellement est un nouveau dossier, prérempli de la version en vigueur : modifiez "
            "ce qui change, contrôlez, déposez. Octroyé, il devient la version suivante de cette autorisation.",
        ),
        html.ul(
            {"className": "fr-btns-group fr-btns-group--inline-md"},
            [
                html.li({"key": op}, html.button(
                    {"type": "button", "className": "fr-btn fr-btn--secondary", "id": element,
                     "onClick": click(op), "disabled": busy is not None,
                     **({"aria-busy": "true"} if busy == op else {})},
                    label,
                ))
                for op, label, element in buttons
            ],
        )
        if buttons
        else "",
    )  # fmt: skip


@dataclass(frozen=True)
class MeasureForm:
    code: str
    label: str  # its button
    operation: str
    done: str
    reason_label: str
    date_label: str | None = None  # the date the measure asks (None: none)
    date_field: str | None = None  # the API's name of that date
    date_hint: str | None = None
    reason_field: str = "reason"
    measure: str | None = None  # an intended adverse measure (NotifyIntendedAuthorizationMeasure's `measure`)


MEASURES = [
    MeasureForm("suspend", "Suspendre", "SuspendAuthorization", "Autorisation suspendue.", "Motif de la suspension",
                "Début de la suspension", "suspendedFrom", "Par défaut aujourd'hui."),
    MeasureForm("lift_suspension", "Lever la suspension", "LiftAuthorizationSuspension", "Suspension levée.",
                "Motif de la levée"),
    MeasureForm("revoke", "Révoquer", "RevokeAuthorization", "Révocation enregistrée.", "Motif de la révocation",
                "Date d'effet", "effective",
                "Aujourd'hui par défaut ; reportable d'un an au plus (CDU, art. 28, § 4)."),
    MeasureForm("annul", "Annuler l'autorisation", "AnnulAuthorization", "Autorisation annulée.",
                "Motif de l'annulation (CDU, art. 27 : effet à compter de sa date de prise d'effet)"),
    MeasureForm("notify_suspend", "Envisager une suspension", "NotifyIntendedAuthorizationMeasure",
                "Suspension envisagée : le titulaire est informé et peut présenter ses observations.",
                "Motifs de la suspension envisagée", measure="SUSPEND"),
    MeasureForm("notify_revoke", "Envisager une révocation", "NotifyIntendedAuthorizationMeasure",
                "Révocation envisagée : le titulaire est informé et peut présenter ses observations.",
                "Motifs de la révocation envisagée", measure="REVOKE"),
    MeasureForm("notify_annul", "Envisager une annulation", "NotifyIntendedAuthorizationMeasure",
                "Annulation envisagée : le titulaire est informé et peut présenter ses observations.",
                "Motifs de l'annulation envisagée (CDU, art. 27)", measure="ANNUL"),
    MeasureForm("abandon_intended", "Abandonner la mesure envisagée", "AbandonIntendedAuthorizationMeasure",
                "Mesure envisagée abandonnée.", "Motif de l'abandon"),
    MeasureForm("reassess", "Enregistrer un réexamen", "ReassessAuthorization", "Réexamen enregistré.",
                "Note de réexamen (CDU, art. 23, § 4)", "Date du réexamen", "on", "Aujourd'hui par défaut.",
                reason_field="note"),
]  # fmt: skip
CASES = [
    ("conditions_not_met", "Délai accordé pour remplir les conditions (art. 16, § 1, b)"),
    ("grounds_examined", "Examen de motifs d'annulation ou de révocation (art. 16, § 1, a)"),
    ("holder_request", "À la demande du titulaire (art. 16, § 1, c)"),
]


def suspension_cases(item: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The cases the API says are open now (a or b once the holder was heard; c when they asked)."""
    offered = item.get("suspensionCasesOffered") or []
    return [(code, label) for code, label in CASES if code in offered]


@component
def measure_form(
    item: Mapping[str, Any], form_spec: MeasureForm, on_done: Callable[[str], Awaitable[None]], on_cancel
):
    client = use_client()
    cases = suspension_cases(item)
    form = use_form_values(reason="", date="", until="", case=cases[0][0] if cases else "conditions_not_met")
    errors, set_errors = use_state(NO_ERRORS)
    busy, set_busy = use_state(False)
    focus, set_focus = use_state((None, 0))
    prefix = f"mesure-{form_spec.code.replace('_', '-')}"
    fields = {
        form_spec.reason_field: f"{prefix}-motif",
        "suspendedUntil": f"{prefix}-fin",
        "case": f"{prefix}-cas",
    }
    if form_spec.date_field:
        fields[form_spec.date_field] = f"{prefix}-date"

    @event(prevent_default=True)
    async def submit(event):
        values = form.latest()
        set_busy(True)
        if form_spec.code == "suspend":
            variables: dict[str, Any] = {
                "input": {
                    "authorizationId": item["id"],
                    "case": values["case"].upper(),
                    "reason": values["reason"],
                    "suspendedFrom": values["date"] or None,
                    "suspendedUntil": values["until"] or None,
                }
            }
        else:
            variables = {"id": item["id"], form_spec.reason_field: values["reason"]}
            if form_spec.measure:
                variables["measure"] = form_spec.measure
            if form_spec.date_field:
                variables[form_spec.date_field] = values["date"] or None
        try:
            await client.execute(form_spec.operation, variables)
        except GraphQLClientError as error:
            found = FormErrors.from_error(error)
            shown = {element: found.get(name) for name, element in fields.items() if found.get(name)}
            set_errors(FormErrors(found.messages, shown))
            first = next((e for e in fields.values() if e in shown), f"{prefix}-erreurs")
            set_focus(lambda current: (first, current[1] + 1))
            set_busy(False)
            return
        set_busy(False)
        await on_done(form_spec.done)

    return html.form(
        {"className": "portal-action-form fr-mt-2w", "onSubmit": submit, "noValidate": True,
         "aria-label": form_spec.label, "id": f"formulaire-{prefix}"},
        form_error_alert(errors, f"{prefix}-erreurs"),
        select_input(f"{prefix}-cas", "Cas de suspension (AD CDU, art. 16)", form["case"], cases or CASES,
                     form.setter("case"), placeholder=None, required=True, error=errors.get(f"{prefix}-cas"))
        if form_spec.code == "suspend" else "",
        text_input(f"{prefix}-date", form_spec.date_label, form["date"], form.setter("date"), type="date",
                   error=errors.get(f"{prefix}-date"), hint=form_spec.date_hint)
        if form_spec.date_label else "",
        text_input(f"{prefix}-fin", "Fin de la suspension", form["until"], form.setter("until"), type="date",
                   error=errors.get(f"{prefix}-fin"), hint="Laissez vide : jusqu'à nouvel ordre.")
        if form_spec.code == "suspend" else "",
        textarea_input(f"{prefix}-motif", form_spec.reason_label, form["reason"], form.setter("reason"),
                       error=errors.get(f"{prefix}-motif"), hint="Le titulaire le lira dans l'historique.",
                       required=True, max_length=4000),
        html.ul(
            {"className": "fr-btns-group fr-btns-group--inline-sm"},
            html.li(submit_button(f"Confirmer : {form_spec.label.lower()}", busy)),
            html.li(html.button({"type": "button", "className": "fr-btn fr-btn--tertiary",
                                 "onClick": lambda e: on_cancel()}, "Annuler")),
        ),
        focus_script(focus[0], focus[1]),
    )  # fmt: skip


@component
def measures_panel(item: Mapping[str, Any], on_changed: Callable[[], Awaitable[None]]):
    """Customs' measures offered now (the API's `measuresOffered`), each with its form."""
    opened, set_opened = use_state(None)
    notice, set_notice = use_state(None)
    offered = [m for m in MEASURES if m.code in (item.get("measuresOffered") or [])]
    if not offered:
        return ""

    async def done(said: str) -> None:
        set_opened(None)
        await on_changed()
        set_notice(said)

    chosen = next((m for m in offered if m.code == opened), None)
    return html.section(
        {"id": "mesures", "className": "fr-mb-4w", "aria-labelledby": "mesures-titre"},
        html.h2({"className": "fr-h4", "id": "mesures-titre"}, "Mesures de la douane"),
        html.div({"id": "mesures-message", "aria-live": "polite"},
                 alert("success", [notice, f"État : {item['stateLabel']}."]) if notice else ""),
        html.ul(
            {"className": "fr-btns-group fr-btns-group--inline-md", "id": "mesures-boutons"},
            [
                html.li({"key": m.code}, html.button(
                    {"type": "button", "className": "fr-btn fr-btn--secondary",
                     "aria-expanded": "true" if opened == m.code else "false",
                     "onClick": (lambda code: lambda e: (set_notice(None), set_opened(None if opened == code else code)))(m.code)},
                    m.label))
                for m in offered
            ],
        ),
        measure_form(item, chosen, done, lambda: set_opened(None), key=chosen.code) if chosen else "",
    )  # fmt: skip


HOLDER_REQUESTS = {
    "suspend": ("Demander la suspension", "la suspension (AD CDU, art. 16, § 1, c)"),
    "revoke": ("Demander la révocation", "la révocation (CDU, art. 28, § 1, b)"),
}


@component
def holder_request_panel(item: Mapping[str, Any], on_changed: Callable[[], Awaitable[None]]):
    """The holder asks customs to suspend or revoke, with a reason (offered as the API says); the one pending."""
    client = use_client()
    opened, set_opened = use_state(None)
    form = use_form_values(reason="")
    errors, set_errors = use_state(NO_ERRORS)
    busy, set_busy = use_state(False)
    notice, set_notice = use_state(None)
    focus, set_focus = use_state((None, 0))
    offered = [k for k in item.get("holderRequestsOffered") or [] if k in HOLDER_REQUESTS]
    pending = item.get("holderRequest")
    if not offered and not pending and not notice:
        return ""

    @event(prevent_default=True)
    async def submit(event):
        set_busy(True)
        try:
            await client.execute(
                "AskCustomsAboutAuthorization",
                {"id": item["id"], "kind": opened.upper(), "reason": form.latest()["reason"]},
            )
        except GraphQLClientError as error:
            found = FormErrors.from_error(error)
            set_errors(
                FormErrors(found.messages, {"demande-motif": found.get("reason")} if found.get("reason") else {})
            )
            set_focus(
                lambda current: ("demande-motif" if found.get("reason") else "demande-erreurs", current[1] + 1)
            )
            set_busy(False)
            return
        set_busy(False)
        set_opened(None)
        form.update(reason="")
        await on_changed()
        set_notice("Votre demande est transmise au bureau de douane ; sa réponse apparaîtra dans l'historique.")

    return html.section(
        {"id": "demande-douane", "className": "fr-mb-4w", "aria-labelledby": "demande-douane-titre"},
        html.h2({"className": "fr-h4", "id": "demande-douane-titre"}, "Demander à la douane"),
        html.div({"aria-live": "polite"}, alert("success", [notice]) if notice else ""),
        html.p({"id": "demande-en-attente"}, f"Votre demande de {HOLDER_REQUESTS[pending][1]} attend la réponse de la douane.")
        if pending in HOLDER_REQUESTS else "",
        html.ul(
            {"className": "fr-btns-group fr-btns-group--inline-md"},
            [html.li({"key": k}, html.button(
                {"type": "button", "className": "fr-btn fr-btn--tertiary", "id": f"demander-{k}",
                 "aria-expanded": "true" if opened == k else "false",
                 "onClick": (lambda code: lambda e: (set_notice(None), set_errors(NO_ERRORS), set_opened(None if opened == code else code)))(k)},
                HOLDER_REQUESTS[k][0])) for k in offered],
        ) if offered else "",
        html.form(
            {"onSubmit": submit, "noValidate": True, "id": "formulaire-demande-douane",
             "aria-label": HOLDER_REQUESTS[opened][0]},
            form_error_alert(errors, "demande-erreurs"),
            textarea_input("demande-motif", f"Motif de votre demande de {HOLDER_REQUESTS[opened][1]}", form["reason"],
                           form.setter("reason"), error=errors.get("demande-motif"), required=True, max_length=4000,
                           hint="Le bureau de douane qui a délivré l'autorisation le lira."),
            html.ul({"className": "fr-btns-group fr-btns-group--inline-sm"},
                    html.li(submit_button("Envoyer la demande", busy)),
                    html.li(html.button({"type": "button", "className": "fr-btn fr-btn--tertiary",
                                         "onClick": lambda e: set_opened(None)}, "Annuler"))),
        ) if opened in HOLDER_REQUESTS else "",
        focus_script(focus[0], focus[1]),
    )  # fmt: skip


@component
def comment_box(item: Mapping[str, Any], on_changed: Callable[[], Awaitable[None]]):
    """« Laisser un commentaire » in the authorisation's history (both sides, as the API allows)."""
    client = use_client()
    form = use_form_values(text="")
    errors, set_errors = use_state(NO_ERRORS)
    busy, set_busy = use_state(False)
    focus, set_focus = use_state((None, 0))
    if not item.get("mayComment"):
        return ""

    @event(prevent_default=True)
    async def submit(event):
        set_busy(True)
        try:
            await client.execute("CommentOnAuthorization", {"id": item["id"], "text": form.latest()["text"]})
        except GraphQLClientError as error:
            found = FormErrors.from_error(error)
            set_errors(
                FormErrors(
                    found.messages, {"commentaire-autorisation": found.get("text")} if found.get("text") else {}
                )
            )
            set_focus(lambda current: ("commentaire-autorisation", current[1] + 1))
            set_busy(False)
            return
        set_busy(False)
        set_errors(NO_ERRORS)
        form.update(text="")
        await on_changed()

    return html.form(
        {"onSubmit": submit, "noValidate": True, "id": "formulaire-commentaire-autorisation",
         "aria-labelledby": "commentaire-autorisation-titre", "className": "fr-mt-3w"},
        html.h3({"className": "fr-h6", "id": "commentaire-autorisation-titre"}, "Laisser un commentaire"),
        form_error_alert(errors, "commentaire-autorisation-erreurs"),
        textarea_input("commentaire-autorisation", "Commentaire", form["text"], form.setter("text"),
                       error=errors.get("commentaire-autorisation"), max_length=4000,
                       hint="L'autre partie le lira dans l'historique, en direct."),
        submit_button("Envoyer le commentaire", busy),
        focus_script(focus[0], focus[1]),
    )  # fmt: skip


@component
def hearing_panel(item: Mapping[str, Any], officer: bool, on_changed: Callable[[], Awaitable[None]]):
    """The right to be heard before an adverse measure: what customs intend and why, until when the holder may
    answer; the holder's « Présenter mes observations » (as the API offers it), customs' view of where it stands."""
    client = use_client()
    form = use_form_values(observations="")
    errors, set_errors = use_state(NO_ERRORS)
    busy, set_busy = use_state(False)
    notice, set_notice = use_state(None)
    focus, set_focus = use_state((None, 0))
    hearing = item.get("hearing")
    if not hearing:
        return html.div({"aria-live": "polite"}, alert("success", [notice]) if notice else "")
    deadline = formatting.date(hearing["deadline"])
    intended = f"La douane envisage {hearing['measureLabel']} de cette autorisation."
    if hearing.get("answeredAt"):
        where = (
            f"Le titulaire a présenté ses observations le {formatting.date_time(hearing['answeredAt'])} (voir "
            "l'historique)."
            if officer
            else f"Vos observations ont été transmises le {formatting.date_time(hearing['answeredAt'])} : la douane "
            "les examinera avant de décider."
        )
    elif hearing.get("timeOver"):
        where = (
            f"Le délai du titulaire a pris fin le {deadline} sans observations."
            if officer
            else f"Le délai pour présenter vos observations a pris fin le {deadline}."
        )
    else:
        where = (
            f"Le titulaire peut présenter ses observations jusqu'au {deadline} inclus."
            if officer
            else f"Vous pouvez présenter vos observations jusqu'au {deadline} inclus : la douane ne décidera "
            "qu'après votre réponse ou la fin de ce délai."
        )
    then = (
        (
            "La mesure peut maintenant être décidée, ou abandonnée, ci-dessous."
            if hearing.get("heard")
            else "La mesure ne pourra être décidée qu'après ses observations ou la fin de ce délai."
        )
        if officer
        else ""
    )

    @event(prevent_default=True)
    async def submit(event):
        set_busy(True)
        try:
            await client.execute(
                "AnswerAuthorizationHearing", {"id": item["id"], "observations": form.latest()["observations"]}
            )
        except GraphQLClientError as error:
            found = FormErrors.from_error(error)
            shown = {"observations-titulaire": found.get("observations")} if found.get("observations") else {}
            set_errors(FormErrors(found.messages, shown))
            set_focus(
                lambda current: ("observations-titulaire" if shown else "observations-erreurs", current[1] + 1)
            )
            set_busy(False)
            return
        set_busy(False)
        set_errors(NO_ERRORS)
        form.update(observations="")
        set_notice("Vos observations sont transmises au bureau de douane.")
        await on_changed()

    return html.section(
        {"id": "droit-entendu", "className": "fr-mb-4w", "aria-labelledby": "droit-entendu-titre"},
        html.div(
            {"className": "fr-alert fr-alert--warning fr-mb-2w", "role": "status", "id": "droit-entendu-etat"},
            html.h2({"className": "fr-alert__title", "id": "droit-entendu-titre"},
                    "Mesure envisagée : droit d'être entendu"),
            html.p(intended),
            html.p(html.strong("Motifs : "), hearing["reason"]),
            html.p(where),
            html.p(then) if then else "",
        ),
        html.div({"aria-live": "polite"}, alert("success", [notice]) if notice else ""),
        html.form(
            {"onSubmit": submit, "noValidate": True, "id": "formulaire-observations",
             "aria-label": "Présenter mes observations"},
            form_error_alert(errors, "observations-erreurs"),
            textarea_input("observations-titulaire", "Vos observations", form["observations"],
                           form.setter("observations"), error=errors.get("observations-titulaire"), required=True,
                           max_length=4000, hint="Une seule réponse : le bureau de douane la lira avant de décider."),
            submit_button("Envoyer mes observations", busy),
        ) if item.get("mayAnswerHearing") and not officer else "",
        focus_script(focus[0], focus[1]),
    )  # fmt: skip
