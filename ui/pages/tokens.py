"""/jetons « Mes jetons d'accès API »: create a token for partner software (shown once), list and revoke them."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from reactpy import component, html, use_async_effect, use_scope, use_state

from backend.paging import row_id
from ui import formatting
from ui.client import GraphQLClientError, use_client
from ui.components.access import LOADING, TERMS_NOT_ACCEPTED, terms_screen
from ui.components.feedback import error_alert, loading, login_invitation
from ui.components.forms import (
    confirm_action,
    form_error_alert,
    select_input,
    submit_button,
    text_input,
    use_form_values,
)
from ui.components.layout import actionable_operators
from ui.components.screen_reader import sr_only
from ui.components.submission import use_form_submit, use_row_action
from ui.components.tables import data_table

PATH = "/jetons"
TITLE = "Mes jetons d'accès API"


def _status(token: dict[str, Any]):
    if token["revokedAt"]:
        return html.p({"className": "fr-badge fr-badge--sm fr-badge--error fr-badge--no-icon"}, "révoqué")
    if token["isActive"]:
        return html.p({"className": "fr-badge fr-badge--sm fr-badge--success fr-badge--no-icon"}, "actif")
    return html.p({"className": "fr-badge fr-badge--sm fr-badge--no-icon"}, "expiré")


def portal_origin(scope: dict[str, Any]) -> str:
    """The portal's address as the browser sees it (for the usage example)."""
    headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope.get("headers") or []}
    host = headers.get("host", "127.0.0.1:8000")
    scheme = {"ws": "http", "wss": "https"}.get(scope.get("scheme", "http"), scope.get("scheme", "http"))
    return f"{scheme}://{host}"


def curl_example(origin: str, token: str) -> str:
    body = json.dumps({"query": "{ me { name } }"})
    return (
        f"curl -s {origin}/graphql \\\n"
        f'  -H "Authorization: Bearer {token}" \\\n'
        "  -H 'Content-Type: application/json' \\\n"
        f"  -d '{body}'"
    )


@component
def new_token_box(created: dict[str, Any], origin: str):
    """The token's value, shown once, with how to use it."""
    return html.section(
        {
            "className": "fr-callout fr-callout--green-emeraude fr-mb-4w",
            "aria-labelledby": "jeton-cree-titre",
            "role": "status",
        },
        html.h2({"className": "fr-callout__title", "id": "jeton-cree-titre"}, f"Jeton « {created['name']} » créé"),
        html.p(
            {"className": "fr-callout__text fr-text--bold"},
            "Copiez ce jeton maintenant : il ne sera plus affiché.",
        ),
        html.pre(
            {"className": "portal-code portal-token"},
            html.code({"id": "jeton-cree", "aria-label": "Valeur du jeton"}, created["token"]),
        ),
        html.p({"className": "fr-text--sm fr-mb-1w"}, "Exemple d'utilisation (API GraphQL) :"),
        html.pre(
            {"className": "portal-code"},
            html.code({"id": "jeton-exemple"}, curl_example(origin, created["token"])),
        ),
    )


@component
def token_form(
    me: dict[str, Any],
    right_labels: Mapping[str, str],
    on_created: Callable[[dict[str, Any]], None],
    on_terms: Callable[[], None],
    limits: Mapping[str, int],
):
    """The token's bounds (duration, name length) are the API's `limits`, announced here as it applies them."""
    client = use_client()
    default_days = str(limits["tokenDefaultDays"])
    entries = actionable_operators(me)
    professional = me.get("kind") == "PROFESSIONAL"
    acting = (me.get("actingOperator") or {}).get("id")
    default_operator = (
        acting
        if any(e["operator"]["id"] == acting for e in entries)
        else (entries[0]["operator"]["id"] if entries else "")
    )
    # What a token may receive on each operator is the API's answer (grantableRights: at most one's own right,
    # from the least): a new choice of operator keeps the right when it may, else starts from the least.
    grantable = {entry["operator"]["id"]: entry.get("grantableRights") or [] for entry in entries}

    def least(operator_id: str) -> str:
        return next(iter(grantable.get(operator_id, [])), "")

    form = use_form_values(name="", operator_id=default_operator, right=least(default_operator), days=default_days)
    allowed = grantable.get(form["operator_id"], [])

    def choose_operator(value: str) -> None:
        if form.latest()["right"] in grantable.get(value, []):
            form.update(operator_id=value)
        else:
            form.update(operator_id=value, right=least(value))

    async def send(values: dict[str, Any]) -> None:
        # Every rule (name, operator, right, duration) is the API's: it answers all the problems at once.
        days = values["days"].strip()
        variables = {"name": values["name"].strip(), "expiresInDays": row_id(days)}
        if professional:
            variables.update(operatorId=values["operator_id"] or None, right=values["right"] or None)
        data = await client.execute("CreateApiToken", {"input": variables})
        form.update(name="", days=default_days)
        payload = data["createApiToken"]
        on_created({"name": payload["apiToken"]["name"], "token": payload["token"]})

    def refused(error: GraphQLClientError) -> bool:
        if TERMS_NOT_ACCEPTED in error.codes:
            on_terms()
            return True
        return False

    submit = use_form_submit(form, send, refused=refused)

    operator_fields = []
    if professional:
        operator_fields = [
            select_input(
                "jeton-operateur",
                "Opérateur",
                form["operator_id"],
                [
                    (
                        e["operator"]["id"],
                        f"{e['operator']['legalName']} – SIRET {formatting.siret(e['operator']['siret'])}",
                    )
                    for e in entries
                ],
                choose_operator,
                error=submit.error("operatorId"),
                hint="Le jeton ne pourra agir que pour cet opérateur.",
                placeholder=None if entries else "Aucun opérateur",
                required=True,
            ),
            select_input(
                "jeton-droit",
                "Droit du jeton",
                form["right"],
                [(key, right_labels.get(key, key)) for key in allowed],
                form.setter("right"),
                error=submit.error("right"),
                hint="Au plus votre propre droit sur l'opérateur ; il baisse si votre droit baisse.",
                placeholder=None,
                required=True,
            ),
        ]
    return html.section(
        {"aria-labelledby": "creer-jeton-titre", "className": "fr-mb-6w"},
        html.h2({"id": "creer-jeton-titre"}, "Créer un jeton"),
        form_error_alert(submit.errors, "jeton-erreurs"),
        html.form(
            {
                "onSubmit": submit.on_submit,
                "noValidate": True,
                "aria-labelledby": "creer-jeton-titre",
                "className": "portal-form",
            },
            text_input(
                "jeton-nom",
                "Nom du jeton",
                form["name"],
                form.setter("name"),
                error=submit.error("name"),
                hint="Par exemple le logiciel ou l'application qui l'utilisera.",
                required=True,
                autoComplete="off",
                maxLength=limits["tokenNameMaxLength"],
            ),
            *operator_fields,
            text_input(
                "jeton-duree",
                "Durée de validité (en jours)",
                form["days"],
                form.setter("days"),
                error=submit.error("expiresInDays"),
                hint=f"De {limits['tokenMinDays']} à {limits['tokenMaxDays']} jours.",
                type="number",
                required=True,
                min=limits["tokenMinDays"],
                max=limits["tokenMaxDays"],
                inputMode="numeric",
            ),
            submit_button("Créer le jeton", submit.busy),
        ),
    )


