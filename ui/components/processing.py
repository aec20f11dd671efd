"""The decision phase on the dossier page: the actions the reader may take now (the API's `Dossier.actions`: status
changes, « Prendre en charge », the decision deadline's extension), « Laisser un commentaire », and the history with the
comments as one chronological list (« Suivre les commentaires / l'avancement dans l'historique »).

Which action exists, who may take it, its button's words and what it requires (a message and its label, a date) are
the API's: an action that needs a message opens a form whose textarea the API checks (MESSAGE_REQUIRED on the field
`message`). The page adds only how it presents them: what it says once done, a hint, a confirmation question.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reactpy import component, event, html, use_state

from ui import formatting
from ui.client import GraphQLClientError, use_client
from ui.components.feedback import alert
from ui.components.focus import focus_script
from ui.components.forms import (
    NO_ERRORS,
    FormErrors,
    confirm_action,
    form_error_alert,
    submit_button,
    text_input,
    textarea_input,
    use_form_values,
)

MESSAGE_LIMIT = 4000  # the API's limit for messages and comments
PANEL_MESSAGE_ID = "traitement-message"


@dataclass(frozen=True)
class Presentation:
    """How the page presents an action the API offers (its label and what it requires are the API's)."""

    done: str = "Action effectuée."  # said once done
    message_hint: str | None = None
    submit_label: str | None = None  # the message form's button (default: the action's label)
    confirm: str | None = None  # no message, but a question before an irreversible step
    confirm_label: str | None = None
    primary: bool = False
    tertiary: bool = False


# ActionInfo.code → its presentation. « submit » is the editor's « Valider », « comment » the comment form below.
PRESENTATIONS: dict[str, Presentation] = {
    "request_complement": Presentation(
        "Complément demandé : le dossier attend le demandeur.",
        message_hint="Précisez ce que le demandeur doit apporter ; il le lira dans l'historique du dossier.",
        submit_label="Envoyer la demande de complément",
    ),
    "accept": Presentation("Demande acceptée : l'instruction commence.", primary=True),
    "not_accept": Presentation("Demande non acceptée.", submit_label="Confirmer la non-acceptation"),
    "notify_intended_refusal": Presentation(
        "Intention de refus notifiée : le demandeur peut faire valoir son point de vue (droit d'être entendu).",
        message_hint="Le demandeur dispose de 30 jours pour faire valoir son point de vue.",
        submit_label="Notifier l'intention de refus",
    ),
    "grant": Presentation(
        "Autorisation octroyée.",
        confirm="Octroyer l'autorisation demandée dans ce dossier ?",
        confirm_label="Confirmer l'octroi",
        primary=True,
    ),
    "refuse": Presentation("Demande refusée.", submit_label="Confirmer le refus"),
    "withdraw": Presentation(
        "Demande retirée : le dossier est clos.",
        confirm="Retirer votre demande ? Le dossier sera clos et ne pourra plus être déposé.",
        confirm_label="Confirmer le retrait",
    ),
    "take": Presentation(tertiary=True),
}
NOT_IN_PANEL = {"submit", "comment"}  # offered elsewhere on the page


def presentation(action: Mapping[str, Any]) -> Presentation:
    return PRESENTATIONS.get(action["code"], Presentation())


def action_codes(processing: Mapping[str, Any] | None) -> set[str]:
    return {a["code"] for a in (processing or {}).get("actions") or []}


Notice = tuple[str, list[str], str | None] | None  # (DSFR alert kind, messages, the status it holds for)


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
    gone: str | None = None,
):
    """An action that says why: a required textarea, checked by the API. `gone`: the status label of a dossier the
    other side has just moved where this action no longer exists (the text typed stays, the submit goes)."""
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
            hint=shown.message_hint,
            required=True,
            max_length=MESSAGE_LIMIT,
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
    dossier_id: str, info: Mapping[str, Any], deadline: Mapping[str, Any] | None, on_done, on_cancel
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
            max_length=MESSAGE_LIMIT,
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


@dataclass(frozen=True)
class Decision:
    title: str  # the step that put the dossier in this status
    message_label: str  # what its message is
    kind: str  # DSFR alert
    applicant_hint: str = ""  # what the applicant may do now ({due}: the running deadline)
    officer_hint: str = ""


