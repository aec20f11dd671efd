"""/assistance/documentation and /assistance/documentation/<CODE>: « Documentation réglementaire » of each procedure
(TEA, EUS, CW, IPO, OPO) — its summary, its regulatory references and useful links, as the API gives them. Public:
no login needed. External links open in the same window and say they leave the portal."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reactpy import component, html, use_async_effect, use_state

from ui.client import GraphQLClientError, use_client
from ui.components.feedback import error_alert, loading
from ui.components.screen_reader import sr_only
from ui.pages.assistance.presentation import back_link
from ui.routes import ASSISTANCE_PATH, DOCUMENTATION_PATH, DOCUMENTATION_PREFIX, QUESTION_PATH

TITLE = "Documentation réglementaire"
LOADING = object()


def documentation_href(procedure: str) -> str:
    return DOCUMENTATION_PREFIX + procedure


def external_link(label: str, url: str, *, extra: Any = None):
    """A link off the portal: same window, rel=noopener, and « lien externe » said (title and hidden text)."""
    return html.a(
        {"className": "fr-link", "href": url, "rel": "noopener", "title": f"{label} – lien externe"},
        label,
        extra or "",
        sr_only(" (lien externe)"),
    )


@component
def documentation_index():
    client = use_client()
    pages, set_pages = use_state(LOADING)
    error, set_error = use_state(None)

    @use_async_effect(dependencies=[])
    async def load():
        try:
            data = await client.execute("RegulatoryDocumentation")
        except GraphQLClientError as failure:
            set_error(" ".join(failure.messages))
            return
        set_pages(data["regulatoryDocumentation"])

    def card(page: Mapping[str, Any]):
        return html.li(
            {"key": page["procedure"]},
            html.div(
                {"className": "fr-card fr-enlarge-link"},
                html.div(
                    {"className": "fr-card__body"},
                    html.div(
                        {"className": "fr-card__content"},
                        html.h2({"className": "fr-card__title"},
                                html.a({"href": documentation_href(page["procedure"])}, page["title"])),
                        html.p({"className": "fr-card__desc"}, page["summary"]),
                        html.div({"className": "fr-card__start"},
                                 html.p({"className": "fr-badge fr-badge--sm fr-badge--no-icon"},
                                        page["procedure"])),
                    ),
                ),
            ),
        )  # fmt: skip

    body: Any
    if error:
        body = error_alert(error)
    elif pages is LOADING:
        body = loading("Chargement de la documentation…")
    else:
        body = html.ul(
            {"className": "portal-teleservices", "id": "documentation-regimes"}, [card(p) for p in pages]
        )
    return html.div(
        back_link(ASSISTANCE_PATH, "Assistance"),
        html.h1(TITLE),
        html.p({"className": "fr-text--lead"},
               "Pour chaque régime particulier : ce qu'il permet, les textes qui le fondent (Code des douanes de "
               "l'Union et ses actes) et des liens utiles."),
        body,
    )  # fmt: skip


@component
def procedure_documentation_page(me: dict[str, Any] | None, code: str):
    client = use_client()
    page, set_page = use_state(LOADING)
    error, set_error = use_state(None)
    procedure = code.strip().upper()

    @use_async_effect(dependencies=[procedure])
    async def load():
        try:
            data = await client.execute("ProcedureDocumentation", {"procedure": procedure})
        except GraphQLClientError as failure:
            set_error(" ".join(failure.messages))
            return
        set_page(data["procedureDocumentation"])

    back = back_link(DOCUMENTATION_PATH, TITLE)
    if error:
        return html.div(back, html.h1(TITLE), error_alert(error))
    if page is LOADING:
        return loading("Chargement de la documentation…")
    if page is None:
        return html.div(
            back,
            html.h1("Régime inconnu"),
            error_alert(f"Aucune documentation pour « {code} » : les régimes documentés sont TEA, EUS, CW, IPO et "
                        "OPO.", id="documentation-inconnue"),
            html.a({"className": "fr-btn fr-btn--secondary", "href": DOCUMENTATION_PATH}, "Toute la documentation"),
        )  # fmt: skip
    professional = bool(me) and me.get("kind") != "PRIVATE_PERSON"
    references = [
        html.li(
            {"key": f"{index}"},
            external_link(reference["label"], reference["url"]),
            html.span({"className": "fr-hint-text"},
                      " – ".join(part for part in (reference.get("act"), reference.get("article")) if part)),
        )
        for index, reference in enumerate(page["references"])
    ]  # fmt: skip
    links = [
        html.li({"key": f"{index}"}, external_link(link["label"], link["url"]))
        if link["url"].startswith(("http://", "https://"))
        else html.li({"key": f"{index}"}, html.a({"className": "fr-link", "href": link["url"]}, link["label"]))
        for index, link in enumerate(page["links"])
    ]
    return html.div(
        back,
        html.h1({"id": "documentation-titre"}, page["title"]),
        html.p({"className": "fr-badge fr-badge--no-icon fr-mb-2w"}, f"Régime {page['procedure']}"),
        html.p({"className": "fr-text--lead", "id": "documentation-resume"}, page["summary"]),
        html.h2({"className": "fr-h4"}, "Références réglementaires"),
        html.ul({"id": "documentation-references"}, references)
        if references
        else html.p("Aucune référence pour ce régime."),
        html.h2({"className": "fr-h4"}, "Liens utiles"),
        html.ul({"id": "documentation-liens"}, links) if links else html.p("Aucun lien pour ce régime."),
        html.div(
            {"className": "fr-callout fr-mt-4w"},
            html.p({"className": "fr-callout__text fr-text--md"},
                   "Une question sur ce régime ? La cellule conseil aux entreprises (PAE) de votre bureau de douane "
                   "vous répond."),
            html.a({"className": "fr-btn fr-btn--secondary", "href": QUESTION_PATH}, "Poser une question à la douane"),
        )
        if professional
        else "",
    )  # fmt: skip


@component
def documentation_page(me: dict[str, Any] | None):
    return documentation_index()
