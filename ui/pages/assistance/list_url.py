"""The view of an assistance list in the address bar (« Mes demandes », the office's questions, the support's
tickets): tab, search and how many rows are shown, so that a reload, a shared link and Back show the same list.
Unknown or malformed values are dropped. Pure: no component, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlencode

from ui.pages.authorizations.list_url import clean_search

# In the URL, French words for the API's AssistanceBucket.
TABS = {"a-traiter": "TODO", "en-attente": "WAITING", "closes": "DONE"}
DEFAULT_BUCKET = "TODO"


@dataclass(frozen=True)
class AssistanceListQuery:
    bucket: str = DEFAULT_BUCKET
    search: str = ""
    shown: int = 0  # rows shown beyond the first page (« Afficher plus »); 0: the first page only

    def with_(self, **changes) -> AssistanceListQuery:
        return replace(self, **changes)


def parse(query_string: str, page_size: int, max_shown: int) -> AssistanceListQuery:
    query = parse_qs((query_string or "").lstrip("?"))

    def one(name: str) -> str:
        values = query.get(name) or [""]
        return values[0].strip()

    try:
        shown = int(one("nombre") or 0)
    except ValueError:
        shown = 0
    shown = min(max_shown, shown) if shown > page_size else 0
    return AssistanceListQuery(
        bucket=TABS.get(one("onglet"), DEFAULT_BUCKET), search=clean_search(one("q")), shown=shown
    )


def to_query(view: AssistanceListQuery, keep: dict[str, str] | None = None) -> str:
    """The query string of `view` ('' for the default view); `keep`: other parameters the page carries (page=…)."""
    tab = next(code for code, value in TABS.items() if value == view.bucket)
    pairs = [
        *(keep or {}).items(),
        ("onglet", tab if view.bucket != DEFAULT_BUCKET else ""),
        ("q", view.search),
        ("nombre", str(view.shown) if view.shown else ""),
    ]
    encoded = urlencode([(name, value) for name, value in pairs if value], safe="/")
    return f"?{encoded}" if encoded else ""


def list_href(path: str, bucket: str = DEFAULT_BUCKET) -> str:
    """The list at `path` opened on `bucket`'s tab (named even when it is the default one: a link says where it goes)."""
    tab = next(code for code, value in TABS.items() if value == bucket)
    return f"{path}?onglet={tab}"
