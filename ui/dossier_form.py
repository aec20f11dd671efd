"""The dossier form on the browser side, without any rule: identifiers (Relay ids, element ids), the conversion of a
dossier's answers to what inputs hold and back, the changed paths to save, and where a problem path is shown.

Every rule (mandatory fields, formats, consistency) is the API's: the UI only converts and places its messages. A
composite answer (a storage place) has the parts the API's form model names (`FormField.parts`).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

YES, NO = "oui", "non"

# --- identifiers -------------------------------------------------------------------------------------------------


def global_id(type_name: str, number: int | str) -> str:
    """The Relay global id of an object: base64("Type:number")."""
    return base64.b64encode(f"{type_name}:{number}".encode()).decode("ascii")


def node_number(value: str, type_name: str) -> str | None:
    """The database id inside a Relay global id of `type_name`; None when it is not one."""
    try:
        decoded = base64.b64decode(value.encode("ascii"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        return None
    prefix, _, number = decoded.partition(":")
    if prefix != type_name or not (number.isascii() and number.isdigit()):
        return None
    return number


def dossier_id_from_path(segment: str) -> str:
    """/dossiers/<segment>: a global id, or the numeric id the upload route redirects to."""
    segment = unquote(segment).strip()
    if segment.isascii() and segment.isdigit():
        return global_id("Dossier", segment)
    return segment


def dossier_href(dossier_id: str) -> str:
    return f"/dossiers/{dossier_id}"


def field_id(path: str) -> str:
    """The element id of a field: `specific.priorExport` → `champ-specific-priorExport`."""
    return "champ-" + re.sub(r"[^A-Za-z0-9_-]", "-", path)


def choice_id(path: str, value: str) -> str:
    """The id of one radio button or checkbox of a field."""
    return f"{field_id(path)}-{re.sub(r'[^A-Za-z0-9_-]', '-', value)}"


def place_field_id(index: int, key: str) -> str:
    return field_id(f"specific.storagePlaces.{index}.{key}")


def tab_id(code: str) -> str:
    return f"onglet-{code}"


def panel_id(code: str) -> str:
    return f"rubrique-{code}"


def goods_table_id(kind: str) -> str:
    return f"marchandises-{kind}"


def goods_row_id(line_number: str) -> str:
    return f"ligne-{line_number}"


# --- values ------------------------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def part_names(field: Mapping[str, Any]) -> list[str]:
    """The keys of a composite answer's parts (each part is a field of the API's form model: `FormField.parts`)."""
    return [part["path"] for part in field.get("parts") or ()]


def empty_place(key: int, parts: Sequence[str]) -> dict[str, Any]:
    """A new storage place: its key (which place, whatever its position) and each of its parts empty."""
    return {"_key": key, **{name: "" for name in parts}}


def to_input(kind: str, value: Any, parts: Sequence[str] = ()) -> Any:
    """An answer as the API holds it → what the field's inputs hold (strings, "oui"/"non", lists); `parts`: those of
    a composite answer (the field's `parts`)."""
    if kind == "BOOLEAN":
        return "" if value is None else (YES if value else NO)
    if kind == "CODES":
        return [str(code) for code in value or []]
    if kind == "STORAGE_PLACES":
        return [
            {"_key": index, **{name: _text((place or {}).get(name)) for name in parts}}
            for index, place in enumerate(value or [])
        ]
    return _text(value)


def to_answer(kind: str, value: Any, parts: Sequence[str] = ()) -> Any:
    """What a field holds → the value sent to the API (None clears the answer)."""
    if kind == "BOOLEAN":
        return {YES: True, NO: False}.get(value)
    if kind == "CODES":
        return list(value or []) or None
    if kind == "STORAGE_PLACES":
        places = [{name: (place.get(name) or "").strip() for name in parts} for place in value or []]
        return places or None
    text = _text(value)
    return text if text.strip() else None


def _comparable(kind: str, value: Any, parts: Sequence[str]) -> Any:
    answer = to_answer(kind, value, parts)
    if isinstance(answer, str):
        return answer.strip()
    return answer


def initial_inputs(fields: Iterable[Mapping[str, Any]], answers: Mapping[str, Any]) -> dict[str, Any]:
    return {
        field["path"]: to_input(field["kind"], answers.get(field["path"]), part_names(field)) for field in fields
    }


def changes(
    fields: Iterable[Mapping[str, Any]], current: Mapping[str, Any], baseline: Mapping[str, Any]
) -> dict[str, Any]:
    """The answers that differ from the last saved ones, as the API takes them (`{path: value}`)."""
    found: dict[str, Any] = {}
    for field in fields:
        path, kind, parts = field["path"], field["kind"], part_names(field)
        if path not in current:
            continue
        if _comparable(kind, current[path], parts) != _comparable(kind, baseline.get(path), parts):
            found[path] = to_answer(kind, current[path], parts)
    return found


# --- problems ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Where a problem is shown: the rubrique (tab) and the element a link from the summary focuses."""

    tab: str
    element_id: str


GOODS_AGGREGATES = {"goods.lines": "GOODS", "goods.processed": "PROCESSED", "goods.replacement": "REPLACEMENT"}


def focus_id(field: Mapping[str, Any], code_entries: Sequence[Mapping[str, Any]] = ()) -> str:
    """The element to focus for a field: its input, or the first choice of a radio or checkbox group."""
    path, kind = field["path"], field["kind"]
    if kind == "BOOLEAN":
        return choice_id(path, YES)
    if kind == "CODES" and code_entries:
        return choice_id(path, code_entries[0]["code"])
    if kind == "STORAGE_PLACES":
        return f"{field_id(path)}-ajouter"
    return field_id(path)


def problem_target(
    path: str,
    rubriques: Sequence[Mapping[str, Any]],
    code_lists: Mapping[str, Mapping[str, Any]] | None = None,
) -> Target | None:
    """The tab and element of a problem path (a field, a storage place's part, a goods line or table)."""
    code_lists = code_lists or {}
    by_path = {field["path"]: (rubrique["code"], field) for rubrique in rubriques for field in rubrique["fields"]}
    goods_tab = next((r["code"] for r in rubriques if r.get("hasGoods")), None)
    if path in by_path:
        tab, field = by_path[path]
        entries = (code_lists.get(field.get("codeList") or "") or {}).get("entries") or []
        return Target(tab, focus_id(field, entries))
    match = re.fullmatch(r"specific\.storagePlaces\.(\d+)\.(\w+)", path)
    if match and "specific.storagePlaces" in by_path:
        tab, places = by_path["specific.storagePlaces"]
        parts = part_names(places)
        # A problem of the place as a whole is shown on its first part.
        key = match.group(2) if match.group(2) in parts else (parts[0] if parts else match.group(2))
        return Target(tab, place_field_id(int(match.group(1)), key))
    if goods_tab is None:
        return None
    if path in GOODS_AGGREGATES:
        return Target(goods_tab, goods_table_id(GOODS_AGGREGATES[path]))
    match = re.fullmatch(r"goods\.line\.([^.]+)(?:\.\w+)?", path)
    if match:
        # Goods lines are named by their global id; element ids use the number inside it.
        number = node_number(match.group(1), "GoodsLine") or match.group(1)
        return Target(goods_tab, goods_row_id(number))
    return None


def messages_by_path(problems: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """One text per path (several problems of a field read one after the other)."""
    found: dict[str, list[str]] = {}
    for problem in problems:
        found.setdefault(problem["path"], []).append(problem["message"])
    return {path: " ".join(messages) for path, messages in found.items()}


def file_size(size: int) -> str:
    """A size in French units, as the API's messages write it: « 1 Ko », « 512 Ko », « 1,5 Mo »."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".removesuffix(".0").replace(".", ",") + " Mo"
    return f"{max(1, size // 1024)} Ko"
