"""/douane: the customs workspace. The queue of the officer's office, live: « À traiter » (new submissions, answers to
complements, dossiers to decide, expired hearing periods) and « En attente » (waiting for the operator); each row opens
the dossier, and « Prendre en charge » takes it (offered while the API's actions hold it; a taken dossier names its
officer). « Prise en charge » narrows the list to « Mes dossiers » or « Non pris en charge ». Below, the office's issued
authorisations and the private persons' declarations it examines (/douane/declarations). Other accounts are told, in
French, that it is not theirs."""

from __future__ import annotations

from typing import Any

from reactpy import component, html, use_location

from ui.components.dashboard import dashboard
from ui.components.feedback import error_alert, login_invitation
from ui.routes import SUPPORT_PATH

PATH = "/douane"
TITLE = "Espace agent des douanes"
CUSTOMS_OFFICER = "CUSTOMS_OFFICER"
WORKSPACE = "ESPACE_DOUANE"  # the tele-service's code in `me.teleservices`


def is_officer(me: dict[str, Any] | None) -> bool:
    """A customs officer's account (the dossier page shows them the customs side)."""
    return bool(me) and me.get("kind") == CUSTOMS_OFFICER


def opens_workspace(me: dict[str, Any]) -> bool:
    """Whether the API lists the customs workspace among this account's tele-services (who may is the domain's)."""
    return any(service["code"] == WORKSPACE for service in me.get("teleservices") or [])


@component
def customs_page(me: dict[str, Any] | None):
    location = use_location()
    if me is None:
        back_to = PATH + location.query_string  # a shared link (dashboard filters) survives the login
        return html.div(html.h1(TITLE), login_invitation(back_to, "l'espace agent des douanes"))
    if not opens_workspace(me):
        return html.div(
            html.h1(TITLE),
            error_alert(
                "L'espace agent des douanes est réservé aux agents des douanes. "
                "Votre compte ne vous permet pas d'y accéder.",
                id="douane-refus",
            ),
            html.a({"className": "fr-btn fr-btn--secondary", "href": "/"}, "Retour à mes téléservices"),
        )
    # Those packages read is_officer and opens_workspace from here.
    from ui.pages.assistance.office import office_questions_link
    from ui.pages.authorizations import authorizations_to_decide
    from ui.pages.declarations.office import office_declarations_link

    office = me.get("customsOffice")
    return html.div(
        html.h1(TITLE),
        html.p(
            {"className": "fr-text--lead", "id": "bureau"},
            "Bureau de douane ",
            html.strong(office),
            " : les demandes d'autorisation de régimes particuliers déposées auprès de votre bureau.",
        )
        if office
        else error_alert(
            "Aucun bureau de douane n'est associé à votre compte : aucun dossier ne vous est confié."
        ),
        html.nav(
            {"className": "fr-mb-4w", "aria-label": "Dans votre espace", "id": "espace-liens"},
            html.ul(
                {"className": "fr-btns-group fr-btns-group--inline-md fr-btns-group--sm"},
                html.li(html.a({"className": "fr-btn fr-btn--sm fr-btn--tertiary", "href": "#dossiers-bureau"},
                               "Dossiers du bureau")),
                html.li(html.a({"className": "fr-btn fr-btn--sm fr-btn--tertiary", "href": "/autorisations"},
                               "Autorisations délivrées")),
                html.li(html.a({"className": "fr-btn fr-btn--sm fr-btn--tertiary", "href": "/douane/declarations",
                                "id": "onglet-declarations"}, "Déclarations des particuliers")),
                html.li(html.a({"className": "fr-btn fr-btn--sm fr-btn--tertiary", "href": "/douane/questions",
                                "id": "onglet-questions"}, "Questions des opérateurs")),
                html.li(html.a({"className": "fr-btn fr-btn--sm fr-btn--tertiary", "href": SUPPORT_PATH,
                                "id": "onglet-support"}, "Support du portail"))
                if me.get("isSupport")
                else "",
            ),
        ),
        html.h2({"id": "dossiers-bureau"}, "Dossiers du bureau"),
        dashboard(me, officer=True, key=me["id"]),
        html.h2("Autorisations"),
        authorizations_to_decide(),
        html.p(
            html.a(
                {"className": "fr-link fr-icon-arrow-right-line fr-link--icon-right", "href": "/autorisations",
                 "id": "lien-autorisations"},
                "Autorisations délivrées par le bureau",
            ),
        ),
        html.h2({"id": "declarations-bureau"}, "Déclarations des particuliers"),
        office_declarations_link(),
        html.h2({"id": "questions-bureau"}, "Questions des opérateurs"),
        office_questions_link(),
    )  # fmt: skip
