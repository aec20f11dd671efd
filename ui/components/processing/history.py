"""« Suivre les commentaires / l'avancement dans l'historique »: every step and comment of a dossier as one
chronological list (live), and « Laisser un commentaire »."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from reactpy import component, event, html, use_state

from ui import formatting
from ui.client import GraphQLClientError, use_client
from ui.components.focus import focus_script
from ui.components.forms import (
    NO_ERRORS,
    FormErrors,
    form_error_alert,
    submit_button,
    textarea_input,
    use_form_values,
)


@component
def comment_form(dossier_id: str, on_changed: Callable[[], Awaitable[None]], max_length: int):
    """« Laisser un commentaire »: the other side reads it in the history, live; `max_length`: the API's limit."""
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
            max_length=max_length,
        ),
        html.p(
            {"className": "fr-text--sm", "role": "status", "id": "commentaire-resultat"},
            "Commentaire publié." if sent and not errors else "",
        ),
        submit_button("Publier le commentaire", busy),
        focus_script("commentaire" if refusals else None, refusals),
    )


def side_label(event: Mapping[str, Any]) -> str:
    """Who acted, in the history's words: « douane » or « demandeur » (the API's ActorSide)."""
    return "douane" if event.get("actorSide") == "CUSTOMS" else "demandeur"


def timeline(events: Sequence[Mapping[str, Any]]):
    """Every step and comment, oldest first: when, what, who (and which side), the status change, the message."""
    if not events:
        return html.p({"className": "portal-empty", "id": "historique-liste"}, "Aucun événement.")
    items = []
    for e in events:
        side = side_label(e)
        is_comment = e["kind"] == "COMMENT"
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
