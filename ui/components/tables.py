"""DSFR tables (`fr-table`): a caption that names the table, column headers, one row per item."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reactpy import html


def data_table(
    id: str,
    caption: str,
    headers: Sequence[str],
    rows: Sequence[tuple[str, Sequence[Any]]],
    *,
    empty: str = "Aucun élément.",
    caption_hidden: bool = True,
):
    """`rows`: (key, cells). An empty table is replaced by a sentence saying so. The caption names the table for
    screen readers; it is hidden on screen when a heading just above already says what the table is."""
    if not rows:
        return html.div(
            {"id": id},
            html.p({"className": "fr-sr-only" if caption_hidden else "fr-text--bold fr-mb-1w"}, caption),
            html.p({"className": "portal-empty"}, empty),
        )
    return html.div(
        {
            "className": "fr-table fr-table--multiline" + (" fr-table--no-caption" if caption_hidden else ""),
            "id": id,
        },
        html.div(
            {"className": "fr-table__wrapper"},
            html.div(
                {"className": "fr-table__container"},
                html.div(
                    {"className": "fr-table__content"},
                    html.table(
                        html.caption(caption),
                        html.thead(html.tr([html.th({"scope": "col", "key": h}, h) for h in headers])),
                        html.tbody(
                            [
                                html.tr(
                                    {"key": key, "data-row-key": key},
                                    [html.td({"key": str(index)}, cell) for index, cell in enumerate(cells)],
                                )
                                for key, cells in rows
                            ]
                        ),
                    ),
                ),
            ),
        ),
    )
