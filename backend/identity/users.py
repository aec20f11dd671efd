"""Find or create a user from the claims of a validated ID token."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.config import Settings
from backend.db import utcnow
from backend.identity.models import AccountKind, User
from backend.identity.operators import link_professional

_CUSTOMS_OFFICE = re.compile(r"^[A-Z]{2}[A-Z0-9]{6}$")
_SIRET = re.compile(r"^[0-9]{14}$")


def _clean(value: Any, max_length: int) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value[:max_length] or None


def account_kind_from_claims(claims: Mapping[str, Any], issuer: str, settings: Settings) -> AccountKind:
    """A configured staff issuer or office claim makes an officer; a `siret` claim a professional; else a private person."""
    if issuer in settings.customs_issuers or _clean(claims.get(settings.customs_office_claim), 8):
        return AccountKind.CUSTOMS_OFFICER
    if settings.is_support_email(_clean(claims.get("email"), 320)):
        return AccountKind.CUSTOMS_OFFICER  # the support is customs-side, with or without an office
    if _clean(claims.get("siret"), 14):
        return AccountKind.PROFESSIONAL
    return AccountKind.PRIVATE_PERSON


def name_from_claims(claims: Mapping[str, Any]) -> str:
    name = _clean(claims.get("name"), 255)
    if name:
        return name
    parts = [_clean(claims.get(key), 120) for key in ("given_name", "usual_name", "family_name")]
    return " ".join(p for p in parts if p)[:255]


async def upsert_user_from_claims(
    db: AsyncSession, claims: Mapping[str, Any], *, issuer: str, settings: Settings
) -> User:
    """The user of (issuer, sub), created on first login and refreshed from the claims at every login."""
    subject = _clean(claims.get("sub"), 255)
    if not subject:
        raise ValueError("ID token without subject")
    user = (await db.exec(select(User).where(User.issuer == issuer, User.subject == subject))).first()
    if user is None:
        user = User(issuer=issuer, subject=subject, kind=AccountKind.PRIVATE_PERSON)
    user.kind = account_kind_from_claims(claims, issuer, settings)
    user.name = name_from_claims(claims) or user.name
    user.email = _clean(claims.get("email"), 320) or user.email
    # Validated whole, never truncated: "552100554000131" is not a SIRET, and neither is its first 14 digits.
    siret = _clean(claims.get("siret"), 64)
    user.siret = siret if siret and _SIRET.match(siret) else None
    office = _clean(claims.get(settings.customs_office_claim), 64)
    office = office.upper() if office else None
    user.customs_office = office if office and _CUSTOMS_OFFICE.match(office) else None
    user.is_support = user.kind is AccountKind.CUSTOMS_OFFICER and settings.is_support_email(user.email)
    user.last_login_at = utcnow()
    db.add(user)
    await db.flush()
    if user.kind is AccountKind.PROFESSIONAL:
        await link_professional(db, user, user.siret, claims)
    else:
        user.operator_id, user.is_admin = None, False
    await db.commit()
    await db.refresh(user)
    return user