# The statuses a customs step put the dossier in with a message the applicant must read: the page says it at the top,
# not only in the history (the words of the workflow's labels).
DECISIONS = {
    "COMPLEMENT_REQUESTED": Decision(
        "Complément demandé",
        "Complément demandé",
        "warning",
        "Complétez le dossier ci-dessous, puis validez-le pour le déposer à nouveau{due}.",
        "Le dossier attend la réponse du demandeur{due}.",
    ),
    "NOT_ACCEPTED": Decision("Demande non acceptée", "Motif de non-acceptation", "error"),
    "HEARING": Decision(
        "Intention de refus notifiée",
        "Motifs du refus envisagé",
        "warning",
        "Vous avez le droit d'être entendu : faites valoir votre point de vue{due} ; laissez un commentaire "
        "ci-dessous.",
        "Le demandeur peut faire valoir son point de vue{due}.",
    ),
    "REFUSED": Decision("Demande refusée", "Motifs du refus", "error"),
}


def decision_box(processing: Mapping[str, Any], officer: bool):
    """Why the dossier is where it is, when customs said why: the message of the step that put it there."""
    status = processing["status"]
    decision = DECISIONS.get(status)
    step = next(
        # The history names statuses in lower case (the enum's values), the dossier by the GraphQL enum's names.
        (e for e in reversed(processing.get("history") or []) if (e.get("toStatus") or "").upper() == status),
        None,
    )
    if decision is None or step is None or not step.get("message"):
        return ""
    deadline = processing.get("deadline")
    due = f" jusqu'au {formatting.date(deadline['due'])}" if deadline else ""
    hint = (decision.officer_hint if officer else decision.applicant_hint).format(due=due)
    return html.div(
        {"className": f"fr-alert fr-alert--{decision.kind} fr-mb-3w", "id": "traitement-decision"},
        html.h3({"className": "fr-alert__title"}, decision.title),
        html.p(
            {"className": "portal-decision__message"},
            f"{decision.message_label} : {step['message']}",
        ),
        html.p({"className": "fr-text--sm fr-mb-0"}, hint) if hint else "",
    )


