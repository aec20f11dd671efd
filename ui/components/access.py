"""What stands before SOPRANO: being logged in, a professional account (the API answers PROFESSIONAL_ONLY otherwise),
and the current terms of use (CGU) accepted (TERMS_NOT_ACCEPTED until then)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reactpy import component, html, use_async_effect, use_location, use_state

from ui import formatting
from ui.client import GraphQLClientError, use_client
from ui.components.feedback import error_alert, loading, login_invitation
from ui.components.forms import NO_ERRORS, FormErrors, checkbox, form_error_alert, submit_button, use_form_values
from ui.components.submission import use_form_submit

LOADING = object()
TERMS_NOT_ACCEPTED = "TERMS_NOT_ACCEPTED"
PROFESSIONAL_ONLY = "PROFESSIONAL_ONLY"
LOGIN_REQUIRED = "LOGIN_REQUIRED"


@component
def terms_screen(on_accepted: Callable[[], None]):
    """The CGU of SOPRANO: read the text, tick the box, accept the version shown."""
    client = use_client()
    terms, set_terms = use_state(LOADING)
    load_error, set_load_error = use_state(None)
    form = use_form_values(accepted=False)

    def check(values: dict[str, Any]) -> FormErrors:
        if not values["accepted"]:
            return FormErrors.of(
                "Cochez la case pour accepter les conditions générales d'utilisation.", "cgu-acceptation"
            )
        return NO_ERRORS

    async def send(values: dict[str, Any]) -> None:
        await client.execute("AcceptTerms", {"version": terms["version"]})
        on_accepted()

    submit = use_form_submit(form, send, check=check)

    @use_async_effect(dependencies=[])
    async def load_terms():
        try:
            data = await client.execute("TermsOfUse")
        except GraphQLClientError as error:
            set_load_error(error.messages)
            return
        set_terms(data["termsOfUse"])

    if load_error:
        return html.div(html.h1("Conditions générales d'utilisation"), error_alert(load_error))
    if terms is LOADING:
        return loading()
    if terms is None:
        return html.div(
            html.h1("Conditions générales d'utilisation"),
            error_alert("Aucune condition générale d'utilisation n'est en vigueur."),
        )
    return html.section(
        {"aria-labelledby": "cgu-titre", "id": "cgu"},
        html.h1({"id": "cgu-titre"}, terms["title"]),
        html.p(
            {"className": "fr-text--sm"},
            f"Version {terms['version']} en vigueur depuis le {formatting.date(terms['publishedAt'])}. ",
            "Vous devez les accepter pour utiliser SOPRANO.",
        ),
        html.div(
            {
                "className": "portal-terms fr-mb-3w",
                "tabIndex": 0,
                "role": "region",
                "aria-label": f"Texte des conditions générales d'utilisation, version {terms['version']}",
            },
            terms["body"],
        ),
        form_error_alert(submit.errors, "cgu-erreurs"),
        html.form(
            {"onSubmit": submit.on_submit, "noValidate": True, "aria-labelledby": "cgu-titre"},
            html.fieldset(
                {"className": "fr-fieldset"},
                html.legend({"className": "fr-sr-only"}, "Acceptation des conditions générales d'utilisation"),
                html.div(
                    {"className": "fr-fieldset__element"},
                    checkbox(
                        "cgu-acceptation",
                        "J'ai lu et j'accepte les conditions générales d'utilisation",
                        form["accepted"],
                        form.setter("accepted"),
                        error=submit.error("cgu-acceptation", "version"),
                    ),
                ),
            ),
            submit_button("Accepter et continuer", submit.busy),
        ),
    )


@component
def soprano_gate(
    me: dict[str, Any] | None,
    reload_me: Callable[[], None],
    title: str,
    path: str,
    render: Callable[[], Any],
):
    """Renders `render()` once the API lets the user into SOPRANO (`sopranoAccess`); otherwise what stops them, in
    French: the invitation to log in, the CGU to accept, or the API's message."""
    client = use_client()
    location = use_location()
    back_to = path + location.query_string  # a shared link (dashboard filters) survives the login
    access, set_access = use_state(LOADING)
    attempt, set_attempt = use_state(0)
    user_id = me["id"] if me else None
    terms_accepted = me.get("termsAccepted") if me else None

    @use_async_effect(dependencies=[user_id, terms_accepted, attempt])
    async def check_entry():
        if user_id is None:
            return
        try:
            data = await client.execute("SopranoAccess")
        except GraphQLClientError as error:
            set_access({"status": "ERROR", "message": " ".join(error.messages)})
            return
        set_access(data["sopranoAccess"])

    if me is None:
        return html.div(html.h1(title), login_invitation(back_to, "SOPRANO"))
    if access is LOADING:
        return loading()
    status = access["status"]
    if status == "OK":
        return render()
    if status == TERMS_NOT_ACCEPTED:

        def accepted():
            set_access(LOADING)
            set_attempt(lambda n: n + 1)
            reload_me()

        return terms_screen(accepted)
    if status == LOGIN_REQUIRED:
        return html.div(html.h1(title), login_invitation(back_to, "SOPRANO"))
    return html.div(html.h1(title), error_alert(access["message"] or "Accès à SOPRANO impossible."))
