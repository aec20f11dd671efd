"""`refresh_actor`: what a long-lived WebSocket connection asks before each operation and each delivered event.

The actor comes back as the database has it now (a user demoted since the connection opened is no longer an
administrator), or None once its credentials ended: a browser session logged out or expired, an API token revoked
or expired. Both sides of each case are here, one by one and in one batch (the subscribers an event wakes).
A connection's operation whose credentials ended, or could not be checked at all, is refused, never run on trust.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.api.context import Context, Portal
from backend.auth.actors import credential_of, refresh_actor, refresh_actors
from backend.auth.sessions import WebSession, end_session, session_user, start_session
from backend.db import Database, utcnow
from backend.errors import DomainError, Unauthenticated
from backend.identity.actor import Actor
from backend.identity.models import Right, User
from backend.identity.tokens import create_token, revoke_token
from backend.identity.users import upsert_user_from_claims
from tests.identity.test_policy import fresh_siret


@pytest.fixture
async def session(live_server, database) -> AsyncIterator[AsyncSession]:
    async with database.session() as db:
        yield db


@pytest.fixture
async def admin(session, live_server) -> User:
    sub = f"refresh-{uuid.uuid4().hex[:10]}@test.example"
    user = await upsert_user_from_claims(
        session,
        {"sub": sub, "email": sub, "name": "Admin Rafraîchi", "siret": fresh_siret()},
        issuer=live_server.settings.oidc_issuer,
        settings=live_server.settings,
    )
    assert user.is_admin
    return user


async def logged_in(session: AsyncSession, user: User) -> tuple[Actor, dict]:
    cookie: dict = {}
    await start_session(session, cookie, user, max_age=3600)
    found = await session_user(session, cookie)
    assert found is not None
    return Actor(user=user, via="session", session_id=found[1].id), cookie


async def test_a_token_actor_is_kept_while_valid_and_dropped_once_expired_or_revoked(session, admin):
    token, _raw = await create_token(
        session, admin, name="mobile", operator_id=admin.operator_id, right=Right.CONSULT
    )
    actor = Actor(user=admin, via="token", token=token, acting_operator_id=token.operator_id)

    fresh = await refresh_actor(session, actor)
    assert fresh is not None and fresh.token_id == token.id and fresh.user_id == admin.id
    assert await refresh_actor(session, actor, now=token.expires_at + dt.timedelta(seconds=1)) is None

    await revoke_token(session, token)
    assert await refresh_actor(session, actor) is None


async def test_a_session_actor_follows_the_user_and_ends_with_the_session(session, admin, database):
    actor, cookie = await logged_in(session, admin)
    session.expunge_all()  # the connection's user object, read when it opened
    await session.exec(sa.update(User).where(User.id == admin.id).values(is_admin=False))
    await session.commit()

    async with database.session() as later:
        fresh = await refresh_actor(later, actor)
    assert fresh is not None and fresh.session_id == actor.session_id
    assert actor.user.is_admin and not fresh.user.is_admin  # the demotion is seen, the old object is not trusted

    await end_session(session, cookie)
    assert await refresh_actor(session, actor) is None


async def test_an_expired_session_ends_the_actor(session, admin):
    actor, _cookie = await logged_in(session, admin)
    assert await refresh_actor(session, actor) is not None
    await session.exec(
        sa.update(WebSession)
        .where(WebSession.id == actor.session_id)
        .values(expires_at=utcnow() - dt.timedelta(1))
    )
    await session.commit()
    assert await refresh_actor(session, actor) is None


async def test_one_batch_answers_each_credential_in_order(session, admin):
    valid, _ = await create_token(session, admin, name="a", operator_id=admin.operator_id, right=Right.CONSULT)
    revoked, _ = await create_token(session, admin, name="b", operator_id=admin.operator_id, right=Right.CONSULT)
    await revoke_token(session, revoked)
    open_actor, _ = await logged_in(session, admin)
    closed_actor, closed_cookie = await logged_in(session, admin)
    await end_session(session, closed_cookie)
    credentials = [
        ("token", valid.id),
        ("session", closed_actor.session_id),
        ("token", revoked.id),
        credential_of(open_actor),
        ("token", 2**31 - 1),
        ("token", valid.id),
    ]
    actors = await refresh_actors(session, credentials)
    assert [a is not None for a in actors] == [True, False, False, True, False, True]
    assert actors[0].token_id == valid.id and actors[5].token_id == valid.id
    assert actors[3].session_id == open_actor.session_id and actors[3].via == "session"


async def test_an_operation_of_a_connection_runs_with_the_credentials_of_the_moment(session, admin, live_server):
    actor, cookie = await logged_in(session, admin)
    portal = Portal(settings=live_server.settings, db=Database(live_server.settings), issuer="test")
    try:
        connection = Context(portal=portal, actor=actor, connection=True)
        allowed = await connection.for_operation()
        assert allowed.current_actor().user_id == admin.id
        assert (await allowed.access()).operators  # the administrator's own operator

        await end_session(session, cookie)
        ended = await connection.for_operation()
        for refused in (ended.current_actor, ended.require_actor):
            with pytest.raises(Unauthenticated):
                refused()
        with pytest.raises(Unauthenticated):
            await ended.access()
    finally:
        await portal.db.dispose()


async def test_credentials_that_cannot_be_checked_are_not_trusted(admin, live_server, tmp_path):
    actor = Actor(user=admin, via="session", session_id="unused")
    # A real database that cannot be opened (its folder does not exist): the check fails, it does not pass.
    broken = replace(live_server.settings, database_url=f"sqlite:///{tmp_path / 'absent' / 'soprano.db'}")
    portal = Portal(settings=broken, db=Database(broken), issuer="test")
    try:
        operation = await Context(portal=portal, actor=actor, connection=True).for_operation()
        with pytest.raises(DomainError) as refused:
            await operation.access()
        assert refused.value.code == "UNAVAILABLE"
        with pytest.raises(DomainError):
            operation.current_actor()
    finally:
        await portal.db.dispose()
