"""The rules of the application form ("Contrôler"): every problem with its field path, a stable code and a French
message. Pure functions of the answers and goods lines, so the UI, the API and "Valider" all give the same verdict.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from backend.dossiers.catalogue import PROCEDURES, Procedure, code_list
from backend.dossiers.form import (
    STORAGE_PLACE_PARTS,
    FieldKind,
    field_specs,
    goods_fields,
    goods_kinds_for,
    heading_admitted,
    rubriques_for,
)
from backend.identity.identifiers import IdentifierError, validate_eori, validate_siret

CUSTOMS_OFFICE = re.compile(r"^[A-Z]{2}[A-Z0-9]{6}$")
# A goods line's API names for the columns GoodsView holds under another name.
GOODS_COLUMNS = {"cnCode": "cn_code"}


@dataclass(frozen=True)
class Problem:
    path: str
    code: str
    message: str


@dataclass(frozen=True)
class GoodsView:
    """What the rules read of a goods line."""

    id: int
    kind: str
    cn_code: str | None
    description: str | None
    quantity: Decimal | None
    unit: str | None
    value: Decimal | None


def _yes(data: dict[str, Any], path: str) -> bool:
    return data.get(path) is True


def _missing(data: dict[str, Any], path: str) -> bool:
    value = data.get(path)
    return value is None or value == "" or value == []


# Periods in months: when given, at least one month.
MONTH_PERIODS = (
    "misc.dischargePeriodMonths",
    "misc.estimatedDurationMonths",
    "specific.periodMonths",
    "specific.importPeriodMonths",
)


FRENCH_POSTCODE = re.compile(r"\d{5}")


def _check_postcode(data: dict[str, Any], problems: list[Problem]) -> None:
    """An address in France has a 5-digit postcode; elsewhere the postcode is free."""
    postcode = data.get("applicant.postcode")
    country = str(data.get("applicant.country") or "").strip().upper()
    if country == "FR" and not _missing(data, "applicant.postcode"):
        if not FRENCH_POSTCODE.fullmatch(str(postcode).strip()):
            problems.append(
                Problem(
                    "applicant.postcode",
                    "INVALID_POSTCODE",
                    "Le code postal d'une adresse en France s'écrit avec 5 chiffres (par exemple 75001).",
                )
            )


def check(
    procedure: Procedure, data: dict[str, Any], goods: Sequence[GoodsView], *, today: dt.date
) -> list[Problem]:
    specs = field_specs(procedure)
    problems: list[Problem] = []

    def problem(path: str, code: str, message: str) -> None:
        problems.append(Problem(path, code, message))

    def require(path: str, message: str | None = None) -> None:
        if _missing(data, path):
            problem(path, "REQUIRED", message or f"« {specs[path].label} » est obligatoire.")

    for spec in specs.values():
        if spec.mandatory and spec.kind is not FieldKind.BOOLEAN:
            require(spec.path)
        elif spec.mandatory and data.get(spec.path) is None:
            problem(spec.path, "REQUIRED", f"Répondez par oui ou non à « {spec.label} ».")

    # Identifiers (prefilled, but they can be corrected: a wrong one is a problem, not a crash).
    if not _missing(data, "applicant.eori"):
        try:
            validate_eori(data["applicant.eori"])
        except IdentifierError as error:
            problem("applicant.eori", "INVALID_EORI", error.message)
    if not _missing(data, "applicant.siret"):
        try:
            validate_siret(data["applicant.siret"])
        except IdentifierError as error:
            problem("applicant.siret", "INVALID_SIRET", error.message)
    office = data.get("applicant.customsOffice")
    if office and not CUSTOMS_OFFICE.match(str(office)):
        problem(
            "applicant.customsOffice",
            "INVALID_CUSTOMS_OFFICE",
            "Le bureau de douane s'écrit avec le code pays suivi de 6 caractères (par exemple FR000690).",
        )
    _check_postcode(data, problems)
    for path in MONTH_PERIODS:
        if path in specs and data.get(path) == 0:
            problem(path, "NOT_POSITIVE", f"« {specs[path].label} » doit être d'au moins un mois.")

    _check_goods(procedure, goods, problems)
    _check_specific(procedure, data, goods, problems, require, today)
    return sorted(problems, key=_form_position(procedure))


def _form_position(procedure: Procedure):
    """Sort key giving a problem's place in the form: its rubrique, then its field (a goods line's or a storage
    place's problem goes after the rubrique's fields, or after the field it is part of); ties keep the check's order."""
    rubriques = rubriques_for(procedure)
    tabs = {r.code: index for index, r in enumerate(rubriques)}
    fields = {f.path: index for r in rubriques for index, f in enumerate(r.fields)}

    def position(problem: Problem) -> tuple[int, int]:
        tab = tabs.get(problem.path.split(".", 1)[0], len(tabs))
        owner = next(
            (path for path in fields if problem.path == path or problem.path.startswith(path + ".")), None
        )
        return tab, fields[owner] if owner else len(fields)

    return position


