"""How the dossier page presents each action the API offers (`Dossier.actions`): what it says once done, a hint, a
confirmation question, its button's style. Which action exists, its label and what it requires are the API's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Presentation:
    """How the page presents an action the API offers (its label and what it requires are the API's)."""

    done: str = "Action effectuée."  # said once done
    message_hint: str | None = None  # may name the API's limits: {hearingDays}…
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
        message_hint="Le demandeur dispose de {hearingDays} jours pour faire valoir son point de vue.",
        submit_label="Notifier l'intention de refus",
    ),
    "grant": Presentation("Autorisation octroyée et délivrée (version 1).", primary=True),
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


def message_hint(action: Mapping[str, Any], limits: Mapping[str, Any]) -> str | None:
    """The hint under an action's message, with the durations the API announces."""
    hint = presentation(action).message_hint
    return hint.format(**limits) if hint else None
