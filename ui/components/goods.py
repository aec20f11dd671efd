"""The goods of a dossier (« Marchandises et produits »): one table per kind of line the procedure has (goods to place,
processed products, replacement products) with code NC, désignation, quantité, unité, valeur; a form to add a line,
« Modifier » (the row becomes a form), « Supprimer » (after confirmation). What « Contrôler » requires of a line carries
the red asterisk, and the hint of the CN code says when 4 digits are admitted. The API's refusals show next to their
field; the problems of « Contrôler » next to the cell they concern."""

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
from ui.dossier_form import goods_row_id, goods_table_id, node_number

# Titles of the tables, by kind of line (the API's kind labels are singular).
GOODS_TITLES = {
    "GOODS": "Marchandises à placer sous le régime",
    "PROCESSED": "Produits transformés",
    "REPLACEMENT": "Produits de remplacement",
}
AGGREGATE_PATHS = {"GOODS": "goods.lines", "PROCESSED": "goods.processed", "REPLACEMENT": "goods.replacement"}
COLUMNS = [
    ("cnCode", "Code NC"),
    ("description", "Désignation"),
    ("quantity", "Quantité"),
    ("unit", "Unité"),
    ("value", "Valeur (€)"),
]
BLANK = {"cnCode": "", "description": "", "quantity": "", "unit": "", "value": ""}
REQUIRED = {"cnCode", "description", "quantity", "unit"}  # and the value of a line of goods to place
# The 4-digit HS heading is admitted for the goods and processed products of processing procedures, never for a
# replacement product (the API's rules say so at « Contrôler »; the hint says it before).
CN_HINT_PROCESSING = "8 chiffres (les 4 chiffres de la position SH sont admis en perfectionnement)."
CN_HINT = "8 chiffres."


def required_keys(kind: str) -> set[str]:
    return REQUIRED | {"value"} if kind == "GOODS" else REQUIRED


def cn_hint(kind: str, processing: bool) -> str:
    return CN_HINT_PROCESSING if processing and kind != "REPLACEMENT" else CN_HINT


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
    kind: str = "GOODS",
    processing: bool = False,
):
    """The five values of a line; `submit` answers the API's refusal (None when accepted). What « Contrôler »
    requires of a line of `kind` carries the red asterisk."""
    required = required_keys(kind)
    form = use_form_values(**{key: initial.get(key) or "" for key in BLANK})
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
            form.update(**BLANK)

    def label(key: str, text: str) -> list[Any]:
        return [text, required_mark() if key in required else ""]

    def mandatory(key: str) -> dict[str, str]:
        return {"aria-required": "true"} if key in required else {}

    def field(key: str, text: str, **attributes: Any):
        return html.div(
            {"className": "fr-col-12 fr-col-md-6 fr-col-lg-4", "key": key},
            text_input(
                f"{prefix}-{key}",
                label(key, text),
                form[key],
                form.setter(key),
                error=errors.get(key),
                **attributes,
                **mandatory(key),
            ),
        )

    return html.form(
        {"onSubmit": on_submit, "noValidate": True, "aria-label": title, "className": "portal-goods-form"},
        html.p({"className": "fr-text--bold fr-mb-1w"}, title),
        form_error_alert(errors, f"{prefix}-erreurs"),
        html.div(
            {"className": "fr-grid-row fr-grid-row--gutters"},
            field("cnCode", "Code NC", hint=cn_hint(kind, processing), inputMode="numeric"),
            field("description", "Désignation", hint="La plus détaillée possible."),
            field("quantity", "Quantité", hint="Nombre, jusqu'à 3 décimales.", inputMode="decimal"),
            html.div(
                {"className": "fr-col-12 fr-col-md-6 fr-col-lg-4", "key": "unit"},
                select_input(
                    f"{prefix}-unit",
                    label("unit", "Unité"),
                    form["unit"],
                    [(u["code"], u["label"]) for u in units],
                    form.setter("unit"),
                    error=errors.get("unit"),
                    placeholder="Choisissez une unité",
                    attributes=mandatory("unit"),
                ),
            ),
            field("value", "Valeur (€)", hint="En euros, 2 décimales au plus.", inputMode="decimal"),
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
    processing: bool = False,
):
    """`processing`: the procedure has processed products (4-digit HS headings admitted, except for replacements)."""
    client = use_client()
    editing, set_editing = use_state(None)
    notice, set_notice = use_state(None)
    title = GOODS_TITLES.get(kind, kind_label)
    table_id = goods_table_id(kind)
    unit_labels = {u["code"]: u["label"] for u in units}

    def values_input(values: Mapping[str, str]) -> dict[str, str]:
        return {key: (values.get(key) or "").strip() for key in BLANK}

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
        return html.td(
            {"key": key},
            shown or html.span({"className": "portal-empty"}, "—"),
            html.p(
                {"className": "fr-message fr-message--error", "id": f"{goods_row_id(number)}-{key}-erreur"},
                problem,
            )
            if problem
            else "",
        )

    def actions(line: Mapping[str, Any]):
        name = _line_name(line)
        return html.td(
            {"key": "actions"},
            html.ul(
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
            ),
        )

    def row(line: Mapping[str, Any]):
        number = line_number(line)
        return html.tr(
            {
                "key": line["id"],
                "id": goods_row_id(number),
                "tabIndex": -1,
                "data-line": number,
                **({"className": "portal-row--editing"} if editing == line["id"] else {}),
            },
            [cell(line, key) for key, _ in COLUMNS],
            actions(line) if editable else "",
        )

    edited = next((line for line in lines if line["id"] == editing), None) if editable else None
    edit_form = (
        html.div(
            {"className": "fr-mb-2w"},
            goods_line_form(
                f"modifier-{line_number(edited)}",
                f"Modifier la ligne « {_line_name(edited)} »",
                {key: edited.get(key) or "" for key in BLANK},
                units,
                update(edited),
                "Enregistrer la ligne",
                on_cancel=lambda: set_editing(None),
                kind=kind,
                processing=processing,
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

    headers = [label for _, label in COLUMNS] + (["Actions"] if editable else [])
    aggregate = problems.get(AGGREGATE_PATHS.get(kind, ""))
    table = (
        html.div(
            {"className": "fr-table fr-table--no-caption fr-mb-2w"},
            html.div(
                {"className": "fr-table__wrapper"},
                html.div(
                    {"className": "fr-table__container"},
                    html.div(
                        {"className": "fr-table__content"},
                        html.table(
                            html.caption(title),
                            html.thead(html.tr([html.th({"scope": "col", "key": h}, h) for h in headers])),
                            html.tbody([row(line) for line in lines]),
                        ),
                    ),
                ),
            ),
        )
        if lines
        else html.p({"className": "portal-empty"}, "Aucune ligne pour l'instant.")
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
            BLANK,
            units,
            add,
            "Ajouter la ligne",
            reset_after=True,
            kind=kind,
            processing=processing,
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
    processing = any(kind["code"] == "PROCESSED" for kind in kinds)
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
                processing,
                key=kind["code"],
            )
            for kind in kinds
        ],
    )
