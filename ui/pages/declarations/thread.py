"""The exchanges of a submitted declaration: customs' request for information, shown first when it waits for the
declarant, and the box to write — the declarant's answer to that request sends the declaration back to the office
(`submitPrivateDeclaration` with the message); any other time, a message in the thread (`sendDeclarationMessage`),
on either side."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reactpy import component, event, html, use_state

from ui.client import GraphQLClientError, use_client
from ui.components.feedback import alert
from ui.components.focus import focus_script
from ui.components.forms import (
    NO_ERRORS,
    FormErrors,
    form_error_alert,
    submit_button,
    textarea_input,
    use_form_values,
)
from ui.pages.declarations.live import LoadedDeclaration
from ui.pages.declarations.presentation import slot

ANSWER = "reponse-douane"
MESSAGE = "message-declaration"


def last_request(declaration: Mapping[str, Any]) -> Mapping[str, Any] | None:
    return next((e for e in reversed(declaration["history"]) if e["kind"] == "INFO_REQUESTED"), None)


def information_request(declaration: Mapping[str, Any]):
    """The declarant's side, while customs wait for an answer: what they ask, and what to do."""
    if declaration["status"] != "INFO_REQUESTED":
        return ""
    request = last_request(declaration)
    return html.div(
        {"className": "fr-alert fr-alert--warning fr-mb-3w", "id": "demande-complement", "role": "status"},
        html.h2({"className": "fr-alert__title"}, "La douane vous demande un complément"),
        html.p({"className": "portal-timeline__message"}, request["message"]) if request else "",
        html.p(
            {"className": "fr-text--sm"},
            "Répondez ci-dessous. Si la douane vous demande de corriger un article ou une information, faites-le "
            "d'abord dans les étapes plus bas : votre réponse renvoie la déclaration corrigée à la douane.",
        ),
    )


@component
def message_box(declaration: Mapping[str, Any], loaded: LoadedDeclaration, officer: bool):
    client = use_client()
    form = use_form_values(text="")
    errors, set_errors = use_state(NO_ERRORS)
    busy, set_busy = use_state(False)
    said, set_said = use_state("")
    focus, set_focus = use_state((None, 0))
    if declaration["status"] == "DRAFT":
        return ""
    answering = not officer and declaration["status"] == "INFO_REQUESTED" and declaration["mayEdit"]
    element = ANSWER if answering else MESSAGE

    @event(prevent_default=True)
    async def send(event):
        text = form.latest()["text"]
        set_busy(True)
        set_said("")
        try:
            if answering:
                answer = (
                    await client.execute(
                        "SubmitPrivateDeclaration",
                        {"id": declaration["id"], "version": loaded.version(), "message": text},
                    )
                )["submitPrivateDeclaration"]
            else:
                answer = (await client.execute("SendDeclarationMessage", {"id": declaration["id"], "text": text}))[
                    "sendDeclarationMessage"
                ]
        except GraphQLClientError as error:
            found = FormErrors.from_error(error)
            mine = found.get("message" if answering else "text")
            set_errors(FormErrors(found.messages, {element: mine} if mine else {}))
            set_focus(lambda current: (element if mine else f"{element}-erreurs", current[1] + 1))
            set_busy(False)
            return
        set_busy(False)
        set_errors(NO_ERRORS)
        form.update(text="")
        set_said(
            "Votre réponse est envoyée : la déclaration retourne à la douane." if answering else "Message envoyé."
        )
        loaded.changed(answer)

    if answering:
        title, label, hint, button = (
            "Répondre à la douane",
            "Votre réponse",
            "Ce que la douane vous demande de préciser, ou ce que vous avez corrigé.",
            "Envoyer ma réponse",
        )
    elif officer:
        title, label, hint, button = (
            "Écrire au déclarant",
            "Message",
            "Le déclarant le lira sur la page de sa déclaration.",
            "Envoyer le message",
        )
    else:
        title, label, hint, button = (
            "Écrire à la douane",
            "Votre message",
            "Une question, une précision : la douane le lira avec votre déclaration.",
            "Envoyer le message",
        )
    return html.form(
        {"onSubmit": send, "noValidate": True, "id": f"formulaire-{element}", "aria-labelledby": f"{element}-titre",
         "className": "portal-comment-form fr-mb-4w"},
        html.h3({"className": "fr-h6", "id": f"{element}-titre"}, title),
        html.div({"aria-live": "polite", "id": f"{element}-succes"}, alert("success", [said]) if said else ""),
        slot("erreurs", form_error_alert(errors, f"{element}-erreurs", level=4)),
        textarea_input(element, label, form["text"], form.setter("text"), error=errors.get(element), hint=hint,
                       required=answering, max_length=4000),
        submit_button(button, busy),
        focus_script(focus[0], focus[1]),
    )  # fmt: skip
