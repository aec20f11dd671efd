"""The UI's addresses, known once: the root component picks its page from them and the HTTP route answers 404 for
any other (the page still renders « Page non trouvée »)."""

from __future__ import annotations

FIXED_PAGES = frozenset(
    {"/", "/soprano", "/douane", "/operateur", "/habilitations", "/jetons", "/dossiers/nouveau", "/autorisations"}
)
DOSSIER_PREFIX = "/dossiers/"
AUTHORIZATION_PREFIX = "/autorisations/"


def normalized(path: str) -> str:
    return path.rstrip("/") or "/"


def dossier_key(path: str) -> str | None:
    """The dossier id of /dossiers/<id>, or None."""
    path = normalized(path)
    if path.startswith(DOSSIER_PREFIX) and path != "/dossiers/nouveau":
        rest = path[len(DOSSIER_PREFIX) :]
        if rest and "/" not in rest:
            return rest
    return None


def authorization_key(path: str) -> str | None:
    """The authorisation id of /autorisations/<id>, or None."""
    path = normalized(path)
    if path.startswith(AUTHORIZATION_PREFIX):
        rest = path[len(AUTHORIZATION_PREFIX) :]
        if rest and "/" not in rest:
            return rest
    return None


def is_page(path: str) -> bool:
    return normalized(path) in FIXED_PAGES or dossier_key(path) is not None or authorization_key(path) is not None