@component
def processing_panel(
    dossier_id: str,
    processing: Mapping[str, Any],
    officer: bool,
    on_changed: Callable[[], Awaitable[None]],
):
    """The buttons of the actions the reader may take now (the API's `actions`); the form of the one opened (the last
    read of that action, kept while the other side's step makes it impossible); what happened."""
    client = use_client()
    opened, set_opened = use_state(None)  # the action (as the API described it) whose form is open, or None
    notice, set_notice = use_state(None)
    busy, set_busy = use_state(None)
    focus, set_focus = use_state((None, 0))

    def request_focus(element_id: str) -> None:
        set_focus(lambda current: (element_id, current[1] + 1))

    available = [a for a in processing.get("actions") or [] if a["code"] not in NOT_IN_PANEL]
    offered = {a["code"] for a in available}
    status = processing["status"]

    # A notice says what the reader just did; it holds while the dossier keeps the status it left it in (the other
    # side's next step makes it stale: a complement answered is no longer « waiting for the applicant »).
    async def done(info: Mapping[str, Any], result: Mapping[str, Any]) -> None:
        set_opened(None)
        await on_changed()  # the status read again first: the notice below names the dossier as it now is
        said = presentation(info).done
        set_notice(("success", [said, f"Statut du dossier : {result['statusLabel']}."], result["status"]))
        request_focus(PANEL_MESSAGE_ID)

    async def extended(new_date: str) -> None:
        set_opened(None)
        await on_changed()
        set_notice(("success", [f"Délai de décision prolongé jusqu'au {formatting.date(new_date)}."], status))
        request_focus(PANEL_MESSAGE_ID)

    def refused(error: GraphQLClientError) -> None:
        set_notice(("error", list(error.messages), None))
        request_focus(PANEL_MESSAGE_ID)

    async def act_now(info: Mapping[str, Any]) -> None:
        """An action without a form: a status change (actOnDossier) or « Prendre en charge » (takeDossier)."""
        set_busy(info["code"])
        try:
            if info["mutation"] == "takeDossier":
                data = await client.execute("TakeDossier", {"id": dossier_id})
            else:
                data = await client.execute("ActOnDossier", {"id": dossier_id, "action": info["action"]})
        except GraphQLClientError as error:
            refused(error)
            return
        finally:
            set_busy(None)
        if info["mutation"] == "takeDossier":
            await on_changed()  # the button goes, « Pris en charge par … » comes
            reference = data["takeDossier"]["reference"]
            set_notice(("success", [f"Vous avez pris en charge le dossier {reference}."], status))
            request_focus(PANEL_MESSAGE_ID)
            return
        await done(info, data["actOnDossier"])

    def style(shown: Presentation) -> str:
        if shown.primary:
            return "fr-btn"
        return "fr-btn fr-btn--tertiary" if shown.tertiary else "fr-btn fr-btn--secondary"

    def opener(info: Mapping[str, Any], form_id: str):
        key = info["code"]
        is_open = opened is not None and opened["code"] == key

        def toggle(event):
            set_notice(None)
            set_opened(None if is_open else info)
            if not is_open:
                request_focus(form_id)

        return html.li(
            {"key": key},
            html.button(
                {
                    "type": "button",
                    "className": style(presentation(info)),
                    "onClick": toggle,
                    "aria-expanded": "true" if is_open else "false",
                    "disabled": busy is not None,
                },
                info["label"],
            ),
        )

    def button(info: Mapping[str, Any]):
        key = info["code"]
        shown = presentation(info)
        if info["needsDate"]:
            return opener(info, "prolongation-date")
        if info["needsMessage"]:
            return opener(info, f"message-{key.replace('_', '-')}")
        if shown.confirm:
            return html.li(
                {"key": key},
                confirm_action(
                    info["label"],
                    shown.confirm,
                    lambda: act_now(info),
                    confirm_label=shown.confirm_label or "Confirmer",
                    small=False,
                    key=key,
                ),
            )

        async def click(event):
            await act_now(info)

        return html.li(
            {"key": key},
            html.button(
                {
                    "type": "button",
                    "className": style(shown),
                    "onClick": click,
                    "disabled": busy is not None,
                    **({"aria-busy": "true"} if busy == key else {}),
                },
                info["label"],
            ),
        )

    buttons = [button(info) for info in available]
    shown = notice if notice and (notice[2] is None or notice[2] == status) else None
    decision = decision_box(processing, officer)
    if not buttons and not shown and not decision and not officer:
        return ""  # nothing the applicant may do or read here (the form's own buttons are below)
    form = ""
    if opened is not None and opened["needsDate"]:
        if opened["code"] in offered:
            form = extension_form(
                dossier_id,
                opened,
                processing.get("deadline"),
                extended,
                lambda: set_opened(None),
                key=opened["code"],
            )
    elif opened is not None and opened["needsMessage"]:
        # Still shown when the other side's step has just made it impossible: what was typed stays readable.
        gone = None if opened["code"] in offered else processing["statusLabel"]
        form = message_action_form(dossier_id, opened, done, lambda: set_opened(None), gone, key=opened["code"])
    assigned = processing.get("assignedOfficer")
    return html.section(
        {"id": "traitement", "className": "portal-processing fr-mb-4w", "aria-labelledby": "traitement-titre"},
        html.h2(
            {"className": "fr-h4", "id": "traitement-titre"},
            "Traitement du dossier" if officer else "Votre demande",
        ),
        html.p(
            {"className": "fr-text--sm", "id": "traitement-agent"},
            f"Pris en charge par {assigned}" if assigned else "Aucun agent n'a encore pris ce dossier en charge.",
        )
        if officer
        else "",
        decision,
        html.div(
            {
                "id": PANEL_MESSAGE_ID,
                "tabIndex": -1,
                "aria-live": "polite" if not shown or shown[0] != "error" else "assertive",
            },
            alert(shown[0], shown[1]) if shown else "",
        ),
        html.ul({"className": "fr-btns-group fr-btns-group--inline-md", "id": "actions-dossier"}, buttons)
        if buttons
        else html.p(
            {"className": "fr-mb-0", "id": "aucune-action"},
            "Aucune action possible sur ce dossier pour l'instant.",
        ),
        form,
        focus_script(focus[0], focus[1]),
    )


