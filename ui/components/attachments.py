"""The attachments panel of a dossier (« Pièces jointes »): the current files (download, « Retirer »), the upload
form — a plain HTML multipart POST to /dossiers/<numeric id>/pieces-jointes, which answers by redirecting back with
?message= or ?erreur= — and « Consulter l'historique des pièces jointes » (every version, removed ones included)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qs

from reactpy import component, event, html, use_async_effect, use_state

from ui import formatting
from ui.client import GraphQLClientError, use_client
from ui.components.feedback import alert, error_alert, loading
from ui.components.focus import focus_script
from ui.components.forms import confirm_action
from ui.components.leave_guard import allow_leaving
from ui.components.tables import data_table
from ui.dossier_form import file_size

SECTION_ID = "pieces-jointes"
FORM_ID = "form-piece-jointe"


def _sr(text: str):
    return html.span({"className": "fr-sr-only"}, text)


def upload_result(query_string: str) -> tuple[str, str] | None:
    """The upload route's answer, from the page's query string: ("success"|"error", message)."""
    query = parse_qs(query_string.lstrip("?"))
    if query.get("erreur"):
        return ("error", query["erreur"][0])
    if query.get("message"):
        return ("success", query["message"][0])
    return None


def _download(attachment: Mapping[str, Any]):
    return html.a(
        {
            "className": "fr-link fr-link--sm fr-icon-download-line fr-link--icon-left",
            "href": attachment["downloadUrl"],
            "download": attachment["filename"],
        },
        "Télécharger",
        _sr(f" {attachment['filename']}"),
    )


def _type(attachment: Mapping[str, Any]) -> str:
    return attachment.get("contentTypeLabel") or attachment["contentType"]


@component
def attachment_history(dossier_id: str):
    client = use_client()
    rows, set_rows = use_state(None)
    error, set_error = use_state(None)

    @use_async_effect(dependencies=[dossier_id])
    async def load():
        try:
            data = await client.execute("AttachmentHistory", {"id": dossier_id})
        except GraphQLClientError as exc:
            set_error(exc.messages)
            return
        set_rows((data.get("dossier") or {}).get("attachments") or [])

    if error:
        return error_alert(error)
    if rows is None:
        return loading()
    return data_table(
        "historique-pieces-jointes",
        "Historique des pièces jointes : chaque version, qui l'a ajoutée ou retirée, et quand",
        ["Fichier", "Taille", "Ajoutée par", "Ajoutée le", "Retirée par", "Retirée le", "Téléchargement"],
        [
            (
                a["id"],
                [
                    a["filename"],
                    file_size(a["size"]),
                    a["uploadedBy"],
                    formatting.date_time(a["uploadedAt"]),
                    a["removedBy"] or "—",
                    formatting.date_time(a["removedAt"]) or "—",
                    _download(a),
                ],
            )
            for a in rows
        ],
        empty="Aucune pièce jointe n'a encore été ajoutée.",
    )


@component
def attachments_panel(
    dossier_id: str,
    numeric_id: str,
    attachments: Sequence[Mapping[str, Any]],
    editable: bool,
    csrf: str | None,
    query_string: str,
    unsaved: bool,
    save_first: Callable[[], Awaitable[bool]],
    on_changed: Callable[[], Awaitable[None]],
    policy: Mapping[str, Any],
):
    """`policy`: the API's `attachmentPolicy` (the size and formats it accepts), announced on the upload form."""
    client = use_client()
    notice, set_notice = use_state(None)
    history_open, set_history_open = use_state(False)
    history_version, set_history_version = use_state(0)
    submit_nonce, set_submit_nonce = use_state(0)
    result = upload_result(query_string)

    def remove(attachment: Mapping[str, Any]):
        async def run() -> None:
            try:
                await client.execute("RemoveAttachment", {"id": attachment["id"]})
            except GraphQLClientError as error:
                set_notice(("error", " ".join(error.messages)))
                return
            set_notice(
                ("success", f"Pièce jointe « {attachment['filename']} » retirée (elle reste dans l'historique).")
            )
            set_history_version(lambda n: n + 1)
            await on_changed()

        return run

    @event(prevent_default=True)
    async def save_then_upload(event):
        # The upload reloads the page: what is typed and not saved would be lost, so it is saved first.
        if await save_first():
            set_submit_nonce(lambda n: n + 1)

    rows = [
        (
            a["id"],
            [
                a["filename"],
                _type(a),
                file_size(a["size"]),
                a["uploadedBy"],
                formatting.date_time(a["uploadedAt"]),
                html.ul(
                    {"className": "fr-btns-group fr-btns-group--inline fr-btns-group--sm"},
                    html.li(_download(a)),
                    html.li(
                        confirm_action(
                            ["Retirer", _sr(f" {a['filename']}")],
                            f"Retirer la pièce jointe « {a['filename']} » ? Elle restera dans l'historique.",
                            remove(a),
                            confirm_label="Confirmer le retrait",
                            key=f"retirer-{a['id']}",
                        )
                    )
                    if editable
                    else "",
                ),
            ],
        )
        for a in attachments
    ]
    upload = (
        html.form(
            {
                "id": FORM_ID,
                "method": "post",
                "enctype": "multipart/form-data",
                "action": f"/dossiers/{numeric_id}/pieces-jointes",
                "className": "portal-form fr-mt-3w",
                "aria-labelledby": "joindre-titre",
            },
            html.h3({"className": "fr-h6", "id": "joindre-titre"}, "Joindre un fichier"),
            html.input({"type": "hidden", "name": "csrf", "value": csrf or ""}),
            html.div(
                {"className": "fr-upload-group fr-mb-2w"},
                html.label(
                    {"className": "fr-label", "htmlFor": "piece-jointe-fichier"},
                    "Fichier à joindre",
                    html.span(
                        {"className": "fr-hint-text"},
                        f"{policy['maxLabel']} au plus. Formats acceptés : {', '.join(policy['formats'])}. "
                        "Le type est vérifié d'après le contenu du fichier.",
                    ),
                ),
                html.input(
                    {
                        "className": "fr-upload",
                        "type": "file",
                        "id": "piece-jointe-fichier",
                        "name": "file",
                        "accept": ",".join(f".{ext}" for ext in policy["extensions"]),
                    }
                ),
            ),
            html.p(
                {"className": "fr-text--sm", "id": "joindre-sauvegarde"},
                "Vos modifications non sauvegardées seront d'abord sauvegardées.",
            )
            if unsaved
            else "",
            html.button(
                {
                    "type": "submit",
                    "className": "fr-btn fr-btn--secondary fr-icon-upload-line fr-btn--icon-left",
                    **({"onClick": save_then_upload} if unsaved else {}),
                },
                "Joindre le fichier",
            ),
            html.script(
                {"key": f"envoyer-{submit_nonce}"},
                allow_leaving() + f"document.getElementById('{FORM_ID}').requestSubmit();",
            )
            if submit_nonce
            else "",
        )
        if editable
        else ""
    )
    return html.section(
        {"id": SECTION_ID, "className": "fr-mt-6w", "aria-labelledby": "pieces-jointes-titre"},
        html.h2({"id": "pieces-jointes-titre"}, "Pièces jointes"),
        html.div(
            {
                "id": "pieces-jointes-resultat",
                "tabIndex": -1,
                "className": f"fr-alert fr-alert--{result[0]} fr-alert--sm fr-mb-3w",
                "role": "alert" if result[0] == "error" else "status",
            },
            html.p(result[1]),
        )
        if result
        else "",
        focus_script("pieces-jointes-resultat", 0) if result else "",
        alert(notice[0], notice[1], id="pieces-jointes-message") if notice else "",
        data_table(
            "table-pieces-jointes",
            "Pièces jointes actuelles",
            ["Fichier", "Type", "Taille", "Ajoutée par", "Ajoutée le", "Actions"],
            rows,
            empty="Aucune pièce jointe.",
        ),
        upload,
        html.div(
            {"className": "fr-mt-3w"},
            html.button(
                {
                    "type": "button",
                    "className": "fr-btn fr-btn--tertiary fr-btn--sm fr-icon-time-line fr-btn--icon-left",
                    "aria-expanded": "true" if history_open else "false",
                    "aria-controls": "historique-pieces-jointes-zone",
                    "onClick": lambda event: set_history_open(lambda open: not open),
                },
                "Consulter l'historique des pièces jointes",
            ),
            html.div(
                {"id": "historique-pieces-jointes-zone", "className": "fr-mt-2w"},
                attachment_history(dossier_id, key=f"historique-{history_version}-{len(attachments)}")
                if history_open
                else "",
            ),
        ),
    )
