"""The current deadline of a dossier (acceptance, complement, decision, right to be heard): its label (the API's),
the due date in French, « dépassée » when overdue and, when customs extended it, why."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reactpy import html

from ui import formatting


def overdue_badge():
    return html.p(
        {"className": "fr-badge fr-badge--sm fr-badge--error fr-badge--no-icon portal-overdue"}, "dépassée"
    )


def deadline_cell(deadline: Mapping[str, Any] | None):
    """In a dashboard row: label, due date, « dépassée », « prolongé : motif »."""
    if not deadline:
        return html.span(html.span({"aria-hidden": "true"}, "—"), html.span({"className": "fr-sr-only"}, "Aucune"))
    return html.div(
        {"className": "portal-deadline-cell"},
        html.span({"className": "fr-text--xs portal-deadline-cell__label"}, deadline["label"]),
        html.br(),
        html.span({"className": "portal-deadline-cell__due"}, formatting.date(deadline["due"])),
        overdue_badge() if deadline["overdue"] else "",
        html.p({"className": "fr-text--xs fr-mb-0"}, f"prolongé : {deadline['extensionReason']}")
        if deadline.get("extended")
        else "",
    )


def deadline_panel(deadline: Mapping[str, Any] | None):
    """On the dossier page: the deadline now running, or that none is."""
    if not deadline:
        body = html.p(
            {"className": "fr-mb-0", "id": "echeance-texte"}, "Aucune échéance en cours pour ce dossier."
        )
    else:
        body = html.div(
            html.p(
                {"className": "fr-mb-1w", "id": "echeance-texte"},
                html.strong({"id": "echeance-libelle"}, deadline["label"]),
                " : au plus tard le ",
                html.strong({"id": "echeance-date"}, formatting.date(deadline["due"])),
                ".",
            ),
            overdue_badge() if deadline["overdue"] else "",
            html.p(
                {"className": "fr-mb-0", "id": "echeance-prolongation"},
                f"prolongé : {deadline['extensionReason']}",
            )
            if deadline.get("extended")
            else "",
        )
    return html.section(
        {
            "id": "echeance",
            "className": "portal-deadline fr-mb-4w"
            + (" portal-deadline--overdue" if deadline and deadline["overdue"] else ""),
            "aria-labelledby": "echeance-titre",
        },
        html.h2({"className": "fr-h6 fr-mb-1w", "id": "echeance-titre"}, "Échéance"),
        body,
    )
