"""The view of a declarations list in the address bar (« Mes déclarations », the office's queue): tab, search, sort
and how many rows are shown, so that a reload, a shared link and Back show the same list. Unknown or malformed values
are dropped (a hand-edited link still opens the list). Pure: no component, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlencode

from ui.pages.authorizations.list_url import clean_search

# In the URL, French words (what a person sees when sharing a link) for the API's DeclarationBucket.
TABS = {"a-traiter": "TODO", "en-attente": "WAITING", "terminees": "DONE"}
DEFAULT_BUCKET = "TODO"
SORTS = ("UPDATED_DESC", "UPDATED_ASC", "REFERENCE")  # DeclarationSort
DEFAULT_SORT = "UPDATED_DESC"


@dataclass(frozen=True)
class DeclarationListQuery:
    bucket: str = DEFAULT_BUCKET
    search: str = ""
    sort: str = DEFAULT_SORT
    shown: int = 0  # rows shown beyond the first page (« Afficher plus »); 0: the first page only

    def with_(self, **changes) -> DeclarationListQuery:
        return replace(self, **changes)


def parse(query_string: str, page_size: int, max_shown: int) -> DeclarationListQuery:
    query = parse_qs((query_string or "").lstrip("?"))

    def one(name: str) -> str:
        values = query.get(name) or [""]
        return values[0].strip()

    try:
        shown = int(one("nombre") or 0)
    except ValueError:
        shown = 0
    shown = min(max_shown, shown) if shown > page_size else 0
    return DeclarationListQuery(
        bucket=TABS.get(one("onglet"), DEFAULT_BUCKET),
        search=clean_search(one("q")),
        sort=one("tri") if one("tri") in SORTS else DEFAULT_SORT,
        shown=shown,
    )


def to_query(view: DeclarationListQuery) -> str:
    """The query string of `view` ('' for the default view): defaults left out, so a plain address stays plain."""
    tab = next(code for code, value in TABS.items() if value == view.bucket)
    pairs = [
        ("onglet", tab if view.bucket != DEFAULT_BUCKET else ""),
        ("q", view.search),
        ("tri", view.sort if view.sort != DEFAULT_SORT else ""),
        ("nombre", str(view.shown) if view.shown else ""),
    ]
    encoded = urlencode([(name, value) for name, value in pairs if value])
    return f"?{encoded}" if encoded else ""
