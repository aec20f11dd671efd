"""The editor's hook: the dossier as last read, what is typed (the `AnswerStore`) against the last saved answers, the
problems of « Contrôler » and of a refused save, the notice above the form, the open tab and the focus; and what the
buttons do: « Contrôler » (every problem of the current input, nothing saved), « Sauvegarder » (the changed answers
only, with the version read: a concurrent save is refused and what was typed stays) and « Valider » (save, then
submit). Every rule is the API's: the hook sends, and places what the API answers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from reactpy import use_effect, use_ref, use_state

from ui import formatting
from ui.client import GraphQLClientError, use_client
from ui.components.dossier_fields import AnswerStore
from ui.dossier_form import Target, changes, initial_inputs, problem_target

SUMMARY_ID = "points-a-corriger"
MESSAGE_ID = "dossier-message"

# A notice above the form: (DSFR alert kind, title or None, messages).
Notice = tuple[str, str | None, list[str]] | None
SUBMITTED_TITLE = "Dossier déposé"


@dataclass
class Editor:
    """What the editor shows and what its buttons do (one render's view of the hook's state)."""

    dossier: dict[str, Any]
    store: AnswerStore
    unsaved: bool
    problems: list[dict[str, Any]] | None  # None until « Contrôler »
    save_problems: list[dict[str, Any]]  # a value the API refused at save: [{path, message}]
    notice: Notice
    busy: str | None  # the button at work: "save", "check", "submit"
    active: str  # the open tab
    focus: tuple[str | None, int]  # the element to focus, and a counter so that the same one is focused again
    go_to: Callable[[Target], None]
    select_tab: Callable[[str, bool], None]
    refresh: Callable[..., Any]
    save: Callable[..., Any]
    on_save: Callable[[Any], Any]
    on_check: Callable[[Any], Any]
    on_submit: Callable[[Any], Any]

    @property
    def listed(self) -> list[dict[str, Any]]:
        """Every problem shown: those of « Contrôler », then the values a save refused."""
        return (self.problems or []) + self.save_problems


def _invalid_values(error: GraphQLClientError) -> list[dict[str, Any]]:
    return [
        {"path": (e.get("extensions") or {}).get("field"), "message": e.get("message", "")}
        for e in error.errors
        if (e.get("extensions") or {}).get("code") == "INVALID_VALUE" and (e.get("extensions") or {}).get("field")
    ]


def _listed_problems(error: GraphQLClientError) -> list[dict[str, Any]] | None:
    return next(
        (
            (e.get("extensions") or {}).get("problems")
            for e in error.errors
            if (e.get("extensions") or {}).get("code") == "DOSSIER_HAS_PROBLEMS"
        ),
        None,
    )


def use_editor(
    initial: dict[str, Any],
    procedure: Mapping[str, Any],
    code_lists: Mapping[str, Any],
    created: bool,
    limits: Mapping[str, Any],
    external: dict[str, Any] | None,
    external_revision: int,
) -> Editor:
    """`external`: the dossier read again after another person changed its status, adopted when it differs from the
    one shown; `limits`: the API's (`Query.limits`), which the messages announce."""
    client = use_client()
    rubriques = procedure["rubriques"]
    fields = [field for rubrique in rubriques for field in rubrique["fields"]]
    dossier_id = initial["id"]

    dossier, set_dossier = use_state(initial)
    version = use_ref(initial["version"])
    baseline = use_ref(None)
    if baseline.current is None:
        baseline.current = initial_inputs(fields, initial["answers"])
    unsaved, set_unsaved = use_state(False)
    unsaved_ref = use_ref(False)

    def mark_unsaved() -> None:
        if not unsaved_ref.current:
            unsaved_ref.current = True
            set_unsaved(True)

    store_ref = use_ref(None)
    if store_ref.current is None:
        store_ref.current = AnswerStore(initial_inputs(fields, initial["answers"]), mark_unsaved)
    store: AnswerStore = store_ref.current

    problems, set_problems = use_state(None)
    save_problems, set_save_problems = use_state([])
    notice, set_notice = use_state(
        (
            "success",
            None,
            [f"Dossier {initial['reference']} créé : complétez-le, puis contrôlez-le et validez-le."],
        )
        if created
        else None
    )
    busy, set_busy = use_state(None)
    active, set_active = use_state(rubriques[0]["code"])
    # A dossier just created opens in place of the form that created it: the focus goes to its confirmation.
    focus, set_focus = use_state((MESSAGE_ID, 1) if created else (None, 0))

    @use_effect(dependencies=[external_revision])
    def adopt_external_change():
        # Another person moved the dossier (a complement asked, a withdrawal…): its form follows the new status.
        if not external or external["status"] == dossier["status"]:
            return
        set_dossier(external)
        version.current = external["version"]
        baseline.current = initial_inputs(fields, external["answers"])
        store.values = dict(baseline.current)
        unsaved_ref.current = False
        set_unsaved(False)
        set_problems(None)
        set_save_problems([])

    def request_focus(element_id: str) -> None:
        set_focus(lambda current: (element_id, current[1] + 1))

    def go_to(target: Target) -> None:
        set_active(target.tab)
        request_focus(target.element_id)

    def select_tab(code: str, move_focus: bool) -> None:
        set_active(code)
        if move_focus:
            request_focus(f"onglet-{code}")

    async def refresh(resolved: str | None = None) -> None:
        """After a goods line or an attachment changed: re-read the dossier (the version read stays ours)."""
        try:
            fresh = (await client.execute("DossierEditor", {"id": dossier_id}))["dossier"]
        except GraphQLClientError as error:
            set_notice(("error", None, error.messages))
            return
        if fresh:
            set_dossier(fresh)
        if resolved:
            set_problems(
                lambda current: (
                    None
                    if current is None
                    else [
                        p for p in current if not (p["path"] == resolved or p["path"].startswith(resolved + "."))
                    ]
                )
            )

    def current_changes() -> dict[str, Any]:
        return changes(fields, store.values, baseline.current)

    def refusal(error: GraphQLClientError, title: str) -> None:
        invalid = _invalid_values(error)
        if invalid:
            set_save_problems(invalid)
            set_notice(None)
            target = problem_target(invalid[0]["path"], rubriques, code_lists)
            if target:
                set_active(target.tab)
            request_focus(SUMMARY_ID)
            return
        texts = list(error.messages)
        if "CONFLICT" in error.codes:
            texts.append("Votre saisie est conservée dans le formulaire.")
        set_notice(("error", title, texts))
        request_focus(MESSAGE_ID)

    async def save(*, quiet: bool = False) -> bool:
        diff = current_changes()
        if not diff:
            if not quiet:
                set_notice(("info", None, ["Aucune modification à sauvegarder."]))
                request_focus(MESSAGE_ID)
            return True
        try:
            data = await client.execute(
                "UpdateDossier", {"id": dossier_id, "version": version.current, "changes": diff}
            )
        except GraphQLClientError as error:
            refusal(error, "Le dossier n'a pas été sauvegardé")
            return False
        updated = data["updateDossier"]
        version.current = updated["version"]
        baseline.current = initial_inputs(fields, updated["answers"])
        unsaved_ref.current = False
        set_unsaved(False)
        set_save_problems([])
        set_dossier(lambda current: {**current, **updated})
        if not quiet:
            saved_at = formatting.date_time(updated["updatedAt"])
            set_notice(("success", None, [f"Dossier sauvegardé (version {updated['version']}) le {saved_at}."]))
            request_focus(MESSAGE_ID)  # the button was disabled while saving: the focus goes to its confirmation
        return True

    async def on_save(event) -> None:
        set_busy("save")
        try:
            await save()
        finally:
            set_busy(None)

    async def on_check(event) -> None:
        set_busy("check")
        try:
            diff = current_changes()
            try:
                data = await client.execute("CheckDossier", {"id": dossier_id, "changes": diff or None})
            except GraphQLClientError as error:
                set_notice(("error", None, error.messages))
                return
            result = data["checkDossier"]
            set_problems(result["problems"])
            set_save_problems([])
            if result["ok"]:
                set_notice(
                    ("success", "Contrôle terminé", ["Aucun point à corriger : vous pouvez valider le dossier."])
                )
                request_focus(MESSAGE_ID)
            else:
                set_notice(None)
                request_focus(SUMMARY_ID)
        finally:
            set_busy(None)

    async def on_submit(event) -> None:
        set_busy("submit")
        try:
            if current_changes() and not await save(quiet=True):
                return
            try:
                await client.execute("SubmitDossier", {"id": dossier_id, "version": version.current})
            except GraphQLClientError as error:
                listed = _listed_problems(error)
                if listed is not None:
                    set_problems(listed)
                    set_notice(("error", "Le dossier n'a pas été déposé", list(error.messages)))
                    request_focus(SUMMARY_ID)
                    return
                refusal(error, "Le dossier n'a pas été déposé")
                return
            fresh = (await client.execute("DossierEditor", {"id": dossier_id}))["dossier"]
            set_dossier(fresh)
            version.current = fresh["version"]
            set_problems(None)
            submitted_at = formatting.date_time(fresh["submittedAt"])
            set_notice(
                (
                    "success",
                    SUBMITTED_TITLE,
                    [
                        f"Le dossier {fresh['reference']} a été déposé le {submitted_at}. Le service des douanes "
                        f"vérifie qu'il est complet dans les {limits['acceptanceDays']} jours."
                    ],
                )
            )
            request_focus(MESSAGE_ID)
        finally:
            set_busy(None)

    return Editor(
        dossier=dossier,
        store=store,
        unsaved=unsaved,
        problems=problems,
        save_problems=save_problems,
        notice=notice,
        busy=busy,
        active=active,
        focus=focus,
        go_to=go_to,
        select_tab=select_tab,
        refresh=refresh,
        save=save,
        on_save=on_save,
        on_check=on_check,
        on_submit=on_submit,
    )
