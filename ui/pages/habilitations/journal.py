"""« Journal des habilitations »: who gave or took back what, and when (the most recent first)."""

from __future__ import annotations

from typing import Any

from reactpy import html

from ui import formatting
from ui.components.tables import data_table


def audit_section(entries: list[dict[str, Any]]):
    rows = [
        (
            str(index),
            [
                formatting.date_time(entry["at"]),
                entry["actorName"],
                entry["actionLabel"],
                entry["subjectName"] or "",
                entry["detail"],
            ],
        )
        for index, entry in enumerate(entries)
    ]
    return html.section(
        {"aria-labelledby": "journal-titre", "className": "fr-mb-6w", "id": "journal"},
        html.h2({"id": "journal-titre"}, "Journal des habilitations"),
        data_table(
            "table-journal",
            "Qui a fait quoi, et quand (les plus récents d'abord)",
            ["Date", "Auteur", "Action", "Personne concernée", "Détail"],
            rows,
            empty="Le journal est vide.",
        ),
    )
