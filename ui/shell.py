"""The HTML document around the ReactPy UI (DSFR styles, French), and static pages such as login errors."""

from __future__ import annotations

from html import escape

from reactpy.executors.utils import server_side_component_html

ROOT_COMPONENT = "ui.app.root"
TITLE = "Portail douane"  # then each page's main heading first (static/portal.js)


def _head(title: str) -> str:
    return (
        "<head>"
        '<meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">'
        '<meta name="format-detection" content="telephone=no">'
        f"<title>{escape(title)}</title>"
        '<link rel="stylesheet" href="/static/dsfr/dsfr.min.css">'
        '<link rel="stylesheet" href="/static/dsfr/utility/icons/icons.min.css">'
        '<link rel="stylesheet" href="/static/portal.css">'
        "</head>"
    )


def _scripts() -> str:
    return (
        '<script type="module" src="/static/dsfr/dsfr.module.min.js"></script>'
        '<script src="/static/portal.js" defer></script>'
    )


def app_document() -> str:
    """The single page in which ReactPy renders every screen."""
    return (
        '<!doctype html><html lang="fr" data-fr-scheme="light">'
        + _head(TITLE)
        + "<body>"
        + "<noscript><p class='fr-p-4w'>Le portail a besoin de JavaScript : activez-le dans votre navigateur.</p>"
        + "</noscript>"
        + server_side_component_html(element_id="app", class_="", component_path=f"{ROOT_COMPONENT}/")
        + _scripts()
        + "</body></html>"
    )


def _static_page(title: str, body: str) -> str:
    """A server-rendered page for what must work without the UI's WebSocket (login errors, logout)."""
    return (
        '<!doctype html><html lang="fr" data-fr-scheme="light">' + _head(f"{title} | Portail douane") + "<body>"
        '<div class="fr-skiplinks"><nav class="fr-container" role="navigation" aria-label="Accès rapide">'
        '<ul class="fr-skiplinks__list"><li><a class="fr-link" href="#contenu">Contenu</a></li></ul></nav></div>'
        '<header role="banner" class="fr-header"><div class="fr-header__body"><div class="fr-container">'
        '<div class="fr-header__body-row"><div class="fr-header__brand fr-enlarge-link">'
        '<div class="fr-header__brand-top"><div class="fr-header__logo"><p class="fr-logo">République<br>Française</p>'
        '</div></div><div class="fr-header__service"><a href="/" title="Accueil – Portail douane">'
        '<p class="fr-header__service-title">Portail douane</p></a>'
        '<p class="fr-header__service-tagline">Régimes particuliers – SOPRANO</p></div></div></div></div></div></header>'
        '<main role="main" id="contenu" class="fr-container fr-my-6w">'
        + body
        + "</main>"
        + _scripts()
        + "</body></html>"
    )


def message_document(
    title: str, message: str, *, action_href: str = "/auth/login", action_label: str = "Réessayer"
) -> str:
    return _static_page(
        title,
        f'<div class="fr-alert fr-alert--error fr-mb-4w" role="alert"><h1 class="fr-alert__title">{escape(title)}</h1>'
        f"<p>{escape(message)}</p></div>"
        f'<p><a class="fr-btn" href="{escape(action_href)}">{escape(action_label)}</a> '
        '<a class="fr-btn fr-btn--secondary" href="/">Retour à l\'accueil</a></p>',
    )


def confirmation_document(title: str, message: str, *, action: str, button: str) -> str:
    """A question answered by a POST form (never performed by a plain link)."""
    return _static_page(
        title,
        f"<h1>{escape(title)}</h1><p>{escape(message)}</p>"
        f'<form method="post" action="{escape(action)}"><ul class="fr-btns-group fr-btns-group--inline">'
        f'<li><button type="submit" class="fr-btn">{escape(button)}</button></li>'
        '<li><a class="fr-btn fr-btn--secondary" href="/">Annuler</a></li></ul></form>',
    )
