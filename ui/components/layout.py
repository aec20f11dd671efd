"""The page frame (DSFR): skip links, header with the operator one acts for, the account and "Se déconnecter",
main landmark, footer."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from reactpy import component, html, use_location

from ui import formatting
from ui.components.feedback import login_href
from ui.components.screen_reader import sr_only


@component
def skip_links():
    return html.div(
        {"className": "fr-skiplinks"},
        html.nav(
            {"className": "fr-container", "role": "navigation", "aria-label": "Accès rapide"},
            html.ul(
                {"className": "fr-skiplinks__list"},
                html.li(html.a({"className": "fr-link", "href": "#contenu"}, "Contenu")),
                html.li(html.a({"className": "fr-link", "href": "#pied-de-page"}, "Pied de page")),
            ),
        ),
    )


def actionable_operators(me: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The operators the user may act for (a right on SOPRANO), as `me.operators` lists them."""
    return [entry for entry in (me or {}).get("operators") or [] if entry.get("right")]


def _operator_tools(me: dict[str, Any], suffix: str) -> list[Any]:
    """The operator one acts for and, with several to choose from, the way to change it (`me` lists operators
    only for an account that may act for one: a professional)."""
    acting = me.get("actingOperator")
    several = len(actionable_operators(me)) > 1
    items = []
    if acting:
        items.append(
            html.li(
                {"key": "operateur"},
                html.p(
                    {"className": "fr-btn fr-icon-building-line portal-acting", "id": f"operateur-actif{suffix}"},
                    html.span(
                        html.span({"className": "fr-sr-only"}, "Vous agissez pour "),
                        html.span({"className": "portal-acting__name"}, acting["legalName"]),
                        html.span({"className": "fr-sr-only"}, " – "),
                        html.span(
                            {"className": "portal-acting__siret"}, f"SIRET {formatting.siret(acting['siret'])}"
                        ),
                    ),
                ),
            )
        )
    if several:
        items.append(
            html.li(
                {"key": "changer"},
                html.a(
                    {"className": "fr-btn fr-icon-arrow-left-right-line", "href": "/operateur"},
                    "Changer d'opérateur" if acting else "Choisir l'opérateur",
                ),
            )
        )
    return items


def _help_tool(me: dict[str, Any], suffix: str, here: str) -> list[Any]:
    """« Aide » (the assistance) for a professional or an officer, carrying the page it is opened from (a ticket or
    an opinion is about it); a private person's help is in his declarations: his header does not change."""
    if me.get("kind") == "PRIVATE_PERSON":
        return []
    path = here.split("?", 1)[0] or "/"
    href = "/assistance" if path.startswith("/assistance") else f"/assistance?page={quote(path, safe='/')}"
    return [
        html.li(
            {"key": "aide"},
            html.a({"className": "fr-btn fr-icon-question-line", "href": href, "id": f"aide{suffix}"}, "Aide"),
        )
    ]


def _account_tools(me: dict[str, Any] | None, suffix: str = "", here: str = "/"):
    """The header's tools; `suffix` ("-mobile") for their copy in the mobile menu, whose ids must differ."""
    if me is None:
        return html.ul(
            {"className": "fr-btns-group"},
            html.li(
                html.a(
                    {"className": "fr-btn fr-icon-account-circle-line", "href": login_href(here)}, "Se connecter"
                )
            ),
        )
    return html.ul(
        {"className": "fr-btns-group"},
        *_operator_tools(me, suffix),
        *_help_tool(me, suffix, here),
        html.li(
            {"key": "compte"},
            html.p(
                {"className": "fr-btn fr-icon-account-circle-line", "id": f"compte{suffix}"},
                sr_only("Compte connecté : "),  # aria-label is not allowed on a <p>
                f"{me['name']} ({me['kindLabel']})",
            ),
        ),
        html.li(
            {"key": "deconnexion"},
            html.form(
                {"method": "post", "action": "/auth/logout"},
                html.button(
                    {"type": "submit", "className": "fr-btn fr-icon-logout-box-r-line"},
                    "Se déconnecter",
                ),
            ),
        ),
    )


LOADING = object()


def _menu_button():
    return html.div(
        {"className": "fr-header__navbar"},
        html.button(
            {
                "className": "fr-btn--menu fr-btn",
                "data-fr-opened": "false",
                "aria-controls": "menu-principal",
                "aria-haspopup": "menu",
                "id": "bouton-menu",
                "title": "Menu",
            },
            "Menu",
        ),
    )


