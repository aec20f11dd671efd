"""Parsing what an applicant submits: the form's answers (by their field definition in `form.py`) and the values of a
goods line.

A value of the wrong shape is *malformed* (`MalformedValue`, refused at save); an empty one is None: only
*incomplete*, kept, and reported by the rules at "Contrôler".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from backend.dossiers.catalogue import code_list
from backend.dossiers.form import GOODS_LINE_FIELD, STORAGE_PLACE_KEYS, STORAGE_PLACE_PARTS, FieldKind, FieldSpec
from backend.identity.identifiers import is_email_address


class MalformedValue(ValueError):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def parse_number(raw: Any) -> Decimal:
    """A decimal number as a French user types it (« 1 234,5 » as well as 1234.5); ValueError when it is not a
    finite number."""
    try:
        number = Decimal(str(raw).strip().replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        raise ValueError(f"not a number: {raw!r}") from None
    if not number.is_finite():
        raise ValueError(f"not a finite number: {raw!r}")
    return number


def parse_value(spec: FieldSpec, value: Any) -> Any:
    """The stored form of a submitted value, None when empty; MalformedValue when it cannot be that field's value."""
    if _blank(value):
        return None
    path = spec.path
    kind = spec.kind
    if kind in (FieldKind.TEXT, FieldKind.TEXTAREA, FieldKind.EMAIL):
        if not isinstance(value, str):
            raise MalformedValue(path, f"« {spec.label} » doit être un texte.")
        value = value.strip()
        limit = spec.max_length
        if len(value) > limit:
            raise MalformedValue(path, f"« {spec.label} » est trop long ({limit} caractères au plus).")
        if kind is FieldKind.EMAIL and not is_email_address(value):
            raise MalformedValue(path, f"« {spec.label} » n'est pas une adresse électronique valide.")
        return value
    if kind is FieldKind.BOOLEAN:
        if isinstance(value, bool):
            return value
        if value in ("oui", "true"):
            return True
        if value in ("non", "false"):
            return False
        raise MalformedValue(path, f"« {spec.label} » attend oui ou non.")
    if kind is FieldKind.INTEGER:
        if isinstance(value, bool):
            raise MalformedValue(path, f"« {spec.label} » doit être un nombre entier.")
        try:
            number = int(str(value).strip())
        except ValueError:
            raise MalformedValue(path, f"« {spec.label} » doit être un nombre entier.") from None
        if number < 0:
            raise MalformedValue(path, f"« {spec.label} » ne peut pas être négatif.")
        return number
    if kind is FieldKind.DECIMAL:
        try:
            return str(parse_number(value))
        except ValueError:
            raise MalformedValue(path, f"« {spec.label} » doit être un nombre.") from None
    if kind is FieldKind.DATE:
        try:
            return dt.date.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            raise MalformedValue(path, f"« {spec.label} » doit être une date (AAAA-MM-JJ).") from None
    if kind is FieldKind.CODE:
        code = str(value).strip()
        if code_list(spec.code_list).get(code) is None:
            raise MalformedValue(path, f"« {code} » n'est pas une valeur possible pour « {spec.label} ».")
        return code
    if kind is FieldKind.CODES:
        if not isinstance(value, list):
            raise MalformedValue(path, f"« {spec.label} » attend une liste de codes.")
        known = code_list(spec.code_list)
        codes = []
        for item in value:
            if known.get(str(item)) is None:
                raise MalformedValue(path, f"« {item} » n'est pas une valeur possible pour « {spec.label} ».")
            if str(item) not in codes:
                codes.append(str(item))
        return codes
    if kind is FieldKind.STORAGE_PLACES:
        if not isinstance(value, list) or not all(isinstance(p, dict) for p in value):
            raise MalformedValue(path, f"« {spec.label} » attend une liste d'installations.")
        places = []
        for index, place in enumerate(value):
            unknown = set(place) - set(STORAGE_PLACE_KEYS)
            if unknown:
                raise MalformedValue(
                    f"{path}.{index}", f"Champ inconnu pour une installation : {', '.join(sorted(unknown))}."
                )
            cleaned = {
                part.path: (
                    str(place[part.path]).strip()[: part.max_length]
                    if place.get(part.path) not in (None, "")
                    else None
                )
                for part in STORAGE_PLACE_PARTS
            }
            if cleaned["country"] and code_list("countries").get(cleaned["country"]) is None:
                raise MalformedValue(f"{path}.{index}.country", f"Pays inconnu : {cleaned['country']}.")
            if cleaned["email"] and not is_email_address(cleaned["email"]):
                raise MalformedValue(f"{path}.{index}.email", "Adresse électronique de l'installation invalide.")
            places.append(cleaned)
        return places
    raise MalformedValue(path, "Type de champ inconnu.")  # pragma: no cover


# --- goods lines ---------------------------------------------------------------------------------------------


def parse_goods_values(values: dict[str, Any]) -> dict[str, Any]:
    """The columns of a goods line from its submitted values (API names: cnCode, description, quantity, unit,
    value); only the values given are returned. Malformed ones raise MalformedValue naming the value; empty ones
    are kept empty (incomplete)."""
    parsed: dict[str, Any] = {}
    if "cnCode" in values:
        cn = (values["cnCode"] or "").strip().replace(" ", "").replace(".", "")
        if cn and not (cn.isascii() and cn.isdigit() and len(cn) in (4, 8)):
            raise MalformedValue("cnCode", "Le code NC comporte 8 chiffres (ou 4 pour une position SH).")
        parsed["cn_code"] = cn or None
    if "description" in values:
        description = (values["description"] or "").strip()
        limit = GOODS_LINE_FIELD["description"].max_length
        if len(description) > limit:
            raise MalformedValue("description", f"La désignation est trop longue ({limit} caractères au plus).")
        parsed["description"] = description or None
    if "quantity" in values:
        parsed["quantity"] = _amount(values["quantity"], "quantity", "La quantité", places=3, positive=True)
    if "value" in values:
        parsed["value"] = _amount(values["value"], "value", "La valeur", places=2, positive=False)
    if "unit" in values:
        unit = (values["unit"] or "").strip().upper()
        if unit and code_list("units").get(unit) is None:
            raise MalformedValue("unit", f"Unité de mesure inconnue : {unit}.")
        parsed["unit"] = unit or None
    return parsed


def _amount(raw: Any, field: str, label: str, *, places: int, positive: bool) -> Decimal | None:
    """A quantity or a value: not negative (`positive`: not zero either), at most `places` decimals, and small
    enough for its column."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        number = parse_number(raw)
    except ValueError:
        raise MalformedValue(field, f"{label} doit être un nombre.") from None
    if number < 0 or (positive and number == 0):
        raise MalformedValue(field, f"{label} doit être un nombre {'strictement ' if positive else ''}positif.")
    if -number.as_tuple().exponent > places:  # type: ignore[operator]
        raise MalformedValue(field, f"{label} a au plus {places} décimales.")
    if number >= Decimal(10) ** 13:
        raise MalformedValue(field, f"{label} est trop grande.")
    return number
