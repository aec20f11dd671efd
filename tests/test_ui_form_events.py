"""The form keeps every change when several arrive before the server draws it again.

ReactPy runs each element's events in its own task and looks their handler up when it runs: changes to two inputs
sent in one go (a person typing fast, a browser or a password manager filling several inputs) are handled by the
handlers of the same render. Each must start from the form's current answer, not from the answer that render drew.
The layout here is ReactPy's own, driven as its client would: events are delivered, the next render is awaited after.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

from reactpy.core.layout import Layout

from ui.components.dossier_fields import AnswerStore, answer_field
from ui.dossier_form import empty_place

# A storage place's parts as the API's form model gives them (FormField.parts).
PLACE_PARTS = [
    {"path": path, "label": label, "kind": kind, "mandatory": mandatory, "codeList": codes, "maxLength": 255}
    for path, label, kind, mandatory, codes in (
        ("name", "Nom", "TEXT", True, None),
        ("country", "Pays", "CODE", True, "countries"),
        ("address", "Adresse", "TEXT", True, None),
        ("phone", "Téléphone", "TEXT", False, None),
        ("fax", "Fax", "TEXT", False, None),
        ("email", "Courriel", "EMAIL", False, None),
    )
]
PARTS = [part["path"] for part in PLACE_PARTS]
PLACES = {
    "path": "specific.storagePlaces",
    "kind": "STORAGE_PLACES",
    "parts": PLACE_PARTS,
    "label": "Installations de stockage",
    "help": "Les lieux où les marchandises sont stockées.",
    "mandatory": True,
}
CONDITIONS = {
    "path": "specific.economicConditions",
    "kind": "CODES",
    "label": "Conditions économiques",
    "help": "Un ou plusieurs codes.",
    "mandatory": True,
}
COUNTRIES = {"entries": [{"code": "FR", "label": "France"}, {"code": "BE", "label": "Belgique"}]}
ECONOMIC_CONDITIONS = {
    "entries": [{"code": "01", "label": "Transformation"}, {"code": "02", "label": "Réparation"}]
}


def elements(model: Any) -> Iterator[dict[str, Any]]:
    if isinstance(model, dict):
        yield model
        for child in model.get("children", []):
            yield from elements(child)


def handler(model: dict[str, Any], element_id: str, event: str) -> str:
    element = next(e for e in elements(model) if e.get("attributes", {}).get("id") == element_id)
    return element["eventHandlers"][event]["target"]


def button(model: dict[str, Any], text: str) -> str:
    element = next(e for e in elements(model) if e.get("tagName") == "button" and text in e.get("children", []))
    return element["eventHandlers"]["onClick"]["target"]


async def settle(layout: Layout, store: AnswerStore, path: str, expected: Any) -> None:
    """Wait until the events' tasks have run (their handlers were looked up before this render)."""
    for _ in range(200):
        if store.get(path) == expected:
            return
        await asyncio.sleep(0.01)


async def test_two_storage_place_inputs_changed_in_one_go_are_both_kept():
    store = AnswerStore({PLACES["path"]: [empty_place(0, PARTS)]}, lambda: None)
    async with Layout(answer_field(PLACES, store, None, None, {}, COUNTRIES)) as layout:
        model = (await layout.render())["model"]
        name = handler(model, "champ-specific-storagePlaces-0-name", "onChange")
        country = handler(model, "champ-specific-storagePlaces-0-country", "onChange")
        await layout.deliver({"target": name, "data": [{"target": {"value": "Entrepôt de Corbas"}}]})
        await layout.deliver(
            {"target": country, "data": [{"target": [{"value": "FR", "selected": True}, {"value": "BE"}]}]}
        )
        expected = [{**empty_place(0, PARTS), "name": "Entrepôt de Corbas", "country": "FR"}]
        await settle(layout, store, PLACES["path"], expected)
        assert store.get(PLACES["path"]) == expected


