"""Accueil: the welcome page for visitors, "Mes téléservices" for a logged-in user."""

from __future__ import annotations

from typing import Any

from reactpy import component, html

from ui import formatting
from ui.pages.assistance.home import assistance_todo


@component
def welcome():
    return html.div(
        html.h1("Portail des autorisations de régimes particuliers"),
        html.p(
            {"className": "fr-text--lead"},
            "Demandez et suivez vos autorisations d'admission temporaire, de destination particulière, "
            "d'entrepôt douanier et de perfectionnement actif ou passif, et échangez avec le service des douanes.",
        ),
        html.p(
            "Connectez-vous avec votre compte professionnel, particulier ou agent pour accéder à vos téléservices."
        ),
        html.a({"className": "fr-btn fr-btn--lg", "href": "/auth/login", "id": "se-connecter"}, "Se connecter"),
    )


def _teleservice_card(service: dict[str, Any]):
    return html.li(
        {"key": service["code"]},
        html.div(
            {"className": "fr-card fr-enlarge-link"},
            html.div(
                {"className": "fr-card__body"},
                html.div(
                    {"className": "fr-card__content"},
                    html.h3({"className": "fr-card__title"}, html.a({"href": service["path"]}, service["label"])),
                    html.p({"className": "fr-card__desc"}, service["description"]),
                ),
            ),
        ),
    )


@component
def my_teleservices(me: dict[str, Any]):
    return html.div(
        html.h1(f"Bonjour {me['name']}"),
        html.p(
            {"className": "fr-text--lead"},
            "Compte ",
            html.strong({"id": "type-de-compte"}, me["kindLabel"]),
            f" — SIRET {formatting.siret(me['siret'])}" if me.get("siret") else "",
            f" — bureau {me['customsOffice']}" if me.get("customsOffice") else "",
        ),
        assistance_todo(me, key="assistance"),
        html.h2("Mes téléservices"),
        html.ul({"className": "portal-teleservices"}, [_teleservice_card(s) for s in me["teleservices"]]),
    )
