"""The browser side of the dossier form, without a browser: Relay ids and addresses, answers ↔ inputs, the changed
paths « Sauvegarder » sends, and where each kind of problem path is shown (tab and element)."""

from __future__ import annotations

from ui.dossier_form import (
    changes,
    dossier_id_from_path,
    field_id,
    file_size,
    global_id,
    initial_inputs,
    node_number,
    problem_target,
    to_answer,
    to_input,
)

RUBRIQUES = [
    {
        "code": "applicant",
        "hasGoods": False,
        "fields": [
            {"path": "applicant.name", "kind": "TEXT"},
            {"path": "applicant.contactEmail", "kind": "EMAIL"},
        ],
    },
    {"code": "goods", "hasGoods": True, "fields": [{"path": "goods.identification", "kind": "TEXTAREA"}]},
    {
        "code": "specific",
        "hasGoods": False,
        "fields": [
            {"path": "specific.priorExport", "kind": "BOOLEAN"},
            {"path": "specific.importPeriodMonths", "kind": "INTEGER"},
            {"path": "specific.economicConditions", "kind": "CODES", "codeList": "economic_conditions"},
            {"path": "specific.storagePlaces", "kind": "STORAGE_PLACES"},
        ],
    },
]
FIELDS = [field for rubrique in RUBRIQUES for field in rubrique["fields"]]


def test_dossier_addresses_accept_the_global_id_and_the_numeric_id_of_the_upload_redirect():
    assert global_id("Dossier", 12) == "RG9zc2llcjoxMg=="
    assert node_number("RG9zc2llcjoxMg==", "Dossier") == "12"
    assert node_number("RG9zc2llcjoxMg==", "GoodsLine") is None
    assert node_number("pas du base64!", "Dossier") is None
    assert dossier_id_from_path("12") == "RG9zc2llcjoxMg=="
    assert dossier_id_from_path("RG9zc2llcjoxMg%3D%3D") == "RG9zc2llcjoxMg=="


def test_answers_become_inputs_and_back():
    assert to_input("BOOLEAN", True) == "oui" and to_input("BOOLEAN", None) == ""
    assert to_answer("BOOLEAN", "non") is False and to_answer("BOOLEAN", "") is None
    assert to_input("INTEGER", 6) == "6" and to_answer("INTEGER", " ") is None
    assert to_answer("CODES", []) is None
    # A storage place's parts are the field's (FormField.parts), not a list of the UI's own.
    parts = ("name", "country", "address", "phone", "fax", "email")
    places = to_input("STORAGE_PLACES", [{"name": "Corbas", "country": "FR", "address": None}], parts)
    assert places[0]["name"] == "Corbas" and places[0]["address"] == "" and "_key" in places[0]
    assert to_answer("STORAGE_PLACES", places, parts) == [
        {"name": "Corbas", "country": "FR", "address": "", "phone": "", "fax": "", "email": ""}
    ]


def test_only_changed_answers_are_sent_and_a_cleared_one_is_sent_as_null():
    saved = {
        "applicant.name": "Ateliers Durand SA",
        "specific.priorExport": False,
        "specific.importPeriodMonths": 6,
    }
    baseline = initial_inputs(FIELDS, saved)
    current = dict(baseline)
    assert changes(FIELDS, current, baseline) == {}
    current["applicant.name"] = "Ateliers Durand SA "  # only spaces: not a change
    current["specific.priorExport"] = "oui"
    current["specific.importPeriodMonths"] = ""
    current["specific.economicConditions"] = ["02"]
    assert changes(FIELDS, current, baseline) == {
        "specific.priorExport": True,
        "specific.importPeriodMonths": None,
        "specific.economicConditions": ["02"],
    }


def test_each_problem_path_is_shown_in_its_tab_on_a_focusable_element():
    lists = {"economic_conditions": {"entries": [{"code": "01", "label": "…"}]}}
    target = problem_target("specific.priorExport", RUBRIQUES, lists)
    assert (target.tab, target.element_id) == ("specific", "champ-specific-priorExport-oui")
    assert problem_target("specific.economicConditions", RUBRIQUES, lists).element_id == (
        "champ-specific-economicConditions-01"
    )
    assert problem_target("applicant.contactEmail", RUBRIQUES).element_id == field_id("applicant.contactEmail")
    assert problem_target("specific.storagePlaces.1.email", RUBRIQUES).element_id == (
        "champ-specific-storagePlaces-1-email"
    )
    assert problem_target("goods.line.42.cnCode", RUBRIQUES) is not None
    assert problem_target("goods.line.42.cnCode", RUBRIQUES).element_id == "ligne-42"
    assert problem_target("goods.processed", RUBRIQUES).element_id == "marchandises-PROCESSED"
    assert problem_target("unknown.path", RUBRIQUES) is None


def test_file_sizes_read_in_french_units():
    assert file_size(300) == "1 Ko"
    assert file_size(512 * 1024) == "512 Ko"
    assert file_size(1536 * 1024) == "1,5 Mo"
    assert file_size(20 * 1024 * 1024) == "20 Mo"
