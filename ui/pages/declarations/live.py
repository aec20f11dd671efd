"""One declaration as the page shows it, live: read through the API, read again after each change made here and
whenever `privateDeclarationChanged(declarationId)` says another person (or another tab) changed it. Also what the
forms share: the categories, currencies, countries and today's rules (`DeclarationGuide`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from reactpy import use_async_effect, use_ref, use_state

from ui import formatting
from ui.client import GraphQLClientError, use_client, use_subscription

LOADING = object()

# What each kind of change (DeclarationChange.kind) is, said when it shows on the page.
CHANGES = {
    "submitted": "la déclaration est déposée",
    "taken": "la douane a pris en charge la déclaration",
    "info_requested": "la douane demande un complément",
    "answered": "le déclarant a répondu à la douane",
    "accepted": "la déclaration est acceptée",
    "refused": "la déclaration est refusée",
    "message": "nouveau message",
}


@dataclass(frozen=True)
class LoadedDeclaration:
    found: Any  # LOADING, None (not found or not visible) or the declaration
    error: str | None
    announcement: str  # what the last live change was (empty until one came)
    live_status: str  # use_subscription's: "" while live, else why not
    version: Callable[[], int]  # the latest version known (a change answered it before the page read it again)
    changed: Callable[[Mapping[str, Any] | None], None]  # after a change made here: its answer ({id, version})


def use_declaration(declaration_id: str) -> LoadedDeclaration:
    client = use_client()
    found, set_found = use_state(LOADING)
    error, set_error = use_state(None)
    refresh, set_refresh = use_state(0)
    announcement, set_announcement = use_state("")
    version = use_ref(0)

    @use_async_effect(dependencies=[declaration_id, refresh])
    async def load():
        try:
            data = await client.execute("DeclarationPage", {"id": declaration_id})
        except GraphQLClientError as failure:
            set_error(" ".join(failure.messages))
            return
        declaration = data["privateDeclaration"]
        if declaration:
            # Versions only grow: a read begun before a change may end after it.
            version.current = max(version.current, declaration["version"])
        set_error(None)
        set_found(declaration)

    def on_change(data: dict[str, Any]) -> None:
        change = data["privateDeclarationChanged"]
        set_refresh(lambda n: n + 1)
        said = CHANGES.get(change.get("kind") or "")
        if said and not change["resync"]:
            moment = dt.datetime.now(formatting.PARIS).strftime("%H:%M:%S")
            set_announcement(f"Mis à jour à {moment} : {said}.")

    live_status = use_subscription(
        "PrivateDeclarationChanged",
        {"declarationId": declaration_id},
        on_change,
        key=declaration_id,
        restart_when=lambda data: bool(data["privateDeclarationChanged"]["resync"]),
    )

    def changed(answer: Mapping[str, Any] | None) -> None:
        if answer and answer.get("version"):
            version.current = max(version.current, answer["version"])
        set_refresh(lambda n: n + 1)

    return LoadedDeclaration(found, error, announcement, live_status, lambda: version.current, changed)


def use_guide() -> Mapping[str, Any] | None:
    """The categories (with quantityLabel), currencies, countries' names and today's rules; None until read (the
    forms still work: the API names what is missing)."""
    client = use_client()
    guide, set_guide = use_state(None)

    @use_async_effect(dependencies=[])
    async def load():
        try:
            data = await client.execute("DeclarationGuide")
        except GraphQLClientError:
            data = {"declarationCategories": [], "declarationCurrencies": ["EUR"], "allowanceRules": []}
        countries = {}
        try:
            listed = (await client.execute("CodeList", {"name": "countries"}))["codeList"]
            countries = {entry["code"]: entry["label"] for entry in (listed or {}).get("entries") or []}
        except GraphQLClientError:
            pass
        set_guide({**data, "countries": countries})

    return guide


def quantity_labels(guide: Mapping[str, Any] | None) -> dict[str, str]:
    return {
        c["category"]: c["quantityLabel"]
        for c in (guide or {}).get("declarationCategories") or []
        if c["quantityLabel"]
    }


def countries_of(guide: Mapping[str, Any] | None) -> dict[str, str]:
    return dict((guide or {}).get("countries") or {})


def rule(guide: Mapping[str, Any] | None, key: str) -> Mapping[str, Any] | None:
    return next((r for r in (guide or {}).get("allowanceRules") or [] if r["key"] == key), None)
