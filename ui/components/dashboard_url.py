"""The dashboard's state in the address bar: tab, ticked statuses, filters, search, sort and how many rows are shown,
so that a reload, a shared link and Back show the same list. Unknown or malformed values are dropped (a hand-edited
link still opens the dashboard). Made of ui/components/list_state's pieces."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ui.components.list_state import SEARCH_MAX, encode_query, parse_shown, query_values

# In the URL, French words (what a user sees when sharing a link).
TABS = {"a-traiter": "TODO", "en-attente": "WAITING", "tous": "ALL"}
SORT_VALUES = ("UPDATED_DESC", "UPDATED_ASC", "REFERENCE")
TAKEN_VALUES = ("ALL", "MINE", "UNASSIGNED")
CODE = re.compile(r"^[A-Z][A-Z_]{0,39}$")
NODE_ID = re.compile(r"^[A-Za-z0-9+/=_-]{1,200}$")


@dataclass(frozen=True)
class DashboardQuery:
    bucket: str = "TODO"
    statuses: tuple[str, ...] = ()
    procedure: str = ""
    taken: str = "ALL"
    operator: str = ""
    search: str = ""
    sort: str = "UPDATED_DESC"
    shown: int = 0  # rows shown beyond the first page (« Afficher plus »); 0: the first page only

    def with_(self, **changes) -> DashboardQuery:
        return replace(self, **changes)


def parse(query_string: str, page_size: int, max_shown: int) -> DashboardQuery:
    one = query_values(query_string)
    statuses = tuple(dict.fromkeys(s for s in one("statut").split(",") if CODE.match(s)))
    procedure = one("regime")
    operator = one("operateur")
    return DashboardQuery(
        bucket=TABS.get(one("onglet"), "TODO"),
        statuses=statuses,
        procedure=procedure if CODE.match(procedure) else "",
        taken=one("prise") if one("prise") in TAKEN_VALUES else "ALL",
        operator=operator if NODE_ID.match(operator) else "",
        search=one("q")[:SEARCH_MAX],
        sort=one("tri") if one("tri") in SORT_VALUES else "UPDATED_DESC",
        shown=parse_shown(one("nombre"), page_size, max_shown),
    )


def to_query(state: DashboardQuery) -> str:
    """The query string of `state` ('' for the default view), defaults left out so a plain /soprano stays plain."""
    default = DashboardQuery()
    tab = next(code for code, value in TABS.items() if value == state.bucket)
    return encode_query(
        [
            ("onglet", tab if state.bucket != default.bucket else ""),
            ("statut", ",".join(state.statuses)),
            ("regime", state.procedure),
            ("prise", state.taken if state.taken != default.taken else ""),
            ("operateur", state.operator),
            ("q", state.search),
            ("tri", state.sort if state.sort != default.sort else ""),
            ("nombre", str(state.shown) if state.shown else ""),
        ],
        safe=",",
    )
