"""Habilitations: an operator's administrators give and take back rights, and name other administrators.

Every grant, revocation and change of administrator is recorded in the access audit (who, when, what).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db import utcnow
from backend.errors import DomainError, FieldErrors, NotFound
from backend.identity.identifiers import IdentifierError, is_email_address, validate_siret
from backend.identity.models import (
    RIGHT_LABELS,
    TELESERVICES,
    AccessAuditEntry,
    AccountKind,
    Habilitation,
    Operator,
    Right,
    User,
)
from backend.identity.policy import Access, may_see_habilitation, require_admin, require_professional


class LastAdministrator(DomainError):
    code = "LAST_ADMINISTRATOR"


def check_grant_request(email: str | None, siret: str | None, right: Right | None) -> tuple[str, str | None]:
    """Every problem of « Habiliter une personne » at once, in the form's order (e-mail, SIRET, right), as
    `FieldErrors`; the e-mail (lower case) and the SIRET (digits, or None) once they are right."""
    problems: list[tuple[str, str]] = []
    email = (email or "").strip().lower()
    if not email:
        problems.append(("email", "Indiquez l'adresse électronique de la personne à habiliter."))
    elif not is_email_address(email):
        problems.append(("email", "L'adresse électronique n'est pas valide : format attendu nom@domaine.fr."))
    checked_siret = None
    if siret and siret.strip():
        try:
            checked_siret = validate_siret(siret, "siret")
        except IdentifierError as error:
            problems.append((error.field, error.message))
    if right is None:
        problems.append(("right", "Choisissez le droit à donner."))
    if problems:
        raise FieldErrors(problems)
    return email, checked_siret


async def find_grantee(session: AsyncSession, *, email: str | None, siret: str | None) -> User:
    """A professional found by e-mail (and, when given, the SIRET of their operator)."""
    email, siret = check_grant_request(email, siret, Right.CONSULT)  # the right is checked by the caller
    query = select(User).where(sa.func.lower(User.email) == email, User.kind == AccountKind.PROFESSIONAL)
    if siret:
        query = query.join(Operator, Operator.id == User.operator_id).where(Operator.siret == siret)
    user = (await session.exec(query)).first()
    if user is None:
        raise NotFound(
            "Aucun compte professionnel ne correspond : la personne doit s'être connectée une fois au portail.",
            field="email",
        )
    return user


async def grant(
    session: AsyncSession,
    access: Access,
    operator_id: int,
    grantee: User,
    right: Right,
    teleservice: str = "SOPRANO",
) -> Habilitation:
    """Give `grantee` a right on a tele-service of the operator (replacing the right they had)."""
    require_admin(access, operator_id)
    if teleservice not in TELESERVICES:
        raise DomainError(f"Téléservice inconnu : {teleservice}.", code="INVALID", field="teleservice")
    if grantee.kind is not AccountKind.PROFESSIONAL:
        raise DomainError("Seuls les comptes professionnels peuvent être habilités.", code="INVALID", field="user")
    now = utcnow()
    actor_id = access.actor.user_id  # type: ignore[union-attr]
    current = (
        await session.exec(
            select(Habilitation).where(
                Habilitation.operator_id == operator_id,
                Habilitation.user_id == grantee.id,
                Habilitation.teleservice == teleservice,
                Habilitation.revoked_at.is_(None),
            )
        )
    ).first()
    if current is not None:
        if Right(current.right) == right:
            return current
        current.revoked_at, current.revoked_by_id = now, actor_id
        session.add(current)
        await session.flush()
    habilitation = Habilitation(
        operator_id=operator_id,
        user_id=grantee.id,
        teleservice=teleservice,
        right=right,
        granted_by_id=actor_id,
        granted_at=now,
    )
    session.add(habilitation)
    partner = grantee.operator_id != operator_id
    session.add(
        AccessAuditEntry(
            operator_id=operator_id,
            actor_id=actor_id,
            subject_user_id=grantee.id,
            action="habilitation_granted",
            detail=f"{teleservice} : {RIGHT_LABELS[right]}" + (" (partenaire externe)" if partner else ""),
            at=now,
        )
    )
    await session.commit()
    await session.refresh(habilitation)
    return habilitation


async def revoke(session: AsyncSession, access: Access, habilitation_id: int) -> Habilitation:
    require_professional(access)
    habilitation = await session.get(Habilitation, habilitation_id)
    # What the actor may not see answers exactly like what does not exist.
    if (
        habilitation is None
        or habilitation.revoked_at is not None
        or not may_see_habilitation(access, habilitation)
    ):
        raise NotFound("Habilitation introuvable.")
    require_admin(access, habilitation.operator_id)
    now = utcnow()
    habilitation.revoked_at, habilitation.revoked_by_id = now, access.actor.user_id  # type: ignore[union-attr]
    session.add(habilitation)
    session.add(
        AccessAuditEntry(
            operator_id=habilitation.operator_id,
            actor_id=access.actor.user_id,  # type: ignore[union-attr]
            subject_user_id=habilitation.user_id,
            action="habilitation_revoked",
            detail=f"{habilitation.teleservice} : {RIGHT_LABELS[Right(habilitation.right)]}",
            at=now,
        )
    )
    await session.commit()
    return habilitation


async def set_administrator(
    session: AsyncSession, access: Access, operator_id: int, user_id: int, is_admin: bool
) -> User:
    """Name or remove an administrator among the operator's own users; the last one cannot be removed."""
    require_admin(access, operator_id)
    user = await session.get(User, user_id)
    if user is None or user.operator_id != operator_id:
        raise NotFound("Utilisateur introuvable parmi les collaborateurs de l'opérateur.")
    if user.is_admin == is_admin:
        return user
    if not is_admin:
        admins = (
            await session.exec(
                select(sa.func.count())
                .select_from(User)
                .where(User.operator_id == operator_id, User.is_admin.is_(True))
            )
        ).one()
        if admins <= 1:
            raise LastAdministrator("Impossible de retirer le dernier administrateur de l'opérateur.")
    user.is_admin = is_admin
    session.add(user)
    session.add(
        AccessAuditEntry(
            operator_id=operator_id,
            actor_id=access.actor.user_id,  # type: ignore[union-attr]
            subject_user_id=user.id,
            action="admin_named" if is_admin else "admin_removed",
            detail="Administrateur nommé" if is_admin else "Administrateur retiré",
        )
    )
    await session.commit()
    await session.refresh(user)
    return user


async def list_habilitations(
    session: AsyncSession, access: Access, operator_id: int, *, include_revoked: bool = False
) -> list[tuple[Habilitation, User]]:
    require_admin(access, operator_id)
    query = (
        select(Habilitation, User)
        .join(User, User.id == Habilitation.user_id)
        .where(Habilitation.operator_id == operator_id)
        .order_by(User.name, Habilitation.granted_at)
    )
    if not include_revoked:
        query = query.where(Habilitation.revoked_at.is_(None))
    return [(h, u) for h, u in (await session.exec(query)).all()]


async def audit_log(
    session: AsyncSession, access: Access, operator_id: int, limit: int = 100
) -> list[AccessAuditEntry]:
    require_admin(access, operator_id)
    return list(
        (
            await session.exec(
                select(AccessAuditEntry)
                .where(AccessAuditEntry.operator_id == operator_id)
                .order_by(AccessAuditEntry.at.desc(), AccessAuditEntry.id.desc())
                .limit(limit)
            )
        ).all()
    )
