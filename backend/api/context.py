"""The GraphQL context: who acts, what they may do, and the application's services. Built the same way for HTTP,
WebSocket and the in-process UI client, so every path goes through the same checks."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession
from strawberry.types import Info as _Info

from backend.api.ids import operator_id_from_reference
from backend.api.loaders import Loaders
from backend.auth.actors import InvalidCredentials, refresh_actor, resolve_actor
from backend.config import Settings
from backend.db import Database
from backend.errors import UNAVAILABLE_MESSAGE, DomainError, Unauthenticated, Unavailable
from backend.identity.actor import Actor
from backend.identity.policy import Access, load_access
from backend.ratelimit import RateLimiter
from backend.sharing import SharedWork

# API clients name the operator they act for per request (its SIRET or global id), unless their token is bound to one.
OPERATOR_HEADER = "x-operator"
CREDENTIALS_ENDED = "Votre session a pris fin ou votre jeton d'accès n'est plus valide : reconnectez-vous."
UNAVAILABLE = UNAVAILABLE_MESSAGE

logger = logging.getLogger(__name__)


@dataclass
class Portal:
    """The services of one running application, shared by the API, the auth routes and the UI."""

    settings: Settings
    db: Database
    issuer: str
    # Answers shared by the subscribers one event wakes (their authorisation, the events to send).
    shared: SharedWork = field(default_factory=SharedWork, repr=False)
    # Rate limits (None: none, e.g. the command line).
    limiter: RateLimiter | None = field(default=None, repr=False)

    @property
    def hub(self):
        return self.db.hub


@dataclass
class Context:
    portal: Portal
    actor: Actor | None
    request: Any = None
    response: Any = None
    # Set by the graphql-transport-ws handler from `connection_init`.
    connection_params: dict[str, Any] | None = None
    requested_operator: str | None = None
    # A WebSocket connection's context, shared by all its operations: each gets its own copy (`for_operation`).
    connection: bool = False
    # The credentials this context was made from ended (logged out, token revoked or expired) since the connection.
    credentials_ended: bool = False
    # They could not be checked (the database failing): nothing is done on trust.
    unavailable: bool = False
    _access: Access | None = field(default=None, repr=False)
    _access_lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)
    _reads: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)
    _loaders: Loaders | None = field(default=None, repr=False)

    @property
    def db(self) -> Database:
        return self.portal.db

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A session for the reads of field resolvers, one at a time per operation.

        Sibling fields resolve concurrently: each opening its own session would take one pooled connection each (the
        pool overflowing into new connections on a page of rows). Here they queue for one connection instead, and
        with the data loaders a whole page asks once. Each use gets a fresh session (returned to the pool on exit),
        so a read never sees an identity map or a snapshot older than a mutation of the same operation. Never nest
        it, nor call `access()` inside it: the lock is not re-entrant.
        """
        async with self._reads, self.db.session() as session:
            yield session

    @property
    def loaders(self) -> Loaders:
        """The operation's data loaders (batching per-row fields into one query each)."""
        if self._loaders is None:
            self._loaders = Loaders(self.reading)
        return self._loaders

    def require_actor(self) -> Actor:
        self._refuse_if_ended()
        if self.actor is None:
            raise Unauthenticated("Vous devez être connecté.")
        return self.actor

    async def for_operation(self) -> Context:
        """A connection's context for one of its operations: the actor as the database has it now (or none, its
        credentials having ended), rights computed afresh, its own reads and loaders."""
        actor = self.actor
        ended, unavailable = self.credentials_ended, False
        if actor is not None and not ended:
            try:
                async with self.db.session() as session:
                    actor = await refresh_actor(session, actor)
            except Exception:
                logger.exception("The credentials of a WebSocket operation could not be checked")
                actor, unavailable = None, True
            else:
                ended = actor is None
        return replace(
            self,
            actor=actor,
            connection=False,
            credentials_ended=ended,
            unavailable=unavailable,
            _access=None,
            _access_lock=asyncio.Lock(),
            _reads=asyncio.Lock(),
            _loaders=None,
        )

    def _refuse_if_ended(self) -> None:
        if self.credentials_ended:
            raise Unauthenticated(CREDENTIALS_ENDED)
        if self.unavailable:
            raise Unavailable()

    def current_actor(self) -> Actor | None:
        """The actor, or None for a visitor; refused when the connection's credentials ended since it opened."""
        self._refuse_if_ended()
        return self.actor

    async def access(self, *, refresh: bool = False) -> Access:
        """The actor's rights, computed once per operation (and again after a change of rights)."""
        self._refuse_if_ended()
        if self._access is not None and not refresh:
            return self._access
        async with self._access_lock:  # concurrent first callers wait for one computation
            if self._access is None or refresh:
                async with self.db.session() as session:
                    await self._load_access(session)
        return self._access

    async def _load_access(self, session: AsyncSession) -> None:
        requested = (
            await operator_id_from_reference(session, self.requested_operator) if self.requested_operator else None
        )
        self._access = await load_access(session, self.actor, requested_operator_id=requested)


Info = _Info[Context, None]


async def build_context(
    portal: Portal,
    *,
    bearer: str | None,
    cookie_session: Mapping[str, Any] | None,
    request: Any = None,
    response: Any = None,
    requested_operator: str | None = None,
) -> Context:
    """Resolve the actor; an invalid bearer token raises InvalidCredentials (the caller answers 401)."""
    async with portal.db.session() as session:
        actor = await resolve_actor(session, bearer=bearer, cookie_session=cookie_session)
        context = Context(
            portal=portal, actor=actor, request=request, response=response, requested_operator=requested_operator
        )
        if actor is not None:
            # Nearly every operation of someone logged in asks for their rights: computed on the connection that
            # found them (a pooled connection's checkout, ping and reset fewer per request). What it would refuse
            # (an unknown operator named by X-Operator) is refused by access(), within the operation, as before.
            try:
                await context._load_access(session)
            except DomainError:
                context._access = None
    return context


__all__ = [
    "CREDENTIALS_ENDED",
    "OPERATOR_HEADER",
    "Context",
    "Info",
    "InvalidCredentials",
    "Portal",
    "build_context",
]
