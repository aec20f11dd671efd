"""Resolve the actor of an HTTP request or WebSocket connection: session cookie or bearer token."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.auth.sessions import session_user
from backend.identity.actor import Actor
from backend.identity.tokens import authenticate_token


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
