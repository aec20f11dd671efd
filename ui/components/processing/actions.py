"""The actions the reader may take now on a dossier (the API's `Dossier.actions`: status changes, « Prendre en
charge », the decision deadline's extension): their buttons, the form of the one opened, what happened."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from reactpy import component, html, use_state

from ui import formatting
from ui.client import GraphQLClientError, use_client
from ui.components.feedback import alert
from ui.components.focus import focus_script
from ui.components.forms import confirm_action
from ui.components.processing.action_forms import extension_form, grant_form, message_action_form
from ui.components.processing.decisions import decision_box
from ui.components.processing.presentations import NOT_IN_PANEL, Presentation, presentation

PANEL_MESSAGE_ID = "traitement-message"
Notice = tuple[str, list[str], str | None] | None  # (DSFR alert kind, messages, the status it holds for)


@component
def processing_panel(
    dossier_id: str,
    processing: Mapping[str, Any],
    officer: bool,
    on_changed: Callable[[], Awaitable[None]],
    limits: Mapping[str, Any],
):
    """The buttons of the actions the reader may take now (the API's `actions`); the form of the one opened (the last
    read of that action, kept while the other side's step makes it impossible); what happened. `limits`: the API's
    (`Query.limits`), which the forms announce."""
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
        texts = [said, f"Statut du dossier : {result['statusLabel']}."]
        if result.get("authorization"):
            texts.append(f"Référence de l'autorisation : {result['authorization']['reference']}.")
        set_notice(("success", texts, result["status"]))
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
        if info["mutation"] == "grantDossier":
            return opener(info, "octroi-debut")
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
    if opened is not None and opened["mutation"] == "grantDossier":
        if opened["code"] in offered:
            form = grant_form(dossier_id, opened, done, lambda: set_opened(None), limits, key=opened["code"])
    elif opened is not None and opened["needsDate"]:
        if opened["code"] in offered:
            form = extension_form(
                dossier_id,
                opened,
                processing.get("deadline"),
                extended,
                lambda: set_opened(None),
                limits,
                key=opened["code"],
            )
    elif opened is not None and opened["needsMessage"]:
        # Still shown when the other side's step has just made it impossible: what was typed stays readable.
        gone = None if opened["code"] in offered else processing["statusLabel"]
        form = message_action_form(
            dossier_id, opened, done, lambda: set_opened(None), limits, gone, key=opened["code"]
        )
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
