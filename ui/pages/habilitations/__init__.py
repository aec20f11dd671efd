"""/habilitations « Gestion des habilitations »: an operator's administrator gives and takes back rights, names
administrators, gives representation mandates, and reads the journal. Every refusal is the API's, in French.
This module holds the page (which operator, loading, the summary); each section has its own module."""

from __future__ import annotations

from typing import Any

from reactpy import component, html, use_async_effect, use_state

from ui import formatting
from ui.client import GraphQLClientError, use_client
from ui.components.access import LOADING
from ui.components.feedback import error_alert, loading, login_invitation
from ui.pages.habilitations.collaborators import collaborators_section
from ui.pages.habilitations.grants import grant_form, habilitations_section
from ui.pages.habilitations.journal import audit_section
from ui.pages.habilitations.representation import representatives_section

PATH = "/habilitations"
TITLE = "Gestion des habilitations"


SECTIONS = [
    ("habilitations", "Habilitations en cours"),
    ("habiliter", "Habiliter une personne"),
    ("collaborateurs", "Collaborateurs et administrateurs"),
    ("representants", "Représentants en douane"),
    ("journal", "Journal des habilitations"),
]


def summary():
    return html.nav(
        {"className": "fr-summary fr-mb-6w", "role": "navigation", "aria-labelledby": "sommaire-titre"},
        html.p({"className": "fr-summary__title", "id": "sommaire-titre"}, "Sommaire"),
        html.ol(
            {"className": "fr-summary__list"},
            [
                html.li({"key": anchor}, html.a({"className": "fr-summary__link", "href": f"#{anchor}"}, label))
                for anchor, label in SECTIONS
            ],
        ),
    )


# --- the page -----------------------------------------------------------------------------------------------------


def managed_operator(me: dict[str, Any]) -> dict[str, Any] | None:
    """The admin's own operator; else their own operator (the API then says why they may not manage it)."""
    own = [entry for entry in me.get("operators") or [] if entry["via"] == "OWN"]
    admin = [entry for entry in own if entry["isAdmin"]]
    return (admin or own or [None])[0]


@component
def access_management(me: dict[str, Any], operator: dict[str, Any]):
    client = use_client()
    data, set_data = use_state(LOADING)
    error, set_error = use_state(None)
    version, set_version = use_state(0)
    operator_id = operator["id"]

    @use_async_effect(dependencies=[operator_id, version])
    async def load():
        try:
            result = await client.execute("AccessManagement", {"operatorId": operator_id})
        except GraphQLClientError as exc:
            set_error(exc.messages)
            return
        set_error(None)
        set_data(result)

    def reload() -> None:
        set_version(lambda n: n + 1)

    heading = [
        html.h1(TITLE),
        html.p(
            {"className": "fr-text--lead", "id": "operateur-gere"},
            f"{operator['legalName']} – SIRET {formatting.siret(operator['siret'])}",
        ),
    ]
    if error:
        return html.div(*heading, error_alert(error))
    if data is LOADING:
        return html.div(*heading, loading())
    return html.div(
        *heading,
        summary(),
        habilitations_section(data["habilitations"], reload),
        grant_form(operator_id, data["rights"], reload),
        collaborators_section(operator_id, data["collaborators"], me["id"], reload, version),
        representatives_section(operator_id, data["representatives"], reload),
        audit_section(data["accessAudit"]),
    )


@component
def refusal(title: str):
    """No operator of one's own: the API's own refusal (e.g. PROFESSIONAL_ONLY) is what the user reads."""
    client = use_client()
    message, set_message = use_state(LOADING)

    @use_async_effect(dependencies=[])
    async def ask():
        try:
            access = (await client.execute("SopranoAccess"))["sopranoAccess"]
        except GraphQLClientError as error:
            set_message(error.messages)
            return
        if access["status"] != "OK" and access["message"]:
            set_message([access["message"]])
            return
        set_message(["Vous n'êtes administrateur d'aucun opérateur."])

    if message is LOADING:
        return loading()
    return html.div(html.h1(title), error_alert(message))


@component
def habilitations_page(me: dict[str, Any] | None):
    if me is None:
        return html.div(html.h1(TITLE), login_invitation(PATH, "la gestion des habilitations"))
    entry = managed_operator(me)
    if entry is None:
        return refusal(TITLE)
    return access_management(me, entry["operator"])
