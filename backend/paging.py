"""How many rows one page of a list may hold: the bound every paged query applies to `first` (the API announces it
in `limits.pageMaxSize`)."""

from __future__ import annotations

MAX_PAGE_SIZE = 100
MAX_ROW_ID = 2**31 - 1  # ids are 32-bit integers (PostgreSQL's integer)


def row_id(text: object) -> int | None:
    """The row id `text` names: ASCII digits within a 32-bit integer; None for anything else (« ² », « 1e3 », a
    number past the database's integers), which callers treat as an id that does not exist."""
    value = str(text)
    if not (value.isascii() and value.isdigit()) or len(value) > 10:
        return None
    number = int(value)
    return number if number <= MAX_ROW_ID else None


def page_size(first: int, maximum: int = MAX_PAGE_SIZE) -> int:
    """`first` brought within 1 … `maximum`."""
    return max(1, min(first, maximum))


def contains_pattern(search: str) -> str:
    """A LIKE pattern (escape « \\ ») finding what the person typed, literally and case-insensitively: « % » and
    « _ » are not wildcards. Compare it with the lowered column."""
    text = search.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{text}%"
