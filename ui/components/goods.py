"""The goods of a dossier (« Marchandises et produits »): one table per kind of line the procedure has (goods to place,
processed products, replacement products) with code NC, désignation, quantité, unité, valeur; a form to add a line,
« Modifier » (the row becomes a form), « Supprimer » (after confirmation). A line's values are the fields the API's
form model gives its kind (`goodsKinds.fields`): their labels, hints (when 4 digits of a CN code are admitted) and
which are mandatory (the red asterisk). The API's refusals show next to their field; the problems of « Contrôler »
next to the cell they concern."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from reactpy import component, event, html, use_state

from ui import formatting
from ui.client import GraphQLClientError, use_client
from ui.components.dossier_fields import required_mark
from ui.components.focus import focus_script
from ui.components.forms import (
    NO_ERRORS,
    FormErrors,
    confirm_action,
    form_error_alert,
    select_input,
    submit_button,
    text_input,
    use_form_values,
)
from ui.components.tables import Row, data_table
from ui.dossier_form import GOODS_AGGREGATES, goods_row_id, goods_table_id, node_number

# Titles of the tables, by kind of line (the API's kind labels are singular).
GOODS_TITLES = {
    "GOODS": "Marchandises à placer sous le régime",
    "PROCESSED": "Produits transformés",
    "REPLACEMENT": "Produits de remplacement",
}
# Where « Contrôler » reports a table as a whole (« add at least one… »), by kind.
AGGREGATE_PATHS = {kind: path for path, kind in GOODS_AGGREGATES.items()}


def blank(fields: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """A line's values, all empty: one per field of its kind (cnCode, description, quantity, unit, value)."""
    return {field["path"]: "" for field in fields}


def _sr(text: str):
    return html.span({"className": "fr-sr-only"}, text)


def line_number(line: Mapping[str, Any]) -> str:
    return node_number(line["id"], "GoodsLine") or line["id"]


def _line_name(line: Mapping[str, Any]) -> str:
    return line.get("description") or line.get("cnCode") or "sans désignation"


@component
def goods_line_form(
    prefix: str,
    title: str,
    initial: Mapping[str, str],
    units: Sequence[Mapping[str, Any]],
    submit: Callable[[dict[str, str]], Awaitable[FormErrors | None]],
    submit_label: str,
    on_cancel: Callable[[], None] | None = None,
    reset_after: bool = False,
    fields: Sequence[Mapping[str, Any]] = (),
):
    """The values of a line, one per field of its kind (`fields`, the API's); `submit` answers the API's refusal
    (None when accepted). What « Contrôler » requires carries the red asterisk."""
    required = {field["path"] for field in fields if field["mandatory"]}
    empty = blank(fields)
    form = use_form_values(**{key: initial.get(key) or "" for key in empty})
    errors, set_errors = use_state(NO_ERRORS)
    busy, set_busy = use_state(False)

    @event(prevent_default=True)
    async def on_submit(event):
        set_busy(True)
        refused = await submit(form.latest())
        set_busy(False)
        if refused:
            set_errors(refused)
            return
        set_errors(NO_ERRORS)
        if reset_after:
            form.update(**empty)

    def label(key: str, text: str) -> list[Any]:
        return [text, required_mark() if key in required else ""]

    def mandatory(key: str) -> dict[str, str]:
        return {"aria-required": "true"} if key in required else {}

    def field(spec: Mapping[str, Any]):
        key = spec["path"]
        if spec["kind"] == "CODE":  # the unit, from the units code list
            return html.div(
                {"className": "fr-col-12 fr-col-md-6 fr-col-lg-4", "key": key},
                select_input(
                    f"{prefix}-{key}",
                    label(key, spec["label"]),
                    form[key],
                    [(u["code"], u["label"]) for u in units],
                    form.setter(key),
                    error=errors.get(key),
                    placeholder="Choisissez une unité",
                    attributes=mandatory(key),
                ),
            )
        keyboard = {"DECIMAL": "decimal"}.get(spec["kind"]) or ("numeric" if spec.get("pattern") else None)
        return html.div(
            {"className": "fr-col-12 fr-col-md-6 fr-col-lg-4", "key": key},
            text_input(
                f"{prefix}-{key}",
                label(key, spec["label"]),
                form[key],
                form.setter(key),
                error=errors.get(key),
                hint=spec.get("hint"),
                **({"inputMode": keyboard} if keyboard else {}),
                **mandatory(key),
            ),
        )

    return html.form(
        {"onSubmit": on_submit, "noValidate": True, "aria-label": title, "className": "portal-goods-form"},
        html.p({"className": "fr-text--bold fr-mb-1w"}, title),
        form_error_alert(errors, f"{prefix}-erreurs"),
        html.div(
            {"className": "fr-grid-row fr-grid-row--gutters"},
            [field(spec) for spec in fields],
        ),
        html.ul(
            {"className": "fr-btns-group fr-btns-group--inline fr-btns-group--sm"},
            html.li(submit_button(submit_label, busy, secondary=on_cancel is None)),
            html.li(
                html.button(
                    {"type": "button", "className": "fr-btn fr-btn--tertiary", "onClick": lambda e: on_cancel()},
                    "Annuler",
                )
            )
            if on_cancel
            else "",
        ),
    )


