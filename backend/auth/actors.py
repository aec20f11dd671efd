"""Resolve the actor of an HTTP request or WebSocket connection: session cookie or bearer token."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.auth.sessions import WebSession, session_user
from backend.db import utcnow
from backend.identity.actor import Actor
from backend.identity.models import User
from backend.identity.tokens import ApiToken, authenticate_token


class InvalidCredentials(Exception):
    """A bearer token was presented but is unknown, malformed, expired or revoked."""


def bearer_from_header(value: str | None) -> str | None:
    if not value:
        return None
    scheme, _, credentials = value.partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise InvalidCredentials
    return credentials.strip()


def bearer_from_connection_params(params: Mapping[str, Any] | None) -> str | None:
    """The token of a graphql-transport-ws `connection_init` payload: `{"Authorization": "Bearer …"}` or `{"token": …}`."""
    if not params:
        return None
    for key in ("Authorization", "authorization"):
        if key in params:
            if not isinstance(params[key], str):
                raise InvalidCredentials
            return bearer_from_header(params[key])
    token = params.get("token")
    if token is None:
        return None
    if not isinstance(token, str) or not token:
        raise InvalidCredentials
    return token


async def resolve_actor(
    db: AsyncSession, *, bearer: str | None, cookie_session: Mapping[str, Any] | None
) -> Actor | None:
    """A bearer token, when given, decides alone (a bad token is an error, not an anonymous request)."""
    if bearer is not None:
        found = await authenticate_token(db, bearer)
        if found is None:
            raise InvalidCredentials
        user, token = found
        return Actor(user=user, via="token", token=token, acting_operator_id=token.operator_id)
    found_session = await session_user(db, cookie_session)  # type: ignore[arg-type]
    if found_session is None:
        return None
    user, web_session = found_session
    return Actor(
        user=user, via="session", session_id=web_session.id, acting_operator_id=web_session.acting_operator_id
    )


async def refresh_actor(db: AsyncSession, actor: Actor, *, now: dt.datetime | None = None) -> Actor | None:
    """The same actor as the database has it now, or None when its credentials ended (the browser session logged
    out or expired, the API token revoked or expired).

    A WebSocket connection lives for hours: each of its operations and each event it delivers starts from this,
    never from the user, token or session read when the connection opened (an administrator demoted since, a token
    revoked since)."""
    now = now or utcnow()
    if actor.via == "token":
        if actor.token_id is None:
            return None
        row = (
            await db.exec(
                select(User, ApiToken)
                .join(ApiToken, ApiToken.user_id == User.id)
                .where(ApiToken.id == actor.token_id, ApiToken.revoked_at.is_(None), ApiToken.expires_at > now)
            )
        ).first()
        if row is None:
            return None
        user, token = row
        return Actor(user=user, via="token", token=token, acting_operator_id=token.operator_id)
    if actor.session_id is None:
        return None
    row = (
        await db.exec(
            select(User, WebSession)
            .join(WebSession, WebSession.user_id == User.id)
            .where(WebSession.id == actor.session_id, WebSession.expires_at > now)
        )
    ).first()
    if row is None:
        return None
    user, web_session = row
    return Actor(
        user=user, via="session", session_id=web_session.id, acting_operator_id=web_session.acting_operator_id
    )
