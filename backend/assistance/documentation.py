"""Regulatory documentation ("Documentation réglementaire"): one page per special procedure.

Each page lists the procedure's legal references (Union Customs Code, its Delegated and Implementing Regulations)
and useful links. The content is data, not code: it lives in `data/documentation.toml`, next to this module.
Editing that file (a summary, a reference, a link) changes the pages without any code change; the file is
checked when it is first read, and a mistake raises a `ValueError` naming the procedure and the field.

The procedures and their French titles come from the catalogue (`backend.dossiers.catalogue`); the `[common]`
table holds the references that apply to every special procedure, appended after each procedure's own.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from backend.dossiers.catalogue import PROCEDURES, Procedure

DATA_FILE = Path(__file__).parent / "data" / "documentation.toml"
COMMON = "common"

_PROCEDURE_FIELDS = {"summary", "references", "links"}
_COMMON_FIELDS = {"references"}
_REFERENCE_FIELDS = ("label", "act", "article", "url")
_LINK_FIELDS = ("label", "url")


@dataclass(frozen=True)
class Reference:
    """A legal reference: `act` is the short name of the act (CDU, RDC, RE), `article` its article(s)."""

    label: str
    act: str
    article: str
    url: str


@dataclass(frozen=True)
class Link:
    """A link to guidance (European Commission, French customs)."""

    label: str
    url: str


@dataclass(frozen=True)
class ProcedureDocumentation:
    """The documentation page of one procedure: its own references first, then the common ones."""

    code: Procedure
    title: str
    summary: str
    references: tuple[Reference, ...]
    links: tuple[Link, ...]


@dataclass(frozen=True)
class _Documentation:
    pages: dict[Procedure, ProcedureDocumentation]
    common: tuple[Reference, ...]


def documentation() -> tuple[ProcedureDocumentation, ...]:
    """Every procedure's page, in the catalogue's order."""
    return tuple(_data().pages.values())


def documentation_of(code: Procedure | str) -> ProcedureDocumentation | None:
    """The page of one procedure, or None when `code` is not a procedure of the catalogue."""
    try:
        procedure = Procedure(code)
    except ValueError:
        return None
    return _data().pages.get(procedure)


def common_references() -> tuple[Reference, ...]:
    """The references that apply to every special procedure."""
    return _data().common


@cache
def _data() -> _Documentation:
    return _load(DATA_FILE)


def _load(path: Path) -> _Documentation:
    """Read and check a documentation file; raise ValueError naming the procedure and field at fault."""
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path}: not valid TOML: {error}") from error

    known = {p.value for p in PROCEDURES}
    unknown = sorted(set(raw) - known - {COMMON})
    if unknown:
        raise ValueError(
            f"{path}: unknown procedure code(s) {', '.join(unknown)} (expected {', '.join(sorted(known))} or {COMMON})"
        )
    missing = [p.value for p in PROCEDURES if p.value not in raw]
    if missing:
        raise ValueError(f"{path}: procedure(s) {', '.join(missing)} missing")

    common_table = _table(raw.get(COMMON, {}), COMMON, path)
    _check_fields(common_table, _COMMON_FIELDS, COMMON, path)
    common = _references(common_table.get("references", []), COMMON, path)
    _check_duplicates(common, COMMON, path)

    pages: dict[Procedure, ProcedureDocumentation] = {}
    for procedure, info in PROCEDURES.items():
        where = procedure.value
        table = _table(raw[where], where, path)
        _check_fields(table, _PROCEDURE_FIELDS, where, path)
        summary = _text(table.get("summary"), f"{where}.summary", path)
        references = _references(table.get("references", []), where, path) + common
        _check_duplicates(references, where, path)
        links = _links(table.get("links", []), where, path)
        pages[procedure] = ProcedureDocumentation(
            code=procedure,
            title=info.label,
            summary=" ".join(summary.split()),
            references=references,
            links=links,
        )
    return _Documentation(pages=pages, common=common)


def _table(value: Any, where: str, path: Path) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{path}: {where} must be a table")
    return value


def _check_fields(table: dict[str, Any], allowed: set[str], where: str, path: Path) -> None:
    extra = sorted(set(table) - allowed)
    if extra:
        raise ValueError(
            f"{path}: {where}: unknown field(s) {', '.join(extra)} (allowed: {', '.join(sorted(allowed))})"
        )


def _text(value: Any, where: str, path: Path) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{path}: {where} is missing or empty")
    return value.strip()


def _url(value: Any, where: str, path: Path) -> str:
    url = _text(value, where, path)
    if not url.startswith("https://") or len(url) == len("https://") or any(c.isspace() for c in url):
        raise ValueError(f"{path}: {where} must be an https:// address, got {url!r}")
    return url


def _items(value: Any, where: str, fields: tuple[str, ...], path: Path) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise ValueError(f"{path}: {where} must be an array of tables")
    for index, item in enumerate(value, start=1):
        at = f"{where}[{index}]"
        if not isinstance(item, dict):
            raise ValueError(f"{path}: {at} must be a table")
        extra = sorted(set(item) - set(fields))
        if extra:
            raise ValueError(f"{path}: {at}: unknown field(s) {', '.join(extra)} (allowed: {', '.join(fields)})")
    return value


def _references(value: Any, procedure: str, path: Path) -> tuple[Reference, ...]:
    where = f"{procedure}.references"
    result = []
    for index, item in enumerate(_items(value, where, _REFERENCE_FIELDS, path), start=1):
        at = f"{where}[{index}]"
        result.append(
            Reference(
                label=_text(item.get("label"), f"{at}.label", path),
                act=_text(item.get("act"), f"{at}.act", path),
                article=_text(item.get("article"), f"{at}.article", path),
                url=_url(item.get("url"), f"{at}.url", path),
            )
        )
    return tuple(result)


def _links(value: Any, procedure: str, path: Path) -> tuple[Link, ...]:
    where = f"{procedure}.links"
    result = []
    for index, item in enumerate(_items(value, where, _LINK_FIELDS, path), start=1):
        at = f"{where}[{index}]"
        result.append(
            Link(label=_text(item.get("label"), f"{at}.label", path), url=_url(item.get("url"), f"{at}.url", path))
        )
    return tuple(result)


def _check_duplicates(references: tuple[Reference, ...], procedure: str, path: Path) -> None:
    """Refuse the same act and article twice on one page (own references and common ones together)."""
    seen: set[tuple[str, str]] = set()
    for reference in references:
        key = (reference.act.casefold(), " ".join(reference.article.split()).casefold())
        if key in seen:
            raise ValueError(
                f"{path}: {procedure}.references: {reference.act} article {reference.article} cited twice "
                f"(in {procedure} or in {COMMON})"
            )
        seen.add(key)
