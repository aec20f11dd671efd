"""The form model is the one place that says which values of a goods line and which parts of a storage place are
mandatory: « Contrôler » asks exactly those, with the messages the fields carry."""

from __future__ import annotations

import pytest

from backend.dossiers import form, rules
from backend.dossiers.catalogue import Procedure
from tests.dossiers import factories
from tests.dossiers.factories import TODAY

EMPTY_LINE = {"cn_code": None, "description": None, "quantity": None, "unit": None, "value": None}


@pytest.mark.parametrize(
    ("procedure", "kind"),
    [(p, k) for p in Procedure for k in form.goods_kinds_for(p)],
    ids=lambda v: getattr(v, "value", v),
)
def test_an_empty_goods_line_is_asked_exactly_its_mandatory_values(procedure, kind):
    data, lines = factories.valid(procedure)
    empty = factories.line(kind, id=99, **{k: None for k in EMPTY_LINE})
    problems = rules.check(procedure, data, [*lines, empty], today=TODAY)
    asked = {p.path.rsplit(".", 1)[1]: p.message for p in problems if p.path.startswith("goods.line.99.")}
    fields = form.goods_fields(procedure, kind)
    assert asked == {f.path: f.required_message for f in fields if f.mandatory}
    assert ("value" in asked) is (kind == "GOODS")


def test_the_cn_code_admits_four_digits_where_its_hint_says_so():
    for procedure in Procedure:
        for kind in form.goods_kinds_for(procedure):
            cn = form.goods_fields(procedure, kind)[0]
            data, lines = factories.valid(procedure)
            line = factories.line(kind, id=99, cn_code="8482", value="1")
            problems = rules.check(procedure, data, [*lines, line], today=TODAY)
            refused = any(p.path == "goods.line.99.cnCode" for p in problems)
            assert refused is ("4 chiffres" not in cn.hint), (procedure, kind)


def test_an_empty_storage_place_is_asked_exactly_its_mandatory_parts():
    procedure = Procedure.CUSTOMS_WAREHOUSING
    data, lines = factories.valid(procedure)
    data["specific.storagePlaces"] = [{key: None for key in form.STORAGE_PLACE_KEYS}]
    problems = rules.check(procedure, data, lines, today=TODAY)
    asked = {p.path: p.message for p in problems if p.path.startswith("specific.storagePlaces.0.")}
    assert asked == {
        "specific.storagePlaces.0.name": "Indiquez le nom de l'installation de stockage.",
        "specific.storagePlaces.0.country": "Indiquez le pays de l'installation de stockage.",
        "specific.storagePlaces.0.address": "Indiquez l'adresse de l'installation de stockage.",
    }
    assert [p.path for p in form.STORAGE_PLACE_PARTS if p.mandatory] == ["name", "country", "address"]
