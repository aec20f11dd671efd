"""Sending to the API, the same way on every screen: a form (`use_form_submit`) or a row's button
(`use_row_action`). While it is sent the form says so; a refusal comes back in French, in an alert and next to the
field the API names; nothing typed is lost on a refusal (only the caller resets its values, once the API accepted
them). Every rule is the API's: `check` only catches what a request cannot be built without."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from reactpy import event, use_state

from ui.client import GraphQLClientError, use_client
from ui.components.feedback import alert
from ui.components.forms import NO_ERRORS, FormErrors, FormValues

Notice = tuple[str, str] | None  # (DSFR alert kind, message)


@dataclass(frozen=True)
class FormSubmit:
    on_submit: Any  # the form's onSubmit handler
    busy: bool
    errors: FormErrors
    success: str | None

    def error(self, *fields: str) -> str | None:
        """The message for a field, under the first of its API names that has one."""
        return next((self.errors.get(name) for name in fields if self.errors.get(name)), None)


def use_form_submit(
    form: FormValues,
    send: Callable[[dict[str, Any]], Awaitable[str | None]],
    *,
    check: Callable[[dict[str, Any]], FormErrors] | None = None,
    refused: Callable[[GraphQLClientError], bool] | None = None,
) -> FormSubmit:
    """`send(values)` runs the operation with the form's latest values and returns the success message (or None);
    it resets the fields it wants cleared once accepted. `refused(error)` may take a refusal over (e.g. the CGU to
    accept) by returning True; any other refusal is shown as the form's errors."""
    errors, set_errors = use_state(NO_ERRORS)
    success, set_success = use_state(None)
    busy, set_busy = use_state(False)

    @event(prevent_default=True)
    async def on_submit(event):
        # The latest values, not this render's: a submit may be handled before the last change is drawn.
        values = form.latest()
        set_success(None)
        problems = check(values) if check else NO_ERRORS
        if problems:
            set_errors(problems)
            return
        set_busy(True)
        try:
            message = await send(values)
        except GraphQLClientError as error:
            if not (refused and refused(error)):
                set_errors(FormErrors.from_error(error))
            return
        finally:
            set_busy(False)
        set_errors(NO_ERRORS)
        set_success(message)

    return FormSubmit(on_submit, busy, errors, success)


@dataclass(frozen=True)
class RowAction:
    notice: Notice
    run: Callable[[str, Mapping[str, Any], str, Callable[[], None] | None], Awaitable[None]]

    def alert(self, id: str):
        """The outcome of the last action, where the section shows it."""
        if not self.notice:
            return ""
        kind, message = self.notice
        return alert(kind, message, id=id)


def use_row_action() -> RowAction:
    """`run(operation, variables, success, then)`: the API's refusal or `success` becomes the section's notice; `then`
    (a reload) runs once the API accepted."""
    client = use_client()
    notice, set_notice = use_state(None)

    async def run(
        operation: str, variables: Mapping[str, Any], success: str, then: Callable[[], None] | None = None
    ) -> None:
        try:
            await client.execute(operation, variables)
        except GraphQLClientError as error:
            set_notice(("error", " ".join(error.messages)))
            return
        set_notice(("success", success))
        if then:
            then()

    return RowAction(notice, run)
