"""The editor's buttons « Contrôler », « Sauvegarder » and « Valider », and why the form is read-only when it is.

Whether the reader may edit is the API's `Dossier.canSave`; whether « Valider » is offered, the `submit` entry of the
API's `Dossier.actions`. The page words them, with the labels of the reader's right the API gives (`Query.rights`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reactpy import html

from ui.components.leave_guard import leave_guard
from ui.pages.dossier.editing import Editor


def _right_label(dossier: Mapping[str, Any], right_labels: Mapping[str, str]) -> str | None:
    return right_labels.get(dossier["operator"].get("myRight") or "")


def _with_right(text: str, label: str | None) -> str:
    return f"{text} ({label})" if label else text


# Why a dossier that is no longer being written can no longer be modified, a sentence per status.
LOCKED_SENTENCES = {
    "SUBMITTED": "Ce dossier a été déposé : il ne peut plus être modifié, sauf si le service des douanes demande un "
    "complément.",
    "ACCEPTED": "Ce dossier a été accepté et est en cours d'instruction : il ne peut plus être modifié.",
    "HEARING": "Le service des douanes envisage une décision défavorable et vous invite à faire valoir votre point "
    "de vue (droit d'être entendu) : le dossier ne peut plus être modifié ; présentez vos observations avec "
    "« Laisser un commentaire ».",
    "GRANTED": "L'autorisation a été octroyée : ce dossier ne peut plus être modifié.",
    "REFUSED": "La demande a été refusée : ce dossier ne peut plus être modifié.",
    "NOT_ACCEPTED": "La demande n'a pas été acceptée : ce dossier ne peut plus être modifié.",
    "WITHDRAWN": "Ce dossier a été retiré : il ne peut plus être modifié.",
}


def read_only_reason(dossier: Mapping[str, Any], officer: bool, right_labels: Mapping[str, str]) -> str | None:
    """Why the form is shown read-only, or None when the reader may edit it."""
    if officer:
        return "Vous consultez la demande telle que le demandeur l'a déposée : le formulaire est en lecture seule."
    if not dossier["editable"]:
        return LOCKED_SENTENCES.get(
            dossier["status"],
            f"Ce dossier est au statut « {dossier['statusLabel']} » : il ne peut plus être modifié.",
        )
    if not dossier["canSave"]:
        right = _with_right(
            f"Votre droit sur {dossier['operator']['legalName']}", _right_label(dossier, right_labels)
        )
        return f"{right} vous permet de consulter ce dossier, pas de le modifier."
    return None


def editor_buttons(editor: Editor, may_submit: bool, right_labels: Mapping[str, str]):
    """The buttons under the form; « Valider » only when the API offers to submit."""
    busy = editor.busy

    def button(label: str, busy_label: str, name: str, task: str, handler, primary: bool = False):
        # `name` is the button's id; `task` what the editor reports while it works (Editor.busy).
        at_work = busy == task
        return html.li(
            {"key": name},
            html.button(
                {
                    "type": "button",
                    "id": f"bouton-{name}",
                    "className": "fr-btn" + ("" if primary else " fr-btn--secondary"),
                    "onClick": handler,
                    "disabled": busy is not None,
                    **({"aria-busy": "true"} if at_work else {}),
                },
                busy_label if at_work else label,
            ),
        )

    return html.div(
        {"className": "portal-actions fr-mt-3w"},
        html.p(
            {"className": "fr-text--sm fr-mb-1w", "role": "status", "id": "etat-saisie"},
            "Modifications non sauvegardées." if editor.unsaved else "",
        ),
        leave_guard(editor.unsaved),
        html.ul(
            {"className": "fr-btns-group fr-btns-group--inline-md"},
            button("Contrôler", "Contrôle en cours…", "controler", "check", editor.on_check),
            button("Sauvegarder", "Sauvegarde en cours…", "sauvegarder", "save", editor.on_save),
            button("Valider", "Dépôt en cours…", "valider", "submit", editor.on_submit, primary=True)
            if may_submit
            else "",
        ),
        ""
        if may_submit
        else html.p(
            {"className": "fr-text--sm"},
            _with_right("Votre droit", _right_label(editor.dossier, right_labels))
            + " permet de compléter, contrôler et sauvegarder ce dossier ; "
            "une personne habilitée à déposer le validera.",
        ),
    )
