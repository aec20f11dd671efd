"""A work list: tabs (« À traiter », « En attente », …) with their counts, a search, an optional sort and « Afficher
plus »; live (an event of its subscription reads the list again, keeping the rows shown); its view in the address bar
(ui/components/list_state). Which row goes in which tab is the API's: the list names the bucket and shows the page.

A domain describes its list once (`WorkList`: where it reads, what it says, its columns) and renders
`work_list(me, spec)`; « Mes demandes » and « Mes déclarations » (and their offices' queues) are such lists. The small
pieces (`bucket_tabs`, `live_announcement`, `more_button`) also serve lists drawn otherwise (the dashboard)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reactpy import Ref, component, event, html, use_async_effect, use_location, use_ref, use_state

from ui import formatting
from ui.client import GraphQLClientError, use_client, use_subscription
from ui.components.feedback import error_alert, loading
from ui.components.focus import replace_url_script
from ui.components.forms import select_input, text_input, use_form_values
from ui.components.list_state import Bucket, ListAddress, ListView, clean_search, rows_shown
from ui.components.screen_reader import sr_only
from ui.components.tables import data_table
from ui.components.tabs import Tab, tabs

PAGE_SIZE = 20
MAX_SHOWN = 100  # the API's bound on one page (limits.pageMaxSize)

Row = tuple[str, Sequence[Any]]  # (key, cells)


@dataclass(frozen=True)
class WorkListSource:
    """Where a work list reads: one operation answers a page of the tab's rows and every tab's count."""

    operation: str  # a named operation of ui/operations: ($bucket, $search, [$sort,] $first, $after, …)
    items: str  # its field holding the page (totalCount, hasNextPage, endCursor, items)
    counts: str  # its field holding the tabs' counts (each Bucket.count)
    subscription: str  # the subscription whose every event reads the list again
    subscription_variables: Mapping[str, Any] | None = None
    restart_when: Callable[[dict[str, Any]], bool] | None = None  # an event after which the subscription restarts
    total: str | None = None  # the counts' field of every row, when the API has one (else: the tabs' sum)
    variables: Mapping[str, Any] = field(default_factory=dict)  # the operation's other arguments (side, kind…)


@dataclass(frozen=True)
class WorkListWords:
    """What a work list says of itself, in French."""

    name: str  # the tablist's name; lower-cased, the table's caption (« À traiter : déclarations »)
    one: str  # « déclaration »: the rows' noun, for the counts
    many: str  # « déclarations »
    search_label: str  # « Rechercher une déclaration »
    search_hint: str
    hints: Mapping[str, str]  # by bucket: what the tab holds
    empty: Mapping[str, str]  # by bucket: what the tab says when it holds nothing
    no_match: str  # what an empty search says
    nothing_yet: str  # what the list says when no tab holds anything
    displayed: str = "affichées"  # « 45 déclarations, dont 40 affichées »


@dataclass(frozen=True)
class WorkList:
    """A work list. Element ids: `prefix` (the list), `prefix`-onglet-`code` and `prefix`-`code` (a tab and its
    panel), `prefix`-annonce, -compte, -erreur, tableau-`prefix`, recherche-`prefix`, tri-`prefix` and
    `prefix`-plus (unless `search_id` or `more_id` name them otherwise)."""

    prefix: str
    address: ListAddress  # the tabs (each with its count), the sorts' codes, the URL
    source: WorkListSource
    words: WorkListWords
    headers: Sequence[str]
    row: Callable[[Mapping[str, Any]], Row]
    sorts: Sequence[tuple[str, str]] = ()  # « Trier » (code, label), in address.sorts' order; none: no sort
    search_id: str = ""
    more_id: str = ""
    keep: Mapping[str, str] | None = None  # other parameters of the address, kept before the list's own


def count_badge(count: int | None, one: str, many: str):
    """A tab's count, with its noun for a screen reader."""
    if count is None:
        return None
    return [str(count), sr_only(" " + (one if count == 1 else many))]


def bucket_tabs(
    buckets: Sequence[Bucket],
    counts: Mapping[str, int] | None,
    one: str,
    many: str,
    panel: Callable[[Bucket], Any],
) -> list[Tab]:
    """A tab for each bucket, with its count once known (`one`, `many`: the rows' noun) and its panel."""
    return [
        Tab(b.code, b.label, count_badge(counts[b.count], one, many) if counts and b.count else None, panel(b))
        for b in buckets
    ]


def live_announcement(id: str, text: str):
    """Where a live list says it changed (or that its live flow is interrupted), politely, to a screen reader."""
    return html.p(
        {"className": "fr-text--xs portal-live", "id": id, "role": "status", "aria-live": "polite"},
        text,
    )


