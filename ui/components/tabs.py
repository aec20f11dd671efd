"""Accessible tabs (WAI-ARIA tabs pattern): a tablist of buttons, one tabpanel each; arrow keys, Home and End move
between tabs. Drawn like DSFR tabs but driven by the server (the DSFR tab script would fight the UI's renders), and
every panel stays mounted (hidden when inactive) so that what was typed in one tab survives a visit to another."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reactpy import html

from ui.dossier_form import panel_id, tab_id

KEYS = ("ArrowRight", "ArrowLeft", "Home", "End")


@dataclass(frozen=True)
class Tab:
    code: str
    label: str
    badge: str | None = None  # e.g. "2 points à corriger"
    content: Any = None


def next_tab(codes: Sequence[str], current: str, key: str) -> str:
    index = codes.index(current) if current in codes else 0
    if key == "ArrowRight":
        return codes[(index + 1) % len(codes)]
    if key == "ArrowLeft":
        return codes[(index - 1) % len(codes)]
    if key == "Home":
        return codes[0]
    if key == "End":
        return codes[-1]
    return current


def tabs(
    label: str,
    items: Sequence[Tab],
    active: str,
    on_select: Callable[[str, bool], None],
    *,
    tab_id: Callable[[str], str] = tab_id,
    panel_id: Callable[[str], str] = panel_id,
):
    """`on_select(code, move_focus)`: a click selects; a key selects and moves the focus to the new tab. `tab_id` and
    `panel_id` name the elements (the rubriques of the dossier form by default)."""
    codes = [item.code for item in items]

    def click(code: str):
        return lambda event: on_select(code, False)

    def key_down(event):
        key = event.get("key")
        if key in KEYS:
            on_select(next_tab(codes, active, key), True)

    buttons = [
        html.li(
            {"role": "presentation", "key": item.code},
            html.button(
                {
                    "type": "button",
                    "role": "tab",
                    "className": "portal-tabs__tab",
                    "id": tab_id(item.code),
                    "aria-selected": "true" if item.code == active else "false",
                    "aria-controls": panel_id(item.code),
                    "tabIndex": 0 if item.code == active else -1,
                    "onClick": click(item.code),
                    "onKeyDown": key_down,
                },
                item.label,
                html.span({"className": "portal-tabs__badge"}, item.badge) if item.badge else "",
            ),
        )
        for item in items
    ]
    panels = [
        html.div(
            {
                "key": item.code,
                "role": "tabpanel",
                "className": "portal-tabs__panel",
                "id": panel_id(item.code),
                "aria-labelledby": tab_id(item.code),
                "tabIndex": 0,
                "hidden": item.code != active,
            },
            item.content,
        )
        for item in items
    ]
    # On a narrow screen the list scrolls sideways: bring the selected tab into it (never scrolls the page).
    reveal = html.script(
        {"key": f"montrer-{active}"},
        f"(function(){{var t=document.getElementById({json.dumps(tab_id(active))});"
        "if(t){var l=t.closest('[role=tablist]');if(l){l.scrollLeft=Math.max(0,t.offsetLeft-l.offsetLeft-16);}}})();",
    )
    return html.div(
        {"className": "portal-tabs"},
        html.ul({"className": "portal-tabs__list", "role": "tablist", "aria-label": label}, buttons),
        reveal,
        panels,
    )
