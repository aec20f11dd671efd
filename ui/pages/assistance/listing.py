"""A list of assistance requests — « Mes demandes », the office's questions, the support's tickets: « À traiter »,
« En attente » and « Closes » with their counts, a search and « Afficher plus »; live (a change of one of them reads
the list again); its view in the address bar. A work list (ui/components/work_list): which request goes in which tab
is the API's (`assistanceRequests(side:, bucket:)`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reactpy import html

from ui import formatting
from ui.components.work_list import WorkList, WorkListSource, WorkListWords, work_list
from ui.pages.assistance import list_url
from ui.pages.assistance.presentation import about, request_href, status_badge


@dataclass(frozen=True)
class ListWords:
    """What a list says of itself: its name, each tab's explanation and empty sentence, and the search's hint."""

    name: str  # « Demandes », « Questions », « Tickets »: the tablist's name
    hints: Mapping[str, str]
    empty: Mapping[str, str]
    search_hint: str
    nothing_yet: str


ASKED_WORDS = ListWords(
    "Mes demandes",
    {
        "TODO": "Une réponse de la douane ou du support vous attend : lisez-la, répondez ou closez la demande.",
        "WAITING": "Vos demandes ouvertes : la douane ou le support va vous répondre.",
        "DONE": "Les demandes closes.",
    },
    {
        "TODO": "Aucune réponse ne vous attend.",
        "WAITING": "Aucune demande en attente d'une réponse.",
        "DONE": "Aucune demande close.",
    },
    "Référence (AR-…, AT-…), objet, message ou auteur",
    "Vous n'avez encore posé aucune question ni ouvert aucune demande d'assistance technique.",
)


def _row(request: Mapping[str, Any], answering: bool):
    cells: list[Any] = [
        html.a({"className": "fr-link portal-nowrap", "href": request_href(request["id"])}, request["reference"]),
        request["subject"],
        request["kindLabel"],
        about(request),
    ]
    if answering:
        cells.append(
            html.span(
                request["authorName"],
                html.br(),
                html.span({"className": "fr-text--xs"}, request["operatorName"]),
            )
            if request.get("operatorName")
            else request["authorName"]
        )
        cells.append(request.get("takenByName") or "Non prise en charge")
    cells += [status_badge(request, small=True), formatting.date_time(request["updatedAt"])]
    return (request["id"], cells)


def request_work_list(
    side: str, kind: str | None, words: ListWords, prefix: str, keep: Mapping[str, str] | None
) -> WorkList:
    """The work list of `side`'s requests of `kind` (see `request_list`)."""
    answering = side == "TO_ANSWER"
    headers = ["Référence", "Objet", "Type", "Concerne"]
    if answering:
        headers += ["Demandeur", "Prise en charge"]
    headers += ["Statut", "Dernière modification"]
    return WorkList(
        prefix=prefix,
        address=list_url.ADDRESS,
        source=WorkListSource(
            operation="AssistanceList",
            items="assistanceRequests",
            counts="counts",
            subscription="AssistanceChanged",
            subscription_variables={"requestId": None},
            variables={"kind": kind, "side": side},
        ),
        words=WorkListWords(
            name=words.name,
            one="demande",
            many="demandes",
            search_label="Rechercher une demande",
            search_hint=words.search_hint,
            hints=words.hints,
            empty=words.empty,
            no_match="Aucune demande ne correspond à votre recherche.",
            nothing_yet=words.nothing_yet,
        ),
        headers=headers,
        row=lambda request: _row(request, answering),
        keep=keep,
    )


def request_list(
    me: Mapping[str, Any],
    side: str,
    kind: str | None,
    words: ListWords,
    prefix: str = "demandes",
    keep: dict[str, str] | None = None,
    key: Any = None,
):
    """`side`: ASKED or TO_ANSWER; `kind`: QUESTION, TICKET or None (both); `prefix`: the list's element ids;
    `keep`: other parameters of the address kept beside the list's own."""
    return work_list(me, request_work_list(side, kind, words, prefix, keep), key=key)
