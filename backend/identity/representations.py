"""Representation: a customs representative (an operator) acts for represented operators under a mandate."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db import utcnow
from backend.errors import DomainError, FieldErrors, NotFound
from backend.identity.identifiers import IdentifierError, validate_siret
from backend.identity.mandates import active_on
from backend.identity.models import AccessAuditEntry, MandateScope, Operator, Representation
from backend.identity.operators import operator_by_siret
from backend.identity.policy import (
    NOT_FOUND_MANDATE,
    Access,
    require_mandate_ender,
    require_mandate_giver,
    require_professional,
    require_session,
    visible_representations,
)


async def create(
    session: AsyncSession,
    access: Access,
    *,
    represented_id: int,
    representative_siret: str,
    scope: MandateScope,
    valid_from: dt.date | None,
    valid_until: dt.date | None,
) -> Representation:
    """Created by the represented operator's administrator, or by customs."""
    require_mandate_giver(access, represented_id)
    if await session.get(Operator, represented_id) is None:
        raise NotFound("Opérateur introuvable.")
    # Every problem of the form at once, in its order (SIRET, start, end).
    problems: list[tuple[str, str]] = []
    representative = None
    try:
        representative = await operator_by_siret(
            session, validate_siret(representative_siret, "representativeSiret")
        )
    except IdentifierError as error:
        problems.append((error.field, error.message))
    else:
        if representative is None:
            problems.append(("representativeSiret", "Aucun opérateur connu avec ce SIRET."))
        elif representative.id == represented_id:
            problems.append(("representativeSiret", "Un opérateur ne peut pas se représenter lui-même."))
    if valid_from is None:
        problems.append(("validFrom", "Indiquez la date de début du mandat."))
    elif valid_until is not None and valid_until < valid_from:
        problems.append(("validUntil", "La date de fin du mandat doit suivre sa date de début."))
    if problems:
        raise FieldErrors(problems)
    assert representative is not None and valid_from is not None
    existing = (
        await session.exec(
            select(Representation).where(
                Representation.representative_id == representative.id,
                Representation.represented_id == represented_id,
                Representation.ended_at.is_(None),
                active_on(valid_from),
            )
        )
    ).first()
    if existing is not None:
        raise DomainError("Un mandat est déjà en cours avec ce représentant.", code="CONFLICT")
    mandate = Representation(
        representative_id=representative.id,
        represented_id=represented_id,
        scope=scope,
        valid_from=valid_from,
        valid_until=valid_until,
        created_by_id=access.actor.user_id,  # type: ignore[union-attr]
    )
    session.add(mandate)
    session.add(
        AccessAuditEntry(
            operator_id=represented_id,
            actor_id=access.actor.user_id,  # type: ignore[union-attr]
            action="representation_created",
            detail=f"Représentant {representative.legal_name} ({representative.siret}), mandat {scope.label}",
        )
    )
    await session.commit()
    await session.refresh(mandate)
    return mandate


async def end(session: AsyncSession, access: Access, representation_id: int) -> Representation:
    """Ended by the represented operator's administrator, the representative's administrator, or customs."""
    if not access.is_officer:
        require_professional(access)
    require_session(access)
    mandate = (
        await session.exec(
            select(Representation).where(Representation.id == representation_id, visible_representations(access))
        )
    ).first()
    if mandate is None or mandate.ended_at is not None:
        raise NotFound(NOT_FOUND_MANDATE)
    require_mandate_ender(access, mandate)
    mandate.ended_at, mandate.ended_by_id = utcnow(), access.actor.user_id  # type: ignore[union-attr]
    session.add(mandate)
    session.add(
        AccessAuditEntry(
            operator_id=mandate.represented_id,
            actor_id=access.actor.user_id,  # type: ignore[union-attr]
            action="representation_ended",
            detail=f"Fin du mandat n°{mandate.id}",
        )
    )
    await session.commit()
    return mandate


async def represented_by(
    session: AsyncSession, access: Access, representative_id: int
) -> list[tuple[Representation, Operator]]:
    """Operators represented by `representative_id` (one of the actor's own operators), with mandate scope and dates."""
    rows = await session.exec(
        select(Representation, Operator)
        .join(Operator, Operator.id == Representation.represented_id)
        .where(
            Representation.representative_id == representative_id,
            Representation.ended_at.is_(None),
            visible_representations(access),
        )
        .order_by(Operator.legal_name)
    )
    return [(r, o) for r, o in rows.all()]
