"""On a professional's home, in « À traiter »: an answer from customs (or the support) waits in « Mes demandes »
(`assistanceCounts(side: ASKED).todo`), with the link to that tab."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reactpy import component, html, use_async_effect, use_state

from ui.client import GraphQLClientError, use_client
from ui.pages.assistance.list_url import list_href
from ui.routes import ASSISTANCE_PATH

PROFESSIONAL = "PROFESSIONAL"


@component
def assistance_todo(me: Mapping[str, Any]):
    client = use_client()
    todo, set_todo = use_state(0)
    professional = me.get("kind") == PROFESSIONAL

    @use_async_effect(dependencies=[me["id"]])
    async def load():
        if not professional:
            return
        try:
            data = await client.execute("AssistanceCounts", {"side": "ASKED"})
        except GraphQLClientError:
            return
        set_todo(data["assistanceCounts"]["todo"])

    if not professional or not todo:
        return html.div({"id": "a-traiter-assistance"})
    what = "Une réponse de la douane vous attend" if todo == 1 else f"{todo} réponses de la douane vous attendent"
    return html.section(
        {"className": "fr-mb-4w", "id": "a-traiter-assistance", "aria-labelledby": "a-traiter-titre"},
        html.h2({"id": "a-traiter-titre"}, "À traiter"),
        html.div(
            {"className": "fr-notice fr-notice--info"},
            html.div(
                {"className": "fr-container"},
                html.div(
                    {"className": "fr-notice__body"},
                    html.p(
                        {"className": "fr-notice__title"},
                        f"{what} dans vos demandes d'assistance. ",
                        html.a({"href": list_href(ASSISTANCE_PATH, "TODO"), "id": "lien-reponses-assistance"},
                               "Voir mes demandes à traiter"),
                    ),
                ),
            ),
        ),
    )  # fmt: skip
