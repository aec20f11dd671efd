"""« Représentants en douane »: the representation mandates the operator gave, ending one, and giving one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reactpy import component, html

from ui import formatting
from ui.client import use_client
from ui.components.feedback import alert
from ui.components.forms import (
    Choice,
    confirm_action,
    form_error_alert,
    radio_group,
    submit_button,
    text_input,
    use_form_values,
)
from ui.components.screen_reader import sr_only
from ui.components.submission import use_form_submit, use_row_action
from ui.components.tables import data_table


@component
def representatives_section(operator_id: str, mandates: list[dict[str, Any]], reload: Callable[[], None]):
    action = use_row_action()

    def end(mandate: dict[str, Any]):
        name = mandate["representative"]["legalName"]
        return lambda: action.run("EndRepresentation", {"id": mandate["id"]}, f"Mandat de {name} terminé.", reload)

    rows = [
        (
            mandate["id"],
            [
                mandate["representative"]["legalName"],
                formatting.siret(mandate["representative"]["siret"]),
                mandate["scopeLabel"],
                formatting.date(mandate["validFrom"]),
                formatting.date(mandate["validUntil"]) or "sans fin",
                mandate["statusLabel"],
                confirm_action(
                    ["Mettre fin", sr_only(f" au mandat de {mandate['representative']['legalName']}")],
                    f"Mettre fin au mandat de {mandate['representative']['legalName']} ?",
                    end(mandate),
                    confirm_label="Confirmer la fin du mandat",
                    key=f"fin-{mandate['id']}",
                ),
            ],
        )
        for mandate in mandates
    ]
    return html.section(
        {"aria-labelledby": "representants-titre", "className": "fr-mb-6w", "id": "representants"},
        html.h2({"id": "representants-titre"}, "Représentants en douane"),
        action.alert("representants-message"),
        data_table(
            "table-representants",
            "Mandats de représentation donnés par l'opérateur",
            ["Représentant", "SIRET", "Représentation", "Du", "Au", "Statut", "Action"],
            rows,
            empty="Aucun mandat de représentation en cours.",
        ),
        representation_form(operator_id, reload),
    )


@component
def representation_form(operator_id: str, reload: Callable[[], None]):
    client = use_client()
    form = use_form_values(siret="", scope="FULL", valid_from=formatting.today_iso(), valid_until="")

    async def send(values: dict[str, Any]) -> str:
        data = await client.execute(
            "CreateRepresentation",
            {
                "input": {
                    "representedOperatorId": operator_id,
                    "representativeSiret": values["siret"].strip(),
                    "scope": values["scope"],
                    "validFrom": values["valid_from"] or None,
                    "validUntil": values["valid_until"] or None,
                }
            },
        )
        form.update(siret="", valid_until="")
        reload()
        return f"Mandat donné à {data['createRepresentation']['representative']['legalName']}."

    submit = use_form_submit(form, send)
    return html.div(
        html.h3({"id": "mandat-titre", "className": "fr-h5 fr-mt-4w"}, "Donner un mandat de représentation"),
        alert("success", submit.success, id="mandat-succes") if submit.success else "",
        form_error_alert(submit.errors, "mandat-erreurs"),
        html.form(
            {
                "onSubmit": submit.on_submit,
                "noValidate": True,
                "aria-labelledby": "mandat-titre",
                "className": "portal-form",
            },
            text_input(
                "mandat-siret",
                "SIRET du représentant en douane",
                form["siret"],
                form.setter("siret"),
                error=submit.error("representativeSiret"),
                hint="14 chiffres.",
                required=True,
                inputMode="numeric",
                autoComplete="off",
            ),
            radio_group(
                "mandat-etendue",
                "Étendue de la représentation",
                [
                    Choice("FULL", "Totale", "Le représentant agit pour tous les dossiers de l'opérateur."),
                    Choice("PARTIAL", "Partielle", "Seulement les dossiers qu'il dépose ou suit."),
                ],
                form["scope"],
                form.setter("scope"),
                error=submit.error("scope"),
            ),
            text_input(
                "mandat-debut",
                "Début du mandat",
                form["valid_from"],
                form.setter("valid_from"),
                error=submit.error("validFrom"),
                type="date",
                required=True,
            ),
            text_input(
                "mandat-fin",
                "Fin du mandat",
                form["valid_until"],
                form.setter("valid_until"),
                error=submit.error("validUntil"),
                hint="Facultatif : sans date de fin, le mandat court jusqu'à ce que vous y mettiez fin.",
                type="date",
            ),
            submit_button("Donner le mandat", submit.busy),
        ),
    )