def _mobile_menu(me: Any, here: str):
    # The same tools as the header, rendered here rather than left to the DSFR script's copy: its copy is made once,
    # when it notices the header, and could show a previous operator. The ids carry the suffix its copy would give,
    # so that it finds the content already as it wants it.
    return html.div(
        {"className": "fr-header__menu fr-modal", "id": "menu-principal", "aria-labelledby": "bouton-menu"},
        html.div(
            {"className": "fr-container"},
            html.button(
                {"className": "fr-btn--close fr-btn", "aria-controls": "menu-principal", "title": "Fermer"},
                "Fermer",
            ),
            html.div({"className": "fr-header__menu-links"}, _account_tools(me, "-mobile", here)),
        ),
    )


def _header_key(me: Any) -> str:
    """What the header shows. The DSFR copies the header's tools into the mobile menu once, when they appear: a new
    key re-creates the header, so the copy follows a change of account or of operator."""
    if me is LOADING:
        return "chargement"
    if me is None:
        return "visiteur"
    acting = me.get("actingOperator") or {}
    return f"{me['id']}:{acting.get('id', '')}:{len(actionable_operators(me))}"


def _tagline(me: Any) -> str:
    """A private person uses the portal to declare, never SOPRANO: his header does not name it."""
    if isinstance(me, dict) and me.get("kind") == "PRIVATE_PERSON":
        return "Déclarations des particuliers"
    return "Régimes particuliers – SOPRANO"


@component
def header(me: Any):
    """`me` is the logged user, None for a visitor, or LOADING while unknown (no account tools shown yet)."""
    known = me is not LOADING
    location = use_location()
    here = location.path + location.query_string  # where « Se connecter » comes back to
    brand = html.div(
        {"className": "fr-header__brand fr-enlarge-link"},
        html.div(
            {"className": "fr-header__brand-top"},
            html.div(
                {"className": "fr-header__logo"},
                html.p({"className": "fr-logo"}, "République", html.br(), "Française"),
            ),
            _menu_button() if known else "",
        ),
        html.div(
            {"className": "fr-header__service"},
            html.a(
                {"href": "/", "title": "Accueil – Portail douane"},
                html.p({"className": "fr-header__service-title"}, "Portail douane"),
            ),
            html.p({"className": "fr-header__service-tagline"}, _tagline(me)),
        ),
    )
    tools = (
        html.div(
            {"className": "fr-header__tools"},
            html.div({"className": "fr-header__tools-links"}, _account_tools(me, here=here)),
        )
        if known
        else ""
    )
    return html.header(
        {"role": "banner", "className": "fr-header", "key": _header_key(me)},
        html.div(
            {"className": "fr-header__body"},
            html.div(
                {"className": "fr-container"},
                html.div({"className": "fr-header__body-row"}, brand, tools),
            ),
        ),
        _mobile_menu(me, here) if known else "",
    )


def _feedback_link(me: Any, path: str):
    """« Votre avis nous intéresse » about the page one is on, for anyone logged in."""
    if not isinstance(me, dict) or path.startswith("/assistance/avis"):
        return ""
    return html.ul(
        {"className": "fr-footer__content-list"},
        html.li(
            {"className": "fr-footer__content-item"},
            html.a(
                {
                    "className": "fr-footer__content-link",
                    "href": f"/assistance/avis?page={quote(path, safe='/')}",
                    "id": "lien-avis",
                },
                "Votre avis nous intéresse",
            ),
        ),
    )


@component
def footer(me: Any = None):
    location = use_location()
    return html.footer(
        {"className": "fr-footer", "role": "contentinfo", "id": "pied-de-page"},
        html.div(
            {"className": "fr-container"},
            html.div(
                {"className": "fr-footer__body"},
                html.div(
                    {"className": "fr-footer__brand fr-enlarge-link"},
                    html.a(
                        {"href": "/", "title": "Retour à l'accueil"},
                        html.p({"className": "fr-logo"}, "République", html.br(), "Française"),
                    ),
                ),
                html.div(
                    {"className": "fr-footer__content"},
                    html.p(
                        {"className": "fr-footer__content-desc"},
                        "Portail des autorisations de régimes particuliers : logiciel libre.",
                    ),
                    _feedback_link(me, location.path or "/"),
                ),
            ),
        ),
    )


@component
def page_frame(me: dict[str, Any] | None, *children: Any):
    return html.div(
        skip_links(),
        header(me),
        html.main(
            {"role": "main", "id": "contenu", "className": "fr-container fr-my-6w", "tabIndex": -1}, *children
        ),
        footer(me),
    )
