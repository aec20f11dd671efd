"""Who may see and act on assistance requests and feedback.

- A question (assistance réglementaire) is asked by a professional for an operator they hold a right on; its author
  and the operator's users with at least the consult right read it (a partial mandate: only what their own users
  asked); the asker's side answers and closes it with the prepare right (its author always). The officers of its
  office, and only them, read, take and answer it.
- A ticket (assistance technique) is its author's and the support's (a customs-side role given by configuration).
- Feedback may be given by anyone logged in; the support reads it.
A private person's help lives in their own space: professional assistance is refused to them. A request another
actor may not see is « introuvable », like one that does not exist."""

from __future__ import annotations

import sqlalchemy as sa

from backend.assistance.models import AssistanceRequest, RequestKind
from backend.errors import Forbidden, NotFound, Unauthenticated
from backend.identity.models import AccountKind, Right
from backend.identity.policy.access import LOGIN_REQUIRED, Access
from backend.identity.policy.dossiers import applicant_entry, applicant_visibility

NOT_FOUND_REQUEST = "Demande d'assistance introuvable."
PROFESSIONALS_ONLY = (
    "L'assistance réglementaire et l'assistance technique sont réservées aux professionnels et aux agents : un "
    "particulier trouve l'aide de la douane dans son espace « Mes déclarations »."
)
QUESTIONS_PROFESSIONAL = "Une question réglementaire est posée par un professionnel, pour un opérateur."
SUPPORT_ONLY = "Cette fonction est réservée au support du portail."


def _user_id(access: Access) -> int | None:
    return access.actor.user_id if access.actor else None


def office_of(access: Access) -> str | None:
    """The office of an officer, or None."""
    if not access.is_officer or access.actor is None:
        return None
    return access.actor.user.customs_office or None


def is_support(access: Access) -> bool:
    return access.is_officer and access.actor is not None and bool(access.actor.user.is_support)


def require_assistance_user(access: Access) -> None:
    """Logged in, and not a private person."""
    if access.actor is None:
        raise Unauthenticated(LOGIN_REQUIRED)
    if access.actor.kind is AccountKind.PRIVATE_PERSON:
        raise Forbidden(PROFESSIONALS_ONLY)


def visible_requests(access: Access) -> sa.ColumnElement[bool]:
    """The requests the actor sees, as a SQL condition."""
    me = _user_id(access)
    if me is None or access.actor.kind is AccountKind.PRIVATE_PERSON:
        return sa.false()
    R = AssistanceRequest
    conditions: list[sa.ColumnElement[bool]] = [R.author_id == me]
    if access.is_professional:
        # As the dossiers: any right on the operator; a partial mandate what its own firm's users asked.
        asker_side = applicant_visibility(access, R.operator_id, R.filed_by_operator_id)
        conditions.append(sa.and_(R.kind == RequestKind.QUESTION.value, asker_side))
    office = office_of(access)
    if office:
        conditions.append(sa.and_(R.kind == RequestKind.QUESTION.value, R.customs_office == office))
    if is_support(access):
        conditions.append(R.kind == RequestKind.TICKET.value)
    return sa.or_(*conditions)


def is_answering(access: Access, request: AssistanceRequest) -> bool:
    """The customs side of the request: the officers of a question's office, the support for a ticket."""
    if request.kind == RequestKind.QUESTION:
        office = office_of(access)
        return bool(office) and request.customs_office == office
    return is_support(access)


def is_asking(access: Access, request: AssistanceRequest, least: Right = Right.CONSULT) -> bool:
    """The asker's side: the author; for a question, the operator's users with at least `least`."""
    if access.actor is None or access.actor.kind is AccountKind.PRIVATE_PERSON:
        return False
    if request.author_id == _user_id(access):
        return True
    if request.kind != RequestKind.QUESTION:
        return False
    entry = applicant_entry(access, request) if request.operator_id is not None else None
    return entry is not None and entry.right is not None and entry.right >= least


def may_read_request(access: Access, request: AssistanceRequest) -> bool:
    return is_asking(access, request) or is_answering(access, request)


def require_request_reader(access: Access, request: AssistanceRequest | None) -> AssistanceRequest:
    if access.actor is None:
        raise Unauthenticated(LOGIN_REQUIRED)
    if request is None or not may_read_request(access, request):
        raise NotFound(NOT_FOUND_REQUEST)
    return request


def may_write_as_asker(access: Access, request: AssistanceRequest) -> bool:
    """Answer or close on the asker's side: the author, or a user of the operator with the prepare right."""
    return is_asking(access, request, Right.PREPARE)


def require_writer(access: Access, request: AssistanceRequest | None) -> tuple[AssistanceRequest, bool]:
    """The request and whether the actor writes for customs (True) or for the asker (False)."""
    request = require_request_reader(access, request)
    if is_answering(access, request):
        return request, True
    if may_write_as_asker(access, request):
        return request, False
    raise Forbidden(
        "Vous pouvez lire cette question, pas y répondre : il faut le droit de préparer pour son opérateur."
    )


def require_answering(access: Access, request: AssistanceRequest | None) -> AssistanceRequest:
    request = require_request_reader(access, request)
    if not is_answering(access, request):
        who = "aux agents du bureau compétent" if request.kind == RequestKind.QUESTION else "au support du portail"
        raise Forbidden(f"Cette action est réservée {who}.")
    return request


def require_support(access: Access) -> None:
    if access.actor is None:
        raise Unauthenticated(LOGIN_REQUIRED)
    if not is_support(access):
        raise Forbidden(SUPPORT_ONLY)


def require_feedback_giver(access: Access) -> None:
    if access.actor is None:
        raise Unauthenticated(LOGIN_REQUIRED)
