"""/habilitations « Gestion des habilitations »: an operator's administrator gives and takes back rights, names
administrators, gives representation mandates, and reads the journal. Every refusal is the API's, in French."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from reactpy import component, event, html, use_async_effect, use_state

from ui import formatting
from ui.client import GraphQLClientError, use_client
from ui.components.access import LOADING
from ui.components.feedback import alert, error_alert, loading, login_invitation
from ui.components.forms import (
    NO_ERRORS,
    Choice,
    FormErrors,
    confirm_action,
    form_error_alert,
    radio_group,
    select_input,
    submit_button,
    text_input,
    use_form_values,
)
from ui.components.tables import data_table

PATH = "/habilitations"
TITLE = "Gestion des habilitations"
RIGHT_OPTIONS = [(key, label) for key, label in formatting.RIGHT_LABELS.items()]

Notice = tuple[str, str] | None  # (DSFR alert kind, message)


def _sr(text: str):
    return html.span({"className": "fr-sr-only"}, text)


def _notice(notice: Notice, id: str):
    if not notice:
        return ""
    kind, message = notice
    return alert(kind, message, id=id)


# --- habilitations ------------------------------------------------------------------------------------------------


@component
def habilitations_section(rows: list[dict[str, Any]], reload: Callable[[], None]):
    client = use_client()
    notice, set_notice = use_state(None)

    def revoke(row: dict[str, Any]) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            try:
                await client.execute("RevokeHabilitation", {"id": row["id"]})
            except GraphQLClientError as error:
                set_notice(("error", " ".join(error.messages)))
                return
            set_notice(("success", f"Habilitation de {row['person']['name']} retirée."))
            reload()

        return run

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
                    ["Retirer", _sr(f" l'habilitation de {row['person']['name']}")],
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
        _notice(notice, "habilitations-message"),
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


@component
def grant_form(operator_id: str, reload: Callable[[], None]):
    client = use_client()
    form = use_form_values(email="", siret="", right="")
    errors, set_errors = use_state(NO_ERRORS)
    success, set_success = use_state(None)
    busy, set_busy = use_state(False)

    @event(prevent_default=True)
    async def submit(event):
        values = form.latest()
        set_success(None)
        if not values["right"]:
            set_errors(FormErrors.of("Choisissez le droit à donner.", "right"))
            return
        set_busy(True)
        try:
            data = await client.execute(
                "GrantHabilitation",
                {
                    "input": {
                        "operatorId": operator_id,
                        "email": values["email"].strip(),
                        "siret": values["siret"].strip() or None,
                        "right": values["right"],
                    }
                },
            )
        except GraphQLClientError as error:
            set_errors(FormErrors.from_error(error))
            set_busy(False)
            return
        granted = data["grantHabilitation"]
        set_busy(False)
        set_errors(NO_ERRORS)
        form.update(email="", siret="", right="")
        set_success(f"{granted['person']['name']} est habilité(e) à {granted['rightLabel']}.")
        reload()

    return html.section(
        {"aria-labelledby": "habiliter-titre", "className": "fr-mb-6w", "id": "habiliter"},
        html.h2({"id": "habiliter-titre"}, "Habiliter une personne"),
        html.p(
            {"className": "fr-text--sm"},
            "La personne doit s'être connectée une fois au portail. Pour inviter un partenaire externe "
            "(salarié d'une autre entreprise), indiquez aussi le SIRET de son opérateur.",
        ),
        alert("success", success, id="habiliter-succes") if success else "",
        form_error_alert(errors, "habiliter-erreurs"),
        html.form(
            {
                "onSubmit": submit,
                "noValidate": True,
                "aria-labelledby": "habiliter-titre",
                "className": "portal-form",
            },
            text_input(
                "habiliter-email",
                "Adresse électronique",
                form["email"],
                form.setter("email"),
                error=errors.get("email") or errors.get("user"),
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
                error=errors.get("siret"),
                hint="Facultatif : 14 chiffres, seulement pour un partenaire externe.",
                inputMode="numeric",
                autoComplete="off",
            ),
            select_input(
                "habiliter-droit",
                "Droit sur SOPRANO",
                form["right"],
                RIGHT_OPTIONS,
                form.setter("right"),
                error=errors.get("right"),
                hint="Consulter < préparer < déposer : chaque droit comprend les précédents.",
                placeholder="Choisissez un droit",
                required=True,
            ),
            submit_button("Habiliter", busy),
        ),
    )


# --- collaborators ------------------------------------------------------------------------------------------------


@component
def collaborators_section(
    operator_id: str, people: list[dict[str, Any]], me_id: str, reload: Callable[[], None], version: int
):
    client = use_client()
    admins, set_admins = use_state(LOADING)
    notice, set_notice = use_state(None)
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
            try:
                await client.execute(
                    "SetOperatorAdministrator",
                    {"operatorId": operator_id, "userId": person["id"], "isAdmin": is_admin},
                )
            except GraphQLClientError as error:
                set_notice(("error", " ".join(error.messages)))
                return
            set_notice(
                (
                    "success",
                    f"{person['name']} est désormais administrateur."
                    if is_admin
                    else f"{person['name']} n'est plus administrateur.",
                )
            )
            reload()

        return run

    def action(person: dict[str, Any]):
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
            _sr(f" – {person['name']}"),
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
                action(person),
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
        _notice(notice, "collaborateurs-message"),
        data_table(
            "table-collaborateurs",
            "Collaborateurs de l'opérateur",
            ["Nom", "Adresse électronique", "Rôle", "Action"],
            rows,
            empty="Aucun collaborateur.",
        ),
    )


# --- representation -----------------------------------------------------------------------------------------------


@component
def representatives_section(operator_id: str, mandates: list[dict[str, Any]], reload: Callable[[], None]):
    client = use_client()
    notice, set_notice = use_state(None)

    def end(mandate: dict[str, Any]):
        async def run() -> None:
            try:
                await client.execute("EndRepresentation", {"id": mandate["id"]})
            except GraphQLClientError as error:
                set_notice(("error", " ".join(error.messages)))
                return
            set_notice(("success", f"Mandat de {mandate['representative']['legalName']} terminé."))
            reload()

        return run

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
                    ["Mettre fin", _sr(f" au mandat de {mandate['representative']['legalName']}")],
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
        _notice(notice, "representants-message"),
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
    errors, set_errors = use_state(NO_ERRORS)
    success, set_success = use_state(None)
    busy, set_busy = use_state(False)

    @event(prevent_default=True)
    async def submit(event):
        values = form.latest()
        set_success(None)
        if not values["valid_from"]:
            set_errors(FormErrors.of("Indiquez la date de début du mandat.", "validFrom"))
            return
        set_busy(True)
        try:
            data = await client.execute(
                "CreateRepresentation",
                {
                    "input": {
                        "representedOperatorId": operator_id,
                        "representativeSiret": values["siret"].strip(),
                        "scope": values["scope"],
                        "validFrom": values["valid_from"],
                        "validUntil": values["valid_until"] or None,
                    }
                },
            )
        except GraphQLClientError as error:
            set_errors(FormErrors.from_error(error))
            set_busy(False)
            return
        set_busy(False)
        set_errors(NO_ERRORS)
        form.update(siret="", valid_until="")
        set_success(f"Mandat donné à {data['createRepresentation']['representative']['legalName']}.")
        reload()

    return html.div(
        html.h3({"id": "mandat-titre", "className": "fr-h5 fr-mt-4w"}, "Donner un mandat de représentation"),
        alert("success", success, id="mandat-succes") if success else "",
        form_error_alert(errors, "mandat-erreurs"),
        html.form(
            {
                "onSubmit": submit,
                "noValidate": True,
                "aria-labelledby": "mandat-titre",
                "className": "portal-form",
            },
            text_input(
                "mandat-siret",
                "SIRET du représentant en douane",
                form["siret"],
                form.setter("siret"),
                error=errors.get("representativeSiret"),
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
                error=errors.get("scope"),
            ),
            text_input(
                "mandat-debut",
                "Début du mandat",
                form["valid_from"],
                form.setter("valid_from"),
                error=errors.get("validFrom"),
                type="date",
                required=True,
            ),
            text_input(
                "mandat-fin",
                "Fin du mandat",
                form["valid_until"],
                form.setter("valid_until"),
                error=errors.get("validUntil"),
                hint="Facultatif : sans date de fin, le mandat court jusqu'à ce que vous y mettiez fin.",
                type="date",
            ),
            submit_button("Donner le mandat", busy),
        ),
    )


# --- journal ------------------------------------------------------------------------------------------------------


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
        grant_form(operator_id, reload),
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
