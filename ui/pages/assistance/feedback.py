"""/assistance/avis?page=<path>: « Votre avis nous intéresse » — a rating from 1 to 5 of a page of the portal, with
an optional comment; once a day per page (`mayGiveFeedback`, ALREADY_GIVEN told in French)."""

from __future__ import annotations

from typing import Any

from reactpy import component, event, html, use_async_effect, use_location, use_state

from ui.client import GraphQLClientError, use_client
from ui.components.feedback import alert, loading, login_invitation
from ui.components.focus import focus_script
from ui.components.forms import (
    NO_ERRORS,
    Choice,
    FormErrors,
    form_error_alert,
    radio_group,
    submit_button,
    textarea_input,
    use_form_values,
)
from ui.pages.assistance.forms import first_focus, placed
from ui.pages.assistance.presentation import page_from_query
from ui.pages.declarations.presentation import slot

TITLE = "Votre avis nous intéresse"
RATING, COMMENT = "avis-note", "avis-commentaire"
ELEMENTS = {"rating": RATING, "comment": COMMENT}
SUMMARY = "avis-erreurs"
ALREADY = "Vous avez déjà donné votre avis sur cette page aujourd'hui : merci ! Vous pourrez en donner un nouveau demain."
RATINGS = [
    Choice("1", "1 sur 5 – Très insatisfait"),
    Choice("2", "2 sur 5 – Insatisfait"),
    Choice("3", "3 sur 5 – Moyennement satisfait"),
    Choice("4", "4 sur 5 – Satisfait"),
    Choice("5", "5 sur 5 – Très satisfait"),
]
LOADING = object()


def _page_link(page: str):
    return html.a({"href": page, "id": "avis-page"}, page)


@component
def feedback_form(page: str):
    client = use_client()
    form = use_form_values(rating="", comment="")
    may, set_may = use_state(LOADING)
    errors, set_errors = use_state(NO_ERRORS)
    busy, set_busy = use_state(False)
    focus, set_focus = use_state((None, 0))
    thanked, set_thanked = use_state(False)

    @use_async_effect(dependencies=[page])
    async def load():
        try:
            data = await client.execute("MayGiveFeedback", {"page": page})
        except GraphQLClientError:
            data = {"mayGiveFeedback": True}  # the API says it again when the opinion is sent
        set_may(data["mayGiveFeedback"])

    @event(prevent_default=True)
    async def send(event):
        values = form.latest()
        if not values["rating"]:
            found = FormErrors.of("Choisissez une note de 1 à 5.", RATING)
            set_errors(found)
            set_focus(lambda current: (f"{RATING}-0", current[1] + 1))
            return
        set_busy(True)
        try:
            await client.execute(
                "GiveFeedback",
                {"page": page, "rating": int(values["rating"]), "comment": values["comment"].strip() or None},
            )
        except GraphQLClientError as error:
            set_busy(False)
            if "ALREADY_GIVEN" in error.codes:
                set_may(False)
                return
            found = placed(error, ELEMENTS)
            set_errors(found)
            first = first_focus(found, [RATING, COMMENT], SUMMARY)
            set_focus(lambda current: (f"{RATING}-0" if first == RATING else first, current[1] + 1))
            return
        set_busy(False)
        set_thanked(True)

    if thanked:
        return html.div(
            alert("success", ["Merci : votre avis est enregistré. Il aide l'équipe du portail à l'améliorer."],
                  title="Avis envoyé", id="avis-merci", level=2),
            html.a({"className": "fr-btn fr-btn--secondary", "href": page}, "Revenir à la page"),
        )  # fmt: skip
    if may is LOADING:
        return loading()
    if may is False:
        return html.div(
            alert("info", [ALREADY], id="avis-deja-donne"),
            html.a({"className": "fr-btn fr-btn--secondary", "href": page}, "Revenir à la page"),
        )
    return html.form(
        {"onSubmit": send, "noValidate": True, "aria-labelledby": "avis-titre", "className": "portal-form",
         "id": "formulaire-avis"},
        slot("erreurs", form_error_alert(errors, SUMMARY, level=2)),
        radio_group(RATING, "Votre note (obligatoire)", RATINGS, form["rating"] or None,
                    lambda value: (form.update(rating=value), set_errors(NO_ERRORS)), error=errors.get(RATING),
                    hint="De 1 (très insatisfait) à 5 (très satisfait)."),
        textarea_input(COMMENT, "Commentaire (facultatif)", form["comment"], form.setter("comment"),
                       error=errors.get(COMMENT), max_length=2000,
                       hint="Ce qui vous a aidé, ce qui vous a gêné. N'y écrivez pas de données personnelles."),
        submit_button("Envoyer mon avis", busy),
        focus_script(focus[0], focus[1]),
    )  # fmt: skip


@component
def feedback_page(me: dict[str, Any] | None):
    location = use_location()
    page = page_from_query(location.query_string or "") or "/"
    intro = html.p({"className": "fr-text--lead"}, "Votre avis porte sur la page ", _page_link(page),
                   ". Une note et, si vous le souhaitez, un commentaire : un avis par page et par jour.")  # fmt: skip
    if me is None:
        return html.div(
            html.h1({"id": "avis-titre"}, TITLE),
            intro,
            login_invitation(location.path + location.query_string, "« Votre avis nous intéresse »"),
        )
    return html.div(html.h1({"id": "avis-titre"}, TITLE), intro, feedback_form(page, key=page))
