"""« Collaborateurs et administrateurs »: the operator's people, and naming or removing its administrators."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reactpy import component, html, use_async_effect, use_state

from ui.client import GraphQLClientError, use_client
from ui.components.access import LOADING
from ui.components.screen_reader import sr_only
from ui.components.submission import use_row_action
from ui.components.tables import data_table


@component
def collaborators_section(
    operator_id: str, people: list[dict[str, Any]], me_id: str, reload: Callable[[], None], version: int
):
    client = use_client()
    action = use_row_action()
    admins, set_admins = use_state(LOADING)
    ids = tuple(person["id"] for person in people)

    # Person.isAdmin exists in the schema but `collaborators` never fills it (always false): until the API does,
    # the flag is read on each User node, which the operator's administrators may see.
    @use_async_effect(dependencies=[ids, version])
    async def load_admin_flags():
        flags: dict[str, bool] = {}
        for person_id in ids:
            try:
                node = (await client.execute("CollaboratorAdmin", {"id": person_id}))["node"]
            except GraphQLClientError:
                node = None
            flags[person_id] = bool(node and node.get("isAdmin"))
        set_admins(flags)

    def set_admin(person: dict[str, Any], is_admin: bool):
        async def run(event) -> None:
            await action.run(
                "SetOperatorAdministrator",
                {"operatorId": operator_id, "userId": person["id"], "isAdmin": is_admin},
                f"{person['name']} est désormais administrateur."
                if is_admin
                else f"{person['name']} n'est plus administrateur.",
                reload,
            )

        return run

    def button(person: dict[str, Any]):
        if admins is LOADING:
            return ""
        is_admin = admins.get(person["id"], False)
        return html.button(
            {
                "type": "button",
                "className": "fr-btn fr-btn--secondary fr-btn--sm",
                "onClick": set_admin(person, not is_admin),
            },
            "Retirer l'administration" if is_admin else "Nommer administrateur",
            sr_only(f" – {person['name']}"),
        )

    def role(person: dict[str, Any]):
        if admins is LOADING:
            return "…"
        return (
            html.p({"className": "fr-badge fr-badge--sm fr-badge--info"}, "administrateur")
            if admins.get(person["id"])
            else "collaborateur"
        )

    rows = [
        (
            person["id"],
            [
                [person["name"], " (vous)" if person["id"] == me_id else ""],
                person["email"] or "",
                role(person),
                button(person),
            ],
        )
        for person in people
    ]
    return html.section(
        {"aria-labelledby": "collaborateurs-titre", "className": "fr-mb-6w", "id": "collaborateurs"},
        html.h2({"id": "collaborateurs-titre"}, "Collaborateurs et administrateurs"),
        html.p(
            {"className": "fr-text--sm"},
            "Les administrateurs gèrent les habilitations de l'opérateur. Le dernier administrateur ne peut pas être retiré.",
        ),
        action.alert("collaborateurs-message"),
        data_table(
            "table-collaborateurs",
            "Collaborateurs de l'opérateur",
            ["Nom", "Adresse électronique", "Rôle", "Action"],
            rows,
            empty="Aucun collaborateur.",
        ),
    )