def _check_goods(procedure: Procedure, goods: Sequence[GoodsView], problems: list[Problem]) -> None:
    kinds = goods_kinds_for(procedure)
    processing = PROCEDURES[procedure].processing
    if not any(g.kind == "GOODS" for g in goods):
        problems.append(
            Problem("goods.lines", "GOODS_REQUIRED", "Ajoutez au moins une marchandise à placer sous le régime.")
        )
    if processing and not any(g.kind == "PROCESSED" for g in goods):
        problems.append(
            Problem("goods.processed", "PROCESSED_REQUIRED", "Ajoutez au moins un produit transformé.")
        )
    units = code_list("units")
    for line in goods:
        base = f"goods.line.{line.id}"
        if line.kind not in kinds:
            problems.append(Problem(base, "KIND_NOT_ALLOWED", "Ce type de produit n'existe pas pour ce régime."))
        for spec in goods_fields(procedure, line.kind):
            value = getattr(line, GOODS_COLUMNS.get(spec.path, spec.path))
            if value is None or value == "":
                if spec.mandatory:
                    problems.append(Problem(f"{base}.{spec.path}", "REQUIRED", spec.required_message or ""))
            elif spec.pattern and not re.fullmatch(spec.pattern, str(value)):
                problems.append(
                    Problem(
                        f"{base}.{spec.path}",
                        "CN_CODE_LENGTH",
                        "Le code NC doit comporter 8 chiffres"
                        + (
                            " (4 chiffres de la position SH admis en perfectionnement)."
                            if heading_admitted(procedure, line.kind)
                            else "."
                        ),
                    )
                )
            elif spec.code_list and units.get(str(value)) is None:
                problems.append(
                    Problem(f"{base}.{spec.path}", "UNKNOWN_UNIT", f"Unité de mesure inconnue : {value}.")
                )


