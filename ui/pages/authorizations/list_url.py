"""The view of /autorisations in the address bar: état, régime, « expire dans N jours », search, sort and how many rows
are shown, so that a reload, a shared link and Back show the same list. Unknown or malformed values are dropped (a
hand-edited link still opens the list). Pure: no component, no I/O (the list's component reads it once when it
mounts and writes it back as the view changes). Made of ui/components/list_state's pieces."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ui.components.list_state import clean_search, encode_query, parse_shown, query_values

# The API's codes (AuthorizationState, ProcedureCode, AuthorizationSort) the list offers; the parameters' names are
# French (what a person sees when sharing a link).
STATES = ("ACTIVE", "SUSPENDED", "NOT_YET_VALID", "EXPIRED", "REVOKED", "ANNULLED")
PROCEDURES = ("TEA", "EUS", "CW", "IPO", "OPO")
SORTS = ("VALID_UNTIL", "REFERENCE", "ISSUED_DESC")
DEFAULT_SORT = "VALID_UNTIL"
# « À traiter » lists the home pages shorten, each with the API's argument that selects it.
TO_DO = {"decider": "toDecide", "repondre": "toAnswer", "renouveler": "toRenew"}
DAYS_MAX = 3650  # the API's bound on expiresWithinDays
DAYS = re.compile(r"^[0-9]{1,4}$")  # ASCII digits only (str.isdigit also takes « ² », which int() refuses)


@dataclass(frozen=True)
class AuthorizationListQuery:
    state: str = ""  # one of STATES, or every state
    procedure: str = ""  # one of PROCEDURES, or every procedure
    days: int | None = None  # « expire dans N jours », 0 … DAYS_MAX
    search: str = ""
    sort: str = DEFAULT_SORT
    shown: int = 0  # rows shown beyond the first page (« Afficher plus »); 0: the first page only
    to_do: str = ""  # one of TO_DO: only the authorisations « à traiter » of that kind

    def with_(self, **changes) -> AuthorizationListQuery:
        return replace(self, **changes)


def days_value(text: str | None) -> int | None:
    """The number of days `text` names (0 … DAYS_MAX, ASCII digits), or None when it names none."""
    text = (text or "").strip()
    if not DAYS.match(text):
        return None
    days = int(text)
    return days if days <= DAYS_MAX else None


def parse(query_string: str, page_size: int, max_shown: int) -> AuthorizationListQuery:
    one = query_values(query_string)
    return AuthorizationListQuery(
        state=one("etat") if one("etat") in STATES else "",
        procedure=one("regime") if one("regime") in PROCEDURES else "",
        days=days_value(one("expire")),
        search=clean_search(one("q")),
        sort=one("tri") if one("tri") in SORTS else DEFAULT_SORT,
        shown=parse_shown(one("nombre"), page_size, max_shown),
        to_do=one("traiter") if one("traiter") in TO_DO else "",
    )


def to_query(view: AuthorizationListQuery) -> str:
    """The query string of `view` ('' for the default view): defaults left out, so a plain /autorisations stays
    plain."""
    return encode_query(
        [
            ("etat", view.state),
            ("regime", view.procedure),
            ("expire", "" if view.days is None else str(view.days)),
            ("q", view.search),
            ("tri", view.sort if view.sort != DEFAULT_SORT else ""),
            ("nombre", str(view.shown) if view.shown else ""),
            ("traiter", view.to_do),
        ]
    )
