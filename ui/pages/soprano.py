"""/soprano: the entry of the SOPRANO tele-service for professionals (after the CGU), saying who they act for, with
the live dashboard of their dossiers (« À traiter », « En attente »)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reactpy import component, html

from ui import formatting
from ui.components.access import soprano_gate
from ui.components.dashboard import dashboard
from ui.components.layout import actionable_operators
from ui.pages.authorizations import authorizations_to_do

PATH = "/soprano"


def _link(href: str, label: str, description: str, key: str):
    return html.li(
        {"key": key, "className": "fr-mb-2w"},
        html.a({"className": "fr-link fr-icon-arrow-right-line fr-link--icon-right", "href": href}, label),
        html.p({"className": "fr-text--sm fr-mb-0"}, description),
    )


def _acting(me: dict[str, Any]):
    acting = me.get("actingOperator")
    if acting:
        return html.p(
            {"className": "fr-text--lead", "id": "agit-pour"},
            "Vous agissez pour ",
            html.strong(acting["legalName"]),
            f" (SIRET {formatting.siret(acting['siret'])}).",
        )
    if actionable_operators(me):
        return html.div(
            {"className": "fr-alert fr-alert--info fr-alert--sm fr-mb-3w", "role": "status"},
            html.p("Choisissez l'opérateur pour lequel vous agissez avant de préparer ou déposer un dossier."),
        )
    return html.div(
        {"className": "fr-alert fr-alert--warning fr-alert--sm fr-mb-3w", "role": "status"},
        html.p(
            "Vous n'avez aucun droit sur SOPRANO : demandez une habilitation à l'administrateur de votre opérateur."
        ),
    )


@component
def soprano_home(me: dict[str, Any]):
    links = []
    if len(actionable_operators(me)) > 1:
        links.append(
            _link(
                "/operateur",
                "Choisir l'opérateur représenté",
                "Changez l'opérateur pour lequel vous agissez (opérateur représenté, partenaire).",
                "operateur",
            )
        )
    if me.get("isAdmin"):
        links.append(
            _link(
                "/habilitations",
                "Gestion des habilitations",
                "Habilitez vos collaborateurs et partenaires, nommez les administrateurs, donnez vos mandats.",
                "habilitations",
            )
        )
    links.append(
        _link(
            "/autorisations",
            "Mes autorisations",
            "Vos autorisations délivrées : contenu accordé, versions, historique, PDF à imprimer.",
            "autorisations",
        )
    )
    links.append(
        _link(
            "/jetons",
            "Mes jetons d'accès API",
            "Créez et révoquez les jetons de vos logiciels partenaires et applications mobiles.",
            "jetons",
        )
    )
    return html.div(
        html.h1("SOPRANO"),
        html.p({"className": "fr-text--sm"}, "Régimes particuliers : vos demandes et autorisations."),
        _acting(me),
        html.div(
            {"className": "portal-heading-row"},
            html.h2({"id": "mes-dossiers"}, "Mes dossiers"),
            html.a(
                {
                    "className": "fr-btn fr-icon-add-line fr-btn--icon-left",
                    "href": "/dossiers/nouveau",
                    "id": "nouveau-dossier",
                },
                "Déposer un nouveau dossier",
            )
            if me.get("mayCreateDossier")
            else "",
        ),
        authorizations_to_do(),
        dashboard(me),
        html.h2("Mon espace"),
        html.ul({"className": "portal-links"}, links),
    )


@component
def soprano_page(me: dict[str, Any] | None, reload_me: Callable[[], None]):
    return soprano_gate(me, reload_me, "SOPRANO", PATH, lambda: soprano_home(me))
