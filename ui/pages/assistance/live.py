"""One assistance request as its page shows it, live: read through the API, read again after each change made here
and whenever `assistanceChanged(requestId)` says the other side (or another tab) changed it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reactpy import use_async_effect, use_state

from ui import formatting
from ui.client import GraphQLClientError, use_client, use_subscription

LOADING = object()

# What each kind of change (AssistanceChange.kind) is, said when it shows on the page.
CHANGES = {
    "opened": "la demande est ouverte",
    "message": "nouveau message",
    "answer": "nouvelle réponse",
    "taken": "la demande est prise en charge",
    "closed": "la demande est close",
    "screenshot": "une capture d'écran est jointe",
}


@dataclass(frozen=True)
class LoadedRequest:
    found: Any  # LOADING, None (not found or not visible) or the request
    error: str | None
    announcement: str  # what the last live change was (empty until one came)
    live_status: str  # use_subscription's: "" while live, else why not
    changed: Callable[[], None]  # after a change made here: read it again


def use_request(request_id: str) -> LoadedRequest:
    client = use_client()
    found, set_found = use_state(LOADING)
    error, set_error = use_state(None)
    refresh, set_refresh = use_state(0)
    announcement, set_announcement = use_state("")

    @use_async_effect(dependencies=[request_id, refresh])
    async def load():
        try:
            data = await client.execute("AssistanceRequestPage", {"id": request_id})
        except GraphQLClientError as failure:
            set_error(" ".join(failure.messages))
            return
        set_error(None)
        set_found(data["assistanceRequest"])

    def on_change(data: dict[str, Any]) -> None:
        change = data["assistanceChanged"]
        set_refresh(lambda n: n + 1)
        if change["resync"]:
            return
        said = CHANGES.get(change.get("kind") or "", "la demande a changé")
        moment = dt.datetime.now(formatting.PARIS).strftime("%H:%M:%S")
        set_announcement(f"Mis à jour à {moment} : {said}.")

    live_status = use_subscription(
        "AssistanceChanged",
        {"requestId": request_id},
        on_change,
        key=request_id,
        restart_when=lambda data: bool(data["assistanceChanged"]["resync"]),
    )

    return LoadedRequest(found, error, announcement, live_status, lambda: set_refresh(lambda n: n + 1))
