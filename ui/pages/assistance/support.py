"""/support: the portal's support desk — the technical tickets to answer (à traiter / en attente / closes, live) and
« Votre avis nous intéresse » as users gave it: how many, the average rating, the trend by month, and each opinion
(page, rating, comment, who, when) with a search and « Afficher plus ». Who is the support is the API's: the page asks
it for the opinions and tells anyone it refuses that the desk is not theirs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reactpy import component, event, html, use_async_effect, use_location, use_state

from ui import formatting
from ui.client import GraphQLClientError, use_client
from ui.components.feedback import error_alert, loading, login_invitation
from ui.components.forms import text_input, use_form_values
from ui.components.list_state import clean_search
from ui.components.tables import data_table
from ui.pages.assistance.gates import refusal
from ui.pages.assistance.listing import ListWords, request_list

TITLE = "Support du portail"
PAGE_SIZE = 20
NOT_YOURS = (
    "Cette page est celle du support du portail : elle liste les demandes d'assistance technique et les avis des "
    "usagers. Votre compte n'en fait pas partie. Pour signaler un problème, utilisez « Aide » puis « Assistance "
    "technique »."
)
TICKET_WORDS = ListWords(
    "Tickets",
    {
        "TODO": "Les demandes d'assistance technique qui attendent la réponse du support.",
        "WAITING": "Les demandes auxquelles le support a répondu : le demandeur peut répondre ou clore.",
        "DONE": "Les demandes closes.",
    },
    {
        "TODO": "Aucune demande n'attend le support.",
        "WAITING": "Aucune demande en attente du demandeur.",
        "DONE": "Aucune demande close.",
    },
    "Référence (AT-…), objet, message, auteur",
    "Aucune demande d'assistance technique pour l'instant.",
)
LOADING = object()
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")  # fmt: skip


def average(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}".replace(".", ",") + " / 5"


def month_label(month: str) -> str:
    year, _, number = month.partition("-")
    try:
        return f"{MONTHS[int(number) - 1]} {year}"
    except (ValueError, IndexError):
        return month


def _summary(summary: Mapping[str, Any]):
    months = summary["months"]
    return html.div(
        html.dl(
            {"className": "portal-facts fr-mb-3w", "id": "avis-synthese"},
            html.div({"className": "portal-facts__item"}, html.dt("Nombre d'avis"),
                     html.dd({"id": "avis-nombre"}, str(summary["count"]))),
            html.div({"className": "portal-facts__item"}, html.dt("Note moyenne"),
                     html.dd({"id": "avis-moyenne"}, average(summary["average"]))),
        ),
        data_table("avis-mois", "Évolution par mois", ["Mois", "Nombre d'avis", "Note moyenne"],
                   [(m["month"], [month_label(m["month"]), str(m["count"]), average(m["average"])]) for m in months],
                   empty="Aucun avis pour l'instant.", caption_hidden=False),
    )  # fmt: skip


@component
def feedback_section(first: Mapping[str, Any]):
    client = use_client()
    typed = use_form_values(search="")
    search, set_search = use_state("")
    data, set_data = use_state(first)
    error, set_error = use_state(None)
    busy, set_busy = use_state(False)

    @use_async_effect(dependencies=[search])
    async def load():
        try:
            fresh = await client.execute("FeedbackList", {"search": search or None, "first": PAGE_SIZE})
        except GraphQLClientError as failure:
            set_error(" ".join(failure.messages))
            return
        set_error(None)
        set_data(fresh)

    @event(prevent_default=True)
    def submit(event):
        set_search(clean_search(typed.latest()["search"]))

    def clear(event) -> None:
        typed.update(search="")
        set_search("")

    async def more(event) -> None:
        listed = data["feedback"]
        set_busy(True)
        try:
            fresh = await client.execute(
                "FeedbackList", {"search": search or None, "first": PAGE_SIZE, "after": listed["endCursor"]}
            )
        except GraphQLClientError as failure:
            set_error(" ".join(failure.messages))
            return
        finally:
            set_busy(False)
        merged = {**fresh["feedback"], "items": [*listed["items"], *fresh["feedback"]["items"]]}
        set_data({**fresh, "feedback": merged})

    listed = data["feedback"]
    rows = [
        (f["id"], [html.a({"href": f["page"]}, f["page"]), f"{f['rating']} / 5", f["comment"] or "–", f["givenBy"],
                   formatting.date_time(f["at"])])
        for f in listed["items"]
    ]  # fmt: skip
    return html.section(
        {"aria-labelledby": "avis-titre", "className": "fr-mt-6w"},
        html.h2({"id": "avis-titre"}, "Votre avis nous intéresse : les avis des usagers"),
        _summary(data["feedbackSummary"]),
        html.h3({"className": "fr-h5 fr-mt-4w"}, "Les avis"),
        html.form(
            {"role": "search", "className": "portal-search fr-mb-3w", "onSubmit": submit, "noValidate": True},
            text_input("recherche-avis", "Rechercher un avis", typed["search"], typed.setter("search"),
                       hint="Page, commentaire ou nom", type="search"),
            html.ul(
                {"className": "fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm"},
                html.li(html.button({"type": "submit", "className": "fr-btn fr-btn--sm"}, "Rechercher")),
                html.li(html.button({"type": "button", "className": "fr-btn fr-btn--sm fr-btn--tertiary",
                                     "onClick": clear}, "Effacer la recherche")) if search else "",
            ),
        ),
        error_alert(error) if error else "",
        html.p({"className": "fr-text--sm fr-mb-1w", "id": "avis-compte"},
               f"{listed['totalCount']} avis" + (f", dont {len(listed['items'])} affichés"
                                                 if listed["hasNextPage"] else "")),
        data_table("tableau-avis", "Les avis des usagers", ["Page", "Note", "Commentaire", "Donné par", "Le"], rows,
                   empty="Aucun avis ne correspond à votre recherche." if search else "Aucun avis pour l'instant.",
                   stacked=True),
        html.button({"type": "button", "className": "fr-btn fr-btn--secondary fr-mt-2w", "id": "avis-plus",
                     "onClick": more, "disabled": busy}, "Chargement…" if busy else "Afficher plus")
        if listed["hasNextPage"]
        else "",
    )  # fmt: skip


@component
def support_desk(me: Mapping[str, Any]):
    client = use_client()
    first, set_first = use_state(LOADING)
    error, set_error = use_state(None)

    @use_async_effect(dependencies=[])
    async def load():
        try:
            data = await client.execute("FeedbackList", {"first": PAGE_SIZE})
        except GraphQLClientError as failure:
            set_error(failure)
            return
        set_first(data)

    if error is not None:
        if "FORBIDDEN" in error.codes:
            return refusal(TITLE, NOT_YOURS, id="support-refus")
        return html.div(html.h1(TITLE), error_alert(error.messages))
    if first is LOADING:
        return loading("Chargement du support…")
    return html.div(
        html.h1({"id": "support-titre"}, TITLE),
        html.p({"className": "fr-text--lead"},
               "Les demandes d'assistance technique des usagers, et leurs avis sur les pages du portail."),
        html.h2({"id": "tickets-titre"}, "Demandes d'assistance technique"),
        request_list(me, "TO_ANSWER", "TICKET", TICKET_WORDS, prefix="tickets", key=me["id"]),
        feedback_section(first),
    )  # fmt: skip


@component
def support_page(me: dict[str, Any] | None):
    """A visitor is invited to log in; anyone else asks the API, which tells who the support is."""
    location = use_location()
    if me is None:
        return html.div(
            html.h1(TITLE), login_invitation(location.path + location.query_string, "l'espace du support")
        )
    return support_desk(me, key=me["id"])
