"""« Habilitations en cours » and « Habiliter une personne »: who holds which right on the operator, taking a right
back, and giving one (to a collaborator, or to an external partner named by their operator's SIRET)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reactpy import component, html

from ui import formatting
from ui.client import use_client
from ui.components.feedback import alert
from ui.components.forms import (
    confirm_action,
    form_error_alert,
    select_input,
    submit_button,
    text_input,
    use_form_values,
)
from ui.components.screen_reader import sr_only
from ui.components.submission import use_form_submit, use_row_action
from ui.components.tables import data_table


@component
def habilitations_section(rows: list[dict[str, Any]], reload: Callable[[], None]):
    action = use_row_action()

    def revoke(row: dict[str, Any]):
        name = row["person"]["name"]
        return lambda: action.run(
            "RevokeHabilitation", {"id": row["id"]}, f"Habilitation de {name} retirée.", reload
        )

    table_rows = [
        (
            row["id"],
            [
                row["person"]["name"],
                row["person"]["email"] or "",
                row["person"]["operatorName"] or "",
                "oui" if row["isPartner"] else "non",
                row["rightLabel"],
                row["grantedBy"],
                formatting.date_time(row["grantedAt"]),
                confirm_action(
                    ["Retirer", sr_only(f" l'habilitation de {row['person']['name']}")],
                    f"Retirer l'habilitation de {row['person']['name']} ({row['rightLabel']}) ?",
                    revoke(row),
                    confirm_label="Confirmer le retrait",
                    key=f"retirer-{row['id']}",
                ),
            ],
        )
        for row in rows
    ]
    return html.section(
        {"aria-labelledby": "habilitations-titre", "className": "fr-mb-6w", "id": "habilitations"},
        html.h2({"id": "habilitations-titre"}, "Habilitations en cours"),
        action.alert("habilitations-message"),
        data_table(
            "table-habilitations",
            "Personnes habilitées sur SOPRANO",
            [
                "Personne",
                "Adresse électronique",
                "Son opérateur",
                "Partenaire",
                "Droit",
                "Donné par",
                "Date",
                "Action",
            ],
            table_rows,
            empty="Aucune habilitation en cours.",
        ),
    )


def rights_hint(rights: Sequence[dict[str, str]]) -> str:
    """« Consulter < préparer < déposer : … », from the API's rights (listed from the least to the most)."""
    ladder = " < ".join(right["label"] for right in rights)
    return f"{ladder[:1].upper()}{ladder[1:]} : chaque droit comprend les précédents."


@component
def grant_form(operator_id: str, rights: Sequence[dict[str, str]], reload: Callable[[], None]):
    client = use_client()
    form = use_form_values(email="", siret="", right="")

    async def send(values: dict[str, Any]) -> str:
        data = await client.execute(
            "GrantHabilitation",
            {
                "input": {
                    "operatorId": operator_id,
                    "email": values["email"].strip(),
                    "siret": values["siret"].strip() or None,
                    "right": values["right"] or None,
                }
            },
        )
        granted = data["grantHabilitation"]
        form.update(email="", siret="", right="")
        reload()
        return f"{granted['person']['name']} est habilité(e) à {granted['rightLabel']}."

    submit = use_form_submit(form, send)  # the API names every problem at once
    return html.section(
        {"aria-labelledby": "habiliter-titre", "className": "fr-mb-6w", "id": "habiliter"},
        html.h2({"id": "habiliter-titre"}, "Habiliter une personne"),
        html.p(
            {"className": "fr-text--sm"},
            "La personne doit s'être connectée une fois au portail. Pour inviter un partenaire externe "
            "(salarié d'une autre entreprise), indiquez aussi le SIRET de son opérateur.",
        ),
        alert("success", submit.success, id="habiliter-succes") if submit.success else "",
        form_error_alert(submit.errors, "habiliter-erreurs"),
        html.form(
            {
                "onSubmit": submit.on_submit,
                "noValidate": True,
                "aria-labelledby": "habiliter-titre",
                "className": "portal-form",
            },
            text_input(
                "habiliter-email",
                "Adresse électronique",
                form["email"],
                form.setter("email"),
                error=submit.error("email", "user"),
                hint="Format attendu : nom@domaine.fr",
                type="email",
                required=True,
                autoComplete="off",
            ),
            text_input(
                "habiliter-siret",
                "SIRET de son opérateur (partenaire externe)",
                form["siret"],
                form.setter("siret"),
                error=submit.error("siret"),
                hint="Facultatif : 14 chiffres, seulement pour un partenaire externe.",
                inputMode="numeric",
                autoComplete="off",
            ),
            select_input(
                "habiliter-droit",
                "Droit sur SOPRANO",
                form["right"],
                [(right["value"], right["label"]) for right in rights],
                form.setter("right"),
                error=submit.error("right"),
                hint=rights_hint(rights),
                placeholder="Choisissez un droit",
                required=True,
            ),
            submit_button("Habiliter", submit.busy),
        ),
    )
