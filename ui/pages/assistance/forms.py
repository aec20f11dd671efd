"""What the assistance forms share: an API refusal placed next to the fields (its `extensions.fields` named by the
API's argument names), and the script that opens the new request's page."""

from __future__ import annotations

import json
from collections.abc import Mapping

from reactpy import html

from ui.client import GraphQLClientError
from ui.components.feedback import alert
from ui.components.forms import FormErrors
from ui.pages.assistance.presentation import request_href


def placed(error: GraphQLClientError, elements: Mapping[str, str]) -> FormErrors:
    """The refusal with each field's message under its element's id (`elements`: API argument → element id)."""
    found = FormErrors.from_error(error)
    return FormErrors(
        found.messages, {elements[name]: message for name, message in found.fields.items() if name in elements}
    )


def first_focus(errors: FormErrors, order: list[str], summary: str) -> str:
    """The first field in error, in the form's order, or the summary."""
    return next((element for element in order if errors.get(element)), summary)


def opening(request_id: str, said: str):
    return html.div(
        alert("success", [said], id="demande-creee"),
        html.script({"key": request_id}, f"window.location.assign({json.dumps(request_href(request_id))});"),
    )
