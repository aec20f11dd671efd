"""The UI's addresses, known once: the root component picks its page from them and the HTTP route answers 404 for
any other (the page still renders « Page non trouvée »)."""

from __future__ import annotations

# A private person's declarations (his « Mes déclarations », a new one, each one's page) and the examining office's
# queue of them, in the customs workspace.
DECLARANT_PATH = "/particulier"
NEW_DECLARATION_PATH = "/particulier/nouvelle"
OFFICE_DECLARATIONS_PATH = "/douane/declarations"
# Assistance: its home (« Mes demandes »), the regulatory documentation (public), a question, a ticket, an opinion,
# each request's page; the office's questions in the customs workspace, and the support's desk.
ASSISTANCE_PATH = "/assistance"
DOCUMENTATION_PATH = "/assistance/documentation"
QUESTION_PATH = "/assistance/question"
TICKET_PATH = "/assistance/technique"
FEEDBACK_PATH = "/assistance/avis"
OFFICE_QUESTIONS_PATH = "/douane/questions"
SUPPORT_PATH = "/support"

FIXED_PAGES = frozenset(
    {
        "/",
        "/soprano",
        "/douane",
        "/operateur",
        "/habilitations",
        "/jetons",
        "/dossiers/nouveau",
        "/autorisations",
        DECLARANT_PATH,
        NEW_DECLARATION_PATH,
        OFFICE_DECLARATIONS_PATH,
        ASSISTANCE_PATH,
        DOCUMENTATION_PATH,
        QUESTION_PATH,
        TICKET_PATH,
        FEEDBACK_PATH,
        OFFICE_QUESTIONS_PATH,
        SUPPORT_PATH,
    }
)
DOSSIER_PREFIX = "/dossiers/"
AUTHORIZATION_PREFIX = "/autorisations/"
DECLARATION_PREFIX = DECLARANT_PATH + "/"
OFFICE_DECLARATION_PREFIX = OFFICE_DECLARATIONS_PATH + "/"
ASSISTANCE_REQUEST_PREFIX = ASSISTANCE_PATH + "/demandes/"
DOCUMENTATION_PREFIX = DOCUMENTATION_PATH + "/"


def normalized(path: str) -> str:
    return path.rstrip("/") or "/"


def _key(path: str, prefix: str) -> str | None:
    """The last segment of `prefix`<id> when it is one segment and no fixed page, or None."""
    path = normalized(path)
    if path.startswith(prefix) and path not in FIXED_PAGES:
        rest = path[len(prefix) :]
        if rest and "/" not in rest:
            return rest
    return None


def dossier_key(path: str) -> str | None:
    """The dossier id of /dossiers/<id>, or None."""
    return _key(path, DOSSIER_PREFIX)


def authorization_key(path: str) -> str | None:
    """The authorisation id of /autorisations/<id>, or None."""
    return _key(path, AUTHORIZATION_PREFIX)


def declaration_key(path: str) -> str | None:
    """The declaration id of /particulier/<id> (the declarant's page), or None."""
    return _key(path, DECLARATION_PREFIX)


def office_declaration_key(path: str) -> str | None:
    """The declaration id of /douane/declarations/<id> (the examining office's page), or None."""
    return _key(path, OFFICE_DECLARATION_PREFIX)


def assistance_request_key(path: str) -> str | None:
    """The request id of /assistance/demandes/<id> (numeric, or its global id), or None."""
    return _key(path, ASSISTANCE_REQUEST_PREFIX)


def documentation_key(path: str) -> str | None:
    """The procedure code of /assistance/documentation/<CODE>, or None."""
    return _key(path, DOCUMENTATION_PREFIX)


def is_page(path: str) -> bool:
    return normalized(path) in FIXED_PAGES or any(
        key(path) is not None
        for key in (
            dossier_key,
            authorization_key,
            declaration_key,
            office_declaration_key,
            assistance_request_key,
            documentation_key,
        )
    )
