"""/dossiers/<id>: the dossier editor. Its header (reference, procedure, authorisation type, status, operator, version,
last save), the rubriques of the procedure as tabs with every field of the API's form model, the goods tables, the
buttons « Contrôler » (every problem of the current input, nothing saved), « Sauvegarder » (the changed answers only,
with the version read: a concurrent save is refused and what was typed stays) and « Valider » (save, then submit),
the attachments panel; then the decision phase: the current deadline, the actions the reader may take now (withdraw for
the applicant; complement, acceptance, intended refusal, decision, extension for customs), « Laisser un commentaire »
and the history with the comments, live. Read-only once submitted, for a person who may only consult, and for customs.

Every rule is the API's: the page places its problems next to their fields and lists them in a summary whose links
open the right tab and focus the field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from reactpy import (
    component,
    event,
    html,
    use_async_effect,
    use_effect,
    use_location,
    use_ref,
    use_scope,
    use_state,
)

from ui import formatting
from ui.client import GraphQLClientError, use_client, use_subscription
from ui.components.access import LOADING, soprano_gate
from ui.components.attachments import attachments_panel
from ui.components.deadline import deadline_panel
from ui.components.dossier_fields import AnswerStore, answer_field, answers_view
from ui.components.feedback import error_alert, loading
from ui.components.focus import focus_script
from ui.components.goods import GOODS_TITLES, goods_section
from ui.components.processing import action_codes, comment_form, history_section, processing_panel
from ui.components.status import status_badge
from ui.components.tabs import Tab, tabs
from ui.dossier_form import (
    EDITING_RIGHTS,
    GOODS_AGGREGATES,
    Target,
    changes,
    dossier_id_from_path,
    initial_inputs,
    messages_by_path,
    node_number,
    problem_target,
)
from ui.pages.customs import is_officer

SUMMARY_ID = "points-a-corriger"
MESSAGE_ID = "dossier-message"
ALWAYS_LOADED_LISTS = ("units", "countries")

# A notice above the form: (DSFR alert kind, title or None, messages).
Notice = tuple[str, str | None, list[str]] | None


def _sr(text: str):
    return html.span({"className": "fr-sr-only"}, text)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


async def load_code_lists(client, procedure: Mapping[str, Any]) -> dict[str, Any]:
    names = {f["codeList"] for r in procedure["rubriques"] for f in r["fields"] if f.get("codeList")}
    lists: dict[str, Any] = {}
    for name in sorted(names | set(ALWAYS_LOADED_LISTS)):
        found = (await client.execute("CodeList", {"name": name}))["codeList"]
        if found:
            lists[name] = found
    return lists


@component
def dossier_page(me: dict[str, Any] | None, reload_me: Callable[[], None], segment: str):
    dossier_id = dossier_id_from_path(segment)
    if is_officer(me):
        # Customs officers are not SOPRANO's professionals: the API shows them their office's dossiers.
        return dossier_loader(dossier_id, officer=True, key=dossier_id)
    return soprano_gate(
        me, reload_me, "Dossier", f"/dossiers/{segment}", lambda: dossier_loader(dossier_id, key=dossier_id)
    )


@component
def dossier_live(dossier_id: str, after_event_id: str | None, on_event: Callable[[dict[str, Any]], None]):
    """Follows `dossierChanged` from the last event shown (the API sends what was missed since, then each new one);
    dropped by the server, it starts again after the last event received, saying so meanwhile."""
    live_status = use_subscription(
        "DossierChanged",
        {"dossierId": dossier_id, "afterEventId": after_event_id},
        on_event,
        key=dossier_id,
        resume=lambda data: {"afterEventId": data["dossierChanged"]["id"]},
    )
    return html.p(
        {"className": "fr-text--xs portal-live", "id": "dossier-direct", "role": "status"},
        live_status,
    )


def _announce(event: dict[str, Any]) -> str:
    side = "douane" if event.get("actorSide") == "douane" else "demandeur"
    who = f" ({event['actorName']}, {side})" if event.get("actorName") else ""
    if event.get("kind") == "comment":
        return f"Nouveau commentaire{who}."
    return f"Dossier mis à jour : {event['label']}{who}."


@component
def dossier_loader(dossier_id: str, created: bool = False, officer: bool = False):
    """Loads the dossier, its procedure's form model and the code lists it uses, then opens the editor; follows the
    dossier live: each event re-reads its processing (status, actions, deadline, history) and, when the status
    changed, the dossier itself, so the page shows the other side's step without a reload."""
    client = use_client()
    loaded, set_loaded = use_state(LOADING)
    error, set_error = use_state(None)
    processing, set_processing = use_state(None)
    processing_ref = use_ref(None)
    external, set_external = use_state((None, 0))  # (the dossier read again after a change of status, revision)
    announcement, set_announcement = use_state("")
    events, set_events = use_state(0)  # events received: each one reads the dossier again

    @use_async_effect(dependencies=[dossier_id])
    async def load():
        try:
            dossier = (await client.execute("DossierEditor", {"id": dossier_id}))["dossier"]
            if dossier is None:
                set_loaded(None)
                return
            state = (await client.execute("DossierProcessing", {"id": dossier_id}))["dossier"]
            catalogue = (await client.execute("Procedures"))["procedures"]
            procedure = next(p for p in catalogue if p["code"] == dossier["procedureCode"])
            code_lists = await load_code_lists(client, procedure)
        except GraphQLClientError as exc:
            set_error(exc.messages)
            return
        processing_ref.current = state
        set_processing(state)
        set_loaded({"dossier": dossier, "procedure": procedure, "codeLists": code_lists})

    def _age(state: dict[str, Any] | None) -> tuple[int, int]:
        """How far a read of the processing has come: steps and comments in the history, then saves."""
        return (len(state.get("history") or []), int(state.get("version") or 0)) if state else (-1, -1)

    async def reload() -> None:
        """Read the dossier's processing again. Reads may overlap (our own action, the other side's event): an answer
        older than what is shown is dropped, so the newest always stays, whichever read ends last or gets cancelled."""
        try:
            fresh = (await client.execute("DossierProcessing", {"id": dossier_id}))["dossier"]
        except GraphQLClientError as exc:
            set_announcement(" ".join(exc.messages))
            return
        if fresh is None or _age(fresh) < _age(processing_ref.current):
            return
        previous = processing_ref.current
        if previous is None or fresh["status"] != previous["status"] or fresh["version"] != previous["version"]:
            try:
                dossier = (await client.execute("DossierEditor", {"id": dossier_id}))["dossier"]
            except GraphQLClientError:
                dossier = None
            if _age(fresh) < _age(processing_ref.current):
                return
            if dossier:
                set_external(lambda current: (dossier, current[1] + 1))
        processing_ref.current = fresh
        set_processing(fresh)

    # The subscription keeps the `on_event` of its first render: it only calls setters, which never change.
    # Shielded: a re-render while it reads must not cancel the read that brings the other side's step.
    @use_async_effect(dependencies=[events], shield=True)
    async def follow():
        if events:
            await reload()

    def on_event(event: dict[str, Any]) -> None:
        set_announcement(_announce(event["dossierChanged"]))
        set_events(lambda n: n + 1)

    if error:
        return html.div(html.h1("Dossier"), error_alert(error))
    if loaded is LOADING:
        return loading("Chargement du dossier…")
    if loaded is None:
        back = ("/douane", "Retour aux dossiers du bureau") if officer else ("/soprano", "Retour à mes dossiers")
        return html.div(
            html.h1("Dossier introuvable"),
            error_alert("Ce dossier n'existe pas ou vous n'y avez pas accès."),
            html.a({"className": "fr-btn fr-btn--secondary", "href": back[0]}, back[1]),
        )
    history = (processing or {}).get("history") or []
    return html.div(
        dossier_live(dossier_id, history[-1]["id"] if history else None, on_event, key=f"live-{dossier_id}"),
        dossier_editor(
            loaded["dossier"],
            loaded["procedure"],
            loaded["codeLists"],
            created,
            officer=officer,
            processing=processing,
            external=external[0],
            external_revision=external[1],
            on_processed=reload,
            announcement=announcement,
        ),
    )


