"""The dossier editor as one screen: the header and notice, the decision phase (deadline, actions), why the form is
read-only when it is, the summary of the points to correct, the rubriques of the procedure as tabs with every field of
the API's form model and the goods tables, the editor's buttons, the attachments panel, and the history with the
comments. The state and what the buttons do are the `use_editor` hook's."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from reactpy import component, html, use_location, use_scope

from ui.components.attachments import attachments_panel
from ui.components.deadline import deadline_panel
from ui.components.dossier_fields import answer_field, answers_view
from ui.components.focus import focus_script
from ui.components.goods import goods_section
from ui.components.processing.actions import processing_panel
from ui.components.processing.history import comment_form, history_section
from ui.components.processing.presentations import action_codes
from ui.components.tabs import Tab, tabs
from ui.dossier_form import messages_by_path, node_number
from ui.pages.dossier.actions import editor_buttons, read_only_reason
from ui.pages.dossier.editing import SUBMITTED_TITLE, Editor, use_editor
from ui.pages.dossier.summary import ProblemPlaces, dossier_header, notice_box, problems_summary


def rubrique_panel(
    rubrique: Mapping[str, Any],
    editor: Editor,
    procedure: Mapping[str, Any],
    code_lists: Mapping[str, Any],
    errors: Mapping[str, str],
    editable: bool,
):
    """One tab: its goods tables (the goods rubrique), then its fields, as inputs or as read-only answers."""
    dossier = editor.dossier
    heading = html.h2({"className": "fr-h4"}, rubrique["label"])
    goods = (
        goods_section(
            dossier["id"],
            procedure["goodsKinds"],
            dossier["goods"],
            (code_lists.get("units") or {}).get("entries") or [],
            errors,
            editable,
            lambda resolved: editor.refresh(resolved),
        )
        if rubrique.get("hasGoods")
        else ""
    )
    if not editable:
        body = answers_view(rubrique["fields"], dossier["answers"], code_lists, code_lists.get("countries"))
        return [heading, goods, body]
    body = [
        answer_field(
            field,
            editor.store,
            errors.get(field["path"]),
            code_lists.get(field.get("codeList") or ""),
            errors if field["kind"] == "STORAGE_PLACES" else None,
            code_lists.get("countries"),
            key=field["path"],
        )
        for field in rubrique["fields"]
    ]
    return [heading, goods, html.div({"className": "portal-fields"}, body)]


@component
def dossier_editor(
    initial: dict[str, Any],
    procedure: dict[str, Any],
    code_lists: dict[str, Any],
    settings: Mapping[str, Any],
    created: bool = False,
    *,
    officer: bool = False,
    processing: Mapping[str, Any] | None = None,
    external: dict[str, Any] | None = None,
    external_revision: int = 0,
    on_processed: Callable[[], Any] | None = None,
    announcement: str = "",
):
    """`settings`: what the API announces to every screen (`limits`, `attachmentPolicy`, the rights' labels);
    `processing`: the dossier's status, actions, deadline and history as last read (live); `external`: the dossier
    read again after another person changed its status."""
    scope = use_scope()
    location = use_location()
    limits = settings["limits"]
    right_labels = settings["rightLabels"]
    editor = use_editor(initial, procedure, code_lists, created, limits, external, external_revision)
    dossier = editor.dossier
    dossier_id = dossier["id"]
    rubriques = procedure["rubriques"]

    editable = bool(dossier["canSave"])  # the API's answer: its status and the reader's right allow it
    offered = action_codes(processing)
    may_submit = "submit" in offered  # « Valider » follows the API's submit action
    listed = editor.listed
    errors = messages_by_path(listed)
    places = ProblemPlaces(listed, rubriques, code_lists)
    reason = read_only_reason(dossier, officer, right_labels)
    notice = editor.notice
    session = scope.get("session") or {}
    return html.div(
        {"className": "portal-dossier"},
        dossier_header(dossier, procedure, officer),
        notice_box(notice),
        deadline_panel(processing.get("deadline")) if processing else "",
        processing_panel(dossier_id, processing, officer, on_processed, limits, key="traitement")
        if processing and on_processed
        else "",
        html.div(
            {"className": "fr-alert fr-alert--info fr-alert--sm fr-mb-3w", "role": "status"},
            html.p(reason),
        )
        if reason and not (notice and notice[1] == SUBMITTED_TITLE)
        else "",
        problems_summary(listed, places, bool(editor.save_problems) and not editor.problems, editor.go_to),
        html.p(
            {"className": "fr-text--sm"},
            "Les champs marqués d'un astérisque (",
            html.span({"className": "portal-required"}, "*"),
            ") sont obligatoires.",
        )
        if editable
        else "",
        tabs(
            "Rubriques du formulaire",
            [
                Tab(
                    r["code"],
                    r["label"],
                    places.tab_badge(r["code"]),
                    rubrique_panel(r, editor, procedure, code_lists, errors, editable),
                )
                for r in rubriques
            ],
            editor.active,
            editor.select_tab,
        ),
        editor_buttons(editor, may_submit, right_labels) if editable else "",
        attachments_panel(
            dossier_id,
            node_number(dossier_id, "Dossier") or "",
            dossier["attachments"],
            editable,
            session.get("csrf"),
            location.query_string or "",
            editor.unsaved,
            lambda: editor.save(quiet=True),
            lambda: editor.refresh(),
            settings["attachmentPolicy"],
        ),
        history_section(
            (processing or {}).get("history") or [],
            comment_form(dossier_id, on_processed, limits["messageMaxLength"], key="commentaire")
            if "comment" in offered and on_processed
            else "",
            announcement,
        ),
        focus_script(editor.focus[0], editor.focus[1]),
    )