async def test_a_place_added_and_a_place_filled_in_one_go_are_both_kept():
    store = AnswerStore({PLACES["path"]: [empty_place(0, PARTS)]}, lambda: None)
    async with Layout(answer_field(PLACES, store, None, None, {}, COUNTRIES)) as layout:
        model = (await layout.render())["model"]
        add = button(model, "Ajouter une installation de stockage")
        name = handler(model, "champ-specific-storagePlaces-0-name", "onChange")
        await layout.deliver({"target": add, "data": [{}]})
        await layout.deliver({"target": name, "data": [{"target": {"value": "Entrepôt de Corbas"}}]})
        expected = [{**empty_place(0, PARTS), "name": "Entrepôt de Corbas"}, empty_place(1, PARTS)]
        await settle(layout, store, PLACES["path"], expected)
        assert store.get(PLACES["path"]) == expected


async def test_removing_a_place_while_another_is_filled_removes_the_one_named():
    store = AnswerStore({PLACES["path"]: [empty_place(0, PARTS), empty_place(1, PARTS)]}, lambda: None)
    async with Layout(answer_field(PLACES, store, None, None, {}, COUNTRIES)) as layout:
        model = (await layout.render())["model"]
        remove_first = button(model, "Retirer l'installation n° 1")
        second_name = handler(model, "champ-specific-storagePlaces-1-name", "onChange")
        await layout.deliver({"target": remove_first, "data": [{}]})
        await layout.deliver({"target": second_name, "data": [{"target": {"value": "Quai de Saône"}}]})
        expected = [{**empty_place(1, PARTS), "name": "Quai de Saône"}]
        await settle(layout, store, PLACES["path"], expected)
        assert store.get(PLACES["path"]) == expected


async def test_two_checkboxes_ticked_in_one_go_are_both_kept():
    store = AnswerStore({CONDITIONS["path"]: []}, lambda: None)
    async with Layout(answer_field(CONDITIONS, store, None, ECONOMIC_CONDITIONS)) as layout:
        model = (await layout.render())["model"]
        boxes = [
            e
            for e in elements(model)
            if e.get("tagName") == "input" and e.get("attributes", {}).get("type") == "checkbox"
        ]
        targets = [box["eventHandlers"]["onChange"]["target"] for box in boxes]
        for target in targets:
            await layout.deliver({"target": target, "data": [{"target": {"checked": True}}]})
        await settle(layout, store, CONDITIONS["path"], ["01", "02"])
        assert store.get(CONDITIONS["path"]) == ["01", "02"]


def _text(node: Any) -> str:
    if isinstance(node, str):
        return node
    return "".join(_text(child) for child in node.get("children", [])) if isinstance(node, dict) else ""


async def test_a_storage_place_is_drawn_with_the_labels_and_mandatory_parts_the_api_gives():
    store = AnswerStore({PLACES["path"]: [empty_place(0, PARTS)]}, lambda: None)
    async with Layout(answer_field(PLACES, store, None, None, {}, COUNTRIES)) as layout:
        model = (await layout.render())["model"]
    labels = {
        e["attributes"]["htmlFor"]: _text(e)
        for e in elements(model)
        if e.get("tagName") == "label" and "storagePlaces-0" in e["attributes"].get("htmlFor", "")
    }
    assert list(labels.values()) == [
        "Nom * (obligatoire)",
        "Pays * (obligatoire)",
        "Adresse * (obligatoire)",
        "Téléphone",
        "Fax",
        "Courriel",
    ]
    inputs = {
        e["attributes"]["id"]: e
        for e in elements(model)
        if e.get("tagName") in ("input", "select") and "storagePlaces-0" in e["attributes"].get("id", "")
    }
    required = {i.rsplit("-", 1)[1] for i, e in inputs.items() if e["attributes"].get("aria-required") == "true"}
    assert required == {"name", "country", "address"}
    assert inputs["champ-specific-storagePlaces-0-country"]["tagName"] == "select"
    assert inputs["champ-specific-storagePlaces-0-email"]["attributes"]["type"] == "email"
    assert inputs["champ-specific-storagePlaces-0-phone"]["attributes"]["type"] == "tel"
