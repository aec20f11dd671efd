"""A list's view in the address bar (tab, search, sort, how many rows are shown), so that a reload, a shared link and
Back show the same list. Unknown or malformed values are dropped (a hand-edited link still opens the list); defaults
are left out (a plain address stays plain). Pure: no component, no I/O.

`ListAddress` is the whole address of a tabbed work list (ui/components/work_list); the functions below it are the
pieces every list's address is made of (/autorisations and the dashboard use them with their own filters)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

SEARCH_MAX = 200
TAB = "onglet"  # the parameters' names are French: what a person sees when sharing a link
SEARCH = "q"
SORT = "tri"
SHOWN = "nombre"


def clean_search(text: str | None) -> str:
    """A search as a link may carry it: no control character (a NUL the database refuses), at most SEARCH_MAX
    characters, no surrounding spaces."""
    kept = "".join(c for c in (text or "") if unicodedata.category(c) != "Cc")
    return kept.strip()[:SEARCH_MAX].strip()


def query_values(query_string: str | None) -> Callable[[str], str]:
    """`value(name)`: the first value of `name` in the query string, stripped ('' when absent)."""
    query = parse_qs((query_string or "").lstrip("?"))

    def value(name: str) -> str:
        return (query.get(name) or [""])[0].strip()

    return value


def rows_shown(shown: int, page_size: int, max_shown: int) -> int:
    """The rows beyond the first page a view keeps (« Afficher plus »), at most `max_shown` (the API's bound on one
    page); 0 within the first page: nothing more to ask."""
    return min(max_shown, shown) if shown > page_size else 0


def parse_shown(text: str, page_size: int, max_shown: int) -> int:
    """`rows_shown` of « nombre » as a link writes it; 0 when it is not a number."""
    try:
        shown = int(text or 0)
    except ValueError:
        return 0
    return rows_shown(shown, page_size, max_shown)


def encode_query(pairs: Iterable[tuple[str, str]], safe: str = "") -> str:
    """`?name=value&…` of the pairs that have a value ('' when none has one)."""
    encoded = urlencode([(name, value) for name, value in pairs if value], safe=safe)
    return f"?{encoded}" if encoded else ""


@dataclass(frozen=True)
class Bucket:
    """A tab of a work list."""

    value: str  # the API's bucket (TODO, WAITING, DONE…)
    code: str  # in element ids and in the URL (a-traiter…)
    label: str  # « À traiter »
    count: str | None = None  # its field in the API's counts; None: no count on the tab


@dataclass(frozen=True)
class ListView:
    """What a work list shows: the tab (the API's bucket), the search, the sort ('' when the list offers none) and
    the rows shown beyond the first page (0: the first page only)."""

    bucket: str
    search: str = ""
    sort: str = ""
    shown: int = 0


@dataclass(frozen=True)
class ListAddress:
    """The address of a tabbed work list: « onglet » (a bucket's code; the first bucket by default), « q », « tri »
    (one of `sorts`, the first by default; never written when the list offers no sort) and « nombre »."""

    buckets: Sequence[Bucket]
    sorts: Sequence[str] = ()  # the API's sort codes the list offers, the default first
    safe: str = ""  # characters left as they are in the address (urlencode's `safe`)

    @property
    def default(self) -> ListView:
        return ListView(bucket=self.buckets[0].value, sort=self.sorts[0] if self.sorts else "")

    def bucket_of(self, code: str) -> str:
        """The bucket whose code is `code`; the default one for an unknown code."""
        return next((b.value for b in self.buckets if b.code == code), self.default.bucket)

    def code_of(self, bucket: str) -> str:
        return next(b.code for b in self.buckets if b.value == bucket)

    def parse(self, query_string: str | None, page_size: int, max_shown: int) -> ListView:
        value = query_values(query_string)
        return ListView(
            bucket=self.bucket_of(value(TAB)),
            search=clean_search(value(SEARCH)),
            sort=value(SORT) if value(SORT) in self.sorts else self.default.sort,
            shown=parse_shown(value(SHOWN), page_size, max_shown),
        )

    def to_query(self, view: ListView, keep: Mapping[str, str] | None = None) -> str:
        """The query string of `view` ('' for the default view); `keep`: other parameters the page carries, first."""
        default = self.default
        return encode_query(
            [
                *(keep or {}).items(),
                (TAB, self.code_of(view.bucket) if view.bucket != default.bucket else ""),
                (SEARCH, view.search),
                (SORT, view.sort if self.sorts and view.sort != default.sort else ""),
                (SHOWN, str(view.shown) if view.shown else ""),
            ],
            safe=self.safe,
        )

    def href(self, path: str, bucket: str | None = None) -> str:
        """The list at `path` opened on `bucket`'s tab (named even when it is the default one: a link says where it
        goes)."""
        return f"{path}?{TAB}={self.code_of(bucket or self.default.bucket)}"
