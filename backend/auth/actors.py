"""Resolve the actor of an HTTP request or WebSocket connection: session cookie or bearer token."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.auth.sessions import WebSession, session_user
from backend.db import utcnow
from backend.identity.actor import Actor
from backend.identity.models import ApiToken, User
from backend.identity.tokens import active_tokens, authenticate_token


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


Credential = tuple[str, int | str | None]  # ("token", token id) or ("session", session id)


def credential_of(actor: Actor) -> Credential:
    """What proves the actor: their API token or their browser session."""
    return ("token", actor.token_id) if actor.via == "token" else ("session", actor.session_id)


async def refresh_actors(
    db: AsyncSession, credentials: Sequence[Credential], *, now: dt.datetime | None = None
) -> list[Actor | None]:
    """For each credential, its actor as the database has it now, or None when it ended (the browser session
    logged out or expired, the API token revoked or expired). Two statements at most, however many credentials.

    A WebSocket connection lives for hours: each of its operations and each event it delivers starts from this,
    never from the user, token or session read when the connection opened (an administrator demoted since, a token
    revoked since)."""
    now = now or utcnow()
    token_ids = {value for kind, value in credentials if kind == "token" and value is not None}
    session_ids = {value for kind, value in credentials if kind == "session" and value is not None}
    found: dict[Credential, Actor] = {}
    if token_ids:
        rows = await db.exec(
            select(User, ApiToken)
            .join(ApiToken, ApiToken.user_id == User.id)
            .where(ApiToken.id.in_(token_ids), active_tokens(now))
        )
        for user, token in rows.all():
            found[("token", token.id)] = Actor(
                user=user, via="token", token=token, acting_operator_id=token.operator_id
            )
    if session_ids:
        rows = await db.exec(
            select(User, WebSession)
            .join(WebSession, WebSession.user_id == User.id)
            .where(WebSession.id.in_(session_ids), WebSession.expires_at > now)
        )
        for user, web_session in rows.all():
            found[("session", web_session.id)] = Actor(
                user=user,
                via="session",
                session_id=web_session.id,
                acting_operator_id=web_session.acting_operator_id,
            )
    return [found.get(credential) for credential in credentials]


async def refresh_actor(db: AsyncSession, actor: Actor, *, now: dt.datetime | None = None) -> Actor | None:
    """One actor as the database has it now, or None when its credentials ended (see `refresh_actors`)."""
    return (await refresh_actors(db, [credential_of(actor)], now=now))[0]
