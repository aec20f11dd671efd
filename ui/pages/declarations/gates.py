"""Who stands before the declarations' pages, said plainly: a visitor is invited to log in; a private person's pages
tell a professional or an officer they are a private person's; the office's pages tell anyone but a customs officer
they are customs'. Who may is the API's (`me.teleservices`); the API refuses in any case, the page says why first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reactpy import component, html, use_location

from ui.components.feedback import error_alert, login_invitation
from ui.pages.customs import is_officer, opens_workspace
from ui.routes import DECLARANT_PATH, DECLARATION_PREFIX, OFFICE_DECLARATION_PREFIX, OFFICE_DECLARATIONS_PATH

DECLARING = "DECLARATION_PARTICULIER"  # the tele-service's code in `me.teleservices`


def declarant_href(declaration_id: str) -> str:
    return DECLARATION_PREFIX + declaration_id


def office_href(declaration_id: str) -> str:
    return OFFICE_DECLARATION_PREFIX + declaration_id


def may_declare(me: dict[str, Any] | None) -> bool:
    """Whether the API lists « Déclarer un achat ou des effets personnels » among this account's tele-services."""
    return bool(me) and any(service["code"] == DECLARING for service in me.get("teleservices") or [])


def _home_link():
    return html.a({"className": "fr-btn fr-btn--secondary", "href": "/"}, "Retour à mes téléservices")


@component
def declarant_gate(
    me: dict[str, Any] | None, title: str, render: Callable[[], Any], declaration_id: str | None = None
):
    """`render()` for a private person; otherwise what stops the reader, in French."""
    location = use_location()
    if me is None:
        return html.div(
            html.h1(title), login_invitation(location.path + location.query_string, "vos déclarations")
        )
    if may_declare(me):
        return render()
    if is_officer(me):
        target = office_href(declaration_id) if declaration_id else OFFICE_DECLARATIONS_PATH
        return html.div(
            html.h1(title),
            error_alert(
                "Cette page est celle du particulier qui déclare. En tant qu'agent des douanes, vous examinez les "
                "déclarations des particuliers depuis votre espace agent.",
                id="declaration-refus",
            ),
            html.a({"className": "fr-btn", "href": target}, "Ouvrir dans l'espace agent"),
        )
    return html.div(
        html.h1(title),
        error_alert(
            "Cette fonction est réservée aux particuliers : un compte professionnel ne peut pas déclarer des achats "
            "ou des effets personnels, ni voir ceux d'un particulier. Connectez-vous avec votre compte de "
            "particulier pour déclarer à titre personnel.",
            id="declaration-refus",
        ),
        _home_link(),
    )


@component
def office_gate(me: dict[str, Any] | None, title: str, render: Callable[[], Any]):
    """`render()` for a customs officer; otherwise what stops the reader, in French."""
    location = use_location()
    if me is None:
        return html.div(
            html.h1(title), login_invitation(location.path + location.query_string, "l'espace agent des douanes")
        )
    if opens_workspace(me):
        return render()
    if may_declare(me):
        return html.div(
            html.h1(title),
            error_alert(
                "Cette page est réservée aux agents des douanes. Vos propres déclarations sont dans « Mes "
                "déclarations ».",
                id="declaration-refus",
            ),
            html.a({"className": "fr-btn", "href": DECLARANT_PATH}, "Mes déclarations"),
        )
    return html.div(
        html.h1(title),
        error_alert(
            "L'examen des déclarations des particuliers est réservé aux agents des douanes. Votre compte ne vous "
            "permet pas d'y accéder.",
            id="declaration-refus",
        ),
        _home_link(),
    )