def updated_at() -> str:
    """The time a live list was read again, as its announcement says it (Paris)."""
    return dt.datetime.now(formatting.PARIS).strftime("%H:%M:%S")


@dataclass(frozen=True)
class RowsShown:
    """How many rows a paged list shows (`use_rows_shown`)."""

    wanted: Ref[int]  # how many rows to (re)load: a live reading keeps those shown
    shown: int  # the same, as a state (0 until « Afficher plus »)
    set_shown: Callable[[int], None]

    def restart(self) -> None:
        """A new view (tab, search, filter, sort): its first page."""
        self.wanted.current = PAGE_SIZE
        self.set_shown(0)

    def grown_to(self, count: int) -> None:
        """« Afficher plus » brought the list to `count` rows."""
        self.wanted.current = count
        self.set_shown(count)

    @property
    def in_url(self) -> int:
        """The rows shown as the address keeps them (list_state.rows_shown)."""
        return rows_shown(self.shown, PAGE_SIZE, MAX_SHOWN)


def use_rows_shown(initial: int) -> RowsShown:
    """`initial`: the rows the address asks for beyond the first page (0: the first page only)."""
    wanted = use_ref(initial or PAGE_SIZE)
    shown, set_shown = use_state(initial)
    return RowsShown(wanted, shown, set_shown)


@dataclass(frozen=True)
class LiveReload:
    """What `use_live_reload` gives a list."""

    count: int  # changes at each reload asked: a dependency of the effect that reads the list
    reload: Callable[[], None]  # asks for one (the list changed by the reader's own hand)
    status: str  # the live flow's (use_subscription): "" while it runs
    live: Ref[bool]  # True from an event until the list read again after it says so (`take_live`)

    def take_live(self) -> bool:
        """Whether this reading follows an event (to announce it); only once per event."""
        was, self.live.current = self.live.current, False
        return was


def use_live_reload(
    subscription: str,
    variables: Mapping[str, Any] | None,
    key: Any,
    restart_when: Callable[[dict[str, Any]], bool] | None = None,
) -> LiveReload:
    """A list read again at each event of `subscription` (restarted when `key` changes, or after an event
    `restart_when` names: the server sends nothing more to it)."""
    count, set_count = use_state(0)
    live = use_ref(False)

    def reload() -> None:
        set_count(lambda n: n + 1)

    def on_change(data: dict[str, Any]) -> None:
        live.current = True
        reload()

    status = use_subscription(subscription, variables, on_change, key=key, restart_when=restart_when)
    return LiveReload(count, reload, status, live)


def more_button(id: str, on_click: Callable[[Any], Any], busy: bool):
    """« Afficher plus »: the next page, after the rows shown."""
    return html.button(
        {
            "type": "button",
            "className": "fr-btn fr-btn--secondary fr-mt-2w",
            "id": id,
            "onClick": on_click,
            "disabled": busy,
            **({"aria-busy": "true"} if busy else {}),
        },
        "Chargement…" if busy else "Afficher plus",
    )


def empty_message(words: WorkListWords, bucket: str, searched: bool, total: int | None) -> str:
    """What an empty list says: the search when there is one; nothing at all yet; or nothing in this tab."""
    if searched:
        return words.no_match
    if total == 0:
        return words.nothing_yet
    return words.empty[bucket]


def _total(spec: WorkList, counts: Mapping[str, int] | None) -> int | None:
    if counts is None:
        return None
    if spec.source.total:
        return counts[spec.source.total]
    return sum(counts[b.count] for b in spec.address.buckets)


