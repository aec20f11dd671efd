"""Messages of the DSFR: loading, alerts (errors, success), and the invitation to log in."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from reactpy import html


def loading(label: str = "Chargement…"):
    return html.p({"aria-busy": "true", "className": "fr-my-4w"}, label)


def alert(
    kind: str, messages: Sequence[str] | str, *, title: str | None = None, id: str | None = None, level: int = 3
):
    """`kind`: error, success, info, warning. Errors are announced at once (role=alert); others politely. `level`:
    the title's heading level, one below the heading the alert sits under."""
    if isinstance(messages, str):
        messages = [messages]
    attributes = {
        "className": f"fr-alert fr-alert--{kind} fr-mb-3w" + ("" if title else " fr-alert--sm"),
        "role": "alert" if kind == "error" else "status",
    }
    if id:
        attributes["id"] = id
    return html.div(
        attributes,
        getattr(html, f"h{level}")({"className": "fr-alert__title"}, title) if title else "",
        *[html.p({"key": str(index)}, message) for index, message in enumerate(messages)],
    )


def error_alert(messages: Sequence[str] | str, *, title: str | None = None, id: str | None = None):
    return alert("error", messages, title=title, id=id)


def success_alert(
    messages: Sequence[str] | str, *, title: str | None = None, id: str | None = None, level: int = 3
):
    return alert("success", messages, title=title, id=id, level=level)


def login_href(next_path: str) -> str:
    """« Se connecter », back to `next_path` (its query string too: a shared link survives the login)."""
    return f"/auth/login?next={quote(next_path, safe='/')}"


def login_invitation(next_path: str, what: str = "ce service"):
    return html.div(
        html.p(f"Connectez-vous pour accéder à {what}."),
        html.a({"className": "fr-btn", "href": login_href(next_path)}, "Se connecter"),
    )
