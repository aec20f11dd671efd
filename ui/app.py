"""The root component: loads the logged user through GraphQL and routes by URL path."""

from __future__ import annotations

from reactpy import component, html, use_async_effect, use_location, use_state

from ui.client import GraphQLClientError, use_client
from ui.components.layout import LOADING, page_frame
from ui.pages.assistance import assistance_page
from ui.pages.assistance.documentation import documentation_page, procedure_documentation_page
from ui.pages.assistance.feedback import feedback_page
from ui.pages.assistance.office import office_questions_page
from ui.pages.assistance.question import question_page
from ui.pages.assistance.request import assistance_request_page
from ui.pages.assistance.support import support_page
from ui.pages.assistance.ticket import ticket_page
from ui.pages.authorizations import authorizations_page
from ui.pages.authorizations.detail import authorization_page
from ui.pages.customs import customs_page
from ui.pages.declarations import declarations_page
from ui.pages.declarations.declarant import declaration_page
from ui.pages.declarations.new import new_declaration_page
from ui.pages.declarations.office import office_declaration_page, office_declarations_page
from ui.pages.dossier import dossier_page
from ui.pages.habilitations import habilitations_page
from ui.pages.home import my_teleservices, welcome
from ui.pages.new_dossier import new_dossier_page
from ui.pages.operator_choice import operator_choice_page
from ui.pages.soprano import soprano_page
from ui.pages.tokens import tokens_page
from ui.routes import (
    ASSISTANCE_PATH,
    DECLARANT_PATH,
    DOCUMENTATION_PATH,
    FEEDBACK_PATH,
    NEW_DECLARATION_PATH,
    OFFICE_DECLARATIONS_PATH,
    OFFICE_QUESTIONS_PATH,
    QUESTION_PATH,
    SUPPORT_PATH,
    TICKET_PATH,
    assistance_request_key,
    authorization_key,
    declaration_key,
    documentation_key,
    dossier_key,
    normalized,
    office_declaration_key,
)


@component
def not_found():
    return html.div(
        html.h1("Page non trouvée"),
        html.p("La page que vous cherchez n'existe pas ou a été déplacée."),
        html.a({"className": "fr-btn", "href": "/"}, "Retour à l'accueil"),
    )


@component
def root():
    client = use_client()
    location = use_location()
    me, set_me = use_state(LOADING)
    error, set_error = use_state(None)
    # Bumped after a change of the user's own state (terms accepted, operator chosen): the header follows.
    version, set_version = use_state(0)

    @use_async_effect(dependencies=[version])
    async def load_me():
        try:
            data = await client.execute("Me")
        except GraphQLClientError as exc:
            set_error(" ".join(exc.messages))
            set_me(None)
            return
        set_me(data["me"])

    def reload_me() -> None:
        set_version(lambda n: n + 1)

    if me is LOADING:
        return page_frame(LOADING, html.p({"aria-busy": "true"}, "Chargement…"))
    if error:
        return page_frame(
            None, html.div({"className": "fr-alert fr-alert--error", "role": "alert"}, html.p(error))
        )

    path = normalized(location.path)
    if path == "/":
        content = my_teleservices(me) if me else welcome()
    elif path == "/soprano":
        content = soprano_page(me, reload_me)
    elif path == "/douane":
        content = customs_page(me)
    elif path == "/operateur":
        content = operator_choice_page(me, reload_me)
    elif path == "/habilitations":
        content = habilitations_page(me)
    elif path == "/jetons":
        content = tokens_page(me, reload_me)
    elif path == "/dossiers/nouveau":
        content = new_dossier_page(me, reload_me)
    elif path == "/autorisations":
        content = authorizations_page(me, reload_me)
    elif path == DECLARANT_PATH:
        content = declarations_page(me)
    elif path == NEW_DECLARATION_PATH:
        content = new_declaration_page(me)
    elif path == OFFICE_DECLARATIONS_PATH:
        content = office_declarations_page(me)
    elif path == ASSISTANCE_PATH:
        content = assistance_page(me)
    elif path == DOCUMENTATION_PATH:
        content = documentation_page(me)
    elif path == QUESTION_PATH:
        content = question_page(me)
    elif path == TICKET_PATH:
        content = ticket_page(me)
    elif path == FEEDBACK_PATH:
        content = feedback_page(me)
    elif path == OFFICE_QUESTIONS_PATH:
        content = office_questions_page(me)
    elif path == SUPPORT_PATH:
        content = support_page(me)
    elif documentation_key(path):
        content = procedure_documentation_page(me, documentation_key(path), key=path)
    elif assistance_request_key(path):
        content = assistance_request_page(me, assistance_request_key(path), key=path)
    elif declaration_key(path):
        content = declaration_page(me, declaration_key(path), key=path)
    elif office_declaration_key(path):
        content = office_declaration_page(me, office_declaration_key(path), key=path)
    elif authorization_key(path):
        content = authorization_page(me, reload_me, authorization_key(path), key=path)
    elif dossier_key(path):
        content = dossier_page(me, reload_me, dossier_key(path), key=path)
    else:
        content = not_found()
    return page_frame(me, content)
