"""Who may see and act on dossiers: the applicant side by their right on the dossier's operator, the customs side by
their office once the dossier was submitted."""

from __future__ import annotations

from typing import Protocol

import sqlalchemy as sa
from sqlmodel import or_, select

from backend.dossiers.models import Attachment, Dossier, GoodsLine
from backend.errors import Forbidden, NotFound
from backend.identity.models import MandateScope, Right
from backend.identity.policy import Access, OperatorAccess, Via, require_actor, require_professional

NOT_FOUND_DOSSIER = "Dossier introuvable."


def visible_dossiers(access: Access) -> sa.ColumnElement[bool]:
    """Professionals: the dossiers of the operators they may act for (a partial mandate: only those their own
    operator filed). Customs officers: the dossiers of their office, once submitted."""
    if access.is_professional and not access.terms_accepted:
        return sa.false()  # SOPRANO's terms first: no way around them (node(id), lists, downloads)
    if access.is_officer:
        office = access.actor.user.customs_office if access.actor else None
        if not office:
            return sa.false()
        # Only what was submitted once: a draft (even withdrawn before submission) stays with the applicant.
        return sa.and_(Dossier.customs_office == office, Dossier.submitted_at.is_not(None))
    return applicant_visibility(access, Dossier.operator_id, Dossier.filed_by_operator_id)


def applicant_visibility(
    access: Access, operator_id: sa.ColumnElement[int], filed_by_operator_id: sa.ColumnElement[int | None]
) -> sa.ColumnElement[bool]:
    """The applicant side's view of rows that belong to an operator and may have been filed by a representative
    (dossiers, authorisations): any right on the operator; a partial mandate only what their own operator filed."""
    full = [
        a.operator_id
        for a in access.operators.values()
        if a.right is not None and a.scope is not MandateScope.PARTIAL
    ]
    partial = [
        a.operator_id for a in access.operators.values() if a.right is not None and a.scope is MandateScope.PARTIAL
    ]
    conditions = []
    if full:
        conditions.append(operator_id.in_(full))
    own = access.actor.user.operator_id if access.actor else None
    if partial and own is not None:
        conditions.append(sa.and_(operator_id.in_(partial), filed_by_operator_id == own))
    return or_(*conditions) if conditions else sa.false()


def followed_dossier_groups(access: Access) -> tuple[str | None, list[int]]:
    """Whose dossiers' changes the actor may follow live: an officer their office's, a professional those of the
    operators they hold a right on. (office, operator ids); every delivered event is still checked on its own."""
    if access.is_officer:
        return (access.actor.user.customs_office if access.actor else None) or None, []
    return None, [operator_id for operator_id, entry in access.operators.items() if entry.right is not None]


def visible_in_dossiers(access: Access, dossier_id: sa.ColumnElement[int]) -> sa.ColumnElement[bool]:
    """Rows of a dossier the actor sees (goods lines, attachments…), by the column naming their dossier."""
    return dossier_id.in_(select(Dossier.id).where(visible_dossiers(access)))


def visible_goods_lines(access: Access) -> sa.ColumnElement[bool]:
    return visible_in_dossiers(access, GoodsLine.dossier_id)


def visible_attachments(access: Access) -> sa.ColumnElement[bool]:
    return visible_in_dossiers(access, Attachment.dossier_id)


class OperatorOwned(Protocol):
    """A row of an operator, perhaps filed by a representative (a dossier, an authorisation)."""

    operator_id: int
    filed_by_operator_id: int | None


def filing_firm(access: Access, operator_id: int) -> int | None:
    """Who files a row for `operator_id` as a representative (a dossier, a question): the actor's own firm when they
    act for it through a mandate, else None (its own users and partners). A partial mandate then sees what its firm
    filed (applicant_visibility)."""
    entry = access.operators.get(operator_id)
    if entry is None or entry.via is not Via.REPRESENTATION or access.actor is None:
        return None
    return access.actor.user.operator_id


def applicant_entry(access: Access, dossier: OperatorOwned) -> OperatorAccess | None:
    """The actor's access to the row's operator when they see the row (a dossier, an authorisation) as its applicant
    side, else None."""
    if not access.is_professional:
        return None
    entry = access.operators.get(dossier.operator_id)
    if entry is None or entry.right is None:
        return None
    own = access.actor.user.operator_id if access.actor else None
    if entry.scope is MandateScope.PARTIAL and dossier.filed_by_operator_id != own:
        return None
    return entry


def may_create_dossier(access: Access) -> bool:
    """Whether « Déposer un nouveau dossier » can succeed: a professional who accepted the CGU, with the prepare right
    on the operator they act for or, while none is chosen, on one of those they may choose (that step comes first)."""
    if not access.is_professional or not access.terms_accepted:
        return False
    if access.acting_operator_id is not None:
        entry = access.operators.get(access.acting_operator_id)
        return entry is not None and entry.right is not None and entry.right >= Right.PREPARE
    return any(entry.right >= Right.PREPARE for entry in access.actionable())


def may_on_dossier(access: Access, dossier: Dossier, right: Right) -> bool:
    """The actor sees the dossier as its applicant side with at least `right` (what `require_dossier_right` checks)."""
    entry = applicant_entry(access, dossier)
    return entry is not None and entry.right is not None and entry.right >= right


def may_act_as_customs(access: Access, dossier: Dossier) -> bool:
    """The actor is an officer of the dossier's office and the dossier was submitted (what `require_customs_of`
    checks)."""
    if not access.is_officer:
        return False
    office = access.actor.user.customs_office if access.actor else None
    return bool(office) and dossier.customs_office == office and dossier.submitted_at is not None


def may_read_dossier(access: Access, dossier: Dossier) -> bool:
    """Its history and comments: its applicant side (any right) or its customs office."""
    if access.is_officer:
        return may_act_as_customs(access, dossier)
    return may_on_dossier(access, dossier, Right.CONSULT)


def require_dossier_right(access: Access, dossier: Dossier, right: Right) -> OperatorAccess:
    """The actor's access to a dossier's operator with at least `right`. NotFound when they may not even see it."""
    require_professional(access)
    entry = applicant_entry(access, dossier)
    if entry is None or entry.right is None:
        raise NotFound(NOT_FOUND_DOSSIER)
    if entry.right < right:
        raise Forbidden(f"Vous n'avez pas le droit de {right.label} pour ce dossier.")
    return entry


def require_customs_of(access: Access, dossier: Dossier) -> None:
    """Customs actions: an officer of the dossier's office (who sees it: submitted, their office)."""
    require_actor(access)
    if not access.is_officer:
        raise Forbidden("Cette action est réservée au service des douanes compétent.")
    if not may_act_as_customs(access, dossier):
        raise NotFound(NOT_FOUND_DOSSIER)


def require_dossier_reader(access: Access, dossier: Dossier) -> None:
    """Reading a dossier's history and comments: its applicant side (any right) or its customs office."""
    if access.is_officer:
        require_customs_of(access, dossier)
    else:
        require_dossier_right(access, dossier, Right.CONSULT)
