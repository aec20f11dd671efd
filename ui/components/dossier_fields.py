"""The fields of the application form, drawn from the API's form model (`procedures { rubriques { fields } }`) by
kind: text, textarea, email, integer, decimal, date, boolean (oui/non), code (select), codes (checkboxes), storage
places (a small repeatable sub-form). Each has its label bound to its input, a red asterisk when mandatory
("obligatoire" for screen readers), a help bubble ("?" button), "pré-rempli, modifiable" when prefilled, the
condition as a hint, and its error next to it (linked by aria-describedby).

Each field keeps what is typed in its own state and writes it at once to the editor's `AnswerStore`: typing
re-renders one field, not the whole form, and the editor's buttons read the store when clicked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from reactpy import component, html, use_state

from ui import formatting
from ui.components.forms import event_value, typed_text
from ui.dossier_form import (
    NO,
    YES,
    choice_id,
    empty_place,
    field_id,
    part_names,
    place_field_id,
)

# The keyboard a storage place's telephone numbers want (the parts themselves, their labels and which are mandatory
# are the API's FormField.parts).
TEL_PARTS = {"phone", "fax"}
KIND_HINTS = {
    "INTEGER": "Nombre entier.",
    "DECIMAL": "Nombre, avec une virgule pour les décimales.",
    "EMAIL": "Format attendu : nom@domaine.fr",
}


class AnswerStore:
    """The form's current input by path; fields write here as the user types, the editor reads it when a button is
    clicked (never a value captured by an older render)."""

    def __init__(self, values: Mapping[str, Any], on_change: Callable[[], None]) -> None:
        self.values: dict[str, Any] = dict(values)
        self._on_change = on_change

    def get(self, path: str) -> Any:
        return self.values.get(path)

    def set(self, path: str, value: Any) -> None:
        self.values[path] = value
        self._on_change()


def required_mark():
    return html.span(
        {"className": "portal-required"},
        html.span({"aria-hidden": "true"}, " *"),
        html.span({"className": "fr-sr-only"}, " (obligatoire)"),
    )


def _hints(field: Mapping[str, Any]) -> list[Any]:
    hints: list[Any] = []
    if field.get("prefilled"):
        hints.append(
            html.span(
                {
                    "className": "fr-badge fr-badge--sm fr-badge--info fr-badge--no-icon portal-prefilled",
                    "key": "p",
                },
                "pré-rempli, modifiable",
            )
        )
    condition = (field.get("condition") or "").rstrip(".")
    text = " ".join(t for t in (f"{condition}." if condition else "", KIND_HINTS.get(field["kind"])) if t)
    if text:
        hints.append(html.span({"className": "fr-hint-text", "key": "h"}, text))
    return hints


def _label_content(field: Mapping[str, Any]) -> list[Any]:
    return [field["label"], required_mark() if field.get("mandatory") else "", *_hints(field)]


def help_button(id: str, label: str, open: bool, toggle: Callable[[Any], None]):
    return html.button(
        {
            "type": "button",
            "className": "fr-btn fr-btn--tertiary-no-outline fr-btn--sm fr-icon-question-line portal-help-button",
            "aria-expanded": "true" if open else "false",
            "aria-controls": f"{id}-aide",
            "title": f"Aide : {label}",
            # Not a tab stop: the help is read with the field (aria-describedby) and shown when the keyboard reaches
            # it; the button is for the mouse and touch.
            "tabIndex": -1,
            "onClick": toggle,
        },
        f"Aide : {label}",
    )


def help_text(id: str, text: str, open: bool):
    return html.p({"className": "portal-help fr-text--sm", "id": f"{id}-aide", "hidden": not open}, text)


def messages(id: str, error: str | None):
    return html.div(
        {"className": "fr-messages-group", "id": f"{id}-messages", "aria-live": "polite"},
        html.p({"className": "fr-message fr-message--error", "id": f"{id}-message-error"}, error) if error else "",
    )


def _describedby(id: str) -> str:
    """The field's messages and its help, open or not (a description may point at hidden text)."""
    return f"{id}-messages {id}-aide"