def dossier_header(dossier: Mapping[str, Any], procedure: Mapping[str, Any], officer: bool = False):
    operator = dossier["operator"]
    saved = formatting.date_time(dossier["updatedAt"])
    items = [
        ("Régime", dossier["procedureLabel"]),
        ("Type d'autorisation", f"Régime particulier – {dossier['authorisationType']}"),
        ("Statut", status_badge(dossier["status"], dossier["statusLabel"], id="dossier-statut")),
        ("Opérateur", f"{operator['legalName']} – SIRET {formatting.siret(operator['siret'])}"),
        ("Version", str(dossier["version"])),
        ("Dernière sauvegarde", f"{saved} par {dossier['updatedBy']}" if dossier["updatedBy"] else saved),
    ]
    if dossier.get("submittedAt"):
        items.append(("Déposé le", formatting.date_time(dossier["submittedAt"])))
    return html.div(
        {"className": "fr-mb-4w"},
        html.p(
            {"className": "fr-text--sm fr-mb-1w"},
            html.a({"className": "fr-link", "href": "/douane"}, "Dossiers du bureau")
            if officer
            else html.a({"className": "fr-link", "href": "/soprano"}, "Mes dossiers"),
        ),
        html.h1({"id": "dossier-titre"}, f"Dossier {dossier['reference']}"),
        html.p({"className": "fr-text--lead fr-mb-2w"}, procedure["label"]),
        html.dl(
            {"className": "portal-facts", "id": "dossier-entete"},
            [
                html.div({"key": label, "className": "portal-facts__item"}, html.dt(label), html.dd(value))
                for label, value in items
            ],
        ),
    )


