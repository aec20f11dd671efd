"""Why the dossier is where it is, when customs said why: the message of the step that put it there, at the top of
the page (not only in the history), with what each side may do now."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reactpy import html

from ui import formatting


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
    if status == "GRANTED" and processing.get("authorizationId"):
        return _granted(processing)
    decision = DECISIONS.get(status)
    step = next(
        (e for e in reversed(processing.get("history") or []) if e.get("toStatus") == status),
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


def _granted(processing: Mapping[str, Any]):
    """A granted dossier: the authorisation it issued (reference, validity: the grant's message) and its page."""
    step = next((e for e in reversed(processing.get("history") or []) if e.get("toStatus") == "GRANTED"), None)
    return html.div(
        {"className": "fr-alert fr-alert--success fr-mb-3w", "id": "traitement-decision"},
        html.h3({"className": "fr-alert__title"}, "Autorisation octroyée"),
        html.p({"className": "portal-decision__message"}, step["message"]) if step and step.get("message") else "",
        html.p(
            {"className": "fr-mb-0"},
            html.a(
                {"className": "fr-link", "href": f"/autorisations/{processing['authorizationId']}",
                 "id": "lien-autorisation"},
                "Voir l'autorisation délivrée",
            ),
        ),
    )  # fmt: skip
