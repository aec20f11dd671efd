"""How many rows one page of a list may hold: the bound every paged query applies to `first` (the API announces it
in `limits.pageMaxSize`)."""

from __future__ import annotations

import base64

from backend.errors import DomainError

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


def offset_cursor(offset: int, prefix: str = "o") -> str:
    """The opaque cursor of a page that starts `offset` rows into a sorted list."""
    return base64.urlsafe_b64encode(f"{prefix}:{offset}".encode()).decode()


def cursor_offset(cursor: str | None, prefix: str = "o") -> int:
    """The offset an `offset_cursor` names (0 without a cursor); INVALID on the field `after` for anything else."""
    if not cursor:
        return 0
    try:
        kind, value = base64.urlsafe_b64decode(cursor.encode()).decode().split(":")
        offset = row_id(value)
        if kind != prefix or offset is None:
            raise ValueError
        return offset
    except (ValueError, UnicodeDecodeError):
        raise DomainError("Curseur de pagination invalide.", code="INVALID", field="after") from None