@component
def tokens_list(tokens: list[dict[str, Any]], reload: Callable[[], None]):
    action = use_row_action()

    def revoke(token: dict[str, Any]):
        return lambda: action.run(
            "RevokeApiToken",
            {"id": token["id"]},
            f"Jeton « {token['name']} » révoqué : il ne permet plus d'accéder à l'API.",
            reload,
        )

    rows = [
        (
            token["id"],
            [
                token["name"],
                html.code(f"{token['hint']}…"),
                token["operator"]["legalName"] if token["operator"] else "—",
                token["rightLabel"] or "—",
                formatting.date_time(token["createdAt"]),
                formatting.date_time(token["expiresAt"]),
                formatting.date_time(token["lastUsedAt"]) or "jamais",
                _status(token),
                confirm_action(
                    ["Révoquer", sr_only(f" le jeton {token['name']}")],
                    f"Révoquer le jeton « {token['name']} » ? Les logiciels qui l'utilisent n'auront plus accès.",
                    revoke(token),
                    confirm_label="Confirmer la révocation",
                    key=f"revoquer-{token['id']}",
                )
                if token["isActive"]
                else "",
            ],
        )
        for token in tokens
    ]
    return html.section(
        {"aria-labelledby": "liste-jetons-titre", "className": "fr-mb-6w"},
        html.h2({"id": "liste-jetons-titre"}, "Mes jetons"),
        action.alert("jetons-message"),
        data_table(
            "table-jetons",
            "Jetons d'accès API",
            [
                "Nom",
                "Début du jeton",
                "Opérateur",
                "Droit",
                "Créé le",
                "Expire le",
                "Dernière utilisation",
                "Statut",
                "Action",
            ],
            rows,
            empty="Vous n'avez aucun jeton.",
        ),
    )


@component
def tokens_page(me: dict[str, Any] | None, reload_me: Callable[[], None]):
    client = use_client()
    scope = use_scope()
    loaded, set_loaded = use_state(LOADING)  # the tokens and the rights' labels
    error, set_error = use_state(None)
    version, set_version = use_state(0)
    created, set_created = use_state(None)
    asking_terms, set_asking_terms = use_state(False)
    user_id = me["id"] if me else None

    @use_async_effect(dependencies=[user_id, version])
    async def load():
        if user_id is None:
            return
        try:
            data = await client.execute("ApiTokens")
        except GraphQLClientError as exc:
            set_error(exc.messages)
            return
        set_error(None)
        set_loaded(data)

    def reload() -> None:
        set_version(lambda n: n + 1)

    def token_created(value: dict[str, Any]) -> None:
        set_created(value)
        reload()

    if me is None:
        return html.div(html.h1(TITLE), login_invitation(PATH, "vos jetons d'accès API"))
    if asking_terms or (me.get("kind") == "PROFESSIONAL" and me.get("termsAccepted") is False):

        def accepted():
            set_asking_terms(False)
            reload_me()

        return terms_screen(accepted)
    intro = html.p(
        "Un jeton permet à un logiciel partenaire ou à une application mobile d'utiliser l'API du portail "
        "en votre nom, dans la limite de vos droits. Révoquez-le dès qu'il ne sert plus."
    )
    if error:
        return html.div(html.h1(TITLE), intro, error_alert(error))
    return html.div(
        html.h1(TITLE),
        intro,
        new_token_box(created, portal_origin(scope)) if created else "",
        *(
            [loading()]
            if loaded is LOADING
            else [
                token_form(
                    me,
                    {right["value"]: right["label"] for right in loaded["rights"]},
                    token_created,
                    lambda: set_asking_terms(True),
                    loaded["limits"],
                ),
                tokens_list(loaded["apiTokens"], reload),
            ]
        ),
    )
