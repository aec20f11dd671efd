"""Who stands before the assistance pages, said plainly: a visitor is invited to log in; a private person is told his
help is in « Mes déclarations » (the API refuses him professional assistance); a professional or an officer goes on.
The support's desk and the office's questions say to anyone else that they are not theirs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reactpy import component, html, use_location

from ui.components.feedback import error_alert, login_invitation
from ui.routes import DECLARANT_PATH

PRIVATE_PERSON = "PRIVATE_PERSON"


def is_private_person(me: dict[str, Any] | None) -> bool:
    return bool(me) and me.get("kind") == PRIVATE_PERSON


def private_person_notice():
    return html.div(
        error_alert(
            "L'assistance réglementaire et l'assistance technique sont réservées aux professionnels et aux agents "
            "des douanes. En tant que particulier, vous trouvez l'aide de la douane dans « Mes déclarations » : "
            "sur la page de chaque déclaration, vous pouvez écrire à la douane.",
            id="assistance-refus",
        ),
        html.a({"className": "fr-btn", "href": DECLARANT_PATH}, "Mes déclarations"),
    )


def home_link():
    return html.a({"className": "fr-btn fr-btn--secondary", "href": "/"}, "Retour à l'accueil")


@component
def assistance_gate(me: dict[str, Any] | None, title: str, render: Callable[[], Any], what: str = "l'assistance"):
    """`render()` for a professional or an officer; otherwise what stops the reader, in French."""
    location = use_location()
    if me is None:
        return html.div(html.h1(title), login_invitation(location.path + location.query_string, what))
    if is_private_person(me):
        return html.div(html.h1(title), private_person_notice())
    return render()


def refusal(title: str, message: str, *, id: str = "assistance-refus"):
    return html.div(html.h1(title), error_alert(message, id=id), home_link())
