"""Assistance (/assistance…): the home of help for professionals and officers — « Documentation réglementaire »
(public), « Assistance réglementaire » (a question to an office's economic action unit), « Assistance technique » (a
ticket to the portal's support), « Votre avis nous intéresse » — and « Mes demandes », their list. Each request has its
page (`request`); the office's questions are in the customs workspace (`office`, /douane/questions), the support's
desk is /support (`support`). A private person's help is in « Mes déclarations »; a visitor is invited to log in.

Every rule is the API's; these pages place its answers and word them."""

from __future__ import annotations

from typing import Any

from reactpy import component, html, use_location

from ui.pages.assistance.gates import assistance_gate
from ui.pages.assistance.listing import ASKED_WORDS, request_list
from ui.pages.assistance.presentation import feedback_href, page_from_query, ticket_href
from ui.pages.customs import opens_workspace
from ui.routes import DOCUMENTATION_PATH, OFFICE_QUESTIONS_PATH, QUESTION_PATH, SUPPORT_PATH

TITLE = "Assistance"


def _entry(id: str, title: str, href: str, description: str):
    return html.li(
        {"key": id, "className": "fr-col-12 fr-col-md-6"},
        html.div(
            {"className": "fr-card fr-enlarge-link", "id": f"entree-{id}"},
            html.div(
                {"className": "fr-card__body"},
                html.div(
                    {"className": "fr-card__content"},
                    html.h2({"className": "fr-card__title"}, html.a({"href": href}, title)),
                    html.p({"className": "fr-card__desc"}, description),
                ),
            ),
        ),
    )


def entries(page: str):
    """The four ways to help; `page`: where the reader came from (a ticket and an opinion are about it)."""
    return html.ul(
        {"className": "portal-teleservices fr-grid-row fr-grid-row--gutters fr-mb-6w", "id": "assistance-entrees"},
        _entry("documentation", "Documentation réglementaire", DOCUMENTATION_PATH,
               "Chaque régime particulier, ses textes (Code des douanes de l'Union) et des liens utiles."),
        _entry("question", "Assistance réglementaire", QUESTION_PATH,
               "Posez une question à la cellule conseil aux entreprises (PAE) d'un bureau de douane."),
        _entry("technique", "Assistance technique", ticket_href(page),
               "Un problème sur le portail ? Signalez-le au support, avec la page concernée."),
        _entry("avis", "Votre avis nous intéresse", feedback_href(page or "/assistance"),
               "Notez une page du portail de 1 à 5 et dites-nous ce qui pourrait être amélioré."),
    )  # fmt: skip


@component
def assistance_page(me: dict[str, Any] | None):
    location = use_location()
    page = page_from_query(location.query_string or "")

    def render():
        customs = opens_workspace(me)
        return html.div(
            html.h1({"id": "assistance-titre"}, TITLE),
            html.p({"className": "fr-text--lead"},
                   "Trouvez la réglementation d'un régime, posez une question à la douane, signalez un problème "
                   "technique ou donnez votre avis."),
            entries(page),
            html.p(
                html.a({"className": "fr-link fr-icon-arrow-right-line fr-link--icon-right",
                        "href": OFFICE_QUESTIONS_PATH, "id": "lien-questions-bureau"},
                       "Les questions des opérateurs adressées à votre bureau"),
            )
            if customs and me.get("customsOffice")
            else "",
            html.p(
                html.a({"className": "fr-link fr-icon-arrow-right-line fr-link--icon-right", "href": SUPPORT_PATH,
                        "id": "lien-support"}, "Le support du portail : demandes d'assistance technique et avis"),
            )
            if me.get("isSupport")
            else "",
            html.h2({"id": "mes-demandes"}, "Mes demandes"),
            request_list(me, "ASKED", None, ASKED_WORDS, prefix="demandes", keep={"page": page} if page else None,
                         key=me["id"]),
        )  # fmt: skip

    return assistance_gate(me, TITLE, render)