def _entries(code_list: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    return list((code_list or {}).get("entries") or [])


@component
def answer_field(
    field: Mapping[str, Any],
    store: AnswerStore,
    error: str | None,
    code_list: Mapping[str, Any] | None,
    errors: Mapping[str, str] | None = None,
    countries: Mapping[str, Any] | None = None,
):
    """One field of the form, editable. `errors` (every problem by path) only matters to storage places."""
    path, kind = field["path"], field["kind"]
    value, set_value = use_state(lambda: store.get(path))
    help_open, set_help_open = use_state(False)
    id = field_id(path)

    def change(new: Any) -> None:
        """`new` is the value, or a function of the current one: events that arrive before the next render (a
        browser filling several inputs at once) must not start from a value an older render captured."""
        if callable(new):
            new = new(store.get(path))
        store.set(path, new)
        set_value(new)

    def toggle_help(event) -> None:
        set_help_open(lambda open: not open)

    bubble = help_button(id, field["label"], help_open, toggle_help)
    help = help_text(id, field["help"], help_open)

    if kind == "BOOLEAN":
        return _choice_group(
            field, id, [(YES, "Oui"), (NO, "Non")], value, change, error, bubble, help, radio=True
        )
    if kind == "CODES":
        entries = [(e["code"], e["label"]) for e in _entries(code_list)]
        return _choice_group(field, id, entries, value or [], change, error, bubble, help, radio=False)
    if kind == "STORAGE_PLACES":
        return storage_places(field, value or [], change, error, errors or {}, countries, bubble, help)

    common = {
        "id": id,
        "name": id,
        "aria-describedby": _describedby(id),
        **({"aria-invalid": "true"} if error else {}),
        **({"aria-required": "true"} if field.get("mandatory") else {}),
    }
    if kind == "CODE":
        group = "fr-select-group"
        options = [html.option({"key": e["code"], "value": e["code"]}, e["label"]) for e in _entries(code_list)]
        placeholder = "Sélectionnez une option" if field.get("mandatory") else "Non renseigné"
        options.insert(
            0, html.option({"key": "", "value": "", "disabled": bool(field.get("mandatory"))}, placeholder)
        )
        control = html.select(
            {
                "className": "fr-select" + (" fr-select--error" if error else ""),
                "value": value or "",
                "onChange": lambda event: change(event_value(event)),
                **common,
            },
            options,
        )
    elif kind == "TEXTAREA":
        group = "fr-input-group"
        control = typed_text(
            "textarea",
            {"className": "fr-input" + (" fr-input--error" if error else ""), "rows": 3, **common},
            value or "",
            change,
        )
    else:
        group = "fr-input-group"
        attributes: dict[str, Any] = {"type": "text"}
        if kind == "EMAIL":
            attributes = {"type": "email", "autoComplete": "email", "spellCheck": "false"}
        elif kind == "DATE":
            attributes = {"type": "date"}
        elif kind == "INTEGER":
            attributes = {"type": "text", "inputMode": "numeric"}
        elif kind == "DECIMAL":
            attributes = {"type": "text", "inputMode": "decimal"}
        if kind in ("TEXT", "EMAIL") and field.get("maxLength"):
            attributes["maxLength"] = field["maxLength"]
        control = typed_text(
            "input",
            {"className": "fr-input" + (" fr-input--error" if error else ""), **attributes, **common},
            value or "",
            change,
        )
    return html.div(
        {"className": f"{group} portal-field" + (f" {group}--error" if error else ""), "data-path": path},
        html.div(
            {"className": "portal-field__head"},
            html.label({"className": "fr-label", "htmlFor": id}, _label_content(field)),
            bubble,
        ),
        help,
        control,
        messages(id, error),
    )


def _legend(id: str, field: Mapping[str, Any], bubble: Any):
    """The question of a group, with its help button beside it; the group is named by the question only."""
    return html.legend(
        {"className": "fr-fieldset__legend fr-fieldset__legend--regular portal-legend"},
        html.span({"id": f"{id}-legend", "className": "portal-legend__text"}, _label_content(field)),
        bubble,
    )


def _choice_group(
    field: Mapping[str, Any],
    id: str,
    choices: Sequence[tuple[str, str]],
    value: Any,
    change: Callable[[Any], None],
    error: str | None,
    bubble: Any,
    help: Any,
    *,
    radio: bool,
):
    """Oui/non radio buttons, or the checkboxes of a code list, in a fieldset whose legend is the question."""
    path = field["path"]
    kind_class = "fr-radio-group" if radio else "fr-checkbox-group"

    def on_change(code: str):
        if radio:
            return lambda event: change(code)

        def toggle(event) -> None:
            checked = bool(event["target"].get("checked"))
            order = [c for c, _ in choices]

            def toggled(current):
                chosen = [c for c in (current or []) if c != code] + ([code] if checked else [])
                return sorted(chosen, key=lambda c: order.index(c) if c in order else len(order))

            change(toggled)

        return toggle

    items = []
    for code, label in choices:
        input_id = choice_id(path, code)
        checked = value == code if radio else code in (value or [])
        items.append(
            html.div(
                {
                    "className": "fr-fieldset__element" + (" fr-fieldset__element--inline" if radio else ""),
                    "key": code,
                },
                html.div(
                    {"className": kind_class},
                    html.input(
                        {
                            "type": "radio" if radio else "checkbox",
                            "id": input_id,
                            "name": id,
                            "value": code,
                            "checked": checked,
                            "onChange": on_change(code),
                            **({"aria-describedby": _describedby(id)} if not radio else {}),
                        }
                    ),
                    html.label({"className": "fr-label", "htmlFor": input_id}, label),
                ),
            )
        )
    return html.fieldset(
        {
            "className": "fr-fieldset portal-field portal-field--group" + (" fr-fieldset--error" if error else ""),
            "id": id,
            "data-path": path,
            "aria-labelledby": f"{id}-legend {id}-messages",
            **({"aria-invalid": "true"} if error else {}),
        },
        _legend(id, field, bubble),
        html.div({"className": "fr-fieldset__element"}, help),
        items,
        messages(id, error),
    )


# --- storage places (customs warehouse) ---------------------------------------------------------------------------


def _place_input(
    index: int, part: Mapping[str, Any], place: Mapping[str, Any], update, error: str | None, countries
):
    key = part["path"]
    id = place_field_id(index, key)
    label = [part["label"], required_mark() if part["mandatory"] else ""]
    common = {
        "id": id,
        "name": id,
        "aria-describedby": f"{id}-messages",
        **({"aria-invalid": "true"} if error else {}),
        **({"aria-required": "true"} if part["mandatory"] else {}),
    }
    if part["kind"] == "CODE":  # the countries, the one code list of a place
        options = [html.option({"key": "", "value": "", "disabled": True}, "Sélectionnez un pays")] + [
            html.option({"key": e["code"], "value": e["code"]}, e["label"]) for e in _entries(countries)
        ]
        control = html.select(
            {
                "className": "fr-select" + (" fr-select--error" if error else ""),
                "value": place.get(key) or "",
                "onChange": lambda event: update(index, key, event_value(event)),
                **common,
            },
            options,
        )
        group = "fr-select-group"
    else:
        kind = "email" if part["kind"] == "EMAIL" else "tel" if key in TEL_PARTS else "text"
        control = typed_text(
            "input",
            {
                "className": "fr-input" + (" fr-input--error" if error else ""),
                "type": kind,
                "maxLength": part["maxLength"],
                **common,
            },
            place.get(key) or "",
            lambda typed: update(index, key, typed),
        )
        group = "fr-input-group"
    return html.div(
        {"className": f"{group} fr-col-12 fr-col-md-6" + (f" {group}--error" if error else ""), "key": key},
        html.label({"className": "fr-label", "htmlFor": id}, label),
        control,
        messages(id, error),
    )


def storage_places(
    field: Mapping[str, Any],
    places: list[dict[str, Any]],
    change: Callable[[Any], None],
    error: str | None,
    errors: Mapping[str, str],
    countries: Mapping[str, Any] | None,
    bubble: Any,
    help: Any,
):
    """A repeatable sub-form: one fieldset per storage place, one input per part the API names (nom, pays, adresse,
    téléphone, fax, courriel)."""
    path = field["path"]
    parts = field.get("parts") or ()
    names = part_names(field)
    id = field_id(path)

    # Each change starts from the store's current places and names a place by its key, not by its position in
    # the places this render drew: two quick changes in a row must both be kept.
    def update(index: int, key: str, value: str) -> None:
        target = places[index].get("_key", index)
        change(
            lambda current: [
                {**p, key: value} if p.get("_key", i) == target else p for i, p in enumerate(current or [])
            ]
        )

    def add(event) -> None:
        def appended(current):
            current = current or []
            next_key = max((p.get("_key", 0) for p in current), default=-1) + 1
            return [*current, empty_place(next_key, names)]

        change(appended)

    def remove(index: int):
        target = places[index].get("_key", index)
        return lambda event: change(
            lambda current: [p for i, p in enumerate(current or []) if p.get("_key", i) != target]
        )

    blocks = [
        html.fieldset(
            {
                "className": "fr-fieldset portal-place",
                "key": str(place.get("_key", index)),
                "aria-labelledby": f"{id}-{index}-legend",
            },
            html.legend(
                {"className": "fr-fieldset__legend fr-text--md", "id": f"{id}-{index}-legend"},
                f"Installation de stockage n° {index + 1}",
            ),
            html.div(
                {"className": "fr-grid-row fr-grid-row--gutters fr-fieldset__element"},
                [
                    _place_input(
                        index, part, place, update, errors.get(f"{path}.{index}.{part['path']}"), countries
                    )
                    for part in parts
                ],
            ),
            html.div(
                {"className": "fr-fieldset__element"},
                html.button(
                    {
                        "type": "button",
                        "className": "fr-btn fr-btn--tertiary fr-btn--sm fr-icon-delete-line fr-btn--icon-left",
                        "onClick": remove(index),
                    },
                    f"Retirer l'installation n° {index + 1}",
                ),
            ),
        )
        for index, place in enumerate(places)
    ]
    return html.fieldset(
        {
            "className": "fr-fieldset portal-field portal-field--group" + (" fr-fieldset--error" if error else ""),
            "id": id,
            "data-path": path,
            "aria-labelledby": f"{id}-legend {id}-messages",
            **({"aria-invalid": "true"} if error else {}),
        },
        _legend(id, field, bubble),
        html.div({"className": "fr-fieldset__element"}, help),
        html.div({"className": "fr-fieldset__element"}, blocks)
        if blocks
        else html.p({"className": "fr-fieldset__element portal-empty"}, "Aucune installation indiquée."),
        html.div(
            {"className": "fr-fieldset__element"},
            html.button(
                {
                    "type": "button",
                    "id": f"{id}-ajouter",
                    "className": "fr-btn fr-btn--secondary fr-btn--sm fr-icon-add-line fr-btn--icon-left",
                    "onClick": add,
                },
                "Ajouter une installation de stockage",
            ),
        ),
        messages(id, error),
    )


# --- read-only ----------------------------------------------------------------------------------------------------


def answer_text(field: Mapping[str, Any], value: Any, code_list: Mapping[str, Any] | None, countries=None) -> Any:
    """An answer as a sentence: labels of codes, oui/non, each storage place on its own."""
    kind = field["kind"]
    labels = {e["code"]: e["label"] for e in _entries(code_list)}
    empty = html.span({"className": "portal-empty"}, "Non renseigné")
    if value is None or value == "" or value == []:
        return empty
    if kind == "BOOLEAN":
        return "oui" if value else "non"
    if kind == "CODE":
        return labels.get(str(value), str(value))
    if kind == "CODES":
        return html.ul([html.li({"key": str(c)}, f"{c} – {labels.get(str(c), str(c))}") for c in value])
    if kind == "STORAGE_PLACES":
        country_labels = {e["code"]: e["label"] for e in _entries(countries)}
        return html.ol(
            [
                html.li(
                    {"key": str(index)},
                    ", ".join(
                        (
                            country_labels.get(place[part["path"]], place[part["path"]])
                            if part["kind"] == "CODE"  # the countries, the one code list of a place
                            else place[part["path"]]
                        )
                        for part in field.get("parts") or ()
                        if place.get(part["path"])
                    ),
                )
                for index, place in enumerate(value)
            ]
        )
    if kind == "DATE":
        return formatting.date(str(value))
    return str(value)


def answers_view(fields: Sequence[Mapping[str, Any]], answers: Mapping[str, Any], code_lists, countries=None):
    """A rubrique's answers, read-only, as a description list."""
    if not fields:
        return ""
    items = []
    for field in fields:
        items.append(
            html.dt({"key": f"t-{field['path']}", "id": f"{field_id(field['path'])}-lecture"}, field["label"])
        )
        items.append(
            html.dd(
                {"key": f"d-{field['path']}"},
                answer_text(
                    field, answers.get(field["path"]), code_lists.get(field.get("codeList") or ""), countries
                ),
            )
        )
    return html.dl({"className": "portal-answers"}, items)
