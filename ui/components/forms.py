"""DSFR form fields bound to state (labels tied to inputs, hints, errors next to the field), and how an API refusal
becomes field errors plus an alert."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reactpy import component, html, use_ref, use_state

from ui.client import GraphQLClientError


@dataclass(frozen=True)
class FormErrors:
    """What an operation refused: every message (for the alert) and, by field, the message to show next to it."""

    messages: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_error(cls, error: GraphQLClientError) -> FormErrors:
        """Every problem the API named: one per error, or the list of a form refused as a whole
        (`extensions.fields`, in the form's order)."""
        messages: list[str] = []
        fields: dict[str, str] = {}
        for item in error.errors:
            extensions = item.get("extensions") or {}
            listed = extensions.get("fields") or [
                {"field": extensions.get("field"), "message": item.get("message", "")}
            ]
            for problem in listed:
                name, message = problem.get("field"), problem.get("message", "")
                if message and message not in messages:
                    messages.append(message)
                if name and name not in fields:
                    fields[name] = message
        return cls(messages=messages or list(error.messages), fields=fields)

    @classmethod
    def of(cls, message: str, field_name: str | None = None) -> FormErrors:
        return cls(messages=[message], fields={field_name: message} if field_name else {})

    def __bool__(self) -> bool:
        return bool(self.messages)

    def get(self, name: str) -> str | None:
        return self.fields.get(name)


NO_ERRORS = FormErrors()


class FormValues:
    """A form's values, kept in a ref that `onChange` writes at once.

    A submit handler may run before the render that follows the last change (ReactPy handles each element's events
    in its own task, and a handler is the closure of the render that created it): reading `latest()` there, rather
    than state captured at render time, never misses the last keystroke or selection.
    """

    def __init__(self, ref, rerender: Callable[[Any], None]) -> None:
        self._ref = ref
        self._rerender = rerender

    def __getitem__(self, name: str) -> Any:
        return self._ref.current[name]

    def latest(self) -> dict[str, Any]:
        return dict(self._ref.current)

    def update(self, **values: Any) -> None:
        self._ref.current = {**self._ref.current, **values}
        self._rerender(self._ref.current)

    def setter(self, name: str) -> Callable[[Any], None]:
        return lambda value: self.update(**{name: value})


def use_form_values(**initial: Any) -> FormValues:
    ref = use_ref(None)
    if ref.current is None:
        ref.current = dict(initial)
    _, rerender = use_state(ref.current)
    return FormValues(ref, rerender)


def event_value(event: Any) -> str:
    """The value of the element an event comes from. A `<select>` is array-like, so the client sends its options
    (each with `selected` and `value`) instead of the element itself."""
    target = event["target"]
    if isinstance(target, list):
        return next((option.get("value", "") for option in target if option.get("selected")), "")
    return target.get("value", "")


@component
def typed_text(tag: str, attributes: Mapping[str, Any], value: str, on_change: Callable[[str], None]):
    """A text `<input>` or `<textarea>` whose content belongs to the browser while the user types.

    A controlled input loses keystrokes: the client writes the server's `value` back into the field as soon as the
    server has received the last event, though the render carrying that value may still reflect an older event, so
    characters typed in between vanish. This element is uncontrolled (`defaultValue`, never `value`): once the user
    has edited a field the browser no longer lets its default value change what it shows, and an element the client
    draws afresh shows the latest value. The values it sent are remembered: a render bringing back one of them is an
    echo, and any other value (a form emptied after success, a value loaded from the server) is a change made by the
    program, shown by mounting a fresh element holding it.
    """
    memory = use_ref(None)
    if memory.current is None:
        memory.current = {"shown": value, "sent": [], "generation": 0}
    state = memory.current
    if value in state["sent"]:
        state["sent"] = state["sent"][state["sent"].index(value) :]
    elif value != state["shown"] or state["sent"]:
        state["generation"] += 1
        state["shown"] = value
        state["sent"] = []

    def changed(event: Any) -> None:
        typed = event_value(event)
        state["sent"].append(typed)
        on_change(typed)

    element = html.textarea if tag == "textarea" else html.input
    return element(
        {
            **attributes,
            "key": f"saisie-{state['generation']}",
            "defaultValue": value,
            "onChange": changed,
        }
    )


def _messages(id: str, error: str | None, live: str = "polite"):
    return html.div(
        {"className": "fr-messages-group", "id": f"{id}-messages", "aria-live": live},
        html.p({"className": "fr-message fr-message--error", "id": f"{id}-message-error"}, error) if error else "",
    )


def _label(id: str, label: Any, hint: str | None, required: bool):
    return html.label(
        {"className": "fr-label", "htmlFor": id},
        label,
        " (obligatoire)" if required else "",
        html.span({"className": "fr-hint-text"}, hint) if hint else "",
    )


def text_input(
    id: str,
    label: Any,  # text, or text with elements (a required mark)
    value: str,
    on_change: Callable[[str], None],
    *,
    error: str | None = None,
    hint: str | None = None,
    type: str = "text",
    required: bool = False,
    **attributes: Any,
):
    """An `fr-input-group`; `attributes` go to the input (autoComplete, inputMode, min, max…)."""
    return html.div(
        {"className": "fr-input-group" + (" fr-input-group--error" if error else "")},
        _label(id, label, hint, required),
        typed_text(
            "input",
            {
                "className": "fr-input" + (" fr-input--error" if error else ""),
                "id": id,
                "name": id,
                "type": type,
                "aria-describedby": f"{id}-messages",
                **({"aria-invalid": "true"} if error else {}),
                **({"aria-required": "true"} if required else {}),
                **attributes,
            },
            value,
            on_change,
        ),
        _messages(id, error),
    )


def select_input(
    id: str,
    label: Any,
    value: str,
    options: Sequence[tuple[str, str]],
    on_change: Callable[[str], None],
    *,
    error: str | None = None,
    hint: str | None = None,
    placeholder: str | None = "Sélectionnez une option",
    required: bool = False,
    attributes: Mapping[str, Any] | None = None,
):
    """An `fr-select-group`; `attributes` go to the select (aria-required…). `label` may hold elements."""
    choices = [html.option({"key": key, "value": key}, text) for key, text in options]
    if placeholder is not None:
        choices.insert(0, html.option({"key": "", "value": "", "disabled": True}, placeholder))
    return html.div(
        {"className": "fr-select-group" + (" fr-select-group--error" if error else "")},
        _label(id, label, hint, required),
        html.select(
            {
                "className": "fr-select" + (" fr-select--error" if error else ""),
                "id": id,
                "name": id,
                "value": value,
                "onChange": lambda event: on_change(event_value(event)),
                "aria-describedby": f"{id}-messages",
                **({"aria-invalid": "true"} if error else {}),
                **({"aria-required": "true"} if required else {}),
                **(attributes or {}),
            },
            choices,
        ),
        _messages(id, error),
    )


def textarea_input(
    id: str,
    label: str,
    value: str,
    on_change: Callable[[str], None],
    *,
    error: str | None = None,
    hint: str | None = None,
    required: bool = False,
    rows: int = 4,
    max_length: int | None = None,
):
    """An `fr-input-group` with a multi-line input (messages, comments, reasons)."""
    return html.div(
        {"className": "fr-input-group" + (" fr-input-group--error" if error else "")},
        _label(id, label, hint, required),
        typed_text(
            "textarea",
            {
                "className": "fr-input" + (" fr-input--error" if error else ""),
                "id": id,
                "name": id,
                "rows": rows,
                "aria-describedby": f"{id}-messages",
                **({"maxLength": max_length} if max_length else {}),
                **({"aria-invalid": "true"} if error else {}),
                **({"aria-required": "true"} if required else {}),
            },
            value,
            on_change,
        ),
        _messages(id, error),
    )


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    hint: str | None = None


def radio_group(
    name: str,
    legend: str,
    choices: Sequence[Choice],
    value: str | None,
    on_change: Callable[[str], None],
    *,
    error: str | None = None,
    hint: str | None = None,
    inline: bool = False,
):
    """A fieldset of `fr-radio-group`s; its legend names the question, each label its answer."""

    def radio(index: int, choice: Choice):
        radio_id = f"{name}-{index}"
        return html.div(
            {
                "className": "fr-fieldset__element" + (" fr-fieldset__element--inline" if inline else ""),
                "key": choice.value,
            },
            html.div(
                {"className": "fr-radio-group"},
                html.input(
                    {
                        "type": "radio",
                        "id": radio_id,
                        "name": name,
                        "value": choice.value,
                        "checked": value == choice.value,
                        "onChange": lambda event: on_change(choice.value),
                    }
                ),
                html.label(
                    {"className": "fr-label", "htmlFor": radio_id},
                    choice.label,
                    html.span({"className": "fr-hint-text"}, choice.hint) if choice.hint else "",
                ),
            ),
        )

    return html.fieldset(
        {
            "className": "fr-fieldset" + (" fr-fieldset--error" if error else ""),
            "id": name,
            "aria-labelledby": f"{name}-legend {name}-messages",
        },
        html.legend(
            {"className": "fr-fieldset__legend fr-fieldset__legend--regular", "id": f"{name}-legend"},
            legend,
            html.span({"className": "fr-hint-text"}, hint) if hint else "",
        ),
        [radio(index, choice) for index, choice in enumerate(choices)],
        _messages(name, error, live="assertive"),
    )


def checkbox(id: str, label: str, checked: bool, on_change: Callable[[bool], None], *, error: str | None = None):
    return html.div(
        {"className": "fr-checkbox-group" + (" fr-checkbox-group--error" if error else "")},
        html.input(
            {
                "type": "checkbox",
                "id": id,
                "name": id,
                "checked": checked,
                "onChange": lambda event: on_change(bool(event["target"]["checked"])),
                "aria-describedby": f"{id}-messages",
                **({"aria-invalid": "true"} if error else {}),
            }
        ),
        html.label({"className": "fr-label", "htmlFor": id}, label),
        _messages(id, error, live="assertive"),
    )


def form_error_alert(errors: FormErrors, id: str, *, level: int = 3):
    """The alert above a refused form: every message of the API, in French; `level`: its title's heading level.

    Always a container, empty while the form has no error: the browser's side of the UI drops empty children and
    matches the others by position, so an alert appearing above the fields would otherwise shift them, and one
    input's DOM element be reused for the next one's (its attributes leak: a `maxLength` removed becomes 0 and the
    field takes no keystroke)."""
    if not errors:
        return html.div({"key": f"{id}-emplacement"})
    return html.div(
        {"key": f"{id}-emplacement"},
        html.div(
            {"className": "fr-alert fr-alert--error fr-mb-3w", "role": "alert", "id": id},
            getattr(html, f"h{level}")({"className": "fr-alert__title"}, "Le formulaire n'a pas été accepté"),
            *[html.p({"key": str(index)}, message) for index, message in enumerate(errors.messages)],
        ),
    )


def submit_button(label: str, busy: bool, *, secondary: bool = False):
    return html.button(
        {
            "type": "submit",
            "className": "fr-btn" + (" fr-btn--secondary" if secondary else ""),
            "disabled": busy,
            **({"aria-busy": "true"} if busy else {}),
        },
        "Envoi en cours…" if busy else label,
    )


@component
def confirm_action(
    label: Any,
    question: str,
    on_confirm: Callable[[], Any],
    *,
    confirm_label: str = "Confirmer",
    small: bool = True,
):
    """A button asking for confirmation before an irreversible action (`on_confirm` is a coroutine function)."""
    asking, set_asking = use_state(False)
    busy, set_busy = use_state(False)
    size = " fr-btn--sm" if small else ""

    async def confirm(event):
        set_busy(True)
        try:
            await on_confirm()
        finally:
            set_busy(False)
            set_asking(False)

    if not asking:
        return html.button(
            {
                "type": "button",
                "className": f"fr-btn fr-btn--secondary{size}",
                "onClick": lambda event: set_asking(True),
            },
            label,
        )
    return html.div(
        {"className": "portal-confirm", "role": "group", "aria-label": question},
        html.p({"className": "fr-text--sm fr-mb-1w", "aria-live": "polite"}, question),
        html.ul(
            {"className": "fr-btns-group fr-btns-group--inline fr-btns-group--sm"},
            html.li(
                html.button(
                    {"type": "button", "className": f"fr-btn{size}", "onClick": confirm, "disabled": busy},
                    confirm_label,
                )
            ),
            html.li(
                html.button(
                    {
                        "type": "button",
                        "className": f"fr-btn fr-btn--tertiary{size}",
                        "onClick": lambda event: set_asking(False),
                    },
                    "Annuler",
                )
            ),
        ),
    )


def checkbox_group(
    name: str,
    legend: str,
    choices: Sequence[Choice],
    selected: Sequence[str],
    on_toggle: Callable[[str, bool], None],
    *,
    hint: str | None = None,
    inline: bool = False,
):
    """A fieldset of `fr-checkbox-group`s; `on_toggle(value, ticked)` for each click (the caller keeps the set in a
    ref: two quick clicks may both run before the next render)."""

    def toggle(value: str):
        return lambda event: on_toggle(value, bool(event["target"]["checked"]))

    def box(index: int, choice: Choice):
        box_id = f"{name}-{index}"
        return html.div(
            {
                "className": "fr-fieldset__element" + (" fr-fieldset__element--inline" if inline else ""),
                "key": choice.value,
            },
            html.div(
                {"className": "fr-checkbox-group fr-checkbox-group--sm"},
                html.input(
                    {
                        "type": "checkbox",
                        "id": box_id,
                        "name": name,
                        "value": choice.value,
                        "checked": choice.value in selected,
                        "onChange": toggle(choice.value),
                    }
                ),
                html.label(
                    {"className": "fr-label", "htmlFor": box_id},
                    choice.label,
                    html.span({"className": "fr-hint-text"}, choice.hint) if choice.hint else "",
                ),
            ),
        )

    return html.fieldset(
        {"className": "fr-fieldset", "id": name, "aria-labelledby": f"{name}-legend"},
        html.legend(
            {"className": "fr-fieldset__legend fr-fieldset__legend--regular", "id": f"{name}-legend"},
            legend,
            html.span({"className": "fr-hint-text"}, hint) if hint else "",
        ),
        [box(index, choice) for index, choice in enumerate(choices)],
    )
