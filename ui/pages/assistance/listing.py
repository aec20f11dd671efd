"""A list of assistance requests — « Mes demandes », the office's questions, the support's tickets: « À traiter »,
« En attente » and « Closes » with their counts, a search and « Afficher plus »; live (a change of one of them reads
the list again); its view in the address bar. Which request goes in which tab is the API's
(`assistanceRequests(side:, bucket:)`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reactpy import component, event, html, use_async_effect, use_location, use_ref, use_state

from ui import formatting
from ui.client import GraphQLClientError, use_client, use_subscription
from ui.components.feedback import error_alert, loading
from ui.components.focus import replace_url_script
from ui.components.forms import text_input, use_form_values
from ui.components.screen_reader import sr_only
from ui.components.tables import data_table
from ui.components.tabs import Tab, tabs
from ui.pages.assistance import list_url
from ui.pages.assistance.presentation import about, request_href, status_badge
from ui.pages.authorizations.list_url import clean_search

PAGE_SIZE = 20
MAX_SHOWN = 100  # the API's bound on one page


@dataclass(frozen=True)
class Bucket:
    value: str  # AssistanceBucket
    code: str  # in element ids and in the URL
    label: str
    count: str  # its field in AssistanceList's counts


BUCKETS = (
    Bucket("TODO", "a-traiter", "À traiter", "todo"),
    Bucket("WAITING", "en-attente", "En attente", "waiting"),
    Bucket("DONE", "closes", "Closes", "done"),
)


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


def _tab_id(prefix: str, code: str) -> str:
    return f"{prefix}-onglet-{code}"


def _panel_id(prefix: str, code: str) -> str:
    return f"{prefix}-{code}"


def _count_badge(count: int | None):
    if count is None:
        return None
    return [str(count), sr_only(" " + ("demande" if count == 1 else "demandes"))]


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


@component
def request_list(
    me: Mapping[str, Any],
    side: str,
    kind: str | None,
    words: ListWords,
    prefix: str = "demandes",
    keep: dict[str, str] | None = None,
):
    """`side`: ASKED or TO_ANSWER; `kind`: QUESTION, TICKET or None (both); `prefix`: the list's element ids;
    `keep`: other parameters of the address kept beside the list's own."""
    client = use_client()
    location = use_location()
    start = use_ref(None)
    if start.current is None:
        start.current = list_url.parse(location.query_string, PAGE_SIZE, MAX_SHOWN)
    initial: list_url.AssistanceListQuery = start.current

    bucket, set_bucket = use_state(initial.bucket)
    search, set_search = use_state(initial.search)
    typed = use_form_values(search=initial.search)
    refresh, set_refresh = use_state(0)
    page, set_page = use_state(None)
    counts, set_counts = use_state(None)
    error, set_error = use_state(None)
    more_busy, set_more_busy = use_state(False)
    announcement, set_announcement = use_state("")
    wanted = use_ref(initial.shown or PAGE_SIZE)
    shown, set_shown = use_state(initial.shown)
    live = use_ref(False)
    pick_tab = use_ref("onglet=" not in (location.query_string or ""))
    answering = side == "TO_ANSWER"

    def variables(first: int, after: str | None = None) -> dict[str, Any]:
        return {
            "kind": kind,
            "side": side,
            "bucket": bucket,
            "search": search or None,
            "first": min(first, MAX_SHOWN),
            "after": after,
        }

    @use_async_effect(dependencies=[bucket, search, refresh])
    async def load():
        try:
            data = await client.execute("AssistanceList", variables(max(PAGE_SIZE, wanted.current)))
        except GraphQLClientError as failure:
            set_error(" ".join(failure.messages))
            return
        set_error(None)
        counts_now = {b.count: data["counts"][b.count] for b in BUCKETS}
        if pick_tab.current:
            pick_tab.current = False
            here = next(b for b in BUCKETS if b.value == bucket)
            fuller = next((b for b in BUCKETS if counts_now[b.count]), here)
            if not counts_now[here.count] and fuller is not here:
                set_counts(counts_now)
                set_bucket(fuller.value)
                return
        set_page(data["assistanceRequests"])
        set_counts(counts_now)
        if live.current:
            live.current = False
            moment = dt.datetime.now(formatting.PARIS).strftime("%H:%M:%S")
            set_announcement(f"Liste mise à jour à {moment}.")

    def on_change(data: dict[str, Any]) -> None:
        live.current = True
        set_refresh(lambda n: n + 1)

    live_status = use_subscription("AssistanceChanged", {"requestId": None}, on_change, key=me["id"])

    def restart(setter, value) -> None:
        wanted.current = PAGE_SIZE
        set_shown(0)
        setter(value)

    def select_bucket(code: str, move_focus: bool) -> None:
        restart(set_bucket, next(b.value for b in BUCKETS if b.code == code))

    @event(prevent_default=True)
    def submit_search(event):
        restart(set_search, clean_search(typed.latest()["search"]))

    def clear_search(event) -> None:
        typed.update(search="")
        restart(set_search, "")

    async def show_more(event) -> None:
        if not page or not page["hasNextPage"]:
            return
        set_more_busy(True)
        try:
            data = await client.execute("AssistanceList", variables(PAGE_SIZE, page["endCursor"]))
        except GraphQLClientError as failure:
            set_error(" ".join(failure.messages))
            return
        finally:
            set_more_busy(False)
        found = data["assistanceRequests"]
        merged = {**found, "items": [*page["items"], *found["items"]]}
        wanted.current = len(merged["items"])
        set_shown(wanted.current)
        set_page(merged)

    active = next(b for b in BUCKETS if b.value == bucket)
    search_id = f"recherche-{prefix}"

    filters = html.form(
        {"role": "search", "className": "portal-search fr-mb-3w", "onSubmit": submit_search, "noValidate": True},
        text_input(search_id, "Rechercher une demande", typed["search"], typed.setter("search"),
                   hint=words.search_hint, type="search"),
        html.ul(
            {"className": "fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm"},
            html.li(html.button({"type": "submit", "className": "fr-btn fr-btn--sm"}, "Rechercher")),
            html.li(html.button({"type": "button", "className": "fr-btn fr-btn--sm fr-btn--tertiary",
                                 "onClick": clear_search}, "Effacer la recherche")) if search else "",
        ),
    )  # fmt: skip

    def empty_message() -> str:
        if search:
            return "Aucune demande ne correspond à votre recherche."
        if counts is not None and not any(counts.values()):
            return words.nothing_yet
        return words.empty[bucket]

    def listing():
        if error:
            return error_alert(error, id=f"{prefix}-erreur")
        if page is None:
            return loading("Chargement des demandes…")
        headers = ["Référence", "Objet", "Type", "Concerne"]
        if answering:
            headers += ["Demandeur", "Prise en charge"]
        headers += ["Statut", "Dernière modification"]
        count = page["totalCount"]
        return html.div(
            html.p(
                {"className": "fr-text--sm fr-mb-1w", "id": f"{prefix}-compte"},
                f"{count} demande{'s' if count > 1 else ''}"
                + (f", dont {len(page['items'])} affichées" if page["hasNextPage"] else ""),
            ),
            data_table(
                f"tableau-{prefix}",
                f"{active.label} : {words.name.lower()}",
                headers,
                [_row(item, answering) for item in page["items"]],
                empty=empty_message(),
                stacked=True,
            ),
            html.button(
                {"type": "button", "className": "fr-btn fr-btn--secondary fr-mt-2w", "id": f"{prefix}-plus",
                 "onClick": show_more, "disabled": more_busy, **({"aria-busy": "true"} if more_busy else {})},
                "Chargement…" if more_busy else "Afficher plus",
            )
            if page["hasNextPage"]
            else "",
        )  # fmt: skip

    def panel(item: Bucket):
        if item.value != bucket:
            return ""
        return [
            html.p({"className": "fr-text--sm", "key": "explication"}, words.hints[item.value]),
            html.div({"key": "filtres"}, filters),
            html.div({"key": "liste"}, listing()),
        ]

    in_url = list_url.AssistanceListQuery(
        bucket=bucket, search=search, shown=min(shown, MAX_SHOWN) if shown > PAGE_SIZE else 0
    )
    return html.div(
        {"className": "portal-dashboard", "id": prefix},
        replace_url_script(location.path + list_url.to_query(in_url, keep)),
        html.p(
            {"className": "fr-text--xs portal-live", "id": f"{prefix}-annonce", "role": "status",
             "aria-live": "polite"},
            live_status or announcement,
        ),
        tabs(
            words.name,
            [Tab(b.code, b.label, _count_badge(counts[b.count]) if counts else None, panel(b)) for b in BUCKETS],
            active.code,
            select_bucket,
            tab_id=lambda code: _tab_id(prefix, code),
            panel_id=lambda code: _panel_id(prefix, code),
        ),
    )  # fmt: skip
