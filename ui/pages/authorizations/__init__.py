"""/autorisations: « Mes autorisations » (the holder's side, through SOPRANO) or the office's issued authorisations
(customs): filters (état, régime, « expire dans N jours »), a search by reference, holder or SIRET, a sort, « Afficher
plus »; live (a grant or a measure elsewhere reloads the list). /autorisations/<id> is the authorisation's page."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from reactpy import component, event, html, use_async_effect, use_location, use_ref, use_state

from ui import formatting
from ui.client import GraphQLClientError, use_client, use_subscription
from ui.components.access import soprano_gate
from ui.components.feedback import error_alert, loading
from ui.components.focus import replace_url_script
from ui.components.forms import select_input, text_input, use_form_values
from ui.components.status import status_badge
from ui.components.tables import data_table
from ui.components.work_list import use_rows_shown
from ui.pages.authorizations import list_url
from ui.pages.customs import is_officer

PATH = "/autorisations"
PREFIX = "/autorisations/"
PAGE_SIZE = 20
# Rows a link may ask to show at once (« nombre » in the URL): the API's bound on one page (limits.pageMaxSize).
MAX_SHOWN = 100
# What each « à traiter » list of list_url.TO_DO holds, as the list's notice says it.
TO_DO_LABELS = {
    "decider": "une décision vous attend (demande du titulaire, ou titulaire entendu)",
    "repondre": "la douane attend vos observations",
    "renouveler": "à renouveler",
}
STATES = [
    ("", "Tous les états"),
    ("ACTIVE", "En vigueur"),
    ("SUSPENDED", "Suspendue"),
    ("NOT_YET_VALID", "Pas encore en vigueur"),
    ("EXPIRED", "Expirée"),
    ("REVOKED", "Révoquée"),
    ("ANNULLED", "Annulée"),
]
PROCEDURES = [
    ("", "Tous les régimes"),
    ("TEA", "Admission temporaire"),
    ("EUS", "Destination particulière"),
    ("CW", "Entrepôt douanier"),
    ("IPO", "Perfectionnement actif"),
    ("OPO", "Perfectionnement passif"),
]
SORTS = [
    ("VALID_UNTIL", "Fin de validité la plus proche"),
    ("REFERENCE", "Référence"),
    ("ISSUED_DESC", "Les plus récemment délivrées"),
]


def authorization_href(authorization_id: str) -> str:
    return PREFIX + authorization_id


def validity(item: Mapping[str, Any]) -> str:
    if not item.get("validUntil"):
        return f"À partir du {formatting.date(item['validFrom'])}, sans limite de durée"
    return f"Du {formatting.date(item['validFrom'])} au {formatting.date(item['validUntil'])}"


def _row(item: Mapping[str, Any], officer: bool):
    operator = item["operator"]
    cells = [
        html.a(
            {"href": authorization_href(item["id"]), "className": "portal-nowrap"},
            item["reference"],
        ),
        f"{item['procedureLabel']} ({item['authorisationType']})",
        [
            operator["legalName"],
            html.br(),
            html.span({"className": "fr-text--xs"}, formatting.siret(operator["siret"])),
        ],
        [
            status_badge(item["state"], item["stateLabel"], small=True),
            html.p({"className": "fr-text--xs fr-mb-0"}, "Renouvellement possible") if item["renewalOpen"] else "",
        ],
        validity(item),
        str(item["currentVersionNumber"]),
    ]
    return (item["id"], cells)


@component
def authorization_list(me: Mapping[str, Any], officer: bool):
    client = use_client()
    location = use_location()
    # The view the address bar names (reload, shared link, Back); only read when the list mounts.
    start = use_ref(None)
    if start.current is None:
        start.current = list_url.parse(location.query_string, PAGE_SIZE, MAX_SHOWN)
    initial: list_url.AuthorizationListQuery = start.current
    initial_days = "" if initial.days is None else str(initial.days)

    typed = use_form_values(search=initial.search, days=initial_days)
    state, set_state = use_state(initial.state)
    procedure, set_procedure = use_state(initial.procedure)
    sort, set_sort = use_state(initial.sort)
    to_do, set_to_do = use_state(initial.to_do)  # a home page's « à traiter » list, in full
    # (search, days) as applied by « Rechercher »
    criteria, set_criteria = use_state((initial.search, initial_days))
    page, set_page = use_state(None)
    error, set_error = use_state(None)
    days_error, set_days_error = use_state(None)
    refresh, set_refresh = use_state(0)
    more_busy, set_more_busy = use_state(False)
    paging = use_rows_shown(initial.shown)

    def variables(first: int, after: str | None = None) -> dict[str, Any]:
        search, days = criteria
        return {
            "states": [state] if state else None,
            "procedures": [procedure] if procedure else None,
            "expiresWithinDays": int(days) if days else None,
            "search": search or None,
            "sort": sort,
            "first": min(first, MAX_SHOWN),  # the API's bound on one page (limits.pageMaxSize)
            "after": after,
            **({list_url.TO_DO[to_do]: True} if to_do else {}),
        }

    @use_async_effect(dependencies=[state, procedure, sort, criteria, refresh, to_do])
    async def load():
        try:
            data = await client.execute("AuthorizationList", variables(paging.wanted.current))
        except GraphQLClientError as failure:
            set_error(" ".join(failure.messages))
            return
        set_error(None)
        set_page(data["authorizations"])

    def on_change(data: dict[str, Any]) -> None:
        set_refresh(lambda n: n + 1)  # a grant or a measure elsewhere: read the list again

    use_subscription(
        "AuthorizationChanged",
        None,
        on_change,
        key=me["id"],
        restart_when=lambda data: bool(data["authorizationChanged"]["resync"]),
    )

    @event(prevent_default=True)
    def apply(event):
        values = typed.latest()
        days = (values["days"] or "").strip()
        if days and list_url.days_value(days) is None:
            set_days_error(f"Indiquez un nombre de jours entre 0 et {list_url.DAYS_MAX}, ou laissez vide.")
            return
        set_days_error(None)
        paging.restart()
        # As the address bar keeps them: a link read back applies the same criteria.
        set_criteria((list_url.clean_search(values["search"]), "" if not days else str(list_url.days_value(days))))

    async def more(event):
        if not page or not page["hasNextPage"]:
            return
        set_more_busy(True)
        try:
            data = await client.execute("AuthorizationList", variables(PAGE_SIZE, page["endCursor"]))
        except GraphQLClientError as failure:
            set_error(" ".join(failure.messages))
            return
        finally:
            set_more_busy(False)
        found = data["authorizations"]
        paging.grown_to(len(page["items"]) + len(found["items"]))
        set_page({**found, "items": [*page["items"], *found["items"]]})

    def choose(setter: Callable[[str], None]):
        def chosen(value: str) -> None:
            paging.restart()
            setter(value)

        return chosen

    filters = html.form(
        {"className": "portal-filters fr-mb-3w", "onSubmit": apply, "noValidate": True, "role": "search",
         "aria-label": "Filtrer les autorisations"},
        html.div(
            {"className": "fr-grid-row fr-grid-row--gutters"},
            html.div({"className": "fr-col-12 fr-col-md-4"},
                     select_input("filtre-etat", "État", state, STATES, choose(set_state), placeholder=None)),
            html.div({"className": "fr-col-12 fr-col-md-4"},
                     select_input("filtre-regime", "Régime", procedure, PROCEDURES, choose(set_procedure),
                                  placeholder=None)),
            html.div({"className": "fr-col-12 fr-col-md-4"},
                     select_input("tri", "Trier par", sort, SORTS, choose(set_sort), placeholder=None)),
            html.div({"className": "fr-col-12 fr-col-md-5"},
                     text_input("recherche", "Rechercher", typed["search"], typed.setter("search"),
                                hint="Référence, titulaire ou SIRET.", type="search")),
            html.div({"className": "fr-col-12 fr-col-md-4"},
                     text_input("expire-dans", "Expire dans (jours)", typed["days"], typed.setter("days"),
                                hint="Par exemple 90 : celles dont la validité finit dans les 90 jours.",
                                error=days_error, inputMode="numeric")),
            html.div({"className": "fr-col-12 fr-col-md-3 portal-filters__submit"},
                     html.button({"type": "submit", "className": "fr-btn fr-btn--secondary"}, "Rechercher")),
        ),
    )  # fmt: skip
    to_do_note = (
        html.div(
            {"className": "fr-notice fr-notice--info fr-mb-3w", "id": "filtre-a-traiter"},
            html.div(
                {"className": "fr-container"},
                html.p(
                    f"Seulement celles à traiter : {TO_DO_LABELS[to_do]}. ",
                    html.button(
                        {"type": "button", "className": "fr-link", "onClick": lambda event: choose(set_to_do)("")},
                        "Voir toutes les autorisations",
                    ),
                ),
            ),
        )
        if to_do
        else ""
    )
    if error:
        body = error_alert(error, id="autorisations-erreur")
    elif page is None:
        body = loading("Chargement des autorisations…")
    else:
        filtered = bool(state or procedure or criteria[0] or criteria[1] or to_do)
        empty = (
            "Aucune autorisation ne correspond à ces critères."
            if filtered
            else ("Votre bureau n'a encore délivré aucune autorisation." if officer
                  else "Vous n'avez encore aucune autorisation.")
        )  # fmt: skip
        count = page["totalCount"]
        body = html.div(
            html.p(
                {"className": "fr-text--sm", "id": "autorisations-compte", "role": "status"},
                f"{count} autorisation{'s' if count > 1 else ''}"
                + (f", {len(page['items'])} affichée{'s' if len(page['items']) > 1 else ''}" if count else ""),
            ),
            data_table(
                "tableau-autorisations",
                "Autorisations",
                ["Référence", "Régime", "Titulaire", "État", "Validité", "Version"],
                [_row(item, officer) for item in page["items"]],
                empty=empty,
                stacked=True,
            ),
            html.button(
                {"type": "button", "className": "fr-btn fr-btn--tertiary", "onClick": more,
                 "disabled": more_busy, "id": "afficher-plus"},
                "Chargement…" if more_busy else "Afficher plus",
            )
            if page["hasNextPage"]
            else "",
        )  # fmt: skip
    in_url = list_url.AuthorizationListQuery(
        state=state,
        procedure=procedure,
        days=list_url.days_value(criteria[1]),
        search=criteria[0],
        sort=sort,
        shown=paging.in_url,
        to_do=to_do,
    )
    return html.div(replace_url_script(location.path + list_url.to_query(in_url)), to_do_note, filters, body)


def _title(officer: bool) -> str:
    return "Autorisations délivrées par le bureau" if officer else "Mes autorisations"


@component
def authorizations_page(me: dict[str, Any] | None, reload_me: Callable[[], None]):
    officer = is_officer(me)

    def render():
        return html.div(
            html.p(
                {"className": "fr-text--sm fr-mb-1w"},
                html.a({"className": "fr-link", "href": "/douane" if officer else "/soprano"},
                       "Espace agent des douanes" if officer else "SOPRANO"),
            ),
            html.h1({"id": "autorisations-titre", "tabIndex": -1}, _title(officer)),
            html.p(
                {"className": "fr-text--lead"},
                f"Les autorisations délivrées par le bureau {me.get('customsOffice') or ''}, chacune avec ses "
                "versions, son historique et son PDF."
                if officer
                else "Les autorisations de régimes particuliers délivrées aux opérateurs pour lesquels vous agissez : "
                "chacune avec ses versions, son historique et son PDF.",
            ),
            authorization_list(me, officer),
        )  # fmt: skip

    if officer:
        return render()
    return soprano_gate(me, reload_me, _title(False), PATH, render)


@component
def authorizations_to_do():
    """« À traiter » on SOPRANO's home: each authorisation where customs wait for the reader's observations (right to
    be heard), with the last day; each one to renew now (its window is open, nobody asked yet), with its end of
    validity; nothing at all when there is none."""
    client = use_client()
    found, set_found = use_state(None)

    @use_async_effect(dependencies=[])
    async def load():
        try:
            data = await client.execute("AuthorizationsToDo")
        except GraphQLClientError:
            return  # the home page stays usable; « Mes autorisations » says more
        set_found(data)

    if not found:
        return ""
    return html.div(
        _to_do(
            found["toAnswer"],
            "repondre",
            "À traiter : {count} autorisation{s} où la douane attend vos observations",
            lambda item: (
                f" – {item['procedureLabel']}, {item['operator']['legalName']} : la douane envisage "
                f"{item['hearing']['measureLabel']} ; vos observations jusqu'au {formatting.date(item['hearing']['deadline'])}"
            ),
            "Ouvrez-la pour lire les motifs et présenter vos observations (droit d'être entendu).",
        ),
        _to_do(
            found["toRenew"],
            "renouveler",
            "À traiter : {count} autorisation{s} à renouveler",
            lambda item: (
                f" – {item['procedureLabel']}, {item['operator']['legalName']} : fin de validité le "
                f"{formatting.date(item['validUntil'])}"
            ),
            "Ouvrez-la puis « Demander le renouvellement » avant la fin de validité.",
        ),
    )


@component
def authorizations_to_decide():
    """« À traiter » in the customs workspace: each authorisation of the office where a holder's request waits, or
    where the holder has been heard on the measure customs intend; nothing when there is none."""
    client = use_client()
    found, set_found = use_state(None)

    @use_async_effect(dependencies=[])
    async def load():
        try:
            data = await client.execute("AuthorizationsToDecide")
        except GraphQLClientError:
            return
        set_found(data["authorizations"])

    def line(item: Mapping[str, Any]) -> str:
        asked = {"suspend": "demande la suspension", "revoke": "demande la révocation"}.get(
            item["holderRequest"] or ""
        )
        what = (
            f"le titulaire {asked}"
            if asked
            else f"titulaire entendu : décidez {item['hearing']['measureLabel']} ou abandonnez-la"
        )
        return f" – {item['procedureLabel']}, {item['operator']['legalName']} : {what}"

    if not found:
        return ""
    return _to_do(
        found,
        "decider",
        "À traiter : {count} autorisation{s} où une décision vous attend",
        line,
        "Ouvrez-la : la demande ou les observations du titulaire sont dans son historique.",
    )


def _to_do(page: Mapping[str, Any], kind: str, title: str, line: Callable[[Mapping[str, Any]], str], advice: str):
    """One « à traiter » box (id « a-{kind} »): the first items, and a link to the whole list (list_url.TO_DO) when
    there are more."""
    count = page["totalCount"]
    if not count:
        return ""
    rest = count - len(page["items"])
    return html.div(
        {"className": "fr-alert fr-alert--warning fr-mb-4w", "id": f"a-{kind}"},
        html.h3({"className": "fr-alert__title"}, title.format(count=count, s="s" if count > 1 else "")),
        html.ul(
            [
                html.li(
                    {"key": item["id"]},
                    html.a({"href": authorization_href(item["id"])}, item["reference"]),
                    line(item),
                )
                for item in page["items"]
            ]
        ),
        html.p(
            html.a(
                {
                    "className": "fr-link",
                    "href": PATH + list_url.to_query(list_url.AuthorizationListQuery(to_do=kind)),
                },
                f"Voir les {count} autorisations à traiter",
            )
        )
        if rest > 0
        else "",
        html.p({"className": "fr-text--sm fr-mb-0"}, advice),
    )