@component
def work_list(me: Mapping[str, Any], spec: WorkList):
    client = use_client()
    location = use_location()
    address, source, words, prefix = spec.address, spec.source, spec.words, spec.prefix
    buckets: Sequence[Bucket] = address.buckets
    start = use_ref(None)  # the view the address bar names (reload, shared link, Back), read when the list mounts
    if start.current is None:
        start.current = address.parse(location.query_string, PAGE_SIZE, MAX_SHOWN)
    initial: ListView = start.current

    bucket, set_bucket = use_state(initial.bucket)
    search, set_search = use_state(initial.search)
    typed = use_form_values(search=initial.search)
    sort, set_sort = use_state(initial.sort)
    reloads = use_live_reload(source.subscription, source.subscription_variables, me["id"], source.restart_when)
    page, set_page = use_state(None)
    counts, set_counts = use_state(None)
    error, set_error = use_state(None)
    more_busy, set_more_busy = use_state(False)
    announcement, set_announcement = use_state("")
    paging = use_rows_shown(initial.shown)
    # Without a tab in the address, the list opens on the first tab that holds something (once, on arrival).
    pick_tab = use_ref("onglet=" not in (location.query_string or ""))

    def variables(first: int, after: str | None = None) -> dict[str, Any]:
        return {
            **source.variables,
            "bucket": bucket,
            "search": search or None,
            **({"sort": sort} if address.sorts else {}),
            "first": min(first, MAX_SHOWN),
            "after": after,
        }

    @use_async_effect(dependencies=[bucket, search, sort, reloads.count])
    async def load():
        try:
            data = await client.execute(source.operation, variables(max(PAGE_SIZE, paging.wanted.current)))
        except GraphQLClientError as failure:
            set_error(" ".join(failure.messages))
            return
        set_error(None)
        counts_now = dict(data[source.counts])
        if pick_tab.current:
            pick_tab.current = False
            here = next(b for b in buckets if b.value == bucket)
            fuller = next((b for b in buckets if counts_now[b.count]), here)
            if not counts_now[here.count] and fuller is not here:
                set_counts(counts_now)
                set_bucket(fuller.value)
                return
        set_page(data[source.items])
        set_counts(counts_now)
        if reloads.take_live():
            set_announcement(f"Liste mise à jour à {updated_at()}.")

    def restart(setter, value) -> None:
        paging.restart()
        setter(value)

    def select_bucket(code: str, move_focus: bool) -> None:
        restart(set_bucket, address.bucket_of(code))

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
            data = await client.execute(source.operation, variables(PAGE_SIZE, page["endCursor"]))
        except GraphQLClientError as failure:
            set_error(" ".join(failure.messages))
            return
        finally:
            set_more_busy(False)
        found = data[source.items]
        merged = {**found, "items": [*page["items"], *found["items"]]}
        paging.grown_to(len(merged["items"]))
        set_page(merged)

    active = next(b for b in buckets if b.value == bucket)

    search_form = html.form(
        {"role": "search", "className": "portal-search" if spec.sorts else "portal-search fr-mb-3w",
         "onSubmit": submit_search, "noValidate": True},
        text_input(spec.search_id or f"recherche-{prefix}", words.search_label, typed["search"],
                   typed.setter("search"), hint=words.search_hint, type="search"),
        html.ul(
            {"className": "fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm"},
            html.li(html.button({"type": "submit", "className": "fr-btn fr-btn--sm"}, "Rechercher")),
            html.li(html.button({"type": "button", "className": "fr-btn fr-btn--sm fr-btn--tertiary",
                                 "onClick": clear_search}, "Effacer la recherche")) if search else "",
        ),
    )  # fmt: skip
    filters = (
        html.div(
            {"className": "portal-filters fr-mb-3w"},
            search_form,
            html.div(
                {"className": "fr-grid-row fr-grid-row--gutters"},
                html.div({"className": "fr-col-12 fr-col-md-6"},
                         select_input(f"tri-{prefix}", "Trier", sort, spec.sorts,
                                      lambda value: restart(set_sort, value), placeholder=None)),
            ),
        )
        if spec.sorts
        else search_form
    )  # fmt: skip

    def listing():
        if error:
            return error_alert(error, id=f"{prefix}-erreur")
        if page is None:
            return loading(f"Chargement des {words.many}…")
        count = page["totalCount"]
        return html.div(
            html.p(
                {"className": "fr-text--sm fr-mb-1w", "id": f"{prefix}-compte"},
                f"{count} {words.many if count > 1 else words.one}"
                + (f", dont {len(page['items'])} {words.displayed}" if page["hasNextPage"] else ""),
            ),
            data_table(
                f"tableau-{prefix}",
                f"{active.label} : {words.name.lower()}",
                spec.headers,
                [spec.row(item) for item in page["items"]],
                empty=empty_message(words, bucket, bool(search), _total(spec, counts)),
                stacked=True,
            ),
            more_button(spec.more_id or f"{prefix}-plus", show_more, more_busy) if page["hasNextPage"] else "",
        )

    def panel(item: Bucket):
        if item.value != bucket:
            return ""
        return [
            html.p({"className": "fr-text--sm", "key": "explication"}, words.hints[item.value]),
            html.div({"key": "filtres"}, filters),
            html.div({"key": "liste"}, listing()),
        ]

    in_url = ListView(bucket=bucket, search=search, sort=sort, shown=paging.in_url)
    return html.div(
        {"className": "portal-dashboard", "id": prefix},
        replace_url_script(location.path + address.to_query(in_url, spec.keep)),
        live_announcement(f"{prefix}-annonce", reloads.status or announcement),
        tabs(
            words.name,
            bucket_tabs(buckets, counts, words.one, words.many, panel),
            active.code,
            select_bucket,
            tab_id=lambda code: f"{prefix}-onglet-{code}",
            panel_id=lambda code: f"{prefix}-{code}",
        ),
    )
