"""The catalogue: the five special procedures, their authorisation types, and the code lists.

Code lists are data files (`codelists/*.json`): they change without a migration. Facts marked *unverified* in the
domain notes (the economic-condition codes) live there for that reason.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CODELISTS_DIR = Path(__file__).parent / "codelists"


class Procedure(enum.StrEnum):
    TEMPORARY_ADMISSION = "TEA"
    END_USE = "EUS"
    CUSTOMS_WAREHOUSING = "CW"
    INWARD_PROCESSING = "IPO"
    OUTWARD_PROCESSING = "OPO"


@dataclass(frozen=True)
class ProcedureInfo:
    code: Procedure
    label: str
    english: str
    authorisation_types: tuple[str, ...]
    description: str
    processing: bool  # processed products and 4-digit CN codes allowed


PROCEDURES: dict[Procedure, ProcedureInfo] = {
    Procedure.TEMPORARY_ADMISSION: ProcedureInfo(
        Procedure.TEMPORARY_ADMISSION,
        "Admission temporaire",
        "Temporary admission",
        ("TEA",),
        "Utiliser dans l'Union, en exonération totale ou partielle des droits, des marchandises non Union destinées "
        "à être réexportées en l'état.",
        False,
    ),
    Procedure.END_USE: ProcedureInfo(
        Procedure.END_USE,
        "Destination particulière",
        "End-use",
        ("EUS",),
        "Mettre en libre pratique des marchandises en exonération ou à droit réduit en raison de leur "
        "destination particulière.",
        False,
    ),
    Procedure.CUSTOMS_WAREHOUSING: ProcedureInfo(
        Procedure.CUSTOMS_WAREHOUSING,
        "Entrepôt douanier",
        "Customs warehousing",
        ("CW1", "CW2", "CWP"),
        "Stocker des marchandises non Union en suspension de droits dans des installations agréées.",
        False,
    ),
    Procedure.INWARD_PROCESSING: ProcedureInfo(
        Procedure.INWARD_PROCESSING,
        "Perfectionnement actif",
        "Inward processing",
        ("IPO",),
        "Transformer dans l'Union des marchandises non Union en suspension de droits (y compris l'exportation "
        "anticipée EX/IM).",
        True,
    ),
    Procedure.OUTWARD_PROCESSING: ProcedureInfo(
        Procedure.OUTWARD_PROCESSING,
        "Perfectionnement passif",
        "Outward processing",
        ("OPO",),
        "Exporter temporairement des marchandises de l'Union pour les transformer ou les réparer, puis les "
        "réimporter en exonération totale ou partielle (échanges standard, importation anticipée IM/EX).",
        True,
    ),
}


@dataclass(frozen=True)
class CodeEntry:
    code: str
    label: str
    extra: dict


@dataclass(frozen=True)
class CodeList:
    name: str
    label: str
    entries: tuple[CodeEntry, ...]

    def labels(self) -> dict[str, str]:
        return {e.code: e.label for e in self.entries}

    def get(self, code: str) -> CodeEntry | None:
        return next((e for e in self.entries if e.code == code), None)


@cache
def code_list(name: str) -> CodeList:
    raw = json.loads((CODELISTS_DIR / f"{name}.json").read_text(encoding="utf-8"))
    entries = tuple(
        CodeEntry(
            code=e["code"], label=e["label"], extra={k: v for k, v in e.items() if k not in ("code", "label")}
        )
        for e in raw["entries"]
    )
    return CodeList(name=name, label=raw["label"], entries=entries)


def code_list_names() -> list[str]:
    return sorted(p.stem for p in CODELISTS_DIR.glob("*.json"))


def authorisation_type(procedure: Procedure, data: dict) -> str:
    """The authorisation type code of a dossier: fixed, except for customs warehouses (by warehouse type)."""
    if procedure is Procedure.CUSTOMS_WAREHOUSING:
        entry = code_list("warehouse_types").get(str(data.get("specific.warehouseType") or ""))
        return entry.extra["authorisation_type"] if entry else "CW"
    return PROCEDURES[procedure].authorisation_types[0]
