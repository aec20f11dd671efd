"""The status of a dossier as a DSFR badge: the API's French label, a colour by status."""

from __future__ import annotations

from reactpy import html

# DossierStatus (GraphQL enum) → DSFR badge variant; the words are always the API's statusLabel.
STATUS_VARIANTS = {
    "DRAFT": "fr-badge--new",
    "SUBMITTED": "fr-badge--info",
    "COMPLEMENT_REQUESTED": "fr-badge--warning",
    "ACCEPTED": "fr-badge--info",
    "HEARING": "fr-badge--warning",
    "GRANTED": "fr-badge--success",
    "REFUSED": "fr-badge--error",
    "NOT_ACCEPTED": "fr-badge--error",
    "WITHDRAWN": "",
    # AuthorizationState: what an issued authorisation is today.
    "ACTIVE": "fr-badge--success",
    "NOT_YET_VALID": "fr-badge--info",
    "SUSPENDED": "fr-badge--warning",
    "EXPIRED": "",
    "REVOKED": "fr-badge--error",
    "ANNULLED": "fr-badge--error",
}


def status_badge(status: str, label: str, *, small: bool = False, id: str | None = None):
    classes = ["fr-badge", "fr-badge--no-icon", STATUS_VARIANTS.get(status, "")]
    if small:
        classes.append("fr-badge--sm")
    attributes = {"className": " ".join(c for c in classes if c)}
    if id:
        attributes["id"] = id
    return html.p(attributes, label)
