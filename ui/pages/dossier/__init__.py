"""/dossiers/<id>: the dossier page. It loads the dossier, its procedure's form model, the code lists it uses and what
the API announces to every screen (limits, attachment formats, the rights' labels), follows the dossier live, and opens
the editor (`editor`: the screen; `editing`: its state and what its buttons do; `summary`: header, notice, points to
correct; `actions`: the editor's buttons) with the decision phase (ui/components/processing). Read-only once
submitted, for a person who may only consult, and for customs.

Every rule is the API's: the page places its problems next to their fields and lists them in a summary whose links
open the right tab and focus the field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from reactpy import component, html, use_async_effect, use_ref, use_state

from ui.client import GraphQLClientError, use_client, use_subscription
from ui.components.access import LOADING, soprano_gate
from ui.components.feedback import error_alert, loading
from ui.components.processing.history import side_label
from ui.dossier_form import dossier_id_from_path
from ui.pages.customs import is_officer
from ui.pages.dossier.editor import dossier_editor

ALWAYS_LOADED_LISTS = ("units", "countries")


async def load_code_lists(client, procedure: Mapping[str, Any]) -> dict[str, Any]:
    names = {f["codeList"] for r in procedure["rubriques"] for f in r["fields"] if f.get("codeList")}
    lists: dict[str, Any] = {}
    for name in sorted(names | set(ALWAYS_LOADED_LISTS)):
        found = (await client.execute("CodeList", {"name": name}))["codeList"]
        if found:
            lists[name] = found
    return lists


async def load_screen_settings(client) -> dict[str, Any]:
    """What the API announces to every screen: its limits, the attachments' formats, the labels of the rights."""
    data = await client.execute("DossierScreenSettings")
    return {
        "limits": data["limits"],
        "attachmentPolicy": data["attachmentPolicy"],
        "rightLabels": {r["value"]: r["label"] for r in data["rights"]},
    }


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
    who = f" ({event['actorName']}, {side_label(event)})" if event.get("actorName") else ""
    if event.get("kind") == "COMMENT":
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
            settings = await load_screen_settings(client)
        except GraphQLClientError as exc:
            set_error(exc.messages)
            return
        processing_ref.current = state
        set_processing(state)
        set_loaded({"dossier": dossier, "procedure": procedure, "codeLists": code_lists, "settings": settings})

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
            loaded["settings"],
            created,
            officer=officer,
            processing=processing,
            external=external[0],
            external_revision=external[1],
            on_processed=reload,
            announcement=announcement,
        ),
    )
