"""« Contrôler »: each rule family fails then passes through GraphQL, on the saved answers and on the unsaved input."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.dossiers.catalogue import Procedure
from tests.api.dossiers.support import (
    CHECK_CHANGES,
    DURAND_SIRET,
    UPDATE_LINE,
    add_line,
    check_changes,
    complete,
    create,
    get,
    problems,
    todays,
    update,
)
from tests.dossiers.factories import answers
from tests.processing_support import code_of, ok, refused

# --- each rule family through GraphQL: failing, then fixed --------------------------------------------------------

TOMORROW = "tomorrow"
TODAY = "today"


def _date(value: Any) -> Any:
    if value == TOMORROW:
        return (max(todays()) + dt.timedelta(days=1)).isoformat()  # after today, wherever it is counted
    if value == TODAY:
        return min(todays()).isoformat()  # not after today, wherever it is counted
    return value


def _dates(changes: dict) -> dict:
    return {k: _date(v) for k, v in changes.items()}


ONE_PLACE = [{"name": "Entrepôt A", "country": "FR", "address": "1 quai Rambaud, Lyon"}]
TWO_PLACES = [*ONE_PLACE, {"name": "Entrepôt B", "country": "FR", "address": "2 quai Rambaud, Lyon"}]
THREE_PLACES = [*TWO_PLACES, {"name": "Entrepôt C", "country": "BE", "address": "3 quai de Liège, Anvers"}]

RULE_CASES = [
    (
        "TEA",
        {"misc.dischargePeriodMonths": None},
        {("misc.dischargePeriodMonths", "REQUIRED")},
        {"misc.dischargePeriodMonths": 12},
    ),
    (
        "TEA",
        {"applicant.eori": "FR552100555"},
        {("applicant.eori", "INVALID_EORI")},
        {"applicant.eori": "FR552100554"},
    ),
    (
        "TEA",
        {"applicant.siret": "55210055400014"},
        {("applicant.siret", "INVALID_SIRET")},
        {"applicant.siret": DURAND_SIRET},
    ),
    (
        "TEA",
        {"applicant.customsOffice": "FR00069"},
        {("applicant.customsOffice", "INVALID_CUSTOMS_OFFICE")},
        {"applicant.customsOffice": "FR002300"},
    ),
    (
        "TEA",
        {"misc.dischargePeriodMonths": 0},
        {("misc.dischargePeriodMonths", "NOT_POSITIVE")},
        {"misc.dischargePeriodMonths": 1},
    ),
    ("EUS", {"specific.unit": "LTR"}, {("specific.unit", "UNIT_MISMATCH")}, {"specific.unit": "KGM"}),
    (
        "EUS",
        {"specific.firstPlaceOfUse": None},
        {("specific.firstPlaceOfUse", "REQUIRED")},
        {"specific.firstPlaceOfUse": "Lyon"},
    ),
    ("CW", {"specific.lossRate": "150"}, {("specific.lossRate", "LOSS_RATE_RANGE")}, {"specific.lossRate": "100"}),
    (
        "CW",
        {"specific.warehouseType": "PUBLIC_2", "specific.storagePlaces": TWO_PLACES},
        {("specific.storagePlaces", "ONE_STORAGE_PLACE")},
        {"specific.storagePlaces": ONE_PLACE},
    ),
    (
        "CW",
        {"specific.warehouseType": "PRIVATE_APPROVED", "specific.storagePlaces": TWO_PLACES},
        {("specific.storagePlaces", "ONE_STORAGE_PLACE")},
        {"specific.storagePlaces": ONE_PLACE},
    ),
    (
        "CW",
        {"specific.warehouseType": "PRIVATE_UNAPPROVED", "specific.storagePlaces": []},
        {("specific.storagePlaces", "STORAGE_PLACE_REQUIRED"), ("specific.storagePlaces", "REQUIRED")},
        {"specific.storagePlaces": THREE_PLACES},
    ),
    (
        "CW",
        {"specific.storagePlaces": [{"name": "Entrepôt A", "country": "FR"}]},
        {("specific.storagePlaces.0.address", "REQUIRED")},
        {"specific.storagePlaces": ONE_PLACE},
    ),
    (
        "CW",
        {"specific.temporaryRemoval": True},
        {("specific.temporaryRemovalDetails", "REQUIRED")},
        {"specific.temporaryRemovalDetails": "Sous scellés."},
    ),
    (
        "CW",
        {"specific.unionGoods": True},
        {("specific.unionGoodsMeasures", "REQUIRED")},
        {"specific.unionGoodsMeasures": "Zones séparées."},
    ),
    (
        "CW",
        {"specific.otherProcedureGoods": True},
        {("specific.otherProcedure", "REQUIRED"), ("specific.otherProcedureDescription", "REQUIRED")},
        {"specific.otherProcedure": "Admission temporaire", "specific.otherProcedureDescription": "Machines"},
    ),
    (
        "IPO",
        {"specific.priorExport": True},
        {
            ("specific.priorExport", "PRIOR_EXPORT_NEEDS_EQUIVALENT_GOODS"),
            ("specific.importPeriodMonths", "REQUIRED"),
        },
        {"specific.equivalentGoods": True, "specific.importPeriodMonths": 6},
    ),
    (
        "IPO",
        {"specific.releaseWithoutDeclaration": True},
        {("specific.releaseDetails", "REQUIRED")},
        {"specific.releaseDetails": "Décompte mensuel."},
    ),
    (
        "IPO",
        {"specific.dutyCalculation": True},
        {("specific.dutyArticle", "REQUIRED")},
        {"specific.dutyArticle": "ART_86_3"},
    ),
    ("IPO", {"goods.yieldRate": None}, {("goods.yieldRate", "REQUIRED")}, {"goods.yieldRate": "95 %"}),
    (
        "IPO",
        {"specific.equivalentGoods": None},
        {("specific.equivalentGoods", "REQUIRED")},
        {"specific.equivalentGoods": False},
    ),
    (
        "OPO",
        {"specific.standardExchange": True, "specific.reexportDeadline": TODAY},
        {("specific.reexportDeadline", "DATE_NOT_FUTURE"), ("goods.replacement", "REPLACEMENT_REQUIRED")},
        {"specific.reexportDeadline": TOMORROW},
    ),
    (
        "OPO",
        {"specific.standardExchangePriorImport": True},
        {("specific.standardExchangePriorImport", "NEEDS_STANDARD_EXCHANGE")},
        {"specific.standardExchangePriorImport": False},
    ),
    (
        "OPO",
        {"specific.priorImport": True},
        {
            ("specific.priorImport", "PRIOR_IMPORT_NEEDS_EQUIVALENT_GOODS"),
            ("specific.reexportDeadline", "REQUIRED"),
        },
        {"specific.equivalentGoods": True, "specific.reexportDeadline": TOMORROW},
    ),
]


RULE_IDS = [f"{case[0]}:{'+'.join(case[1])}={'+'.join(sorted({c for _, c in case[2]}))}" for case in RULE_CASES]


@pytest.mark.parametrize(("procedure", "breaking", "expected", "fixing"), RULE_CASES, ids=RULE_IDS)
def test_each_rule_fails_then_passes_through_graphql(sophie, procedure, breaking, expected, fixing):
    dossier = complete(sophie, procedure)
    dossier = update(sophie, dossier, _dates(breaking))
    assert problems(sophie, dossier["id"]) == expected
    if ("goods.replacement", "REPLACEMENT_REQUIRED") in expected:
        add_line(
            sophie,
            dossier["id"],
            "REPLACEMENT",
            {"cnCode": "84099900", "description": "Moteur échange standard", "quantity": "1", "unit": "NAR"},
        )
    dossier = update(sophie, dossier, _dates(fixing))
    assert problems(sophie, dossier["id"]) == set()


def test_goods_rules_fail_then_pass_through_graphql(sophie):
    dossier = create(sophie, "TEA")
    dossier = update(sophie, dossier, answers(Procedure.TEMPORARY_ADMISSION))
    assert problems(sophie, dossier["id"]) == {("goods.lines", "GOODS_REQUIRED")}
    line = add_line(sophie, dossier["id"], "GOODS", {"cnCode": "8482", "description": "Roulements"})
    base = f"goods.line.{line['id']}"
    assert problems(sophie, dossier["id"]) == {
        (f"{base}.cnCode", "CN_CODE_LENGTH"),
        (f"{base}.quantity", "REQUIRED"),
        (f"{base}.unit", "REQUIRED"),
        (f"{base}.value", "REQUIRED"),
    }
    ok(
        sophie,
        UPDATE_LINE,
        {"id": line["id"], "input": {"cnCode": "84821010", "quantity": "5", "unit": "NAR", "value": "99"}},
    )
    assert problems(sophie, dossier["id"]) == set()


def test_processing_goods_rules_fail_then_pass_through_graphql(sophie):
    dossier = update(sophie, create(sophie, "IPO"), answers(Procedure.INWARD_PROCESSING))
    add_line(
        sophie,
        dossier["id"],
        "GOODS",
        {"cnCode": "7208", "description": "Tôles", "quantity": "1000", "unit": "KGM", "value": "800"},
    )
    # Four digits are allowed in processing; the processed product is still missing.
    assert problems(sophie, dossier["id"]) == {("goods.processed", "PROCESSED_REQUIRED")}
    add_line(
        sophie,
        dossier["id"],
        "PROCESSED",
        {"cnCode": "7326", "description": "Pièces embouties", "quantity": "900", "unit": "KGM"},
    )
    assert problems(sophie, dossier["id"]) == set()


def test_replacement_products_need_eight_digits(sophie):
    dossier = complete(
        sophie, "OPO", **{"specific.standardExchange": True, "specific.reexportDeadline": _date(TOMORROW)}
    )
    line = add_line(
        sophie,
        dossier["id"],
        "REPLACEMENT",
        {"cnCode": "8409", "description": "Moteur", "quantity": "1", "unit": "NAR"},
    )
    assert problems(sophie, dossier["id"]) == {(f"goods.line.{line['id']}.cnCode", "CN_CODE_LENGTH")}
    ok(sophie, UPDATE_LINE, {"id": line["id"], "input": {"cnCode": "84099900"}})
    assert problems(sophie, dossier["id"]) == set()


def test_check_applies_the_unsaved_input_without_saving_it(sophie):
    dossier = complete(sophie, "IPO")
    assert check_changes(sophie, dossier["id"], {"specific.priorExport": True}) == {
        ("specific.priorExport", "PRIOR_EXPORT_NEEDS_EQUIVALENT_GOODS"),
        ("specific.importPeriodMonths", "REQUIRED"),
    }
    fixed = {"specific.priorExport": True, "specific.equivalentGoods": "oui", "specific.importPeriodMonths": "6"}
    assert check_changes(sophie, dossier["id"], fixed) == set()
    after = get(sophie, dossier["id"])
    assert after["version"] == dossier["version"]
    assert after["answers"] == dossier["answers"]


def test_check_reports_a_malformed_or_unknown_input_as_a_problem(sophie):
    dossier = complete(sophie, "TEA")
    found = check_changes(sophie, dossier["id"], {"misc.dischargePeriodMonths": "douze", "specific.nope": 1})
    assert found == {("misc.dischargePeriodMonths", "INVALID_VALUE"), ("specific.nope", "UNKNOWN_FIELD")}
    assert get(sophie, dossier["id"])["version"] == dossier["version"]
    error = refused(sophie, CHECK_CHANGES, {"id": dossier["id"], "changes": ["misc.dischargePeriodMonths"]})
    assert code_of(error) == "INVALID_VALUE"


def test_a_malformed_storage_place_is_one_problem_not_three(sophie):
    """A malformed value replaces the "required" problems of its field (services.check_dossier says so): a storage
    place with a bad e-mail is that one problem, not also « storage places required » and « exactly one place »."""
    dossier = complete(sophie, "CW")
    places = [{"name": "Quai 4", "country": "FR", "address": "Port de Lyon", "email": "pas-une-adresse"}]
    found = check_changes(sophie, dossier["id"], {"specific.storagePlaces": places})
    assert found == {("specific.storagePlaces.0.email", "INVALID_VALUE")}, found
