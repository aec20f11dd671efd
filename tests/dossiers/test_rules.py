"""The rules of the application form ("Contrôler"), pure domain: for each rule a failing case (the exact code at the
exact path) and a passing case, starting from a complete valid dossier of the procedure (tests/dossiers/factories.py)
so that a passing case means *no problem at all*. Also `form.parse_value`: malformed values are refused, empty ones kept
as incomplete.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.dossiers import rules
from backend.dossiers.catalogue import Procedure, code_list
from backend.dossiers.form import FieldKind, field_specs
from backend.dossiers.parsing import MalformedValue, parse_value
from tests.dossiers.factories import TODAY, answers, goods, line, valid

TEA = Procedure.TEMPORARY_ADMISSION
EUS = Procedure.END_USE
CW = Procedure.CUSTOMS_WAREHOUSING
IPO = Procedure.INWARD_PROCESSING
OPO = Procedure.OUTWARD_PROCESSING
TOMORROW = (TODAY + dt.timedelta(days=1)).isoformat()
YESTERDAY = (TODAY - dt.timedelta(days=1)).isoformat()


def check(procedure: Procedure, data: dict[str, Any] | None = None, lines=None, today: dt.date = TODAY):
    data = answers(procedure) if data is None else data
    lines = goods(procedure) if lines is None else lines
    return rules.check(procedure, data, lines, today=today)


def found(problems) -> set[tuple[str, str]]:
    return {(p.path, p.code) for p in problems}


def assert_problem(problems, path: str, code: str) -> rules.Problem:
    matching = [p for p in problems if p.path == path and p.code == code]
    assert matching, f"expected {code} at {path}, got {found(problems)}"
    assert matching[0].message.strip(), "every problem has a French message"
    return matching[0]


def assert_only(problems, *expected: tuple[str, str]) -> None:
    assert found(problems) == set(expected), found(problems)


def assert_valid(problems) -> None:
    assert problems == [], found(problems)


def place(**overrides) -> dict[str, Any]:
    base = {"name": "Entrepôt", "country": "FR", "address": "1 rue du Port, Lyon", "phone": None, "fax": None}
    return {**base, "email": None, **overrides}


# --- the factories themselves ---------------------------------------------------------------------------------


@pytest.mark.parametrize("procedure", list(Procedure))
def test_a_complete_dossier_of_each_procedure_has_no_problem(procedure):
    data, lines = valid(procedure)
    assert_valid(rules.check(procedure, data, lines, today=TODAY))


def test_every_problem_has_a_french_message_and_a_stable_code():
    problems = rules.check(IPO, {}, [], today=TODAY)
    assert problems
    for problem in problems:
        assert problem.code.isupper() and problem.path
        assert problem.message.lstrip("« ")[0].isupper() and problem.message.endswith("."), problem


def test_an_empty_dossier_lists_every_mandatory_field_and_the_goods():
    problems = rules.check(OPO, {}, [], today=TODAY)
    paths = {p.path for p in problems if p.code == "REQUIRED"}
    mandatory = {s.path for s in field_specs(OPO).values() if s.mandatory}
    assert mandatory <= paths
    assert {"goods.lines", "goods.processed"} <= {p.path for p in problems}


def test_problems_come_in_the_forms_order_the_applicants_identifiers_first():
    """The summary follows the form: a wrong SIRET (Demandeur, first tab) comes before a missing field of a later tab,
    and every problem of a tab before any problem of the next one."""
    data, lines = valid(CW)
    data = {**data, "applicant.siret": "12345678901234", "misc.placeOfProcessing": None}
    data = {k: v for k, v in data.items() if not k.startswith("specific.")}
    problems = rules.check(CW, data, lines, today=TODAY)
    tabs = [p.path.split(".", 1)[0] for p in problems]
    assert tabs[0] == "applicant", found(problems)
    assert (problems[0].path, problems[0].code) == ("applicant.siret", "INVALID_SIRET")
    order = ["applicant", "accounts", "goods", "misc", "validation", "specific"]
    assert tabs == sorted(tabs, key=order.index), tabs
    assert "specific" in tabs


# --- mandatory fields --------------------------------------------------------------------------------------------


def _mandatory(kind_filter) -> list[tuple[Procedure, str]]:
    return [
        (procedure, spec.path)
        for procedure in Procedure
        for spec in field_specs(procedure).values()
        if spec.mandatory and kind_filter(spec.kind)
    ]


@pytest.mark.parametrize(
    ("procedure", "path"), _mandatory(lambda kind: kind is not FieldKind.BOOLEAN), ids=lambda v: str(v)
)
def test_a_missing_mandatory_field_is_required(procedure, path):
    data = answers(procedure)
    del data[path]
    problem = assert_problem(check(procedure, data), path, "REQUIRED")
    assert field_specs(procedure)[path].label in problem.message
    # Blank values count as missing too.
    for blank in ("", []):
        assert_problem(check(procedure, {**answers(procedure), path: blank}), path, "REQUIRED")
    # Passing case: the complete dossier.
    assert_valid(check(procedure))


@pytest.mark.parametrize(
    ("procedure", "path"), _mandatory(lambda kind: kind is FieldKind.BOOLEAN), ids=lambda v: str(v)
)
def test_a_mandatory_yes_no_question_must_be_answered(procedure, path):
    data = answers(procedure)
    del data[path]
    problem = assert_problem(check(procedure, data), path, "REQUIRED")
    assert problem.message.startswith("Répondez par oui ou non")
    # "non" is an answer: the factory answers False.
    assert answers(procedure)[path] is False
    assert_valid(check(procedure))


def test_the_mandatory_booleans_are_the_expected_ones():
    booleans = {(p.value, path) for p, path in _mandatory(lambda kind: kind is FieldKind.BOOLEAN)}
    assert booleans == {
        ("IPO", "specific.equivalentGoods"),
        ("IPO", "specific.priorExport"),
        ("OPO", "specific.equivalentGoods"),
        ("OPO", "specific.standardExchange"),
        ("OPO", "specific.priorImport"),
    }


# --- identifiers and simple formats ------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["FR552100555", "DE552100554", "FR5521", "FR55210055400014"])
def test_an_invalid_eori_is_a_problem(bad):
    problems = check(TEA, answers(TEA, applicant__eori=bad))
    assert_only(problems, ("applicant.eori", "INVALID_EORI"))


@pytest.mark.parametrize("good", ["FR552100554", "FR55210055400013", "FR404833048"])
def test_a_corrected_eori_passes(good):
    assert_valid(check(TEA, answers(TEA, applicant__eori=good)))


@pytest.mark.parametrize("bad", ["55210055400014", "5521005540001", "ABCDEFGHIJKLMN"])
def test_an_invalid_siret_is_a_problem(bad):
    assert_only(check(TEA, answers(TEA, applicant__siret=bad)), ("applicant.siret", "INVALID_SIRET"))


def test_a_corrected_siret_passes():
    assert_valid(check(TEA, answers(TEA, applicant__siret="40483304800014")))


@pytest.mark.parametrize("bad", ["FR00069", "FR0006900", "fr000690", "F1000690", "FR 00069"])
def test_the_customs_office_is_a_country_code_and_six_characters(bad):
    problem = assert_problem(
        check(EUS, answers(EUS, applicant__customsOffice=bad)), "applicant.customsOffice", "INVALID_CUSTOMS_OFFICE"
    )
    assert "FR000690" in problem.message


@pytest.mark.parametrize("good", ["FR000690", "FR002300", "DEA12345"])
def test_a_well_formed_customs_office_passes(good):
    assert_valid(check(EUS, answers(EUS, applicant__customsOffice=good)))


@pytest.mark.parametrize("path", ["misc.dischargePeriodMonths", "misc.estimatedDurationMonths"])
def test_a_period_of_zero_months_is_refused(path):
    data = {**answers(CW), path: 0}
    assert_only(check(CW, data), (path, "NOT_POSITIVE"))
    assert_valid(check(CW, {**answers(CW), path: 1}))


def test_a_temporary_admission_of_zero_months_is_refused():
    assert_only(check(TEA, answers(TEA, specific__periodMonths=0)), ("specific.periodMonths", "NOT_POSITIVE"))
    assert_valid(check(TEA, answers(TEA, specific__periodMonths=1)))


def test_a_prior_export_import_period_of_zero_months_is_refused_as_such():
    prior = answers(IPO, specific__equivalentGoods=True, specific__priorExport=True)
    prior.setdefault("specific.equivalentGoodsDescription", "Tôles équivalentes")
    base = check(IPO, {**prior, "specific.importPeriodMonths": 3})
    zero = check(IPO, {**prior, "specific.importPeriodMonths": 0})
    assert {(p.path, p.code) for p in zero} - {(p.path, p.code) for p in base} == {
        ("specific.importPeriodMonths", "NOT_POSITIVE")
    }


# --- goods lines --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("procedure", list(Procedure))
def test_at_least_one_goods_line_is_required(procedure):
    lines = [g for g in goods(procedure) if g.kind != "GOODS"]
    problem = assert_problem(check(procedure, lines=lines), "goods.lines", "GOODS_REQUIRED")
    assert "marchandise" in problem.message
    assert_valid(check(procedure))


def test_a_processed_product_alone_is_not_a_goods_line():
    problems = check(IPO, lines=[line("PROCESSED", id=2, value=None)])
    assert_only(problems, ("goods.lines", "GOODS_REQUIRED"))


@pytest.mark.parametrize("procedure", [IPO, OPO])
def test_processing_needs_a_processed_product(procedure):
    lines = [g for g in goods(procedure) if g.kind == "GOODS"]
    assert_only(check(procedure, lines=lines), ("goods.processed", "PROCESSED_REQUIRED"))
    assert_valid(check(procedure))


@pytest.mark.parametrize("procedure", [TEA, EUS, CW])
def test_other_procedures_need_no_processed_product(procedure):
    assert all(g.kind == "GOODS" for g in goods(procedure))
    assert_valid(check(procedure))


@pytest.mark.parametrize("procedure", [TEA, EUS, CW])
def test_a_processed_product_is_not_allowed_outside_processing(procedure):
    lines = [*goods(procedure), line("PROCESSED", id=7)]
    assert_only(check(procedure, lines=lines), ("goods.line.7", "KIND_NOT_ALLOWED"))


def test_a_replacement_product_is_not_allowed_in_inward_processing():
    lines = [*goods(IPO), line("REPLACEMENT", id=7)]
    assert_only(check(IPO, lines=lines), ("goods.line.7", "KIND_NOT_ALLOWED"))


@pytest.mark.parametrize("procedure", list(Procedure))
@pytest.mark.parametrize("cn", ["8482101", "848210100", "848210", "84"])
def test_a_cn_code_has_eight_digits(procedure, cn):
    lines = [line("GOODS", id=9, cn_code=cn), *goods(procedure)[1:]]
    assert_only(check(procedure, lines=lines), ("goods.line.9.cnCode", "CN_CODE_LENGTH"))


@pytest.mark.parametrize("procedure", [TEA, EUS, CW])
def test_four_digits_are_refused_outside_processing(procedure):
    problems = check(procedure, lines=[line("GOODS", id=9, cn_code="8482")])
    problem = assert_problem(problems, "goods.line.9.cnCode", "CN_CODE_LENGTH")
    assert problem.message == "Le code NC doit comporter 8 chiffres."
    assert_only(problems, ("goods.line.9.cnCode", "CN_CODE_LENGTH"))


@pytest.mark.parametrize("procedure", [IPO, OPO])
@pytest.mark.parametrize("kind", ["GOODS", "PROCESSED"])
def test_four_digits_are_allowed_in_processing(procedure, kind):
    lines = [line(kind, id=9, cn_code="8482", value="10")] + [g for g in goods(procedure) if g.kind != kind]
    assert_valid(check(procedure, lines=lines))


def test_four_digits_are_refused_for_a_replacement_product():
    data = answers(OPO, specific__standardExchange=True, specific__reexportDeadline=TOMORROW)
    ok = [*goods(OPO), line("REPLACEMENT", id=9, cn_code="84821010", value=None)]
    assert_valid(check(OPO, data, ok))
    problems = check(OPO, data, [*goods(OPO), line("REPLACEMENT", id=9, cn_code="8482", value=None)])
    assert_only(problems, ("goods.line.9.cnCode", "CN_CODE_LENGTH"))
    assert problems[0].message == "Le code NC doit comporter 8 chiffres."


def test_processing_says_four_digits_are_allowed_in_its_message():
    problems = check(IPO, lines=[line("GOODS", id=9, cn_code="848"), *goods(IPO)[1:]])
    problem = assert_problem(problems, "goods.line.9.cnCode", "CN_CODE_LENGTH")
    assert "4 chiffres" in problem.message


@pytest.mark.parametrize(
    ("field", "path"),
    [
        ("cn_code", "cnCode"),
        ("description", "description"),
        ("quantity", "quantity"),
        ("unit", "unit"),
        ("value", "value"),
    ],
)
def test_a_goods_line_with_a_missing_part_is_incomplete(field, path):
    lines = [line("GOODS", id=5, **{field: None})]
    assert_only(check(TEA, lines=lines), (f"goods.line.5.{path}", "REQUIRED"))
    assert_valid(check(TEA, lines=[line("GOODS", id=5)]))


def test_a_processed_product_needs_no_value():
    lines = [line("GOODS", id=1), line("PROCESSED", id=2, value=None)]
    assert_valid(check(IPO, lines=lines))
    lines = [line("GOODS", id=1), line("PROCESSED", id=2, value=None, quantity=None)]
    assert_only(check(IPO, lines=lines), ("goods.line.2.quantity", "REQUIRED"))


@pytest.mark.parametrize("unit", ["XYZ", "kg", "KG"])
def test_an_unknown_unit_is_a_problem(unit):
    problems = check(TEA, lines=[line("GOODS", id=3, unit=unit)])
    problem = assert_problem(problems, "goods.line.3.unit", "UNKNOWN_UNIT")
    assert unit in problem.message
    assert_only(problems, ("goods.line.3.unit", "UNKNOWN_UNIT"))


@pytest.mark.parametrize("unit", [e.code for e in code_list("units").entries])
def test_every_unit_of_the_code_list_is_known(unit):
    assert_valid(check(TEA, lines=[line("GOODS", id=3, unit=unit)]))


# --- end-use -----------------------------------------------------------------------------------------------------


def test_end_use_unit_must_be_the_goods_unit():
    problems = check(EUS, answers(EUS, specific__unit="LTR"))
    problem = assert_problem(problems, "specific.unit", "UNIT_MISMATCH")
    assert "même" in problem.message
    assert_only(problems, ("specific.unit", "UNIT_MISMATCH"))
    assert_valid(check(EUS, answers(EUS, specific__unit="LTR"), [line("GOODS", unit="LTR")]))


def test_end_use_unit_mismatch_when_one_goods_line_has_another_unit():
    lines = [line("GOODS", id=1, unit="KGM"), line("GOODS", id=2, unit="LTR")]
    assert_only(check(EUS, lines=lines), ("specific.unit", "UNIT_MISMATCH"))
    lines = [line("GOODS", id=1, unit="KGM"), line("GOODS", id=2, unit="KGM")]
    assert_valid(check(EUS, lines=lines))


def test_end_use_needs_the_first_place_of_use():
    data = answers(EUS, specific__firstPlaceOfUse=None)
    problem = assert_problem(check(EUS, data), "specific.firstPlaceOfUse", "REQUIRED")
    assert "Premier lieu d'utilisation" in problem.message
    assert_only(check(EUS, data), ("specific.firstPlaceOfUse", "REQUIRED"))
    assert_valid(check(EUS, answers(EUS, specific__secondaryPlaceOfUse=None)))


# --- customs warehousing -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("rate", ["-0.1", "100.01", "250", -5, 101])
def test_the_loss_rate_is_between_0_and_100(rate):
    problem = assert_problem(
        check(CW, answers(CW, specific__lossRate=rate)), "specific.lossRate", "LOSS_RATE_RANGE"
    )
    assert "0 et 100" in problem.message


@pytest.mark.parametrize("rate", ["0", "100", "0.5", "99.99", 0, 100])
def test_a_loss_rate_within_bounds_passes(rate):
    assert_valid(check(CW, answers(CW, specific__lossRate=rate)))


def test_no_loss_rate_passes():
    assert_valid(check(CW, answers(CW, specific__lossRate=None)))


@pytest.mark.parametrize("warehouse", ["PUBLIC_1", "PUBLIC_2", "PRIVATE_APPROVED"])
@pytest.mark.parametrize("count", [0, 2])
def test_these_warehouses_have_exactly_one_storage_place(warehouse, count):
    places = [place(name=f"Entrepôt {i}") for i in range(count)]
    data = answers(CW, specific__warehouseType=warehouse, specific__storagePlaces=places)
    problems = check(CW, data)
    problem = assert_problem(problems, "specific.storagePlaces", "ONE_STORAGE_PLACE")
    assert problem.message.startswith("Un seul lieu de stockage")
    label = code_list("warehouse_types").get(warehouse).label
    assert label[1:] in problem.message
    expected = {("specific.storagePlaces", "ONE_STORAGE_PLACE")}
    if count == 0:
        expected.add(("specific.storagePlaces", "REQUIRED"))
    assert found(problems) == expected


@pytest.mark.parametrize("warehouse", ["PUBLIC_1", "PUBLIC_2", "PRIVATE_APPROVED"])
def test_these_warehouses_pass_with_one_storage_place(warehouse):
    data = answers(CW, specific__warehouseType=warehouse, specific__storagePlaces=[place()])
    assert_valid(check(CW, data))


def test_a_private_warehouse_without_approved_premises_needs_a_storage_place():
    data = answers(CW, specific__warehouseType="PRIVATE_UNAPPROVED", specific__storagePlaces=[])
    problems = check(CW, data)
    assert_problem(problems, "specific.storagePlaces", "STORAGE_PLACE_REQUIRED")
    assert ("specific.storagePlaces", "ONE_STORAGE_PLACE") not in found(problems)


@pytest.mark.parametrize("count", [1, 3])
def test_a_private_warehouse_without_approved_premises_may_list_several_places(count):
    places = [place(name=f"Entrepôt {i}") for i in range(count)]
    data = answers(CW, specific__warehouseType="PRIVATE_UNAPPROVED", specific__storagePlaces=places)
    assert_valid(check(CW, data))


@pytest.mark.parametrize(("key", "word"), [("name", "nom"), ("country", "pays"), ("address", "adresse")])
def test_a_storage_place_needs_its_name_country_and_address(key, word):
    places = [place(name="Premier"), place(name="Second")]
    places[1][key] = None
    data = answers(CW, specific__warehouseType="PRIVATE_UNAPPROVED", specific__storagePlaces=places)
    problem = assert_problem(check(CW, data), f"specific.storagePlaces.1.{key}", "REQUIRED")
    assert word in problem.message
    assert_only(check(CW, data), (f"specific.storagePlaces.1.{key}", "REQUIRED"))


@pytest.mark.parametrize(
    ("flag", "required"),
    [
        ("specific.temporaryRemoval", ["specific.temporaryRemovalDetails"]),
        ("specific.unionGoods", ["specific.unionGoodsMeasures"]),
        ("specific.otherProcedureGoods", ["specific.otherProcedure", "specific.otherProcedureDescription"]),
    ],
)
def test_a_yes_in_the_warehouse_arrangements_needs_its_details(flag, required):
    data = {**answers(CW), flag: True}
    assert_only(check(CW, data), *[(path, "REQUIRED") for path in required])
    # Partially filled: the rest is still required.
    if len(required) == 2:
        assert_only(check(CW, {**data, required[0]: "Transit"}), (required[1], "REQUIRED"))
    assert_valid(check(CW, {**data, **{path: "Précisions" for path in required}}))
    # "Non": nothing more is asked.
    assert_valid(check(CW, {**answers(CW), flag: False}))


# --- inward processing -------------------------------------------------------------------------------------------


def test_prior_export_needs_equivalent_goods():
    data = answers(IPO, specific__priorExport=True, specific__importPeriodMonths=6)
    problem = assert_problem(check(IPO, data), "specific.priorExport", "PRIOR_EXPORT_NEEDS_EQUIVALENT_GOODS")
    assert "équivalentes" in problem.message
    assert_only(check(IPO, data), ("specific.priorExport", "PRIOR_EXPORT_NEEDS_EQUIVALENT_GOODS"))
    assert_valid(check(IPO, {**data, "specific.equivalentGoods": True}))


def test_prior_export_needs_the_import_period():
    data = answers(IPO, specific__priorExport=True, specific__equivalentGoods=True)
    problem = assert_problem(check(IPO, data), "specific.importPeriodMonths", "REQUIRED")
    assert "mois" in problem.message
    assert_only(check(IPO, data), ("specific.importPeriodMonths", "REQUIRED"))
    assert_valid(check(IPO, {**data, "specific.importPeriodMonths": 3}))


def test_equivalent_goods_alone_need_no_import_period():
    assert_valid(check(IPO, answers(IPO, specific__equivalentGoods=True)))


def test_release_without_declaration_needs_details():
    data = answers(IPO, specific__releaseWithoutDeclaration=True)
    assert_only(check(IPO, data), ("specific.releaseDetails", "REQUIRED"))
    assert_valid(check(IPO, {**data, "specific.releaseDetails": "Décompte mensuel."}))


def test_duty_calculation_needs_the_choice_of_article():
    data = answers(IPO, specific__dutyCalculation=True)
    problem = assert_problem(check(IPO, data), "specific.dutyArticle", "REQUIRED")
    assert "article 85" in problem.message and "article 86" in problem.message
    assert_only(check(IPO, data), ("specific.dutyArticle", "REQUIRED"))
    for article in ("ART_85_1", "ART_86_3"):
        assert_valid(check(IPO, {**data, "specific.dutyArticle": article}))


@pytest.mark.parametrize("procedure", [IPO, OPO])
def test_processing_needs_the_yield_rate(procedure):
    data = answers(procedure, goods__yieldRate=None)
    problem = assert_problem(check(procedure, data), "goods.yieldRate", "REQUIRED")
    assert "rendement" in problem.message
    assert_only(check(procedure, data), ("goods.yieldRate", "REQUIRED"))
    assert_valid(check(procedure))


@pytest.mark.parametrize("procedure", [TEA, EUS, CW])
def test_other_procedures_need_no_yield_rate(procedure):
    assert "goods.yieldRate" not in answers(procedure)
    assert_valid(check(procedure))


# --- outward processing ------------------------------------------------------------------------------------------


def _exchange(**overrides) -> dict[str, Any]:
    return answers(
        OPO, **{"specific__standardExchange": True, "specific__reexportDeadline": TOMORROW, **overrides}
    )


def _with_replacement() -> list:
    return [*goods(OPO), line("REPLACEMENT", id=3, description="Moteur de remplacement", value=None)]


def test_standard_exchange_with_a_future_deadline_and_a_replacement_passes():
    assert_valid(check(OPO, _exchange(), _with_replacement()))


@pytest.mark.parametrize("deadline", [TODAY.isoformat(), YESTERDAY, "2020-01-01"])
def test_standard_exchange_needs_a_deadline_in_the_future(deadline):
    problems = check(OPO, _exchange(specific__reexportDeadline=deadline), _with_replacement())
    problem = assert_problem(problems, "specific.reexportDeadline", "DATE_NOT_FUTURE")
    assert "à venir" in problem.message
    assert_only(problems, ("specific.reexportDeadline", "DATE_NOT_FUTURE"))


def test_the_deadline_is_judged_against_the_day_of_the_check():
    data = _exchange(specific__reexportDeadline=TOMORROW)
    assert_valid(check(OPO, data, _with_replacement(), today=TODAY))
    later = TODAY + dt.timedelta(days=1)
    assert_only(
        check(OPO, data, _with_replacement(), today=later), ("specific.reexportDeadline", "DATE_NOT_FUTURE")
    )


def test_standard_exchange_needs_a_deadline():
    problems = check(OPO, _exchange(specific__reexportDeadline=None), _with_replacement())
    assert_only(problems, ("specific.reexportDeadline", "REQUIRED"))


def test_standard_exchange_needs_a_replacement_product():
    problems = check(OPO, _exchange())
    problem = assert_problem(problems, "goods.replacement", "REPLACEMENT_REQUIRED")
    assert "8 chiffres" in problem.message
    assert_only(problems, ("goods.replacement", "REPLACEMENT_REQUIRED"))


def test_the_replacement_product_needs_its_cn_code_and_description():
    lines = [*goods(OPO), line("REPLACEMENT", id=3, cn_code=None, description=None, value=None)]
    assert_only(
        check(OPO, _exchange(), lines),
        ("goods.line.3.cnCode", "REQUIRED"),
        ("goods.line.3.description", "REQUIRED"),
    )


def test_without_standard_exchange_no_deadline_nor_replacement_is_needed():
    assert_valid(check(OPO))


def test_standard_exchange_prior_import_needs_standard_exchange():
    data = answers(OPO, specific__standardExchangePriorImport=True)
    problem = assert_problem(check(OPO, data), "specific.standardExchangePriorImport", "NEEDS_STANDARD_EXCHANGE")
    assert "échanges standard" in problem.message
    assert_only(check(OPO, data), ("specific.standardExchangePriorImport", "NEEDS_STANDARD_EXCHANGE"))
    assert_valid(check(OPO, _exchange(specific__standardExchangePriorImport=True), _with_replacement()))


def test_prior_import_needs_equivalent_goods():
    data = answers(OPO, specific__priorImport=True, specific__reexportDeadline=TOMORROW)
    problem = assert_problem(check(OPO, data), "specific.priorImport", "PRIOR_IMPORT_NEEDS_EQUIVALENT_GOODS")
    assert "équivalentes" in problem.message
    assert_only(check(OPO, data), ("specific.priorImport", "PRIOR_IMPORT_NEEDS_EQUIVALENT_GOODS"))
    assert_valid(check(OPO, {**data, "specific.equivalentGoods": True}))


def test_prior_import_needs_a_reexport_deadline():
    data = answers(OPO, specific__priorImport=True, specific__equivalentGoods=True)
    assert_only(check(OPO, data), ("specific.reexportDeadline", "REQUIRED"))
    assert_only(
        check(OPO, {**data, "specific.reexportDeadline": TODAY.isoformat()}),
        ("specific.reexportDeadline", "DATE_NOT_FUTURE"),
    )
    assert_valid(check(OPO, {**data, "specific.reexportDeadline": TOMORROW}))


# --- parsing submitted values ------------------------------------------------------------------------------------


def spec(procedure: Procedure, path: str):
    return field_specs(procedure)[path]


@pytest.mark.parametrize(
    ("procedure", "path", "value"),
    [
        (TEA, "misc.dischargePeriodMonths", "abc"),
        (TEA, "misc.dischargePeriodMonths", "12.5"),
        (TEA, "misc.dischargePeriodMonths", True),
        (TEA, "misc.dischargePeriodMonths", -1),
        (TEA, "validation.date", "31/12/2026"),
        (TEA, "validation.date", "2026-02-30"),
        (TEA, "applicant.applicationType", "PREMIERE"),
        (TEA, "applicant.country", "XX"),
        (IPO, "specific.economicConditions", "02"),
        (IPO, "specific.economicConditions", ["02", "999"]),
        (IPO, "specific.priorExport", "peut-être"),
        (IPO, "specific.dutyArticle", "ART_99"),
        (CW, "specific.lossRate", "beaucoup"),
        (CW, "specific.lossRate", "NaN"),
        (CW, "specific.storagePlaces", "Entrepôt du port"),
        (CW, "specific.storagePlaces", ["Entrepôt du port"]),
        (TEA, "applicant.contactEmail", "sophie.moreau"),
        (TEA, "applicant.name", 42),
        (TEA, "applicant.customsOffice", "FR0006900"),
    ],
)
def test_malformed_values_are_refused(procedure, path, value):
    with pytest.raises(MalformedValue) as refused:
        parse_value(spec(procedure, path), value)
    assert refused.value.path == path
    assert refused.value.message


def test_a_storage_place_with_an_unknown_key_is_refused():
    with pytest.raises(MalformedValue) as refused:
        parse_value(spec(CW, "specific.storagePlaces"), [place(), place(surface="2000 m2")])
    assert refused.value.path == "specific.storagePlaces.1"
    assert "surface" in refused.value.message


def test_a_storage_place_with_a_bad_email_is_refused():
    with pytest.raises(MalformedValue) as refused:
        parse_value(spec(CW, "specific.storagePlaces"), [place(email="pas-une-adresse")])
    assert refused.value.path == "specific.storagePlaces.0.email"


def test_a_storage_place_with_an_unknown_country_is_refused():
    with pytest.raises(MalformedValue) as refused:
        parse_value(spec(CW, "specific.storagePlaces"), [place(country="ZZ")])
    assert refused.value.path == "specific.storagePlaces.0.country"


def test_a_storage_place_is_kept_incomplete():
    parsed = parse_value(spec(CW, "specific.storagePlaces"), [{"name": " Quai 4 ", "email": "quai@port.fr"}])
    assert parsed == [
        {"name": "Quai 4", "country": None, "address": None, "phone": None, "fax": None, "email": "quai@port.fr"}
    ]


@pytest.mark.parametrize(
    ("procedure", "path"),
    [
        (TEA, "applicant.name"),
        (TEA, "misc.dischargePeriodMonths"),
        (TEA, "validation.date"),
        (TEA, "applicant.applicationType"),
        (IPO, "specific.priorExport"),
        (IPO, "specific.economicConditions"),
        (CW, "specific.lossRate"),
        (CW, "specific.storagePlaces"),
    ],
)
@pytest.mark.parametrize("empty", ["", "   ", None, []])
def test_an_empty_value_is_none_and_kept_incomplete(procedure, path, empty):
    assert parse_value(spec(procedure, path), empty) is None


@pytest.mark.parametrize(
    ("procedure", "path", "value", "stored"),
    [
        (TEA, "misc.dischargePeriodMonths", " 12 ", 12),
        (TEA, "misc.dischargePeriodMonths", 0, 0),
        (TEA, "validation.date", "2026-12-31", "2026-12-31"),
        (TEA, "applicant.name", "  Ateliers Durand  ", "Ateliers Durand"),
        (IPO, "specific.priorExport", "oui", True),
        (IPO, "specific.priorExport", "non", False),
        (IPO, "specific.priorExport", False, False),
        (IPO, "specific.economicConditions", ["02", "02", "22"], ["02", "22"]),
        (CW, "specific.lossRate", "2,5", "2.5"),
        (CW, "specific.lossRate", 3, "3"),
        (TEA, "applicant.contactEmail", "a.b@exemple.fr", "a.b@exemple.fr"),
    ],
)
def test_well_formed_values_are_stored_normalised(procedure, path, value, stored):
    assert parse_value(spec(procedure, path), value) == stored


def test_a_text_longer_than_its_maximum_is_refused():
    with pytest.raises(MalformedValue) as refused:
        parse_value(spec(TEA, "applicant.customsOffice"), "FR000690FR000690")
    assert "8 caractères" in refused.value.message


def test_a_long_textarea_is_refused_with_its_real_limit():
    """A textarea accepts 4000 characters: the refusal must say so (not the 500 of the spec's default)."""
    area = spec(TEA, "misc.additionalInformation")
    assert parse_value(area, "x" * 4000) == "x" * 4000
    with pytest.raises(MalformedValue) as refused:
        parse_value(area, "x" * 4001)
    assert "4000 caractères" in refused.value.message, refused.value.message
