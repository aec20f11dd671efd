"""How many rows one page of a list may hold: the bound every paged query applies to `first` (the API announces it
in `limits.pageMaxSize`)."""

from __future__ import annotations

MAX_PAGE_SIZE = 100


def page_size(first: int, maximum: int = MAX_PAGE_SIZE) -> int:
    """`first` brought within 1 … `maximum`."""
    return max(1, min(first, maximum))


def contains_pattern(search: str) -> str:
    """A LIKE pattern (escape « \\ ») finding what the person typed, literally and case-insensitively: « % » and
    « _ » are not wildcards. Compare it with the lowered column."""
    text = search.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{text}%"
