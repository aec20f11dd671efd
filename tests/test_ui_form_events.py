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

PLACES = {
    "path": "specific.storagePlaces",
    "kind": "STORAGE_PLACES",
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
    store = AnswerStore({PLACES["path"]: [empty_place(0)]}, lambda: None)
    async with Layout(answer_field(PLACES, store, None, None, {}, COUNTRIES)) as layout:
        model = (await layout.render())["model"]
        name = handler(model, "champ-specific-storagePlaces-0-name", "onChange")
        country = handler(model, "champ-specific-storagePlaces-0-country", "onChange")
        await layout.deliver({"target": name, "data": [{"target": {"value": "Entrepôt de Corbas"}}]})
        await layout.deliver(
            {"target": country, "data": [{"target": [{"value": "FR", "selected": True}, {"value": "BE"}]}]}
        )
        expected = [{**empty_place(0), "name": "Entrepôt de Corbas", "country": "FR"}]
        await settle(layout, store, PLACES["path"], expected)
        assert store.get(PLACES["path"]) == expected


async def test_a_place_added_and_a_place_filled_in_one_go_are_both_kept():
    store = AnswerStore({PLACES["path"]: [empty_place(0)]}, lambda: None)
    async with Layout(answer_field(PLACES, store, None, None, {}, COUNTRIES)) as layout:
        model = (await layout.render())["model"]
        add = button(model, "Ajouter une installation de stockage")
        name = handler(model, "champ-specific-storagePlaces-0-name", "onChange")
        await layout.deliver({"target": add, "data": [{}]})
        await layout.deliver({"target": name, "data": [{"target": {"value": "Entrepôt de Corbas"}}]})
        expected = [{**empty_place(0), "name": "Entrepôt de Corbas"}, empty_place(1)]
        await settle(layout, store, PLACES["path"], expected)
        assert store.get(PLACES["path"]) == expected


async def test_removing_a_place_while_another_is_filled_removes_the_one_named():
    store = AnswerStore({PLACES["path"]: [empty_place(0), empty_place(1)]}, lambda: None)
    async with Layout(answer_field(PLACES, store, None, None, {}, COUNTRIES)) as layout:
        model = (await layout.render())["model"]
        remove_first = button(model, "Retirer l'installation n° 1")
        second_name = handler(model, "champ-specific-storagePlaces-1-name", "onChange")
        await layout.deliver({"target": remove_first, "data": [{}]})
        await layout.deliver({"target": second_name, "data": [{"target": {"value": "Quai de Saône"}}]})
        expected = [{**empty_place(1), "name": "Quai de Saône"}]
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
