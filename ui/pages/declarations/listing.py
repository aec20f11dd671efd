"""A list of private declarations, the declarant's (« Mes déclarations ») or the examining office's queue: « À
traiter », « En attente » and « Terminées » with their counts, a search, a sort and « Afficher plus »; live (a change
of one of them reads the list again); its view in the address bar. A work list (ui/components/work_list): which
declaration goes in which tab is the API's (`privateDeclarations(bucket:)`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reactpy import html

from ui import formatting
from ui.components.work_list import WorkList, WorkListSource, WorkListWords, work_list
from ui.pages.declarations import list_url
from ui.pages.declarations.gates import declarant_href, office_href
from ui.pages.declarations.presentation import link_text, money, status_badge

DECLARANT_HINTS = {
    "TODO": "Ce que vous devez faire : terminer un brouillon et le déposer, ou répondre à une demande de la douane.",
    "WAITING": "Vos déclarations déposées : la douane les examine, vous n'avez rien à faire pour l'instant.",
    "DONE": "Les déclarations auxquelles la douane a répondu : acceptées (avec le montant à payer) ou refusées.",
}
OFFICER_HINTS = {
    "TODO": "Les déclarations déposées, ou renvoyées avec une réponse, qui attendent votre examen.",
    "WAITING": "Les déclarations où vous avez demandé un complément : le déclarant doit répondre.",
    "DONE": "Les déclarations acceptées ou refusées.",
}
DECLARANT_EMPTY = {
    "TODO": "Rien à faire pour l'instant : aucun brouillon à terminer, aucune demande de la douane.",
    "WAITING": "Aucune déclaration en attente de la douane.",
    "DONE": "Aucune déclaration terminée pour l'instant.",
}
OFFICER_EMPTY = {
    "TODO": "Aucune déclaration à examiner pour le moment.",
    "WAITING": "Aucune déclaration en attente d'un complément.",
    "DONE": "Aucune déclaration terminée.",
}


def _articles(declaration: Mapping[str, Any]) -> str:
    names = [item["description"] for item in declaration["items"]]
    if not names:
        return "Aucun article"
    shown = ", ".join(names[:3])
    return shown + (f" et {len(names) - 3} autre{'s' if len(names) > 4 else ''}" if len(names) > 3 else "")


def _row(declaration: Mapping[str, Any], officer: bool):
    href = office_href(declaration["id"]) if officer else declarant_href(declaration["id"])
    status = [status_badge(declaration, small=True)]
    if declaration["status"] == "ACCEPTED" and declaration.get("amountDue") is not None:
        status.append(
            html.p({"className": "fr-text--xs fr-mb-0"}, f"Montant dû : {money(declaration['amountDue'])}")
        )
    cells = [html.a({"className": "fr-link portal-nowrap", "href": href}, link_text(declaration))]
    if officer:
        cells.append(declaration["declarantName"])
    cells += [declaration["kindLabel"], _articles(declaration), status]
    cells.append(
        formatting.date_time(declaration["submittedAt"])
        if officer
        else formatting.date_time(declaration["updatedAt"])
    )
    return (declaration["id"], cells)  # fmt: skip


def _nothing_yet(officer: bool, office: str) -> str:
    """What the list says when the reader has no declaration at all."""
    if officer:
        return (
            f"Aucune déclaration de particulier n'a été adressée à votre bureau{f' {office}' if office else ''} : "
            "il n'y a rien à examiner ici."
        )
    return "Vous n'avez encore fait aucune déclaration. Pour commencer, choisissez « Nouvelle déclaration »."


def declaration_work_list(officer: bool, office: str) -> WorkList:
    """The declarant's list (« Mes déclarations ») or, for an officer, the queue of `office`."""
    return WorkList(
        prefix="declarations",
        address=list_url.ADDRESS,
        source=WorkListSource(
            operation="DeclarationList",
            items="privateDeclarations",
            counts="privateDeclarationCounts",
            total="all",
            subscription="PrivateDeclarationChanged",
            restart_when=lambda data: bool(data["privateDeclarationChanged"]["resync"]),
        ),
        words=WorkListWords(
            name="Déclarations",
            one="déclaration",
            many="déclarations",
            search_label="Rechercher une déclaration",
            search_hint="Référence, nom du déclarant, article ou vendeur" if officer
            else "Référence (DP-…), article ou vendeur",
            hints=OFFICER_HINTS if officer else DECLARANT_HINTS,
            empty=OFFICER_EMPTY if officer else DECLARANT_EMPTY,
            no_match="Aucune déclaration ne correspond à votre recherche.",
            nothing_yet=_nothing_yet(officer, office),
        ),
        headers=["Référence", "Déclarant", "Type", "Articles", "Statut", "Déposée le"] if officer
        else ["Déclaration", "Type", "Articles", "Statut", "Dernière modification"],
        row=lambda declaration: _row(declaration, officer),
        sorts=list_url.SORTS,
        search_id="recherche-declaration",
        more_id="afficher-plus",
    )  # fmt: skip


def declaration_list(me: Mapping[str, Any], officer: bool, key: Any = None):
    return work_list(me, declaration_work_list(officer, me.get("customsOffice") or ""), key=key)


def counts_sentence(counts: Mapping[str, int] | None, officer: bool) -> Sequence[str]:
    """« 2 à traiter, 1 en attente » for a link to the list (nothing while unknown)."""
    if not counts:
        return []
    return [
        f"{counts['todo']} à traiter",
        f"{counts['waiting']} en attente",
        f"{counts['done']} terminée{'s' if counts['done'] > 1 else ''}",
    ]
