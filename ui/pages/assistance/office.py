"""/douane/questions: « Questions des opérateurs » — the questions put to the officer's office (its economic action
unit), à traiter / en attente / closes, with a search and « Afficher plus », live. Each opens the request's page,
where the officer takes it, answers and closes it."""

from __future__ import annotations

from typing import Any

from reactpy import component, html

from ui.pages.assistance.listing import ListWords, request_list
from ui.pages.assistance.presentation import back_link
from ui.pages.declarations.gates import office_gate
from ui.routes import OFFICE_QUESTIONS_PATH

TITLE = "Questions des opérateurs"
OFFICE_WORDS = ListWords(
    "Questions",
    {
        "TODO": "Les questions qui attendent la réponse du bureau (nouvelles, ou relancées par l'opérateur).",
        "WAITING": "Les questions auxquelles le bureau a répondu : l'opérateur peut répondre ou clore.",
        "DONE": "Les questions closes.",
    },
    {
        "TODO": "Aucune question n'attend de réponse.",
        "WAITING": "Aucune question en attente de l'opérateur.",
        "DONE": "Aucune question close.",
    },
    "Référence (AR-…), objet, message, auteur",
    "Aucune question n'a été posée à votre bureau pour l'instant.",
)


def office_questions_link():
    """The customs workspace's entry to the office's questions."""
    return html.p(
        html.a(
            {"className": "fr-link fr-icon-arrow-right-line fr-link--icon-right", "href": OFFICE_QUESTIONS_PATH,
             "id": "lien-questions"},
            "Questions des opérateurs adressées au bureau",
        )
    )  # fmt: skip


@component
def office_questions_page(me: dict[str, Any] | None):
    def render():
        office = me.get("customsOffice")
        return html.div(
            back_link("/douane", "Espace agent des douanes"),
            html.h1({"id": "questions-titre"}, TITLE),
            html.p({"className": "fr-text--lead"},
                   "Les questions réglementaires posées par les opérateurs à la cellule conseil aux entreprises "
                   "(PAE) " + (f"du bureau {office}." if office else "de votre bureau.")),
            request_list(me, "TO_ANSWER", "QUESTION", OFFICE_WORDS, prefix="questions", key=me["id"]),
        )  # fmt: skip

    return office_gate(me, TITLE, render)
