"""Words for screen readers only (DSFR `fr-sr-only`): what a sighted reader gets from the row or column a button
sits in (« Retirer » … « l'habilitation de Camille »)."""

from __future__ import annotations

from reactpy import html


def sr_only(text: str):
    return html.span({"className": "fr-sr-only"}, text)
