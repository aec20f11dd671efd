"""A list of private declarations, the declarant's (« Mes déclarations ») or the examining office's queue: « À
traiter », « En attente » and « Terminées » with their counts, a search, a sort and « Afficher plus »; live (a change
of one of them reads the list again); its view in the address bar. Which declaration goes in which tab is the API's
(`privateDeclarations(bucket:)`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reactpy import component, event, html, use_async_effect, use_location, use_ref, use_state

from ui import formatting
from ui.client import GraphQLClientError, use_client, use_subscription
from ui.components.feedback import error_alert, loading
from ui.components.focus import replace_url_script
from ui.components.forms import select_input, text_input, use_form_values
from ui.components.screen_reader import sr_only
from ui.components.tables import data_table
from ui.components.tabs import Tab, tabs
from ui.pages.declarations import list_url
from ui.pages.declarations.gates import declarant_href, office_href
from ui.pages.declarations.presentation import link_text, money, status_badge

PAGE_SIZE = 20
MAX_SHOWN = 100  # the API's bound on one page (limits.pageMaxSize)
ANNOUNCEMENT_ID = "declarations-annonce"


@dataclass(frozen=True)
class Bucket:
    value: str  # DeclarationBucket
    code: str  # in element ids and in the URL
    label: str
    count: str  # its field in DeclarationCounts


BUCKETS = (
    Bucket("TODO", "a-traiter", "À traiter", "todo"),
    Bucket("WAITING", "en-attente", "En attente", "waiting"),
    Bucket("DONE", "terminees", "Terminées", "done"),
)
SORTS = [
    ("UPDATED_DESC", "Les plus récemment modifiées d'abord"),
    ("UPDATED_ASC", "Les plus anciennement modifiées d'abord"),
    ("REFERENCE", "Par référence"),
]
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


def _tab_id(code: str) -> str:
    return f"declarations-onglet-{code}"


def _panel_id(code: str) -> str:
    return f"declarations-{code}"


def _count_badge(count: int | None):
    if count is None:
        return None
    return [str(count), sr_only(" " + ("déclaration" if count == 1 else "déclarations"))]


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


def empty_message(
    officer: bool, bucket: str, searched: bool, counts: Mapping[str, int] | None, office: str
) -> str:
    """What an empty list says: the search when there is one; nothing at all yet; or nothing in this tab."""
    if searched:
        return "Aucune déclaration ne correspond à votre recherche."
    if counts is not None and counts["all"] == 0:
        if officer:
            return (
                f"Aucune déclaration de particulier n'a été adressée à votre bureau{f' {office}' if office else ''} : "
                "il n'y a rien à examiner ici."
            )
        return "Vous n'avez encore fait aucune déclaration. Pour commencer, choisissez « Nouvelle déclaration »."
    return (OFFICER_EMPTY if officer else DECLARANT_EMPTY)[bucket]


@component
def declaration_list(me: Mapping[str, Any], officer: bool):
    client = use_client()
    location = use_location()
    start = use_ref(None)  # the view the address bar names (reload, shared link, Back), read when the list mounts
    if start.current is None:
        start.current = list_url.parse(location.query_string, PAGE_SIZE, MAX_SHOWN)
    initial: list_url.DeclarationListQuery = start.current

    bucket, set_bucket = use_state(initial.bucket)
    search, set_search = use_state(initial.search)
    typed = use_form_values(search=initial.search)
    sort, set_sort = use_state(initial.sort)
    refresh, set_refresh = use_state(0)
    page, set_page = use_state(None)
    counts, set_counts = use_state(None)
    error, set_error = use_state(None)
    more_busy, set_more_busy = use_state(False)
    announcement, set_announcement = use_state("")
    wanted = use_ref(initial.shown or PAGE_SIZE)  # how many rows to (re)load: a live refresh keeps those shown
    shown, set_shown = use_state(initial.shown)
    live = use_ref(False)
    # Without a tab in the address, the list opens on the first tab that holds something (once, on arrival).
    pick_tab = use_ref("onglet=" not in (location.query_string or ""))

    def variables(first: int, after: str | None = None) -> dict[str, Any]:
        return {
            "bucket": bucket,
            "search": search or None,
            "sort": sort,
            "first": min(first, MAX_SHOWN),
            "after": after,
        }

    @use_async_effect(dependencies=[bucket, search, sort, refresh])
    async def load():
        try:
            data = await client.execute("DeclarationList", variables(max(PAGE_SIZE, wanted.current)))
        except GraphQLClientError as failure:
            set_error(" ".join(failure.messages))
            return
        set_error(None)
        counts_now = data["privateDeclarationCounts"]
        if pick_tab.current:
            pick_tab.current = False
            here = next(b for b in BUCKETS if b.value == bucket)
            fuller = next((b for b in BUCKETS if counts_now[b.count]), here)
            if not counts_now[here.count] and fuller is not here:
                set_counts(counts_now)
                set_bucket(fuller.value)
                return
        set_page(data["privateDeclarations"])
        set_counts(counts_now)
        if live.current:
            live.current = False
            moment = dt.datetime.now(formatting.PARIS).strftime("%H:%M:%S")
            set_announcement(f"Liste mise à jour à {moment}.")

    def on_change(data: dict[str, Any]) -> None:
        live.current = True
        set_refresh(lambda n: n + 1)

    live_status = use_subscription(
        "PrivateDeclarationChanged",
        None,
        on_change,
        key=me["id"],
        restart_when=lambda data: bool(data["privateDeclarationChanged"]["resync"]),
    )

    def restart(setter, value) -> None:
        wanted.current = PAGE_SIZE
        set_shown(0)
        setter(value)

    def select_bucket(code: str, move_focus: bool) -> None:
        restart(set_bucket, next(b.value for b in BUCKETS if b.code == code))

    @event(prevent_default=True)
    def submit_search(event):
        restart(set_search, list_url.clean_search(typed.latest()["search"]))

    def clear_search(event) -> None:
        typed.update(search="")
        restart(set_search, "")

    async def show_more(event) -> None:
        if not page or not page["hasNextPage"]:
            return
        set_more_busy(True)
        try:
            data = await client.execute("DeclarationList", variables(PAGE_SIZE, page["endCursor"]))
        except GraphQLClientError as failure:
            set_error(" ".join(failure.messages))
            return
        finally:
            set_more_busy(False)
        found = data["privateDeclarations"]
        merged = {**found, "items": [*page["items"], *found["items"]]}
        wanted.current = len(merged["items"])
        set_shown(wanted.current)
        set_page(merged)

    hints = OFFICER_HINTS if officer else DECLARANT_HINTS
    active = next(b for b in BUCKETS if b.value == bucket)

    filters = html.div(
        {"className": "portal-filters fr-mb-3w"},
        html.form(
            {"role": "search", "className": "portal-search", "onSubmit": submit_search, "noValidate": True},
            text_input(
                "recherche-declaration", "Rechercher une déclaration", typed["search"], typed.setter("search"),
                hint="Référence, nom du déclarant, article ou vendeur" if officer
                else "Référence (DP-…), article ou vendeur",
                type="search",
            ),
            html.ul(
                {"className": "fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm"},
                html.li(html.button({"type": "submit", "className": "fr-btn fr-btn--sm"}, "Rechercher")),
                html.li(html.button({"type": "button", "className": "fr-btn fr-btn--sm fr-btn--tertiary",
                                     "onClick": clear_search}, "Effacer la recherche")) if search else "",
            ),
        ),
        html.div(
            {"className": "fr-grid-row fr-grid-row--gutters"},
            html.div({"className": "fr-col-12 fr-col-md-6"},
                     select_input("tri-declarations", "Trier", sort, SORTS, lambda value: restart(set_sort, value),
                                  placeholder=None)),
        ),
    )  # fmt: skip

    def listing():
        if error:
            return error_alert(error, id="declarations-erreur")
        if page is None:
            return loading("Chargement des déclarations…")
        headers = ["Déclaration", "Type", "Articles", "Statut", "Dernière modification"]
        if officer:
            headers = ["Référence", "Déclarant", "Type", "Articles", "Statut", "Déposée le"]
        count = page["totalCount"]
        return html.div(
            html.p(
                {"className": "fr-text--sm fr-mb-1w", "id": "declarations-compte"},
                f"{count} déclaration{'s' if count > 1 else ''}"
                + (f", dont {len(page['items'])} affichées" if page["hasNextPage"] else ""),
            ),
            data_table(
                "tableau-declarations",
                f"{active.label} : déclarations",
                headers,
                [_row(item, officer) for item in page["items"]],
                empty=empty_message(officer, bucket, bool(search), counts, me.get("customsOffice") or ""),
                stacked=True,
            ),
            html.button(
                {"type": "button", "className": "fr-btn fr-btn--secondary fr-mt-2w", "id": "afficher-plus",
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
            html.p({"className": "fr-text--sm", "key": "explication"}, hints[item.value]),
            html.div({"key": "filtres"}, filters),
            html.div({"key": "liste"}, listing()),
        ]

    in_url = list_url.DeclarationListQuery(
        bucket=bucket, search=search, sort=sort, shown=min(shown, MAX_SHOWN) if shown > PAGE_SIZE else 0
    )
    return html.div(
        {"className": "portal-dashboard", "id": "declarations"},
        replace_url_script(location.path + list_url.to_query(in_url)),
        html.p(
            {
                "className": "fr-text--xs portal-live",
                "id": ANNOUNCEMENT_ID,
                "role": "status",
                "aria-live": "polite",
            },
            live_status or announcement,
        ),
        tabs(
            "Déclarations",
            [Tab(b.code, b.label, _count_badge(counts[b.count]) if counts else None, panel(b)) for b in BUCKETS],
            active.code,
            select_bucket,
            tab_id=_tab_id,
            panel_id=_panel_id,
        ),
    )


def counts_sentence(counts: Mapping[str, int] | None, officer: bool) -> Sequence[str]:
    """« 2 à traiter, 1 en attente » for a link to the list (nothing while unknown)."""
    if not counts:
        return []
    return [
        f"{counts['todo']} à traiter",
        f"{counts['waiting']} en attente",
        f"{counts['done']} terminée{'s' if counts['done'] > 1 else ''}",
    ]
