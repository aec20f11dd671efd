"""Browser sessions, kept server-side.

The signed session cookie (Starlette's SessionMiddleware: HttpOnly, SameSite=Lax, Secure outside development) only
carries a random session id and the short-lived OIDC state. The session itself is a row keyed by the id's SHA-256:
a new id is issued at every login (no fixation), logout deletes the row, and a stolen cookie dies with it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import MutableMapping
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db import UTCDateTime, utcnow
from backend.identity.models import User

SESSION_KEY = "sid"
CSRF_KEY = "csrf"


class WebSession(SQLModel, table=True):
    __tablename__ = "web_session"

    id: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    # The operator a representative (or partner) chose to act for ("Choisir l'opérateur représenté").
    acting_operator_id: int | None = Field(default=None, foreign_key="operator.id")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    expires_at: dt.datetime = Field(sa_column=sa.Column(UTCDateTime, nullable=False, index=True))


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


async def start_session(
    db: AsyncSession, cookie_session: MutableMapping[str, Any], user: User, *, max_age: int
) -> str:
    """Log `user` in: forget everything the cookie held, issue a new session id."""
    cookie_session.clear()
    raw = secrets.token_urlsafe(32)
    now = utcnow()
    db.add(
        WebSession(id=_hash(raw), user_id=user.id, created_at=now, expires_at=now + dt.timedelta(seconds=max_age))
    )
    # Expired sessions are swept at each login: cheap, and keeps the table small without a scheduler.
    await db.exec(sa.delete(WebSession).where(WebSession.expires_at < now))
    await db.commit()
    cookie_session[SESSION_KEY] = raw
    # For the browser's plain HTML forms (file upload): a per-session token they must echo.
    cookie_session[CSRF_KEY] = secrets.token_urlsafe(24)
    return raw


async def end_session(db: AsyncSession, cookie_session: MutableMapping[str, Any]) -> None:
    raw = cookie_session.get(SESSION_KEY)
    if isinstance(raw, str):
        await db.exec(sa.delete(WebSession).where(WebSession.id == _hash(raw)))
        await db.commit()
    cookie_session.clear()


async def session_user(
    db: AsyncSession, cookie_session: MutableMapping[str, Any] | None
) -> tuple[User, str] | None:
    """The user logged in by this cookie session, with the session's stored id, or None."""
    raw = (cookie_session or {}).get(SESSION_KEY)
    if not isinstance(raw, str):
        return None
    row = (
        await db.exec(
            select(User, WebSession)
            .join(WebSession, WebSession.user_id == User.id)
            .where(WebSession.id == _hash(raw), WebSession.expires_at > utcnow())
        )
    ).first()
    if row is None:
        return None
    return row[0], row[1]


async def set_acting_operator(db: AsyncSession, session_id: str, operator_id: int | None) -> None:
    await db.exec(sa.update(WebSession).where(WebSession.id == session_id).values(acting_operator_id=operator_id))
    await db.commit()
