"""/jetons « Mes jetons d'accès API »: create a token for partner software (shown once), list and revoke them."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from reactpy import component, event, html, use_async_effect, use_scope, use_state

from ui import formatting
from ui.client import GraphQLClientError, use_client
from ui.components.access import LOADING, TERMS_NOT_ACCEPTED, terms_screen
from ui.components.feedback import alert, error_alert, loading, login_invitation
from ui.components.forms import (
    NO_ERRORS,
    FormErrors,
    confirm_action,
    form_error_alert,
    select_input,
    submit_button,
    text_input,
    use_form_values,
)
from ui.components.layout import actionable_operators
from ui.components.tables import data_table

PATH = "/jetons"
TITLE = "Mes jetons d'accès API"
DEFAULT_DAYS = "90"


def _sr(text: str):
    return html.span({"className": "fr-sr-only"}, text)


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
def token_form(me: dict[str, Any], on_created: Callable[[dict[str, Any]], None], on_terms: Callable[[], None]):
    client = use_client()
    entries = actionable_operators(me)
    professional = me.get("kind") == "PROFESSIONAL"
    acting = (me.get("actingOperator") or {}).get("id")
    default_operator = (
        acting
        if any(e["operator"]["id"] == acting for e in entries)
        else (entries[0]["operator"]["id"] if entries else "")
    )
    form = use_form_values(name="", operator_id=default_operator, right="CONSULT", days=DEFAULT_DAYS)
    errors, set_errors = use_state(NO_ERRORS)
    busy, set_busy = use_state(False)

    # What a token may receive on each operator is the API's answer (grantableRights: at most one's own right).
    grantable = {entry["operator"]["id"]: entry.get("grantableRights") or [] for entry in entries}
    allowed = grantable.get(form["operator_id"], [])

    def choose_operator(value: str) -> None:
        if form.latest()["right"] in grantable.get(value, []):
            form.update(operator_id=value)
        else:
            form.update(operator_id=value, right="CONSULT")

    @event(prevent_default=True)
    async def submit(event):
        values = form.latest()
        # Only what the request needs to be built; every rule (name, operator, right, duration) is the API's.
        if not values["days"].strip().isdigit():
            set_errors(
                FormErrors.of("Indiquez la durée de validité en jours (un nombre entier).", "expiresInDays")
            )
            return
        set_busy(True)
        variables = {"name": values["name"].strip(), "expiresInDays": int(values["days"])}
        if professional:
            variables.update(operatorId=values["operator_id"] or None, right=values["right"])
        try:
            data = await client.execute("CreateApiToken", {"input": variables})
        except GraphQLClientError as error:
            set_busy(False)
            if TERMS_NOT_ACCEPTED in error.codes:
                on_terms()
                return
            set_errors(FormErrors.from_error(error))
            return
        set_busy(False)
        set_errors(NO_ERRORS)
        form.update(name="", days=DEFAULT_DAYS)
        payload = data["createApiToken"]
        on_created({"name": payload["apiToken"]["name"], "token": payload["token"]})

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
                error=errors.get("operatorId"),
                hint="Le jeton ne pourra agir que pour cet opérateur.",
                placeholder=None if entries else "Aucun opérateur",
                required=True,
            ),
            select_input(
                "jeton-droit",
                "Droit du jeton",
                form["right"],
                [(key, formatting.RIGHT_LABELS[key]) for key in allowed],
                form.setter("right"),
                error=errors.get("right"),
                hint="Au plus votre propre droit sur l'opérateur ; il baisse si votre droit baisse.",
                placeholder=None,
                required=True,
            ),
        ]
    return html.section(
        {"aria-labelledby": "creer-jeton-titre", "className": "fr-mb-6w"},
        html.h2({"id": "creer-jeton-titre"}, "Créer un jeton"),
        form_error_alert(errors, "jeton-erreurs"),
        html.form(
            {
                "onSubmit": submit,
                "noValidate": True,
                "aria-labelledby": "creer-jeton-titre",
                "className": "portal-form",
            },
            text_input(
                "jeton-nom",
                "Nom du jeton",
                form["name"],
                form.setter("name"),
                error=errors.get("name"),
                hint="Par exemple le logiciel ou l'application qui l'utilisera.",
                required=True,
                autoComplete="off",
                maxLength=120,
            ),
            *operator_fields,
            text_input(
                "jeton-duree",
                "Durée de validité (en jours)",
                form["days"],
                form.setter("days"),
                error=errors.get("expiresInDays"),
                hint="De 1 à 366 jours.",
                type="number",
                required=True,
                min=1,
                max=366,
                inputMode="numeric",
            ),
            submit_button("Créer le jeton", busy),
        ),
    )


@component
def tokens_list(tokens: list[dict[str, Any]], reload: Callable[[], None]):
    client = use_client()
    notice, set_notice = use_state(None)

    def revoke(token: dict[str, Any]):
        async def run() -> None:
            try:
                await client.execute("RevokeApiToken", {"id": token["id"]})
            except GraphQLClientError as error:
                set_notice(("error", " ".join(error.messages)))
                return
            set_notice(("success", f"Jeton « {token['name']} » révoqué : il ne permet plus d'accéder à l'API."))
            reload()

        return run

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
                    ["Révoquer", _sr(f" le jeton {token['name']}")],
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
        alert(notice[0], notice[1], id="jetons-message") if notice else "",
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
    tokens, set_tokens = use_state(LOADING)
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
        set_tokens(data["apiTokens"])

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
        token_form(me, token_created, lambda: set_asking_terms(True)),
        loading() if tokens is LOADING else tokens_list(tokens, reload),
    )
