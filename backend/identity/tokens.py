"""API tokens for partner software and mobile apps.

A token is shown once at creation; only its SHA-256 is stored. It is refused once expired or revoked, and its last
use is recorded. A token may be bound to one operator and capped to a right; at each use the access policy also caps
it by its creator's rights of the moment, so revoking the creator's habilitation disables the token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db import utcnow
from backend.errors import FieldErrors, NotFound
from backend.identity.models import ApiToken, Right, User
from backend.identity.policy import (
    Access,
    may_see_token,
    require_actor,
    require_professional,
    require_right,
    require_session,
    require_terms,
    visible_tokens,
)

TOKEN_PREFIX = "sop_"
DEFAULT_TOKEN_DAYS = 90
MIN_TOKEN_DAYS = 1
MAX_TOKEN_DAYS = 366
TOKEN_NAME_MAX_LENGTH = 120


class TokenError(FieldErrors):
    """A token cannot be created as asked: every input at fault at once, in the form's order."""


def token_request_problems(
    name: str,
    days: int | None,
    *,
    operator_id: int | None = None,
    right: Right | None = None,
    named: bool = False,
    bound: bool = False,
) -> list[tuple[str, str]]:
    """What is wrong with a token asked for, in the form's order (name, operator, right, duration): `named`, it
    needs a name (one a user asks for); `bound`, an operator and a right (a professional's)."""
    problems: list[tuple[str, str]] = []
    name = name.strip()
    if named and not name:
        problems.append(("name", "Donnez un nom au jeton (par exemple le logiciel qui l'utilisera)."))
    elif len(name) > TOKEN_NAME_MAX_LENGTH:
        problems.append(
            (
                "name",
                f"Le nom du jeton ne doit pas dépasser {TOKEN_NAME_MAX_LENGTH} caractères (il en compte {len(name)}).",
            )
        )
    if bound and operator_id is None:
        problems.append(("operatorId", "Choisissez l'opérateur du jeton."))
    if bound and right is None:
        problems.append(("right", "Choisissez le droit du jeton."))
    if days is None:
        problems.append(("expiresInDays", "Indiquez la durée de validité en jours (un nombre entier)."))
    elif not MIN_TOKEN_DAYS <= days <= MAX_TOKEN_DAYS:
        problems.append(
            (
                "expiresInDays",
                f"La durée de validité doit être comprise entre {MIN_TOKEN_DAYS} et {MAX_TOKEN_DAYS} jours.",
            )
        )
    return problems


def token_active(token: ApiToken, now: dt.datetime) -> bool:
    """A token works until it is revoked or its expiry instant (a timestamp, not a day) is reached."""
    return token.revoked_at is None and token.expires_at > now


def active_tokens(now: dt.datetime) -> sa.ColumnElement[bool]:
    """SQL: the tokens `token_active` accepts at `now`."""
    return sa.and_(ApiToken.revoked_at.is_(None), ApiToken.expires_at > now)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


async def create_token(
    session: AsyncSession,
    user: User,
    *,
    name: str = "",
    operator_id: int | None = None,
    right: Right | None = None,
    days: int = DEFAULT_TOKEN_DAYS,
    now: dt.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the stored row and the raw token, which is never stored."""
    if problems := token_request_problems(name, days):
        raise TokenError(problems)
    now = now or utcnow()
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name.strip(),
        token_hash=hash_token(raw),
        hint=raw[:10],
        operator_id=operator_id,
        right=right,
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    session.add(token)
    await session.commit()
    await session.refresh(token)
    return token, raw


async def authenticate_token(
    session: AsyncSession, raw: str, *, now: dt.datetime | None = None
) -> tuple[User, ApiToken] | None:
    """The user behind a raw bearer token, or None when it is unknown, malformed, expired or revoked."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    now = now or utcnow()
    row = (
        await session.exec(
            select(ApiToken, User)
            .join(User, User.id == ApiToken.user_id)
            .where(ApiToken.token_hash == hash_token(raw))
        )
    ).first()
    if row is None:
        return None
    token, user = row
    if not token_active(token, now):
        return None
    # Record the last use at most once a minute: a busy integration must not write on every request.
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        await session.exec(sa.update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
        await session.commit()
        token.last_used_at = now
    return user, token


async def revoke_token(session: AsyncSession, token: ApiToken, *, now: dt.datetime | None = None) -> None:
    token.revoked_at = now or utcnow()
    session.add(token)
    await session.commit()


# --- the same, for a user managing their own tokens ("Mes jetons d'accès API"), under the access policy ---------


async def create_api_token(
    session: AsyncSession,
    access: Access,
    *,
    name: str,
    operator_id: int | None,
    right: Right | None,
    days: int | None,
) -> tuple[ApiToken, str]:
    """A professional's token is bound to one operator and capped to a right they hold now."""
    require_session(access)
    if access.is_professional:
        require_terms(access)
    problems = token_request_problems(
        name, days, operator_id=operator_id, right=right, named=True, bound=access.is_professional
    )
    if problems:
        raise TokenError(problems)
    assert days is not None
    if access.is_professional:
        assert operator_id is not None and right is not None
        require_right(access, operator_id, right)
    elif operator_id is not None:
        require_professional(access)
    return await create_token(session, access.user, name=name, operator_id=operator_id, right=right, days=days)


async def list_api_tokens(session: AsyncSession, access: Access) -> list[ApiToken]:
    require_actor(access)
    return list(
        (
            await session.exec(select(ApiToken).where(visible_tokens(access)).order_by(ApiToken.created_at.desc()))
        ).all()
    )


async def revoke_api_token(session: AsyncSession, access: Access, token_id: int) -> ApiToken:
    require_session(access)
    token = await session.get(ApiToken, token_id)
    if token is None or not may_see_token(access, token):
        raise NotFound("Jeton introuvable.")
    if token.revoked_at is None:
        await revoke_token(session, token)
    return token
