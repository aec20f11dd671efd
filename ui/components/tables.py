"""DSFR tables (`fr-table`), drawn the same way on every screen: a caption that names the table, column headers,
one row per item, and a sentence instead of an empty table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reactpy import html


@dataclass(frozen=True)
class Row:
    """A row whose `<tr>` carries more than its key (an id to scroll to, a class for the row being edited…)."""

    key: str
    cells: Sequence[Any]
    attributes: Mapping[str, Any] = field(default_factory=dict)


def _row(row: Row | tuple[str, Sequence[Any]], headers: Sequence[str], stacked: bool):
    if not isinstance(row, Row):
        row = Row(*row)
    return html.tr(
        {"key": row.key, "data-row-key": row.key, **row.attributes},
        [
            html.td({"key": str(index), **({"data-label": headers[index]} if stacked else {})}, cell)
            for index, cell in enumerate(row.cells)
        ],
    )


def data_table(
    id: str | None,
    caption: str,
    headers: Sequence[str],
    rows: Sequence[Row | tuple[str, Sequence[Any]]],
    *,
    empty: str = "Aucun élément.",
    caption_hidden: bool = True,
    multiline: bool = True,
    stacked: bool = False,
    class_name: str = "",
):
    """`rows`: (key, cells) or `Row`s. An empty table is replaced by a sentence saying so. The caption names the
    table for screen readers; it is hidden on screen when a heading just above already says what the table is.
    `multiline`: long cells wrap; `stacked`: on a narrow screen each row becomes a card, each cell showing its
    column's name; `class_name`: more classes for the table's box (spacing)."""
    attributes = {"id": id} if id else {}
    if not rows:
        return html.div(
            attributes,
            html.p({"className": "fr-sr-only" if caption_hidden else "fr-text--bold fr-mb-1w"}, caption),
            html.p({"className": "portal-empty"}, empty),
        )
    classes = ["fr-table"]
    if multiline:
        classes.append("fr-table--multiline")
    if caption_hidden:
        classes.append("fr-table--no-caption")
    if stacked:
        classes.append("portal-stack")
    if class_name:
        classes.append(class_name)
    return html.div(
        {"className": " ".join(classes), **attributes},
        html.div(
            {"className": "fr-table__wrapper"},
            html.div(
                {"className": "fr-table__container"},
                html.div(
                    {"className": "fr-table__content"},
                    html.table(
                        html.caption(caption),
                        html.thead(html.tr([html.th({"scope": "col", "key": h}, h) for h in headers])),
                        html.tbody([_row(row, headers, stacked) for row in rows]),
                    ),
                ),
            ),
        ),
    )
