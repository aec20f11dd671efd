"""The dashboard of the home page (guide §2.4) and of the customs workspace: « À traiter » (the reader must act) and
« En attente » (the other side acts), each with its count, and every dossier; the « Statut du dossier » checkboxes,
procedure and operator filters, a search, a sort and « Afficher plus ». Which dossier goes in which bucket is the
API's (`dashboard`); the list follows `dashboardChanged` live, without a reload.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reactpy import component, event, html, use_async_effect, use_location, use_ref, use_state

from ui import formatting
from ui.client import GraphQLClientError, use_client
from ui.components import dashboard_url
from ui.components.deadline import deadline_cell
from ui.components.feedback import alert, error_alert, loading
from ui.components.focus import replace_url_script
from ui.components.forms import Choice, checkbox_group, select_input, text_input, use_form_values
from ui.components.layout import actionable_operators
from ui.components.list_state import Bucket
from ui.components.screen_reader import sr_only
from ui.components.status import status_badge
from ui.components.tables import data_table
from ui.components.tabs import tabs
from ui.components.work_list import (
    bucket_tabs,
    live_announcement,
    more_button,
    updated_at,
    use_live_reload,
    use_rows_shown,
)
from ui.dossier_form import dossier_href

PAGE_SIZE = 20
# Rows a link may ask to show at once (« nombre » in the URL): the API's bound on one page (limits.pageMaxSize).
MAX_SHOWN = 100
LOADING = object()
ANNOUNCEMENT_ID = "tableau-annonce"

SORTS = [
    ("UPDATED_DESC", "Les plus récemment modifiés d'abord"),
    ("UPDATED_ASC", "Les plus anciennement modifiés d'abord"),
    ("REFERENCE", "Par référence"),
]


BUCKETS = (  # DashboardBucket; « Tous les dossiers » has no count
    Bucket("TODO", "a-traiter", "À traiter", "todo"),
    Bucket("WAITING", "en-attente", "En attente", "waiting"),
    Bucket("ALL", "tous", "Tous les dossiers"),
)

TAKEN_CHOICES = [("ALL", "Tous"), ("MINE", "Mes dossiers"), ("UNASSIGNED", "Non pris en charge")]


def bucket_statuses(statuses: Sequence[Mapping[str, Any]], officer: bool) -> dict[str, list[tuple[str, str]]]:
    """The « Statut du dossier » checkboxes of each tab, from the API's `dossierStatuses` (in the circuit's order):
    a status goes under the tab it ranks a dossier in for this side; customs' « À traiter » also holds what an expired
    deadline brings there (a hearing whose period is over). « Tous les dossiers »: every status this side may see
    (customs never see a draft: no tab, not closed)."""
    found: dict[str, list[tuple[str, str]]] = {"TODO": [], "WAITING": [], "ALL": []}
    for status in statuses:
        choice = (status["code"], status["label"])
        if officer:
            buckets = {status["officerBucket"], status["officerBucketOnceOverdue"]} - {None}
            seen = bool(buckets) or status["final"]
        else:
            buckets = {status["operatorBucket"]} - {None}
            seen = True
        for bucket in ("TODO", "WAITING"):
            if bucket in buckets:
                found[bucket].append(choice)
        if seen:
            found["ALL"].append(choice)
    return found


APPLICANT_HINTS = {
    "TODO": "Les dossiers sur lesquels vous devez agir : brouillons à compléter et déposer, compléments demandés "
    "par la douane, intentions de refus auxquelles répondre (droit d'être entendu).",
    "WAITING": "Les dossiers entre les mains de la douane : vous n'avez rien à faire pour l'instant.",
    "ALL": "Tous vos dossiers, décidés et retirés compris.",
}
OFFICER_HINTS = {
    "TODO": "Les dossiers sur lesquels votre bureau doit agir : nouveaux dépôts et réponses aux compléments "
    "(à accepter ou non), dossiers acceptés à décider, droits d'être entendu expirés.",
    "WAITING": "Les dossiers qui attendent l'opérateur : complément demandé, droit d'être entendu en cours.",
    "ALL": "Tous les dossiers déposés auprès de votre bureau, décidés et retirés compris.",
}


def _tab_id(code: str) -> str:
    return f"tableau-onglet-{code}"


def _panel_id(code: str) -> str:
    return f"tableau-{code}"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _updated(dossier: Mapping[str, Any]):
    return [
        formatting.date_time(dossier["updatedAt"]),
        html.br(),
        html.span({"className": "fr-text--xs"}, f"par {dossier['updatedBy']}") if dossier["updatedBy"] else "",
    ]


def _operator(operator: Mapping[str, Any]):
    return [
        operator["legalName"],
        html.br(),
        html.span({"className": "fr-text--xs"}, f"SIRET {formatting.siret(operator['siret'])}"),
    ]


CRITERIA_EMPTY = "Aucun dossier ne correspond à ces critères."


def empty_message(filtered: bool, bucket: str, officer: bool) -> str:
    """What an empty list says: the criteria when some are set, otherwise that there is no dossier (yet) here."""
    if filtered:
        return CRITERIA_EMPTY
    if bucket == "ALL":
        return "Votre bureau n'a encore aucun dossier." if officer else "Vous n'avez encore aucun dossier."
    return "Aucun dossier dans cet onglet pour le moment."


def rows_table(
    caption: str,
    headers: Sequence[str],
    rows: Sequence[tuple[str, Sequence[Any]]],
    empty: str = CRITERIA_EMPTY,
):
    """The dossiers' table, whose rows become cards on a narrow screen (each cell then shows its column's name)."""
    return data_table(
        "tableau-dossiers",
        caption,
        headers,
        rows,
        empty=empty,
        stacked=True,  # long cells wrap (multiline): the table fits its box from 1,024 px up, nothing cut
    )


@component
def take_button(dossier: Mapping[str, Any], on_taken):
    """« Prendre en charge » (customs): the dossier becomes the officer's to process."""
    client = use_client()
    busy, set_busy = use_state(False)

    async def take(event):
        set_busy(True)
        try:
            await client.execute("TakeDossier", {"id": dossier["id"]})
        except GraphQLClientError as error:
            on_taken(dossier, error.messages)
            return
        finally:
            set_busy(False)
        on_taken(dossier, None)

    return html.button(
        {
            "type": "button",
            "className": "fr-btn fr-btn--sm fr-btn--secondary",
            "onClick": take,
            "disabled": busy,
            **({"aria-busy": "true"} if busy else {}),
        },
        "Prise en charge…" if busy else "Prendre en charge",
        sr_only(f" le dossier {dossier['reference']}"),
    )


