"""What every change of a dossier's content (answers, goods lines, attachments) starts with: the applicant side
asking, a status that allows editing, and the dossier's row locked for the rest of the transaction."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db import utcnow
from backend.dossiers.models import EDITABLE_STATUSES, Dossier
from backend.dossiers.reading import get_dossier
from backend.errors import DomainError
from backend.identity.models import Right
from backend.identity.policy import Access, require_professional, require_terms
from backend.identity.policy.dossiers import may_on_dossier, require_dossier_right


class InvalidValue(DomainError):
    code = "INVALID_VALUE"


class NotEditable(DomainError):
    code = "NOT_EDITABLE"


def require_applicant(access: Access) -> None:
    """Who is asking comes before looking anything up: nothing about an id leaks to the wrong kind of caller."""
    require_professional(access)
    require_terms(access)


def may_edit(access: Access, dossier: Dossier) -> bool:
    """May this actor change the dossier's content and save it now: its status allows editing and their right on its
    operator is prepare (or submit, which includes it)."""
    return dossier.status in EDITABLE_STATUSES and may_on_dossier(access, dossier, Right.PREPARE)


def require_editable(dossier: Dossier) -> None:
    if dossier.status not in EDITABLE_STATUSES:
        raise NotEditable(
            f"Le dossier {dossier.reference} est {dossier.status.label} : il ne peut plus être modifié."
        )


async def lock_for_change(session: AsyncSession, access: Access, dossier_id: int) -> Dossier:
    """The dossier, for a change of its goods lines or attachments by an actor with the prepare right."""
    require_applicant(access)
    dossier = await get_dossier(session, access, dossier_id)
    require_dossier_right(access, dossier, Right.PREPARE)
    require_editable(dossier)
    # Take the dossier row first (locked until commit) and re-check its status under the lock: a concurrent
    # "Valider" either committed before (refused here) or waits for this change and then checks it.
    locked = await session.exec(
        sa.update(Dossier)
        .where(Dossier.id == dossier_id, Dossier.status.in_(EDITABLE_STATUSES))
        .values(updated_at=utcnow(), updated_by_id=access.actor.user_id)  # type: ignore[union-attr]
    )
    if locked.rowcount != 1:
        reference = dossier.reference
        await session.rollback()
        raise NotEditable(
            f"Le dossier {reference} n'est plus modifiable (il a été déposé ou son statut a changé)."
        )
    return dossier


async def touch(session: AsyncSession, dossier: Dossier, access: Access) -> None:
    """Who changed the dossier last, and when (its goods lines and attachments count as the dossier)."""
    await session.exec(
        sa.update(Dossier)
        .where(Dossier.id == dossier.id)
        .values(updated_at=utcnow(), updated_by_id=access.actor.user_id)  # type: ignore[union-attr]
    )
