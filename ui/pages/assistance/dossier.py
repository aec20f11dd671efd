"""On a dossier's page: « Poser une question à la douane » (the question goes to the dossier's office) and the short
list of the questions already asked about it, as the API lets the reader see them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reactpy import component, html, use_async_effect, use_state

from ui.client import GraphQLClientError, use_client
from ui.dossier_form import node_number
from ui.pages.assistance.presentation import request_href
from ui.routes import DOCUMENTATION_PREFIX, QUESTION_PATH


def question_href(dossier_id: str) -> str:
    return f"{QUESTION_PATH}?dossier={node_number(dossier_id, 'Dossier') or dossier_id}"


def documentation_link(procedure_code: str):
    """« Documentation » beside a procedure's name: its regulatory documentation."""
    return html.a(
        {"className": "fr-link fr-link--sm fr-icon-book-2-line fr-link--icon-left fr-ml-2w",
         "href": DOCUMENTATION_PREFIX + procedure_code, "id": "documentation-regime"},
        "Documentation",
        html.span({"className": "fr-sr-only"}, f" du régime {procedure_code}"),
    )  # fmt: skip


@component
def dossier_questions(dossier: Mapping[str, Any], officer: bool):
    client = use_client()
    found, set_found = use_state(None)

    @use_async_effect(dependencies=[dossier["id"]])
    async def load():
        try:
            data = await client.execute("DossierQuestions", {"dossierId": dossier["id"]})
        except GraphQLClientError:
            return  # the list is a help: without it the page stays whole
        set_found(data["assistanceRequests"]["items"])

    ask = (
        html.p(
            html.a(
                {"className": "fr-btn fr-btn--sm fr-btn--secondary fr-icon-question-line fr-btn--icon-left",
                 "href": question_href(dossier["id"]), "id": "poser-question"},
                "Poser une question à la douane",
            )
        )
        if not officer
        else ""
    )  # fmt: skip
    listed = found or []
    return html.div(
        {"className": "fr-mb-3w", "id": "dossier-questions"},
        ask,
        html.div(
            html.h2({"className": "fr-h6 fr-mb-1w", "id": "questions-dossier-titre"}, "Questions sur ce dossier"),
            html.ul(
                {"aria-labelledby": "questions-dossier-titre", "id": "questions-dossier"},
                [
                    html.li(
                        {"key": q["id"]},
                        html.a({"href": request_href(q["id"])}, q["reference"]),
                        f" – {q['subject']} ",
                        html.span({"className": "fr-badge fr-badge--sm fr-badge--no-icon"}, q["statusLabel"]),
                    )
                    for q in listed
                ],
            ),
        )
        if listed
        else "",
    )
