"""/autorisations/<id>: one authorisation — its reference, holder, procedure, office, validity and state (with the
measures in force), the chosen version's granted content and its PDF (« Sauvegarder / imprimer »), what changed
against the previous version, every version, and one chronological history. Live: a measure taken elsewhere shows
without a reload."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qs

from reactpy import component, html, use_async_effect, use_location, use_state

from backend.paging import row_id
from ui import formatting
from ui.client import GraphQLClientError, use_client, use_subscription
from ui.components.access import soprano_gate
from ui.components.feedback import alert, error_alert, loading
from ui.components.status import status_badge
from ui.components.tables import data_table
from ui.pages.authorizations import PATH, authorization_href, validity
from ui.pages.authorizations.actions import (
    comment_box,
    hearing_panel,
    holder_request_panel,
    measures_panel,
    request_buttons,
)
from ui.pages.customs import is_officer


def _facts(item: Mapping[str, Any]):
    operator = item["operator"]
    holder = f"{operator['legalName']} – SIRET {formatting.siret(operator['siret'])}"
    if operator.get("eori"):
        holder += f" – EORI {operator['eori']}"
    facts = [
        ("Titulaire", holder),
        ("Régime", f"{item['procedureLabel']} (type d'autorisation {item['authorisationType']})"),
        ("Bureau de douane", item["customsOffice"]),
        ("État", status_badge(item["state"], item["stateLabel"], id="autorisation-etat")),
        ("Validité", validity(item)),
        ("Version en vigueur", str(item["currentVersionNumber"])),
        ("Délivrée le", formatting.date_time(item["issuedAt"])),
    ]
    return html.dl(
        {"className": "portal-facts fr-mb-3w", "id": "autorisation-entete"},
        [html.div({"key": label, "className": "portal-facts__item"}, html.dt(label), html.dd(value)) for label, value in facts],
    )  # fmt: skip


def _content(version: Mapping[str, Any]):
    return html.div(
        {"id": "contenu-version"},
        [
            html.section(
                {"key": section["title"], "className": "fr-mb-3w"},
                html.h3({"className": "fr-h6"}, section["title"]),
                html.dl(
                    {"className": "portal-answers"},
                    [
                        html.div(
                            {"key": entry["key"], "className": "fr-mb-1w"},
                            html.dt({"className": "fr-text--bold"}, entry["label"]),
                            html.dd(entry["value"]),
                        )
                        for entry in section["entries"]
                    ],
                ),
            )
            for section in version["sections"]
        ],
    )


def _diff(version: Mapping[str, Any]):
    if version["number"] == 1:
        return ""
    rows = [(c["key"], [c["label"], c["before"], c["after"]]) for c in version["diff"]]
    return html.section(
        {"id": "differences", "className": "fr-mb-4w", "aria-labelledby": "differences-titre"},
        html.h2({"className": "fr-h4", "id": "differences-titre"},
                f"Ce qui a changé par rapport à la version {version['number'] - 1}"),
        data_table("tableau-differences", "Différences entre versions",
                   ["Rubrique", f"Version {version['number'] - 1}", f"Version {version['number']}"], rows,
                   empty="Aucune différence de contenu."),
    )  # fmt: skip


def _versions(item: Mapping[str, Any], chosen: int):
    rows = []
    for version in reversed(item["versions"]):
        label = f"Version {version['number']}"
        link = (
            html.strong(label, " (affichée)")
            if version["number"] == chosen
            else html.a({"href": f"{authorization_href(item['id'])}?version={version['number']}"}, label)
        )
        rows.append(
            (
                str(version["number"]),
                [link, version["kindLabel"], validity(version), formatting.date_time(version["issuedAt"]),
                 version["issuedBy"]],
            )
        )  # fmt: skip
    return html.section(
        {"id": "versions", "className": "fr-mb-4w", "aria-labelledby": "versions-titre"},
        html.h2({"className": "fr-h4", "id": "versions-titre"}, "Versions"),
        html.p({"className": "fr-text--sm"}, "Chaque version délivrée reste lisible et imprimable."),
        data_table("tableau-versions", "Versions de l'autorisation",
                   ["Version", "Nature", "Validité", "Délivrée le", "Par"], rows),
    )  # fmt: skip


def _history(item: Mapping[str, Any]):
    entries = [
        html.li(
            {"key": entry["id"], "className": "portal-timeline__item", "data-event-id": entry["id"]},
            html.p(
                {"className": "fr-text--sm fr-mb-0 portal-timeline__meta"},
                html.time({"dateTime": entry["at"]}, formatting.date_time(entry["at"])),
                " — ",
                entry["actor"] or "Le portail",
                f" (version {entry['version']})" if entry.get("version") else "",
            ),
            html.p({"className": "fr-mb-1w portal-timeline__label"}, html.strong(entry["label"])),
            html.p({"className": "fr-mb-0 portal-timeline__message"}, entry["message"])
            if entry["message"]
            else "",
        )
        for entry in item["history"]
    ]
    return html.section(
        {"id": "historique", "className": "fr-mb-4w", "aria-labelledby": "historique-titre"},
        html.h2({"className": "fr-h4", "id": "historique-titre"}, "Historique"),
        html.ol({"className": "portal-timeline", "id": "historique-liste"}, entries),
    )


def holder_alert(item: Mapping[str, Any]):
    """Customs' side: the holder's pending request (its reason is in the history)."""
    asked = {"suspend": "la suspension", "revoke": "la révocation"}.get(item.get("holderRequest") or "")
    if not asked:
        return ""
    return alert(
        "info",
        [f"Le titulaire demande {asked} de cette autorisation (voir son motif dans l'historique) : prenez la mesure "
         "ci-dessous pour lui répondre."],
        title="Demande du titulaire",
        id="demande-titulaire",
    )  # fmt: skip


@component
def authorization_view(me: Mapping[str, Any], authorization_id: str, officer: bool):
    client = use_client()
    location = use_location()
    found, set_found = use_state(None)
    error, set_error = use_state(None)
    refresh, set_refresh = use_state(0)
    announcement, set_announcement = use_state("")

    @use_async_effect(dependencies=[authorization_id, refresh])
    async def load():
        try:
            data = await client.execute("AuthorizationPage", {"id": authorization_id})
        except GraphQLClientError as failure:
            set_error(" ".join(failure.messages))
            return
        set_error(None)
        set_found(data["authorization"] or False)

    async def reload() -> None:
        set_refresh(lambda n: n + 1)

    def on_change(data: dict[str, Any]) -> None:
        set_refresh(lambda n: n + 1)
        if not data["authorizationChanged"]["resync"]:
            set_announcement("L'autorisation vient de changer : la page est à jour.")

    use_subscription(
        "AuthorizationChanged",
        {"authorizationId": authorization_id},
        on_change,
        key=authorization_id,
        restart_when=lambda data: bool(data["authorizationChanged"]["resync"]),
    )

    back = html.p(
        {"className": "fr-text--sm fr-mb-1w"},
        html.a({"className": "fr-link", "href": PATH},
               "Autorisations délivrées par le bureau" if officer else "Mes autorisations"),
    )  # fmt: skip
    if error:
        return html.div(back, html.h1("Autorisation"), error_alert(error, id="autorisation-erreur"))
    if found is None:
        return html.div(back, loading("Chargement de l'autorisation…"))
    if found is False:
        return html.div(
            back,
            html.h1("Autorisation introuvable"),
            html.p("Cette autorisation n'existe pas ou ne vous est pas visible."),
        )
    asked = (parse_qs(location.query_string.lstrip("?")).get("version") or [""])[0]
    numbers = [v["number"] for v in found["versions"]]
    chosen_number = row_id(asked) if row_id(asked) in numbers else found["currentVersionNumber"]
    version = next(v for v in found["versions"] if v["number"] == chosen_number)
    measures = (
        alert("warning", found["measures"], title="Mesures en vigueur", id="autorisation-mesures")
        if found["measures"]
        else ""
    )
    renewal = (
        alert("info", ["La fin de validité approche : vous pouvez demander le renouvellement de cette autorisation."],
              id="autorisation-renouvellement")
        if found["renewalOpen"] and not officer
        else ""
    )  # fmt: skip
    return html.div(
        back,
        html.h1({"id": "autorisation-titre", "tabIndex": -1}, f"Autorisation {found['reference']}"),
        html.p({"className": "fr-text--lead fr-mb-2w"}, found["procedureLabel"]),
        html.p({"className": "fr-sr-only", "role": "status", "aria-live": "polite"}, announcement),
        _facts(found),
        measures,
        renewal,
        holder_alert(found) if officer else "",
        hearing_panel(found, officer, reload, key="droit-entendu"),
        measures_panel(found, reload, key="mesures") if officer else request_buttons(found, key="demandes"),
        "" if officer else holder_request_panel(found, reload, key="demande-douane"),
        html.section(
            {"id": "version-affichee", "className": "fr-mb-4w", "aria-labelledby": "version-titre"},
            html.div(
                {"className": "portal-heading-row"},
                html.h2({"className": "fr-h4", "id": "version-titre"},
                        f"Version {version['number']} – {version['kindLabel'].lower()}"
                        + (" (en vigueur)" if version["number"] == found["currentVersionNumber"] else "")),
                html.a(
                    {"className": "fr-btn fr-btn--secondary fr-icon-download-line fr-btn--icon-left",
                     "href": version["pdfUrl"], "download": "", "id": "telecharger-pdf"},
                    "Sauvegarder / imprimer (PDF)",
                ),
            ),
            html.p({"className": "fr-text--sm"},
                   f"Délivrée le {formatting.date_time(version['issuedAt'])} par {version['issuedBy']}. "
                   f"{validity(version)}."),
            _content(version),
        ),
        _diff(version),
        _versions(found, chosen_number),
        _history(found),
        comment_box(found, reload, key="commentaire"),
        html.p(html.a({"className": "fr-link", "href": f"/dossiers/{found['dossierId']}"},
                      "Voir le dossier de demande octroyé")),
    )  # fmt: skip


@component
def authorization_page(me: dict[str, Any] | None, reload_me: Callable[[], None], authorization_id: str):
    officer = is_officer(me)
    if officer:
        return authorization_view(me, authorization_id, True)
    return soprano_gate(
        me,
        reload_me,
        "Autorisation",
        authorization_href(authorization_id),
        lambda: authorization_view(me, authorization_id, False),
    )