@component
def dashboard(me: Mapping[str, Any], officer: bool = False):
    client = use_client()
    hints = OFFICER_HINTS if officer else APPLICANT_HINTS
    operators = [] if officer else actionable_operators(me)

    location = use_location()
    # The view the address bar names (reload, shared link, Back); only read when the dashboard mounts.
    start = use_ref(None)
    if start.current is None:
        start.current = dashboard_url.parse(location.query_string, PAGE_SIZE, MAX_SHOWN)
    initial: dashboard_url.DashboardQuery = start.current

    bucket, set_bucket = use_state(initial.bucket)
    # The ticked statuses, in a ref: two quick clicks both count. Those of the URL wait for the list of statuses
    # (an unknown code is dropped, not sent to the API).
    statuses_ref = use_ref(())
    statuses, set_statuses = use_state("")  # the same, as a string (an effect dependency compared by value)
    statuses_checked, set_statuses_checked = use_state(not initial.statuses)
    procedure, set_procedure = use_state(initial.procedure)
    taken_filter, set_taken_filter = use_state(initial.taken if officer else "ALL")  # customs: TakenFilter
    # A link's operator the reader does not act for (or no choice offered): every operator instead.
    operator, set_operator = use_state(
        initial.operator if any(o["operator"]["id"] == initial.operator for o in operators) else ""
    )
    search, set_search = use_state(initial.search)
    typed = use_form_values(search=initial.search)
    sort, set_sort = use_state(initial.sort)
    # Another person's step (or one's own in another window) moved a dossier: read the list again. After `resync`
    # (the server dropped us, or the event hub came back) the server no longer sends to that subscription: the list
    # is read again and a new one starts.
    reloads = use_live_reload(
        "DashboardChanged", None, me["id"], lambda data: bool(data["dashboardChanged"]["resync"])
    )

    page, set_page = use_state(LOADING)
    page_ref = use_ref(None)
    counts, set_counts = use_state(None)
    error, set_error = use_state(None)
    announcement, set_announcement = use_state("")
    notice, set_notice = use_state(None)
    more_busy, set_more_busy = use_state(False)
    procedures, set_procedures = use_state([])
    statuses_of, set_statuses_of = use_state({"TODO": [], "WAITING": [], "ALL": []})
    paging = use_rows_shown(initial.shown)

    def variables(first: int, after: str | None = None) -> dict[str, Any]:
        asked = {
            "bucket": bucket,
            "statuses": list(statuses_ref.current) or None,
            "procedures": [procedure] if procedure else None,
            "operatorIds": [operator] if operator else None,
            "search": search or None,
            "sort": sort,
            "first": first,
            "after": after,
        }
        if officer:
            asked["taken"] = taken_filter
        return asked

    @use_async_effect(dependencies=[])
    async def load_procedures():
        try:
            found = (await client.execute("ProcedureChoices"))["procedures"]
        except GraphQLClientError:
            return  # the filter stays without choices; the list still works
        set_procedures(found)

    @use_async_effect(dependencies=[])
    async def load_statuses():
        try:
            found = (await client.execute("DossierStatuses"))["dossierStatuses"]
        except GraphQLClientError:
            set_statuses_checked(True)
            return  # no checkboxes; the tabs and the list still work
        known = bucket_statuses(found, officer)
        set_statuses_of(known)
        if initial.statuses:
            offered = [code for code, _ in known[initial.bucket]]
            statuses_ref.current = tuple(code for code in offered if code in initial.statuses)
            set_statuses(",".join(statuses_ref.current))
        set_statuses_checked(True)

    @use_async_effect(
        dependencies=[
            bucket,
            statuses,
            statuses_checked,
            procedure,
            taken_filter,
            operator,
            search,
            sort,
            reloads.count,
        ]
    )
    async def load():
        if not statuses_checked:
            return  # the URL's statuses are checked first
        asked = variables(max(PAGE_SIZE, paging.wanted.current))  # the API bounds `first` (limits.pageMaxSize)
        try:
            # `counts` apply every filter but the ticked statuses: the tabs count every status of their bucket.
            data = (await client.execute("Dashboard", asked))["dashboard"]
        except GraphQLClientError as exc:
            set_error(exc.messages)
            return
        set_error(None)
        page_ref.current = data
        set_page(data)
        set_counts(data["counts"])
        if reloads.take_live():
            set_announcement(f"Tableau de bord mis à jour à {updated_at()}.")

    def restart(setter, value) -> None:
        paging.restart()
        setter(value)

    def select_bucket(code: str, move_focus: bool) -> None:
        chosen = next(b for b in BUCKETS if b.code == code)
        paging.restart()
        statuses_ref.current = ()
        set_statuses("")
        set_bucket(chosen.value)

    def toggle_status(value: str, ticked: bool) -> None:
        current = [s for s in statuses_ref.current if s != value]
        if ticked:
            current.append(value)
        statuses_ref.current = tuple(code for code, _ in statuses_of[bucket] if code in current)
        paging.restart()
        set_statuses(",".join(statuses_ref.current))

    @event(prevent_default=True)
    def submit_search(event):
        restart(set_search, (typed.latest()["search"] or "").strip())

    def reset_filters(event) -> None:
        statuses_ref.current = ()
        paging.restart()
        set_statuses("")
        set_procedure("")
        set_taken_filter("ALL")
        set_operator("")
        typed.update(search="")
        set_search("")
        set_sort("UPDATED_DESC")

    async def show_more(event) -> None:
        current = page_ref.current
        if not current or not current["endCursor"]:
            return
        set_more_busy(True)
        try:
            data = (await client.execute("Dashboard", variables(PAGE_SIZE, current["endCursor"])))["dashboard"]
        except GraphQLClientError as exc:
            set_error(exc.messages)
            return
        finally:
            set_more_busy(False)
        merged = {**data, "items": current["items"] + data["items"]}
        paging.grown_to(len(merged["items"]))
        page_ref.current = merged
        set_page(merged)

    def taken(dossier: Mapping[str, Any], messages: Sequence[str] | None) -> None:
        if messages:
            set_notice(("error", list(messages)))
        else:
            set_notice(("success", [f"Vous avez pris en charge le dossier {dossier['reference']}."]))
            reloads.reload()  # its row no longer offers « Prendre en charge »

    # --- what it shows ------------------------------------------------------------------------------------------

    active = next(b for b in BUCKETS if b.value == bucket)
    ticked = [s for s in statuses.split(",") if s]

    def filters():
        selects = [
            html.div(
                # Drawn again once its choices have arrived: the chosen value (of the URL) is then one of them.
                {"className": "fr-col-12 fr-col-md-4", "key": f"regime-{len(procedures)}"},
                select_input(
                    "filtre-regime",
                    "Régime",
                    procedure,
                    [("", "Tous les régimes")] + [(p["code"], p["label"]) for p in procedures],
                    lambda value: restart(set_procedure, value),
                    placeholder=None,
                ),
            ),
        ]
        if officer:
            selects.append(
                html.div(
                    {"className": "fr-col-12 fr-col-md-4", "key": "prise-en-charge"},
                    select_input(
                        "filtre-prise-en-charge",
                        "Prise en charge",
                        taken_filter,
                        TAKEN_CHOICES,
                        lambda value: restart(set_taken_filter, value),
                        placeholder=None,
                    ),
                )
            )
        if len(operators) > 1:
            selects.append(
                html.div(
                    {"className": "fr-col-12 fr-col-md-4", "key": "operateur"},
                    select_input(
                        "filtre-operateur",
                        "Opérateur",
                        operator,
                        [("", "Tous les opérateurs")]
                        + [(o["operator"]["id"], o["operator"]["legalName"]) for o in operators],
                        lambda value: restart(set_operator, value),
                        placeholder=None,
                    ),
                )
            )
        selects.append(
            html.div(
                {"className": "fr-col-12 fr-col-md-4", "key": "tri"},
                select_input(
                    "tri", "Trier", sort, SORTS, lambda value: restart(set_sort, value), placeholder=None
                ),
            )
        )
        return html.div(
            {"className": "portal-filters fr-mb-3w"},
            checkbox_group(
                "filtre-statut",
                "Statut du dossier",
                [Choice(code, label) for code, label in statuses_of[bucket]],
                ticked,
                toggle_status,
                hint="Aucune case cochée : tous les statuts de cet onglet.",
                inline=True,
            ),
            html.div({"className": "fr-grid-row fr-grid-row--gutters"}, selects),
            html.form(
                {"role": "search", "className": "portal-search", "onSubmit": submit_search, "noValidate": True},
                text_input(
                    "recherche",
                    "Rechercher un dossier",
                    typed["search"],
                    typed.setter("search"),
                    hint="Référence, raison sociale ou SIRET de l'opérateur",
                    type="search",
                ),
                html.ul(
                    {"className": "fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm"},
                    html.li(html.button({"type": "submit", "className": "fr-btn fr-btn--sm"}, "Rechercher")),
                    html.li(
                        html.button(
                            {
                                "type": "button",
                                "className": "fr-btn fr-btn--sm fr-btn--tertiary",
                                "onClick": reset_filters,
                            },
                            "Réinitialiser les filtres",
                        )
                    ),
                ),
            ),
        )

    def rows(items: Sequence[Mapping[str, Any]]):
        found = []
        for item in items:
            d = item["dossier"]
            cells = [
                html.a({"className": "fr-link portal-nowrap", "href": dossier_href(d["id"])}, d["reference"]),
                d["procedureLabel"],
                _operator(item["operator"]),
                status_badge(d["status"], d["statusLabel"], small=True),
                deadline_cell(d.get("deadline")),
                _updated(d),
            ]
            if officer:
                offered = any(a["code"] == "take" for a in d.get("actions") or [])
                if offered:
                    cells.append(take_button(d, taken, key=f"prendre-{d['id']}"))
                elif d.get("assignedOfficer"):
                    cells.append(
                        html.span({"className": "fr-text--sm"}, f"Pris en charge par {d['assignedOfficer']}")
                    )
                else:
                    cells.append("")
            found.append((d["id"], cells))
        return found

    def listing():
        if error:
            return error_alert(error)
        if page is LOADING:
            return loading("Chargement des dossiers…")
        headers = ["Référence", "Régime", "Opérateur", "Statut", "Échéance", "Dernière modification"]
        if officer:
            headers.append("Action")
        return html.div(
            html.p(
                {"className": "fr-text--sm fr-mb-1w", "id": "tableau-resultat"},
                _plural(page["totalCount"], "dossier", "dossiers")
                + (f", dont {len(page['items'])} affichés" if page["hasNextPage"] else ""),
            ),
            rows_table(
                f"{active.label} : dossiers",
                headers,
                rows(page["items"]),
                empty=empty_message(
                    bool(statuses or procedure or operator or search or taken_filter != "ALL"), bucket, officer
                ),
            ),
            more_button("afficher-plus", show_more, more_busy) if page["hasNextPage"] else "",
        )

    def panel(item: Bucket):
        if item.value != bucket:
            return ""
        return [
            html.p({"className": "fr-text--sm", "key": "explication"}, hints[item.value]),
            html.div({"key": "filtres"}, filters()),
            html.div({"key": "liste"}, listing()),
        ]

    in_url = dashboard_url.DashboardQuery(
        bucket=bucket,
        statuses=tuple(s for s in statuses.split(",") if s) if statuses_checked else initial.statuses,
        procedure=procedure,
        taken=taken_filter,
        operator=operator,
        search=search,
        sort=sort,
        shown=paging.in_url,
    )
    return html.div(
        {"className": "portal-dashboard", "id": "tableau-de-bord"},
        replace_url_script(location.path + dashboard_url.to_query(in_url)),
        alert(notice[0], notice[1], id="tableau-message") if notice else "",
        live_announcement(ANNOUNCEMENT_ID, reloads.status or announcement),
        tabs(
            "Tableau de bord",
            bucket_tabs(BUCKETS, counts, "dossier", "dossiers", panel),
            active.code,
            select_bucket,
            tab_id=_tab_id,
            panel_id=_panel_id,
        ),
    )
