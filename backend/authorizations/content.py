"""A version's granted content in words: the form's answers under their rubriques and labels (codes named by their
code lists), the goods lines, the conditions; and what changed between two versions. The page, the API and the PDF
all read it from here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from backend.authorizations.issuing import validity_text
from backend.authorizations.models import AuthorizationVersion
from backend.dossiers.catalogue import Procedure, code_list
from backend.dossiers.form import GOODS_KINDS, STORAGE_PLACE_PARTS, FieldKind, FieldSpec, rubriques_for

UNANSWERED = "—"


@dataclass(frozen=True)
class Entry:
    key: str  # the form's path (or goods.<n>.<field>, validity, conditions): what a difference names
    label: str
    value: str


@dataclass(frozen=True)
class Section:
    title: str
    entries: list[Entry]


def _code(name: str | None, value: Any) -> str:
    if not name:
        return str(value)
    label = code_list(name).labels().get(str(value))
    return f"{value} – {label}" if label else str(value)


def _date(value: Any) -> str:
    try:
        return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


def _places(value: Any) -> str:
    if not isinstance(value, list):
        return str(value)
    shown = []
    for index, place in enumerate(value, start=1):
        parts = [
            f"{part.label} : {_code(part.code_list, place[part.path]) if part.kind is FieldKind.CODE else place[part.path]}"
            for part in STORAGE_PLACE_PARTS
            if isinstance(place, dict) and place.get(part.path)
        ]
        shown.append(f"Installation {index} — " + " ; ".join(parts))
    return "\n".join(shown)


def show(spec: FieldSpec, value: Any) -> str:
    """An answer as a person reads it."""
    if value is None or value == "" or value == []:
        return UNANSWERED
    if spec.kind is FieldKind.BOOLEAN:
        return "Oui" if value is True or value == "true" else "Non"
    if spec.kind is FieldKind.CODE:
        return _code(spec.code_list, value)
    if spec.kind is FieldKind.CODES:
        return ", ".join(_code(spec.code_list, v) for v in value) if isinstance(value, list) else str(value)
    if spec.kind is FieldKind.DATE:
        return _date(value)
    if spec.kind is FieldKind.STORAGE_PLACES:
        return _places(value)
    return str(value)


def _amount(value: str | None, unit: str = "") -> str:
    if value in (None, ""):
        return UNANSWERED
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = f"{number:,.2f}".replace(",", " ").replace(".", ",") if unit == "€" else str(number).replace(".", ",")
    return f"{text} {unit}".strip()


def goods_entries(goods: list[dict[str, Any]]) -> list[Entry]:
    """One entry per goods line: « Code NC 84713000 — Ordinateurs portables — 10 p/st — 12 000,00 € »."""
    entries = []
    counters: dict[str, int] = {}
    for line in goods:
        kind = str(line.get("kind") or "GOODS")
        counters[kind] = counters.get(kind, 0) + 1
        label = f"{GOODS_KINDS[kind].label if kind in GOODS_KINDS else kind} n° {counters[kind]}"
        parts = [
            f"Code NC {line.get('cnCode') or UNANSWERED}",
            line.get("description") or UNANSWERED,
            f"{_amount(line.get('quantity'))} {line.get('unit') or ''}".strip(),
        ]
        if line.get("value") not in (None, ""):
            parts.append(_amount(line.get("value"), "€"))
        entries.append(Entry(f"goods.{kind}.{counters[kind]}", label, " — ".join(parts)))
    return entries


def sections(version: AuthorizationVersion, procedure: Procedure) -> list[Section]:
    """The version's content: validity and conditions first, then each rubrique's answered fields, then goods."""
    found = [
        Section(
            "Validité et conditions",
            [
                Entry("validity", "Validité", validity_text(version)[0].upper() + validity_text(version)[1:]),
                Entry(
                    "annex_71_02",
                    "Marchandises de l'annexe 71-02 (AD CDU)",
                    "Oui" if version.annex_71_02 else "Non",
                ),
                Entry("conditions", "Conditions fixées par la douane", version.conditions or "Aucune"),
            ],
        )
    ]
    for rubrique in rubriques_for(procedure):
        entries = [
            Entry(spec.path, spec.label, show(spec, version.answers.get(spec.path)))
            for spec in rubrique.fields
            if version.answers.get(spec.path) not in (None, "", [])
        ]
        if rubrique.has_goods:
            entries.extend(goods_entries(version.goods))
        if entries:
            found.append(Section(rubrique.label, entries))
    return found


@dataclass(frozen=True)
class Change:
    key: str
    label: str
    before: str
    after: str


def diff(older: AuthorizationVersion, newer: AuthorizationVersion, procedure: Procedure) -> list[Change]:
    """What differs between two versions, in the order of the content (an entry missing on one side reads « — »)."""
    before = {e.key: e for s in sections(older, procedure) for e in s.entries}
    after = {e.key: e for s in sections(newer, procedure) for e in s.entries}
    keys = list(after) + [key for key in before if key not in after]
    changes = []
    for key in keys:
        old, new = before.get(key), after.get(key)
        old_value = old.value if old else UNANSWERED
        new_value = new.value if new else UNANSWERED
        if old_value != new_value:
            changes.append(Change(key, (new or old).label, old_value, new_value))  # type: ignore[union-attr]
    return changes
