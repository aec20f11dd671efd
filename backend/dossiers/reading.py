"""Reading dossiers through the access policy: one by its id (NotFound for one the actor may not see, exactly like one
that does not exist) and the list of those they may see. Every dossier service starts here."""

from __future__ import annotations

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.dossiers.models import Dossier, DossierStatus
from backend.errors import NotFound
from backend.identity.models import Operator
from backend.identity.policy import Access, require_actor, require_professional, require_terms
from backend.identity.policy.dossiers import visible_dossiers


async def get_dossier(session: AsyncSession, access: Access, dossier_id: int) -> Dossier:
    """A dossier the actor may see; NotFound otherwise (exactly like one that does not exist)."""
    require_terms(access)
    dossier = (
        await session.exec(select(Dossier).where(Dossier.id == dossier_id, visible_dossiers(access)))
    ).first()
    if dossier is None:
        raise NotFound("Dossier introuvable.")
    return dossier


async def list_dossiers(
    session: AsyncSession, access: Access, *, statuses: list[DossierStatus] | None = None, limit: int = 50
) -> list[tuple[Dossier, Operator]]:
    """The dossiers the actor may see with their operator, the last changed first."""
    require_actor(access)
    if not access.is_officer:
        require_professional(access)
    require_terms(access)
    query = (
        select(Dossier, Operator)
        .join(Operator, Operator.id == Dossier.operator_id)
        .where(visible_dossiers(access))
        .order_by(Dossier.updated_at.desc(), Dossier.id.desc())
        .limit(limit)
    )
    if statuses:
        query = query.where(Dossier.status.in_(statuses))
    return [(d, o) for d, o in (await session.exec(query)).all()]
