"""Terms of use (CGU) of SOPRANO: versioned texts; the latest must be accepted before using the tele-service."""

from __future__ import annotations

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db import utcnow
from backend.errors import DomainError, NotFound
from backend.identity.models import TermsAcceptance, TermsVersion
from backend.identity.policy import Access, require_professional, require_session


async def current_terms(session: AsyncSession, access: Access) -> TermsVersion | None:
    if access.current_terms_id is None:
        return None
    return await session.get(TermsVersion, access.current_terms_id)


async def accept(session: AsyncSession, access: Access, version: str) -> TermsAcceptance:
    """Accept the current version (naming it proves which text the user saw), in person: not with an API token."""
    require_professional(access)
    require_session(access)
    terms = await current_terms(session, access)
    if terms is None:
        raise NotFound("Aucune condition d'utilisation en vigueur.")
    if terms.version != version:
        raise DomainError(
            f"La version en vigueur des conditions d'utilisation est la {terms.version} : relisez-la avant de l'accepter.",
            code="TERMS_VERSION_MISMATCH",
            field="version",
        )
    user_id = access.actor.user_id  # type: ignore[union-attr]
    existing = (
        await session.exec(
            select(TermsAcceptance).where(
                TermsAcceptance.user_id == user_id, TermsAcceptance.terms_version_id == terms.id
            )
        )
    ).first()
    if existing:
        return existing
    acceptance = TermsAcceptance(user_id=user_id, terms_version_id=terms.id, accepted_at=utcnow())
    session.add(acceptance)
    await session.commit()
    await session.refresh(acceptance)
    access.terms_accepted = True
    return acceptance