def _notice_box(notice: Notice):
    if not notice:
        return ""
    kind, title, texts = notice
    return html.div(
        {
            "className": f"fr-alert fr-alert--{kind} fr-mb-3w" + ("" if title else " fr-alert--sm"),
            "role": "alert" if kind == "error" else "status",
            "id": MESSAGE_ID,
            "tabIndex": -1,
        },
        html.h2({"className": "fr-alert__title"}, title) if title else "",
        [html.p({"key": str(i)}, text) for i, text in enumerate(texts)],
    )


@component
def dossier_editor(
    initial: dict[str, Any],
    procedure: dict[str, Any],
    code_lists: dict[str, Any],
    created: bool = False,
    *,
    officer: bool = False,
    processing: Mapping[str, Any] | None = None,
    external: dict[str, Any] | None = None,
    external_revision: int = 0,
    on_processed: Callable[[], Any] | None = None,
    announcement: str = "",
):
    """`processing`: the dossier's status, actions, deadline and history as last read (live); `external`: the dossier
    read again after another person changed its status, adopted when it differs from the one shown."""
    client = use_client()
    scope = use_scope()
    location = use_location()
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

    problems, set_problems = use_state(None)  # None until « Contrôler »; the API's problems after
    save_problems, set_save_problems = use_state([])  # a value the API refused at save: [{path, message}]
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
    focus, set_focus = use_state((None, 0))

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

    right = dossier["operator"].get("myRight")
    editable = bool(dossier["editable"]) and right in EDITING_RIGHTS
    may_submit = right == "SUBMIT"
    numeric_id = node_number(dossier_id, "Dossier") or ""

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

    def _refusal(error: GraphQLClientError, title: str) -> None:
        invalid = [
            {"path": (e.get("extensions") or {}).get("field"), "message": e.get("message", "")}
            for e in error.errors
            if (e.get("extensions") or {}).get("code") == "INVALID_VALUE"
            and (e.get("extensions") or {}).get("field")
        ]
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
            return True
        try:
            data = await client.execute(
                "UpdateDossier", {"id": dossier_id, "version": version.current, "changes": diff}
            )
        except GraphQLClientError as error:
            _refusal(error, "Le dossier n'a pas été sauvegardé")
            return False
        updated = data["updateDossier"]
        version.current = updated["version"]
        baseline.current = initial_inputs(fields, updated["answers"])
        unsaved_ref.current = False
        set_unsaved(False)
        set_save_problems([])
        set_dossier(lambda current: {**current, **updated})
        if not quiet:
            set_notice(
                (
                    "success",
                    None,
                    [
                        f"Dossier sauvegardé (version {updated['version']}) le {formatting.date_time(updated['updatedAt'])}."
                    ],
                )
            )
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
                listed = next(
                    (
                        (e.get("extensions") or {}).get("problems")
                        for e in error.errors
                        if (e.get("extensions") or {}).get("code") == "DOSSIER_HAS_PROBLEMS"
                    ),
                    None,
                )
                if listed is not None:
                    set_problems(listed)
                    set_notice(("error", "Le dossier n'a pas été déposé", list(error.messages)))
                    request_focus(SUMMARY_ID)
                    return
                _refusal(error, "Le dossier n'a pas été déposé")
                return
            fresh = (await client.execute("DossierEditor", {"id": dossier_id}))["dossier"]
            set_dossier(fresh)
            version.current = fresh["version"]
            set_problems(None)
            set_notice(
                (
                    "success",
                    "Dossier déposé",
                    [
                        f"Le dossier {fresh['reference']} a été déposé le {formatting.date_time(fresh['submittedAt'])}. "
                        "Le service des douanes vérifie qu'il est complet dans les 30 jours."
                    ],
                )
            )
            request_focus(MESSAGE_ID)
        finally:
            set_busy(None)

    # --- what the page shows ------------------------------------------------------------------------------------

    listed = (problems or []) + save_problems
    errors = messages_by_path(listed)
    targets = {p["path"]: problem_target(p["path"], rubriques, code_lists) for p in listed}
    counts: dict[str, int] = {}
    for target in targets.values():
        if target:
            counts[target.tab] = counts.get(target.tab, 0) + 1
    labels = {f["path"]: (r["label"], f["label"]) for r in rubriques for f in r["fields"]}

    def describe(path: str) -> str:
        if path in labels:
            return labels[path][1]
        if path.startswith("specific.storagePlaces."):
            parts = path.split(".")
            return f"Installation de stockage n° {int(parts[2]) + 1}" if parts[2].isdigit() else "Installations"
        if path in GOODS_AGGREGATES:
            return GOODS_TITLES[GOODS_AGGREGATES[path]]
        if path.startswith("goods.line."):
            return "Ligne de marchandise"
        return path

    def summary():
        if not listed:
            return ""

        def link(target: Target):
            return event(prevent_default=True)(lambda e: go_to(target))

        items = []
        for index, problem in enumerate(listed):
            target = targets.get(problem["path"])
            label = describe(problem["path"])
            text = problem["message"] if label in problem["message"] else f"{label} : {problem['message']}"
            tab_label = next((r["label"] for r in rubriques if target and r["code"] == target.tab), None)
            items.append(
                html.li(
                    {"key": str(index)},
                    html.a({"href": f"#{target.element_id}", "onClick": link(target)}, text) if target else text,
                    html.span({"className": "fr-text--xs portal-summary__tab"}, f" ({tab_label})")
                    if tab_label
                    else "",
                )
            )
        title = (
            "Valeur refusée : le dossier n'a pas été sauvegardé"
            if save_problems and not problems
            else _plural(len(listed), "point à corriger", "points à corriger")
        )
        return html.div(
            {
                "className": "fr-alert fr-alert--error fr-mb-3w portal-summary",
                "role": "alert",
                "id": SUMMARY_ID,
                "tabIndex": -1,
                "aria-labelledby": f"{SUMMARY_ID}-titre",
            },
            html.h2({"className": "fr-alert__title", "id": f"{SUMMARY_ID}-titre"}, title),
            html.ul(items),
        )

    def panel(rubrique: Mapping[str, Any]):
        heading = html.h2({"className": "fr-h4"}, rubrique["label"])
        goods = (
            goods_section(
                dossier_id,
                procedure["goodsKinds"],
                dossier["goods"],
                (code_lists.get("units") or {}).get("entries") or [],
                errors,
                editable,
                lambda resolved: refresh(resolved),
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
                store,
                errors.get(field["path"]),
                code_lists.get(field.get("codeList") or ""),
                errors if field["kind"] == "STORAGE_PLACES" else None,
                code_lists.get("countries"),
                key=field["path"],
            )
            for field in rubrique["fields"]
        ]
        return [heading, goods, html.div({"className": "portal-fields"}, body)]

    def tab_badge(code: str):
        count = counts.get(code)
        if not count:
            return None
        return [str(count), _sr(" " + ("point à corriger" if count == 1 else "points à corriger"))]

    def button(label: str, busy_label: str, name: str, handler, primary: bool = False):
        return html.li(
            {"key": name},
            html.button(
                {
                    "type": "button",
                    "id": f"bouton-{name}",
                    "className": "fr-btn" + ("" if primary else " fr-btn--secondary"),
                    "onClick": handler,
                    "disabled": busy is not None,
                    **({"aria-busy": "true"} if busy == name else {}),
                },
                busy_label if busy == name else label,
            ),
        )

    read_only_reason = None
    if officer:
        read_only_reason = (
            "Vous consultez la demande telle que le demandeur l'a déposée : le formulaire est en lecture seule."
        )
    elif not dossier["editable"]:
        read_only_reason = f"Ce dossier est {dossier['statusLabel']} : il ne peut plus être modifié."
    elif right not in EDITING_RIGHTS:
        read_only_reason = (
            f"Votre droit sur {dossier['operator']['legalName']} (consulter) vous permet de consulter ce dossier, "
            "pas de le modifier."
        )

    actions = (
        html.div(
            {"className": "portal-actions fr-mt-3w"},
            html.p(
                {"className": "fr-text--sm fr-mb-1w", "role": "status", "id": "etat-saisie"},
                "Modifications non sauvegardées." if unsaved else "",
            ),
            html.ul(
                {"className": "fr-btns-group fr-btns-group--inline-md"},
                button("Contrôler", "Contrôle en cours…", "controler", on_check),
                button("Sauvegarder", "Sauvegarde en cours…", "sauvegarder", on_save),
                button("Valider", "Dépôt en cours…", "valider", on_submit, primary=True) if may_submit else "",
            ),
            ""
            if may_submit
            else html.p(
                {"className": "fr-text--sm"},
                "Votre droit (préparer) permet de compléter, contrôler et sauvegarder ce dossier ; "
                "une personne habilitée à déposer le validera.",
            ),
        )
        if editable
        else ""
    )
    may_comment = "comment" in action_codes(processing)  # the API's `actions` offer « Laisser un commentaire »
    query_string = location.query_string or ""
    session = scope.get("session") or {}
    return html.div(
        {"className": "portal-dossier"},
        dossier_header(dossier, procedure, officer),
        _notice_box(notice),
        deadline_panel(processing.get("deadline")) if processing else "",
        processing_panel(dossier_id, processing, officer, on_processed, key="traitement")
        if processing and on_processed
        else "",
        html.div(
            {"className": "fr-alert fr-alert--info fr-alert--sm fr-mb-3w", "role": "status"},
            html.p(read_only_reason),
        )
        if read_only_reason and not (notice and notice[1] == "Dossier déposé")
        else "",
        summary(),
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
            [Tab(r["code"], r["label"], tab_badge(r["code"]), panel(r)) for r in rubriques],
            active,
            select_tab,
        ),
        actions,
        attachments_panel(
            dossier_id,
            numeric_id,
            dossier["attachments"],
            editable,
            session.get("csrf"),
            query_string,
            unsaved,
            lambda: save(quiet=True),
            lambda: refresh(),
        ),
        history_section(
            (processing or {}).get("history") or [],
            comment_form(dossier_id, on_processed, key="commentaire") if may_comment and on_processed else "",
            announcement,
        ),
        focus_script(focus[0], focus[1]),
    )
