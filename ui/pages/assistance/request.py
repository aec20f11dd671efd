"""/assistance/demandes/<id>: one request — its facts (reference, kind, status, subject, office or page, dossier, who
took it), its thread (customs' and the support's answers marked as such), the reply box while one may write, « Prendre
en charge » for the answering side, « Clore la demande », and a ticket's screenshot form; live."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reactpy import component, event, html, use_location, use_scope, use_state

from ui import formatting
from ui.client import GraphQLClientError, use_client
from ui.components.attachments import upload_result
from ui.components.feedback import alert, error_alert, loading
from ui.components.focus import focus_script
from ui.components.forms import (
    NO_ERRORS,
    FormErrors,
    confirm_action,
    form_error_alert,
    submit_button,
    textarea_input,
    use_form_values,
)
from ui.dossier_form import node_number
from ui.pages.assistance.gates import assistance_gate
from ui.pages.assistance.live import LOADING, LoadedRequest, use_request
from ui.pages.assistance.presentation import TYPE_NAME, back_link, request_id_from_path, status_badge
from ui.pages.declarations.presentation import slot
from ui.routes import ASSISTANCE_PATH, OFFICE_QUESTIONS_PATH, SUPPORT_PATH

MESSAGE = "message-demande"
SIDE_NAMES = {"de la douane": "Douane", "du support": "Support"}  # the answering side, in a badge


def _facts(request: Mapping[str, Any]):
    items: list[tuple[str, Any]] = [
        ("Type", request["kindLabel"]),
        ("Statut", status_badge(request, id="demande-statut")),
        ("Objet", request["subject"]),
    ]
    if request["kind"] == "QUESTION":
        if request.get("customsOffice"):
            items.append(("Bureau de douane", request["customsOffice"]))
        if request.get("operatorName"):
            items.append(("Opérateur", request["operatorName"]))
    elif request.get("page"):
        items.append(("Page concernée", html.code(request["page"])))
    if request.get("dossierId"):
        items.append(
            ("Dossier", html.a({"href": f"/dossiers/{request['dossierId']}", "id": "demande-dossier"},
                               request.get("dossierReference") or "Le dossier"))
        )  # fmt: skip
    if request.get("authorizationId"):
        items.append(
            ("Autorisation", html.a({"href": f"/autorisations/{request['authorizationId']}"},
                                    request.get("authorizationReference") or "L'autorisation"))
        )  # fmt: skip
    items += [
        ("Demandée par", f"{request['authorName']}, le {formatting.date_time(request['createdAt'])}"),
        ("Prise en charge par", request.get("takenByName") or "Pas encore prise en charge"),
    ]
    if request.get("closedAt"):
        items.append(("Close le", formatting.date_time(request["closedAt"])))
    return html.dl(
        {"className": "portal-facts fr-mb-4w", "id": "demande-faits"},
        [
            html.div({"key": label, "className": "portal-facts__item"}, html.dt(label), html.dd(value))
            for label, value in items
        ],
    )


def _message(message: Mapping[str, Any], answering_side: str):
    customs = message["fromCustoms"]
    who = [message["authorName"]]
    if customs:
        badge = f"Réponse {answering_side}" if message["kind"] == "answer" else SIDE_NAMES[answering_side]
        who.append(html.span({"className": "fr-badge fr-badge--sm fr-badge--info fr-badge--no-icon fr-ml-1w"},
                             badge))  # fmt: skip
    return html.li(
        {"key": message["id"], "className": "portal-timeline__item" + (" portal-message--customs" if customs else ""),
         "data-from-customs": "true" if customs else "false"},
        html.p({"className": "fr-text--sm fr-mb-1v"}, html.strong(message["label"]), " – ", *who, " – ",
               html.time({"dateTime": message["at"]}, formatting.date_time(message["at"]))),
        html.p({"className": "portal-timeline__message"}, message["body"]) if message["body"] else "",
        html.p(
            html.a({"className": "fr-link fr-icon-image-line fr-link--icon-left", "href": message["screenshotUrl"],
                    "target": "_blank", "rel": "noopener", "title": "Capture d'écran – nouvelle fenêtre"},
                   f"Capture d'écran : {message.get('screenshotName') or 'image'}"),
        )
        if message.get("screenshotUrl")
        else "",
    )  # fmt: skip


def thread(request: Mapping[str, Any]):
    side = "de la douane" if request["kind"] == "QUESTION" else "du support"
    return html.section(
        {"className": "fr-mb-4w", "aria-labelledby": "fil-titre"},
        html.h2({"className": "fr-h4", "id": "fil-titre"}, "Échanges"),
        html.ol({"className": "portal-timeline", "id": "fil-messages"},
                [_message(m, side) for m in request["messages"]]),
    )  # fmt: skip


@component
def reply_box(request: Mapping[str, Any], loaded: LoadedRequest):
    client = use_client()
    form = use_form_values(text="")
    errors, set_errors = use_state(NO_ERRORS)
    busy, set_busy = use_state(False)
    said, set_said = use_state("")
    focus, set_focus = use_state((None, 0))
    answering = request["mayAnswer"]

    @event(prevent_default=True)
    async def send(event):
        set_busy(True)
        set_said("")
        try:
            await client.execute("PostAssistanceMessage", {"id": request["id"], "text": form.latest()["text"]})
        except GraphQLClientError as error:
            found = FormErrors.from_error(error)
            mine = found.get("text")
            set_errors(FormErrors(found.messages, {MESSAGE: mine} if mine else {}))
            set_focus(lambda current: (MESSAGE if mine else f"{MESSAGE}-erreurs", current[1] + 1))
            set_busy(False)
            return
        set_busy(False)
        set_errors(NO_ERRORS)
        form.update(text="")
        set_said("Réponse envoyée." if answering else "Message envoyé.")
        loaded.changed()

    if answering:
        title, hint, button = ("Répondre", "Le demandeur la lira sur cette page.", "Envoyer la réponse")
    else:
        title, hint, button = (
            "Écrire un message",
            "Une précision, une nouvelle question : votre message rouvre la demande.",
            "Envoyer le message",
        )
    return html.form(
        {"onSubmit": send, "noValidate": True, "id": f"formulaire-{MESSAGE}", "aria-labelledby": f"{MESSAGE}-titre",
         "className": "portal-comment-form fr-mb-4w"},
        html.h2({"className": "fr-h5", "id": f"{MESSAGE}-titre"}, title),
        html.div({"aria-live": "polite", "id": f"{MESSAGE}-succes"}, alert("success", [said]) if said else ""),
        slot("erreurs", form_error_alert(errors, f"{MESSAGE}-erreurs", level=3)),
        textarea_input(MESSAGE, "Message", form["text"], form.setter("text"), error=errors.get(MESSAGE), hint=hint,
                       required=True, max_length=4000),
        submit_button(button, busy),
        focus_script(focus[0], focus[1]),
    )  # fmt: skip


@component
def request_actions(request: Mapping[str, Any], me: Mapping[str, Any], loaded: LoadedRequest):
    client = use_client()
    problem, set_problem = use_state("")
    said, set_said = use_state("")

    async def run(operation: str, done: str) -> None:
        try:
            await client.execute(operation, {"id": request["id"]})
        except GraphQLClientError as error:
            set_problem(" ".join(error.messages))
            return
        set_problem("")
        set_said(done)
        loaded.changed()

    async def take(event) -> None:
        await run("TakeAssistanceRequest", "Vous avez pris en charge la demande.")

    async def close() -> None:
        await run("CloseAssistanceRequest", "La demande est close.")

    open_ = request["status"] != "CLOSED"
    taken_by_me = request.get("takenByName") == me.get("name")
    buttons = []
    if request["mayAnswer"] and open_ and not taken_by_me:
        buttons.append(html.li({"key": "prendre"}, html.button(
            {"type": "button", "className": "fr-btn fr-btn--sm", "id": "prendre-en-charge", "onClick": take},
            "Prendre en charge")))  # fmt: skip
    if (request["mayWrite"] or request["mayAnswer"]) and open_:
        buttons.append(html.li({"key": "clore"}, confirm_action(
            "Clore la demande", "Clore la demande ? Elle ne recevra plus de message.", close,
            confirm_label="Confirmer la clôture", key="clore")))  # fmt: skip
    return html.div(
        {"className": "fr-mb-3w", "id": "demande-actions"},
        html.div({"aria-live": "polite"}, alert("success", said) if said else ""),
        html.div({"aria-live": "assertive"}, error_alert(problem, id="demande-action-erreur") if problem else ""),
        html.ul({"className": "fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm"}, buttons)
        if buttons
        else "",
    )


def screenshot_form(request: Mapping[str, Any], csrf: str | None):
    number = node_number(request["id"], TYPE_NAME) or ""
    return html.form(
        {"id": "formulaire-capture", "method": "post", "enctype": "multipart/form-data",
         "action": f"/assistance/demandes/{number}/capture", "className": "portal-form fr-mb-4w",
         "aria-labelledby": "capture-titre"},
        html.h2({"className": "fr-h5", "id": "capture-titre"}, "Joindre une capture d'écran (facultatif)"),
        html.input({"type": "hidden", "name": "csrf", "value": csrf or ""}),
        html.div(
            {"className": "fr-upload-group fr-mb-2w"},
            html.label({"className": "fr-label", "htmlFor": "capture-fichier"}, "Capture d'écran",
                       html.span({"className": "fr-hint-text"},
                                 "Une image PNG ou JPEG de ce que vous voyez à l'écran.")),
            html.input({"className": "fr-upload", "type": "file", "id": "capture-fichier", "name": "file",
                        "accept": ".png,.jpg,.jpeg,image/png,image/jpeg"}),
        ),
        html.button({"type": "submit", "className": "fr-btn fr-btn--secondary fr-icon-upload-line fr-btn--icon-left"},
                    "Joindre la capture"),
    )  # fmt: skip


def _back(request: Mapping[str, Any] | None):
    if request and request["mayAnswer"]:
        if request["kind"] == "TICKET":
            return back_link(SUPPORT_PATH, "Support du portail")
        return back_link(OFFICE_QUESTIONS_PATH, "Questions des opérateurs")
    return back_link(ASSISTANCE_PATH, "Mes demandes")


@component
def request_view(me: Mapping[str, Any], request_id: str):
    loaded = use_request(request_id)
    location = use_location()
    scope = use_scope()
    request = loaded.found
    if loaded.error and request is LOADING:
        return html.div(html.h1("Demande d'assistance"), error_alert(loaded.error))
    if request is LOADING:
        return loading("Chargement de la demande…")
    if request is None:
        return html.div(
            _back(None),
            html.h1("Demande introuvable"),
            error_alert("Cette demande d'assistance n'existe pas ou vous n'y avez pas accès.", id="demande-refus"),
        )
    result = upload_result(location.query_string or "")
    open_ = request["status"] != "CLOSED"
    author_of_ticket = request["kind"] == "TICKET" and request["mayWrite"] and not request["mayAnswer"]
    return html.div(
        _back(request),
        html.h1({"id": "demande-titre"}, f"Demande {request['reference']}"),
        html.p({"className": "fr-text--lead fr-mb-2w"}, request["subject"]),
        html.p({"className": "fr-text--xs portal-live", "id": "demande-direct", "role": "status",
                "aria-live": "polite"}, loaded.live_status or loaded.announcement),
        alert(result[0], result[1], id="capture-resultat") if result else "",
        _facts(request),
        request_actions(request, me, loaded, key="actions"),
        thread(request),
        reply_box(request, loaded, key="reponse") if open_ and (request["mayWrite"] or request["mayAnswer"]) else "",
        screenshot_form(request, (scope.get("session") or {}).get("csrf")) if author_of_ticket and open_ else "",
        html.p({"className": "fr-text--sm", "id": "demande-close"},
               "Cette demande est close : elle ne reçoit plus de message.") if not open_ else "",
    )  # fmt: skip


@component
def assistance_request_page(me: dict[str, Any] | None, segment: str):
    request_id = request_id_from_path(segment)
    return assistance_gate(me, "Demande d'assistance", lambda: request_view(me, request_id, key=request_id))
