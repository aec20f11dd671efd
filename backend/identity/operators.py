"""Operators (companies) and the link of a professional to the operator of their `siret` claim."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.identity.identifiers import IdentifierError, validate_siret
from backend.identity.models import AccessAuditEntry, Operator, User

# A small registry of companies for the embedded default, standing in for the national company directory.
DEMO_REGISTRY: dict[str, dict[str, Any]] = {
    "55210055400013": {
        "legal_name": "Ateliers Durand SA",
        "address": "12 rue des Forges",
        "postcode": "69007",
        "city": "Lyon",
    },
    "73282932000017": {
        "legal_name": "Transitaire Martin & Fils",
        "address": "4 quai de la Douane",
        "postcode": "76600",
        "city": "Le Havre",
    },
    "40483304800014": {
        "legal_name": "Chocolaterie du Nord",
        "address": "8 rue du Cacao",
        "postcode": "59000",
        "city": "Lille",
    },
    "81234567600017": {
        "legal_name": "Verrerie de Provence",
        "address": "210 chemin des Verriers",
        "postcode": "13400",
        "city": "Aubagne",
    },
    "38012986600014": {
        "legal_name": "Logistique Rhône SAS",
        "address": "55 avenue Tony Garnier",
        "postcode": "69007",
        "city": "Lyon",
    },
}


async def operator_by_siret(session: AsyncSession, siret: str) -> Operator | None:
    return (await session.exec(select(Operator).where(Operator.siret == siret))).first()


async def ensure_operator(session: AsyncSession, siret: str, claims: Mapping[str, Any] | None = None) -> Operator:
    """The operator of `siret`, created from the registry or the identity's claims when unknown."""
    siret = validate_siret(siret)
    operator = await operator_by_siret(session, siret)
    if operator is not None:
        return operator
    known = DEMO_REGISTRY.get(siret, {})
    claims = claims or {}
    name = known.get("legal_name") or claims.get("organization") or f"Établissement {siret}"
    operator = Operator(
        siren=siret[:9],
        siret=siret,
        eori=f"FR{siret[:9]}",
        legal_name=str(name)[:255],
        address=known.get("address", ""),
        postcode=known.get("postcode", ""),
        city=known.get("city", ""),
    )
    session.add(operator)
    await session.flush()
    return operator


async def link_professional(
    session: AsyncSession, user: User, siret: str | None, claims: Mapping[str, Any] | None = None
) -> None:
    """Attach a professional to the operator of their SIRET; the operator's first user becomes its administrator."""
    if not siret:
        user.operator_id, user.is_admin = None, False
        return
    try:
        operator = await ensure_operator(session, siret, claims)
    except IdentifierError:
        user.operator_id, user.is_admin = None, False
        return
    if user.operator_id == operator.id:
        return
    has_admin = (
        await session.exec(
            select(sa.func.count())
            .select_from(User)
            .where(User.operator_id == operator.id, User.is_admin.is_(True))
        )
    ).one()
    user.operator_id = operator.id
    user.is_admin = has_admin == 0
    if user.is_admin:
        await session.flush()
        session.add(
            AccessAuditEntry(
                operator_id=operator.id,
                actor_id=user.id,
                subject_user_id=user.id,
                action="admin_first_user",
                detail="Premier utilisateur de l'opérateur : administrateur.",
            )
        )
