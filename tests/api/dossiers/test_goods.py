"""Goods lines: added, edited and removed; malformed values and kinds the procedure lacks refused."""

from __future__ import annotations

import pytest

from tests.api.dossiers.support import ADD_LINE, REMOVE_LINE, UPDATE_LINE, add_line, create, get
from tests.processing_support import code_of, ok, refused

# --- goods lines -----------------------------------------------------------------------------------------------------


def test_goods_lines_are_added_edited_and_removed(sophie):
    dossier = create(sophie, "OPO")
    goods = add_line(
        sophie,
        dossier["id"],
        "GOODS",
        {
            "cnCode": "8482 10 10",
            "description": " Roulements à billes ",
            "quantity": "10,5",
            "unit": "kgm",
            "value": "1234.5",
        },
    )
    assert goods == {
        "id": goods["id"],
        "kind": "GOODS",
        "kindLabel": "Marchandise à placer",
        "cnCode": "84821010",
        "description": "Roulements à billes",
        "quantity": "10.5",
        "unit": "KGM",
        "unitLabel": "kilogramme",
        "value": "1234.50",
    }
    processed = add_line(
        sophie, dossier["id"], "PROCESSED", {"cnCode": "8482", "description": "Roulements révisés"}
    )
    assert processed["quantity"] is None and processed["value"] is None
    replacement = add_line(sophie, dossier["id"], "REPLACEMENT", {"cnCode": "84821090"})
    assert replacement["kindLabel"] == "Produit de remplacement"
    # A partial edit changes only what it names; an empty value clears (incomplete, kept).
    edited = ok(sophie, UPDATE_LINE, {"id": goods["id"], "input": {"value": "99", "description": ""}})[
        "updateGoodsLine"
    ]
    assert edited["value"] == "99.00" and edited["description"] is None
    assert edited["cnCode"] == "84821010" and edited["quantity"] == "10.5" and edited["unit"] == "KGM"
    listed = get(sophie, dossier["id"])["goods"]
    assert {line["id"] for line in listed} == {goods["id"], processed["id"], replacement["id"]}
    assert [line["kind"] for line in listed] == ["GOODS", "PROCESSED", "REPLACEMENT"]
    after = ok(sophie, REMOVE_LINE, {"id": processed["id"]})["removeGoodsLine"]
    assert {line["id"] for line in after["goods"]} == {goods["id"], replacement["id"]}
    assert code_of(refused(sophie, REMOVE_LINE, {"id": processed["id"]})) == "NOT_FOUND"
    assert code_of(refused(sophie, UPDATE_LINE, {"id": processed["id"], "input": {"value": "1"}})) == "NOT_FOUND"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"value": "12.345"}, "value"),
        ({"value": "-1"}, "value"),
        ({"value": "beaucoup"}, "value"),
        ({"value": "1e20"}, "value"),
        ({"cnCode": "12AB"}, "cnCode"),
        ({"cnCode": "848210"}, "cnCode"),
        ({"cnCode": "８４８２１０１０"}, "cnCode"),
        ({"unit": "KILO"}, "unit"),
        ({"quantity": "0"}, "quantity"),
        ({"quantity": "1.2345"}, "quantity"),
        ({"description": "x" * 1001}, "description"),
    ],
)
def test_malformed_goods_values_are_refused(sophie, values, field):
    dossier = create(sophie, "TEA")
    error = refused(sophie, ADD_LINE, {"dossierId": dossier["id"], "kind": "GOODS", "input": values})
    assert code_of(error) == "INVALID_VALUE" and error["extensions"]["field"] == field
    assert get(sophie, dossier["id"])["goods"] == []
    line = add_line(sophie, dossier["id"], "GOODS", {"cnCode": "84821010", "value": "10"})
    error = refused(sophie, UPDATE_LINE, {"id": line["id"], "input": values})
    assert code_of(error) == "INVALID_VALUE" and error["extensions"]["field"] == field
    (kept,) = get(sophie, dossier["id"])["goods"]
    assert kept["cnCode"] == "84821010" and kept["value"] == "10.00"


@pytest.mark.parametrize(
    ("procedure", "kind"), [("TEA", "PROCESSED"), ("EUS", "REPLACEMENT"), ("IPO", "REPLACEMENT"), ("CW", "FOO")]
)
def test_a_kind_of_line_the_procedure_does_not_have_is_refused(sophie, procedure, kind):
    dossier = create(sophie, procedure)
    error = refused(sophie, ADD_LINE, {"dossierId": dossier["id"], "kind": kind, "input": {"cnCode": "84821010"}})
    assert code_of(error) == "INVALID_VALUE" and error["extensions"]["field"] == "kind"
    assert get(sophie, dossier["id"])["goods"] == []
