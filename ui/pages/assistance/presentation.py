"""What the assistance pages share: each request's address, its status as a badge, what it is about, and the
assistance's own words. Pure: no component, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, quote, unquote

from reactpy import html

from ui.dossier_form import global_id, node_number
from ui.routes import ASSISTANCE_REQUEST_PREFIX, FEEDBACK_PATH, TICKET_PATH

TYPE_NAME = "AssistanceRequest"

# AssistanceStatus → DSFR badge variant; the words are the API's statusLabel.
STATUS_VARIANTS = {"OPEN": "fr-badge--info", "ANSWERED": "fr-badge--warning", "CLOSED": ""}


def request_href(request_id: str) -> str:
    """/assistance/demandes/<number>: the number the screenshot form's answer comes back to."""
    return ASSISTANCE_REQUEST_PREFIX + (node_number(request_id, TYPE_NAME) or quote(request_id, safe=""))


def request_id_from_path(segment: str) -> str:
    """/assistance/demandes/<segment>: the numeric id, or a global id, as the API's global id."""
    segment = unquote(segment).strip()
    if segment.isascii() and segment.isdigit():
        return global_id(TYPE_NAME, segment)
    return segment


def status_badge(request: Mapping[str, Any], *, small: bool = False, id: str | None = None):
    classes = ["fr-badge", "fr-badge--no-icon", STATUS_VARIANTS.get(request["status"], "")]
    if small:
        classes.append("fr-badge--sm")
    attributes: dict[str, Any] = {"className": " ".join(c for c in classes if c)}
    if id:
        attributes["id"] = id
    return html.p(attributes, request["statusLabel"])


def about(request: Mapping[str, Any]) -> str:
    """What the request concerns, in a few words: the dossier and the office of a question, the page of a ticket."""
    if request["kind"] == "TICKET":
        return f"Page {request['page']}" if request.get("page") else "Assistance technique"
    parts = []
    if request.get("dossierReference"):
        parts.append(f"Dossier {request['dossierReference']}")
    if request.get("customsOffice"):
        parts.append(f"Bureau {request['customsOffice']}")
    return " – ".join(parts)


def with_page(path: str, page: str | None) -> str:
    """`path?page=<page>` (the page a ticket or an opinion is about), or `path` alone."""
    return f"{path}?page={quote(page, safe='/')}" if page else path


def feedback_href(page: str) -> str:
    return with_page(FEEDBACK_PATH, page)


def ticket_href(page: str | None) -> str:
    return with_page(TICKET_PATH, page)


def page_from_query(query_string: str) -> str:
    """The `page` of the address (a path of the portal), or ''."""
    values = parse_qs((query_string or "").lstrip("?")).get("page") or [""]
    value = values[0].strip()
    return value if value.startswith("/") and not value.startswith("//") else ""


def back_link(href: str, label: str, id: str | None = None):
    return html.p(
        {"className": "fr-text--sm fr-mb-1w"},
        html.a({"className": "fr-link fr-icon-arrow-left-line fr-link--icon-left", "href": href,
                **({"id": id} if id else {})}, label),
    )  # fmt: skip