@component
def goods_table(
    dossier_id: str,
    kind: str,
    kind_label: str,
    lines: Sequence[Mapping[str, Any]],
    units: Sequence[Mapping[str, Any]],
    problems: Mapping[str, str],
    editable: bool,
    on_changed: Callable[[str], Awaitable[None]],
    fields: Sequence[Mapping[str, Any]] = (),
):
    """`fields`: the values of a line of `kind`, as the API's form model gives them (labels, hints, mandatory)."""
    client = use_client()
    editing, set_editing = use_state(None)
    notice, set_notice = use_state(None)
    title = GOODS_TITLES.get(kind, kind_label)
    table_id = goods_table_id(kind)
    unit_labels = {u["code"]: u["label"] for u in units}
    columns = [(field["path"], field["label"]) for field in fields]
    empty = blank(fields)

    def values_input(values: Mapping[str, str]) -> dict[str, str]:
        return {key: (values.get(key) or "").strip() for key in empty}

    async def add(values: dict[str, str]) -> FormErrors | None:
        try:
            await client.execute(
                "AddGoodsLine", {"dossierId": dossier_id, "kind": kind, "input": values_input(values)}
            )
        except GraphQLClientError as error:
            return FormErrors.from_error(error)
        set_notice(
            ("success", f"Ligne ajoutée : {values.get('description') or values.get('cnCode') or kind_label}.")
        )
        await on_changed(AGGREGATE_PATHS.get(kind, ""))
        return None

    def update(line: Mapping[str, Any]):
        async def run(values: dict[str, str]) -> FormErrors | None:
            try:
                await client.execute("UpdateGoodsLine", {"id": line["id"], "input": values_input(values)})
            except GraphQLClientError as error:
                return FormErrors.from_error(error)
            set_editing(None)
            set_notice(("success", "Ligne modifiée."))
            await on_changed(f"goods.line.{line['id']}")
            return None

        return run

    def remove(line: Mapping[str, Any]):
        async def run() -> None:
            try:
                await client.execute("RemoveGoodsLine", {"id": line["id"]})
            except GraphQLClientError as error:
                set_notice(("error", " ".join(error.messages)))
                return
            set_notice(("success", f"Ligne « {_line_name(line)} » supprimée."))
            await on_changed(f"goods.line.{line['id']}")

        return run

    def cell(line: Mapping[str, Any], key: str):
        number = line_number(line)
        if key == "unit":
            shown = line.get("unitLabel") or unit_labels.get(line.get("unit") or "", line.get("unit") or "")
        elif key in ("quantity", "value"):
            shown = formatting.number(line.get(key))
        else:
            shown = line.get(key) or ""
        # Problem paths name goods lines by their global id.
        path = f"goods.line.{line['id']}"
        problem = problems.get(f"{path}.{key}")
        if key == "cnCode" and problems.get(path):
            problem = " ".join(p for p in (problems.get(path), problem) if p)
        return [
            shown or html.span({"key": "vide", "className": "portal-empty"}, "—"),
            html.p(
                {
                    "key": "erreur",
                    "className": "fr-message fr-message--error",
                    "id": f"{goods_row_id(number)}-{key}-erreur",
                },
                problem,
            )
            if problem
            else "",
        ]

    def actions(line: Mapping[str, Any]):
        name = _line_name(line)
        return html.ul(
            {"className": "fr-btns-group fr-btns-group--inline fr-btns-group--sm"},
            html.li(
                html.button(
                    {
                        "type": "button",
                        "className": "fr-btn fr-btn--secondary fr-btn--sm",
                        "onClick": lambda event: set_editing(line["id"]),
                    },
                    "Modifier",
                    _sr(f" la ligne « {name} »"),
                )
            ),
            html.li(
                confirm_action(
                    ["Supprimer", _sr(f" la ligne « {name} »")],
                    f"Supprimer la ligne « {name} » ?",
                    remove(line),
                    confirm_label="Confirmer la suppression",
                    key=f"supprimer-{line['id']}",
                )
            ),
        )

    def row(line: Mapping[str, Any]) -> Row:
        number = line_number(line)
        cells = [cell(line, key) for key, _ in columns] + ([actions(line)] if editable else [])
        attributes = {
            "id": goods_row_id(number),
            "tabIndex": -1,
            "data-line": number,
            **({"className": "portal-row--editing"} if editing == line["id"] else {}),
        }
        return Row(line["id"], cells, attributes)

    edited = next((line for line in lines if line["id"] == editing), None) if editable else None
    edit_form = (
        html.div(
            {"className": "fr-mb-2w"},
            goods_line_form(
                f"modifier-{line_number(edited)}",
                f"Modifier la ligne « {_line_name(edited)} »",
                {key: edited.get(key) or "" for key in empty},
                units,
                update(edited),
                "Enregistrer la ligne",
                on_cancel=lambda: set_editing(None),
                fields=fields,
                key=f"form-{edited['id']}",
            ),
            focus_script(
                f"modifier-{line_number(edited)}-cnCode",
                int(line_number(edited)) if line_number(edited).isdigit() else 0,
            ),
        )
        if edited
        else ""
    )

    headers = [label for _, label in columns] + (["Actions"] if editable else [])
    aggregate = problems.get(AGGREGATE_PATHS.get(kind, ""))
    table = data_table(
        None,
        title,
        headers,
        [row(line) for line in lines],
        empty="Aucune ligne pour l'instant.",
        multiline=False,
        class_name="fr-mb-2w",
    )
    return html.section(
        {"className": "fr-mb-4w portal-goods", "aria-labelledby": table_id, "data-kind": kind},
        html.h3({"className": "fr-h5", "id": table_id, "tabIndex": -1}, title),
        html.p(
            {"className": "fr-message fr-message--error fr-mb-2w", "id": f"{table_id}-erreur", "role": "alert"},
            aggregate,
        )
        if aggregate
        else "",
        html.div(
            {
                "className": f"fr-alert fr-alert--{notice[0]} fr-alert--sm fr-mb-2w",
                "role": "alert" if notice[0] == "error" else "status",
            },
            html.p(notice[1]),
        )
        if notice
        else "",
        table,
        edit_form,
        goods_line_form(
            f"ajouter-{kind}",
            f"Ajouter : {kind_label.lower()}",
            empty,
            units,
            add,
            "Ajouter la ligne",
            reset_after=True,
            fields=fields,
            key=f"ajouter-{kind}",
        )
        if editable
        else "",
    )


def goods_section(
    dossier_id: str,
    kinds: Sequence[Mapping[str, Any]],
    lines: Sequence[Mapping[str, Any]],
    units: Sequence[Mapping[str, Any]],
    problems: Mapping[str, str],
    editable: bool,
    on_changed: Callable[[str], Awaitable[None]],
):
    return html.div(
        {"className": "portal-goods-section"},
        [
            goods_table(
                dossier_id,
                kind["code"],
                kind["label"],
                [line for line in lines if line["kind"] == kind["code"]],
                units,
                problems,
                editable,
                on_changed,
                kind["fields"],
                key=kind["code"],
            )
            for kind in kinds
        ],
    )
