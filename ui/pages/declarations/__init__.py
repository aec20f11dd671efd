"""A private person's declarations (« Déclarer un achat ou des effets personnels »): /particulier « Mes déclarations »,
/particulier/nouvelle to start one, /particulier/<id> its page (the facts, the items, the estimate, then submission
and the exchanges with customs). The examining office's side is in `office` (/douane/declarations…).

Deliberately simple for a private person: plain words and guidance at each step; nothing of SOPRANO, operators or
rights. Every rule and every figure is the API's."""

from __future__ import annotations

from typing import Any

from reactpy import component, html

from ui.pages.declarations.gates import declarant_gate
from ui.pages.declarations.listing import declaration_list
from ui.routes import NEW_DECLARATION_PATH

TITLE = "Mes déclarations"


def how_it_works():
    return html.div(
        {"className": "fr-mb-4w", "id": "comment-ca-marche"},
        html.h2({"className": "fr-h5"}, "Comment ça marche"),
        html.ol(
            html.li(
                "Dites d'où viennent vos achats : un voyage hors de l'Union européenne, ou un achat en ligne."
            ),
            html.li("Ajoutez chaque article et son prix : une estimation de ce que vous aurez à payer s'affiche."),
            html.li("Déposez votre déclaration : la douane vous répond ici, et vous pouvez lui écrire."),
        ),
    )


@component
def declarations_page(me: dict[str, Any] | None):
    def render():
        return html.div(
            html.div(
                {"className": "portal-heading-row"},
                html.h1({"id": "declarations-titre"}, TITLE),
                html.a(
                    {"className": "fr-btn fr-icon-add-line fr-btn--icon-left", "href": NEW_DECLARATION_PATH,
                     "id": "nouvelle-declaration"},
                    "Nouvelle déclaration",
                ),
            ),
            html.p(
                {"className": "fr-text--lead"},
                "Déclarez ce que vous rapportez d'un voyage hors de l'Union européenne, ou un achat en ligne livré "
                "depuis un pays hors de l'Union européenne. Avant de déposer, vous voyez une estimation de ce que "
                "vous aurez à payer.",
            ),
            how_it_works(),
            declaration_list(me, False, key=me["id"]),
        )  # fmt: skip

    return declarant_gate(me, TITLE, render)