@component
def comment_form(dossier_id: str, on_changed: Callable[[], Awaitable[None]]):
    """« Laisser un commentaire »: the other side reads it in the history, live."""
    client = use_client()
    form = use_form_values(text="")
    errors, set_errors = use_state(NO_ERRORS)
    busy, set_busy = use_state(False)
    sent, set_sent = use_state(0)
    refusals, set_refusals = use_state(0)  # each refusal moves the focus to the field again

    @event(prevent_default=True)
    async def submit(event):
        set_busy(True)
        try:
            await client.execute("AddComment", {"dossierId": dossier_id, "text": form.latest()["text"]})
        except GraphQLClientError as error:
            found = FormErrors.from_error(error)
            message = found.get("message") or found.get("text")
            set_errors(FormErrors(found.messages, {"commentaire": message} if message else {}))
            set_busy(False)
            set_refusals(lambda n: n + 1)
            return
        set_busy(False)
        set_errors(NO_ERRORS)
        form.update(text="")
        set_sent(lambda n: n + 1)
        await on_changed()

    return html.form(
        {
            "className": "portal-comment-form fr-mt-3w",
            "onSubmit": submit,
            "noValidate": True,
            "aria-labelledby": "commentaire-titre",
            "id": "formulaire-commentaire",
        },
        html.h3({"className": "fr-h6", "id": "commentaire-titre"}, "Laisser un commentaire"),
        form_error_alert(errors, "commentaire-erreurs"),
        textarea_input(
            "commentaire",
            "Votre commentaire",
            form["text"],
            form.setter("text"),
            error=errors.get("commentaire"),
            hint="L'autre partie le lira dans l'historique du dossier.",
            required=True,
            max_length=MESSAGE_LIMIT,
        ),
        html.p(
            {"className": "fr-text--sm", "role": "status", "id": "commentaire-resultat"},
            "Commentaire publié." if sent and not errors else "",
        ),
        submit_button("Publier le commentaire", busy),
        focus_script("commentaire" if refusals else None, refusals),
    )


def _side(event: Mapping[str, Any]) -> str:
    return "douane" if event.get("actorSide") == "douane" else "demandeur"


def timeline(events: Sequence[Mapping[str, Any]]):
    """Every step and comment, oldest first: when, what, who (and which side), the status change, the message."""
    if not events:
        return html.p({"className": "portal-empty", "id": "historique-liste"}, "Aucun événement.")
    items = []
    for e in events:
        side = _side(e)
        is_comment = e["kind"] == "comment"
        change = ""
        if e.get("fromStatusLabel") and e.get("toStatusLabel"):
            change = html.p(
                {"className": "fr-text--sm fr-mb-1w portal-timeline__change"},
                "Statut : ",
                e["fromStatusLabel"],
                html.span({"aria-hidden": "true"}, " → "),
                html.span({"className": "fr-sr-only"}, " devient "),
                html.strong(e["toStatusLabel"]),
            )
        elif e.get("toStatusLabel"):
            change = html.p(
                {"className": "fr-text--sm fr-mb-1w portal-timeline__change"}, f"Statut : {e['toStatusLabel']}"
            )
        items.append(
            html.li(
                {
                    "key": e["id"],
                    "className": f"portal-timeline__item portal-timeline__item--{side}"
                    + (" portal-timeline__item--comment" if is_comment else ""),
                    "data-event-id": e["id"],
                },
                html.p(
                    {"className": "fr-text--sm fr-mb-0 portal-timeline__meta"},
                    html.time({"dateTime": e["at"]}, formatting.date_time(e["at"])),
                    " — ",
                    e["actorName"] or "Le portail",
                    f" ({side})",
                ),
                html.p({"className": "fr-mb-1w portal-timeline__label"}, html.strong(e["label"])),
                change,
                html.p({"className": "fr-mb-0 portal-timeline__message"}, e["message"])
                if e.get("message")
                else "",
            )
        )
    return html.ol({"className": "portal-timeline", "id": "historique-liste"}, items)


def history_section(events: Sequence[Mapping[str, Any]], comment_box: Any, announcement: str):
    """« Suivre les commentaires / l'avancement dans l'historique »: the list, live, then the comment form."""
    return html.section(
        {"id": "historique", "className": "fr-mt-6w", "aria-labelledby": "historique-titre"},
        html.h2({"id": "historique-titre"}, "Historique et commentaires"),
        html.p(
            {"className": "fr-text--sm"},
            "Suivez les commentaires et l'avancement du dossier : chaque étape du traitement et chaque commentaire, "
            "des deux côtés, dans l'ordre. La liste se met à jour d'elle-même.",
        ),
        html.p(
            {
                "className": "fr-text--xs portal-live",
                "id": "historique-annonce",
                "role": "status",
                "aria-live": "polite",
            },
            announcement,
        ),
        timeline(events),
        comment_box,
    )
