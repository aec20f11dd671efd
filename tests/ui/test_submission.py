"""The one way a form is sent to the API (`use_form_submit`): it says it is being sent, a refusal lands next to the
field the API names, what was typed stays on a refusal, and only an accepted form is reset. Driven through
ReactPy's own layout, as its client would, without a browser."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

from reactpy import component, html
from reactpy.core.layout import Layout

from ui.client import GraphQLClientError
from ui.components.forms import NO_ERRORS, FormErrors, form_error_alert, submit_button, text_input, use_form_values
from ui.components.submission import use_form_submit

REFUSAL = "Aucun compte professionnel ne correspond."


def elements(model: Any) -> Iterator[dict[str, Any]]:
    if isinstance(model, dict):
        yield model
        for child in model.get("children", []):
            yield from elements(child)


def by_id(model: dict[str, Any], element_id: str) -> dict[str, Any] | None:
    return next((e for e in elements(model) if e.get("attributes", {}).get("id") == element_id), None)


def the_form(model: dict[str, Any]) -> dict[str, Any]:
    return next(e for e in elements(model) if e.get("tagName") == "form")


def the_button(model: dict[str, Any]) -> dict[str, Any]:
    return next(e for e in elements(model) if e.get("tagName") == "button")


class FakeApi:
    """What `send` meets: a refusal naming the field, or an acceptance; `gate` holds the answer back."""

    def __init__(self, refuse: bool) -> None:
        self.refuse = refuse
        self.sent: list[dict[str, Any]] = []
        self.gate = asyncio.Event()

    async def send(self, values: dict[str, Any]) -> None:
        self.sent.append(values)
        await self.gate.wait()
        if self.refuse:
            raise GraphQLClientError([{"message": REFUSAL, "extensions": {"code": "INVALID", "field": "email"}}])


def email_form(api: FakeApi):
    @component
    def form_under_test():
        form = use_form_values(email="")

        def check(values: dict[str, Any]) -> FormErrors:
            return NO_ERRORS if values["email"] else FormErrors.of("Indiquez une adresse.", "email")

        async def send(values: dict[str, Any]) -> str:
            await api.send(values)
            form.update(email="")
            return "Envoyé."

        submit = use_form_submit(form, send, check=check)
        return html.div(
            html.p({"id": "succes"}, submit.success) if submit.success else "",
            form_error_alert(submit.errors, "erreurs"),
            html.form(
                {"onSubmit": submit.on_submit},
                text_input("email", "Adresse", form["email"], form.setter("email"), error=submit.error("email")),
                submit_button("Envoyer", submit.busy),
            ),
        )

    return form_under_test()


async def next_model(layout: Layout, until) -> dict[str, Any]:
    """Renders until `until(model)` holds (the handler's task runs beside the renders)."""
    model: dict[str, Any] = {}
    for _ in range(50):
        update = await asyncio.wait_for(layout.render(), timeout=2)
        model = update["model"] if update["path"] == "" else model
        if model and until(model):
            return model
    raise AssertionError(f"the form never reached the expected state: {model}")


async def type_and_submit(layout: Layout, model: dict[str, Any], text: str) -> None:
    change = by_id(model, "email")["eventHandlers"]["onChange"]["target"]
    await layout.deliver({"target": change, "data": [{"target": {"value": text}}]})
    submit = the_form(model)["eventHandlers"]["onSubmit"]["target"]
    await layout.deliver({"target": submit, "data": [{}]})


async def test_a_refused_form_is_pending_then_shows_the_api_message_next_to_the_field_and_keeps_the_input():
    api = FakeApi(refuse=True)
    async with Layout(email_form(api)) as layout:
        model = (await layout.render())["model"]
        await type_and_submit(layout, model, "personne@exemple")

        pending = await next_model(layout, lambda m: the_button(m)["attributes"].get("disabled"))
        assert the_button(pending)["children"] == ["Envoi en cours…"]
        api.gate.set()

        refused = await next_model(layout, lambda m: by_id(m, "email-message-error") is not None)
        assert by_id(refused, "email-message-error")["children"] == [REFUSAL]
        assert by_id(refused, "email")["attributes"]["defaultValue"] == "personne@exemple"
        assert by_id(refused, "email")["attributes"]["aria-invalid"] == "true"
        assert REFUSAL in str(by_id(refused, "erreurs"))
        assert not the_button(refused)["attributes"].get("disabled")
    assert api.sent == [{"email": "personne@exemple"}]


async def test_an_accepted_form_says_so_and_is_reset_by_the_caller():
    api = FakeApi(refuse=False)
    api.gate.set()
    async with Layout(email_form(api)) as layout:
        model = (await layout.render())["model"]
        await type_and_submit(layout, model, "camille@exemple.fr")
        done = await next_model(layout, lambda m: by_id(m, "succes") is not None)
        assert by_id(done, "succes")["children"] == ["Envoyé."]
        assert by_id(done, "email")["attributes"]["defaultValue"] == ""
        assert by_id(done, "erreurs") is None


async def test_a_form_the_request_cannot_be_built_from_is_not_sent():
    api = FakeApi(refuse=False)
    async with Layout(email_form(api)) as layout:
        model = (await layout.render())["model"]
        submit = the_form(model)["eventHandlers"]["onSubmit"]["target"]
        await layout.deliver({"target": submit, "data": [{}]})
        checked = await next_model(layout, lambda m: by_id(m, "email-message-error") is not None)
        assert by_id(checked, "email-message-error")["children"] == ["Indiquez une adresse."]
    assert api.sent == []


def position_of_form(model: dict[str, Any]) -> int:
    """Where the form stands among its container's children, as the browser counts them (empty text dropped)."""
    parent = next(
        e
        for e in elements(model)
        if any(isinstance(c, dict) and c.get("tagName") == "form" for c in e.get("children", []))
    )
    children = [child for child in parent["children"] if child != ""]
    return next(index for index, child in enumerate(children) if child["tagName"] == "form")


async def test_the_alert_of_a_refused_form_does_not_shift_the_fields_the_browser_matches_by_position():
    api = FakeApi(refuse=True)
    api.gate.set()
    async with Layout(email_form(api)) as layout:
        model = (await layout.render())["model"]
        before = position_of_form(model)
        await type_and_submit(layout, model, "personne@exemple")
        refused = await next_model(layout, lambda m: by_id(m, "erreurs") is not None)
        assert position_of_form(refused) == before