def _check_specific(procedure, data, goods, problems, require, today) -> None:
    def problem(path: str, code: str, message: str) -> None:
        problems.append(Problem(path, code, message))

    if procedure is Procedure.END_USE:
        unit = data.get("specific.unit")
        goods_units = {g.unit for g in goods if g.kind == "GOODS" and g.unit}
        if unit and goods_units and goods_units != {unit}:
            problem(
                "specific.unit",
                "UNIT_MISMATCH",
                "L'unité de mesure doit être la même que celle retenue pour les marchandises à placer.",
            )

    elif procedure is Procedure.CUSTOMS_WAREHOUSING:
        rate = data.get("specific.lossRate")
        if rate is not None and not (Decimal("0") <= Decimal(str(rate)) <= Decimal("100")):
            problem(
                "specific.lossRate",
                "LOSS_RATE_RANGE",
                "Le taux de perte est un pourcentage compris entre 0 et 100.",
            )
        warehouse = code_list("warehouse_types").get(str(data.get("specific.warehouseType") or ""))
        places = data.get("specific.storagePlaces") or []
        if warehouse is not None:
            if warehouse.extra.get("single_storage_place") and len(places) != 1:
                problem(
                    "specific.storagePlaces",
                    "ONE_STORAGE_PLACE",
                    f"Un seul lieu de stockage est autorisé pour un {warehouse.label[0].lower()}{warehouse.label[1:]}.",
                )
            elif not warehouse.extra.get("single_storage_place") and not places:
                problem(
                    "specific.storagePlaces", "STORAGE_PLACE_REQUIRED", "Indiquez au moins un lieu de stockage."
                )
        for index, place in enumerate(places):
            for part in STORAGE_PLACE_PARTS:
                if part.mandatory and not place.get(part.path):
                    problem(f"specific.storagePlaces.{index}.{part.path}", "REQUIRED", part.required_message or "")
        if _yes(data, "specific.temporaryRemoval"):
            require("specific.temporaryRemovalDetails")
        if _yes(data, "specific.unionGoods"):
            require("specific.unionGoodsMeasures")
        if _yes(data, "specific.otherProcedureGoods"):
            require("specific.otherProcedure")
            require("specific.otherProcedureDescription")

    elif procedure is Procedure.INWARD_PROCESSING:
        if _yes(data, "specific.priorExport"):
            if not _yes(data, "specific.equivalentGoods"):
                problem(
                    "specific.priorExport",
                    "PRIOR_EXPORT_NEEDS_EQUIVALENT_GOODS",
                    "L'exportation anticipée ne peut être sollicitée que si l'utilisation de marchandises équivalentes a été demandée.",
                )
            if data.get("specific.importPeriodMonths") in (None, ""):  # 0 is refused as NOT_POSITIVE
                problem(
                    "specific.importPeriodMonths",
                    "REQUIRED",
                    "Indiquez en mois la période à l'issue de laquelle les marchandises non Union devront être importées.",
                )
        if _yes(data, "specific.releaseWithoutDeclaration"):
            require("specific.releaseDetails")
        if _yes(data, "specific.dutyCalculation"):
            require(
                "specific.dutyArticle",
                "Choisissez la base du calcul des droits : article 85, paragraphe 1, ou article 86, paragraphe 3, du CDU.",
            )

    elif procedure is Procedure.OUTWARD_PROCESSING:
        deadline = data.get("specific.reexportDeadline")
        needs_deadline = _yes(data, "specific.standardExchange") or _yes(data, "specific.priorImport")
        if needs_deadline:
            if not deadline:
                problem("specific.reexportDeadline", "REQUIRED", "Indiquez la date limite de réexportation.")
            elif dt.date.fromisoformat(deadline) <= today:
                problem(
                    "specific.reexportDeadline",
                    "DATE_NOT_FUTURE",
                    "La date limite de réexportation doit être à venir.",
                )
        if _yes(data, "specific.standardExchange"):
            replacements = [g for g in goods if g.kind == "REPLACEMENT"]
            if not replacements:
                problem(
                    "goods.replacement",
                    "REPLACEMENT_REQUIRED",
                    "Avec les échanges standard, décrivez le produit de remplacement (code NC à 8 chiffres et désignation la plus détaillée possible).",
                )
        if _yes(data, "specific.standardExchangePriorImport") and not _yes(data, "specific.standardExchange"):
            problem(
                "specific.standardExchangePriorImport",
                "NEEDS_STANDARD_EXCHANGE",
                "L'importation anticipée du produit de remplacement suppose le système des échanges standard.",
            )
        if _yes(data, "specific.priorImport") and not _yes(data, "specific.equivalentGoods"):
            problem(
                "specific.priorImport",
                "PRIOR_IMPORT_NEEDS_EQUIVALENT_GOODS",
                "L'importation anticipée ne peut être sollicitée que si l'utilisation de marchandises équivalentes a été demandée.",
            )
