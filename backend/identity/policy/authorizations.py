"""Who may see and act on issued authorisations: the holder's side by their right on the holder (a partial mandate:
only those from applications their own operator filed), the customs side by the issuing office."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import select

from backend.authorizations.models import Authorization, AuthorizationEvent, AuthorizationVersion
from backend.errors import Forbidden, NotFound
from backend.identity.models import Right
from backend.identity.policy import Access, require_professional
from backend.identity.policy.dossiers import applicant_entry, applicant_visibility

NOT_FOUND_AUTHORIZATION = "Autorisation introuvable."


def visible_authorizations(access: Access) -> sa.ColumnElement[bool]:
    """Professionals: the authorisations of the operators they may act for (any right; a partial mandate: those
    their own operator filed). Customs officers: those their office issued."""
    if access.is_professional and not access.terms_accepted:
        return sa.false()
    if access.is_officer:
        office = access.actor.user.customs_office if access.actor else None
        return Authorization.customs_office == office if office else sa.false()
    return applicant_visibility(access, Authorization.operator_id, Authorization.filed_by_operator_id)


def visible_authorization_versions(access: Access) -> sa.ColumnElement[bool]:
    return AuthorizationVersion.authorization_id.in_(
        select(Authorization.id).where(visible_authorizations(access))
    )


def visible_authorization_events(access: Access) -> sa.ColumnElement[bool]:
    return AuthorizationEvent.authorization_id.in_(select(Authorization.id).where(visible_authorizations(access)))


def may_act_as_issuing_office(access: Access, authorization: Authorization) -> bool:
    if not access.is_officer:
        return False
    office = access.actor.user.customs_office if access.actor else None
    return bool(office) and authorization.customs_office == office


def may_on_authorization(access: Access, authorization: Authorization, right: Right) -> bool:
    """The actor sees the authorisation as its holder's side with at least `right`."""
    if not access.is_professional or not access.terms_accepted:
        return False
    entry = applicant_entry(access, authorization)
    return entry is not None and entry.right is not None and entry.right >= right


def may_read_authorization(access: Access, authorization: Authorization) -> bool:
    if access.is_officer:
        return may_act_as_issuing_office(access, authorization)
    return may_on_authorization(access, authorization, Right.CONSULT)


def require_authorization_reader(access: Access, authorization: Authorization) -> None:
    """NotFound for an authorisation the actor may not see (anonymous included), exactly like one that does not
    exist."""
    if not may_read_authorization(access, authorization):
        raise NotFound(NOT_FOUND_AUTHORIZATION)


def require_holder_right(access: Access, authorization: Authorization, right: Right) -> None:
    """A request of the holder's side (amendment, renewal, suspension or revocation at their request)."""
    require_professional(access)
    require_authorization_reader(access, authorization)
    if not may_on_authorization(access, authorization, right):
        raise Forbidden(f"Vous n'avez pas le droit de {right.label} pour cette autorisation.")


def require_issuing_office(access: Access, authorization: Authorization) -> None:
    """Customs measures (suspension, revocation, annulment, re-assessment): an officer of the issuing office."""
    require_authorization_reader(access, authorization)
    if not may_act_as_issuing_office(access, authorization):
        raise Forbidden("Cette mesure est réservée au bureau de douane qui a délivré l'autorisation.")
