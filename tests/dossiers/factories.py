"""Complete, valid applications for each of the five procedures: answers (`path → value`) and goods lines.

Reused by the domain rule tests and by the API tests: each factory returns fresh copies, so a test may break one
field and check that exactly the expected problem appears.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from backend.dossiers import demo
from backend.dossiers.catalogue import Procedure
from backend.dossiers.rules import GoodsView

# The date the rule tests run "on": deadlines are built relative to it.
TODAY = dt.date(2026, 6, 15)

COMMON: dict[str, Any] = {
    "applicant.name": "Ateliers Durand SA",
    "applicant.address": "12 rue des Forges",
    "applicant.postcode": "69007",
    "applicant.city": "Lyon",
    "applicant.country": "FR",
    "applicant.eori": "FR552100554",
    "applicant.siret": "55210055400013",
    **demo.COMMON,
    "validation.date": "2026-06-01",
}

# The demo's specific answers of each procedure (valid ones).
SPECIFIC: dict[Procedure, dict[str, Any]] = demo.SPECIFIC


def answers(procedure: Procedure, **overrides: Any) -> dict[str, Any]:
    """A complete, valid set of answers for `procedure`; `overrides` use `__` for `.` (specific__lossRate)."""
    data = {**COMMON, **SPECIFIC[procedure]}
    data = {k: (list(map(dict, v)) if k == "specific.storagePlaces" else v) for k, v in data.items()}
    for key, value in overrides.items():
        path = key.replace("__", ".")
        if value is None:
            data.pop(path, None)
        else:
            data[path] = value
    return data


def line(
    kind: str = "GOODS",
    *,
    id: int = 1,
    cn_code: str | None = "84821010",
    description: str | None = "Roulements à billes",
    quantity: str | None = "100",
    unit: str | None = "KGM",
    value: str | None = "1234.50",
) -> GoodsView:
    return GoodsView(
        id=id,
        kind=kind,
        cn_code=cn_code,
        description=description,
        quantity=Decimal(quantity) if quantity is not None else None,
        unit=unit,
        value=Decimal(value) if value is not None else None,
    )


def goods(procedure: Procedure) -> list[GoodsView]:
    """The goods lines of a valid dossier: goods to place, plus a processed product in processing procedures."""
    lines = [line("GOODS", id=1)]
    if procedure in (Procedure.INWARD_PROCESSING, Procedure.OUTWARD_PROCESSING):
        lines.append(line("PROCESSED", id=2, cn_code="84829900", description="Pièces usinées", value=None))
    return lines


def goods_inputs(procedure: Procedure) -> list[tuple[str, dict[str, str]]]:
    """The same goods lines as GraphQL `addGoodsLine(kind, input)` arguments."""
    result = []
    for view in goods(procedure):
        values = {
            "cnCode": view.cn_code,
            "description": view.description,
            "quantity": str(view.quantity),
            "unit": view.unit,
        }
        if view.value is not None:
            values["value"] = str(view.value)
        result.append((view.kind, values))
    return result


def valid(procedure: Procedure) -> tuple[dict[str, Any], list[GoodsView]]:
    return answers(procedure), goods(procedure)
