"""Database engine and sessions: SQLite by default, PostgreSQL through DATABASE_URL.

The application talks to the database through SQLAlchemy's asyncio layer (aiosqlite / psycopg 3), so that
long-lived WebSocket connections never block the event loop. Migrations and the command line use a synchronous
engine on the same URL. Timestamps are stored in UTC (`UTCDateTime`); what a French calendar day is, see
`backend.clock`.
"""

from __future__ import annotations

import datetime as dt
import logging
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.clock import utcnow
from backend.config import Settings
from backend.errors import Unavailable

logger = logging.getLogger("soprano.db")
# What a database that does not answer raises: a refused or dropped connection, a timeout (connect, statement, TCP,
# pool), a server shutting down. Not a constraint or a data error: those are bugs or refusals, never « réessayez ».
UNREACHABLE = (
    sa.exc.OperationalError,
    sa.exc.InterfaceError,
    sa.exc.TimeoutError,
    sa.exc.DisconnectionError,
    ConnectionError,
    TimeoutError,
    socket.gaierror,
)
REPORT_EVERY_SECONDS = 60


class _Outage:
    """The log of an outage: its cause once, then a line a minute with how many requests it refused — not one
    traceback per request."""

    def __init__(self) -> None:
        self.since: float | None = None
        self.reported_at = 0.0
        self.refused = 0

    def failed(self, error: BaseException) -> None:
        now = time.monotonic()
        self.refused += 1
        if self.since is None:
            self.since, self.reported_at = now, now
            logger.error(
                "Database unreachable: %s: %s",
                type(error).__name__,
                str(error).splitlines()[0] if str(error) else "",
            )
        elif now - self.reported_at >= REPORT_EVERY_SECONDS:
            self.reported_at = now
            logger.error(
                "Database still unreachable (%d requests refused so far): %s", self.refused, type(error).__name__
            )

    def answered(self) -> None:
        if self.since is not None:
            logger.warning(
                "Database reachable again after %.0f s (%d requests refused)",
                time.monotonic() - self.since,
                self.refused,
            )
            self.since, self.refused = None, 0


# Named constraints, so that migrations can drop and alter them on every backend.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

__all__ = ["Database", "UTCDateTime", "create_engine_for", "create_sync_engine_for", "utcnow"]


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware UTC timestamp on every backend (SQLite stores it naive)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: use an aware UTC datetime")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _unicode_lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # SQLite's own lower() only knows ASCII: « Établissements » would stay « Établissements » and never match a
    # search for « établissements ». Python's lower() does what PostgreSQL's does.
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


@dataclass(frozen=True)
class Timeouts:
    """Seconds: to connect, for one statement (server side), for unacknowledged data on the socket (a network split:
    the kernel gives up, psycopg raises), to wait for a pooled connection."""

    connect: float = 5
    statement: float = 10
    network: float = 5
    pool: float = 5

    @classmethod
    def of(cls, settings: Settings) -> Timeouts:
        wait = settings.database_timeout_seconds
        return cls(connect=wait, statement=settings.database_statement_timeout_seconds, network=wait, pool=wait)


def create_engine_for(url: str, timeouts: Timeouts | None = None) -> AsyncEngine:
    timeouts = timeouts or Timeouts()
    if url.startswith("sqlite"):
        engine = create_async_engine(url, connect_args={"timeout": 30})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(
        url,
        # Kept open: 32 concurrent requests on a pool of 10 opened and closed an overflow connection for most of
        # them (a connection per request: 178 req/s for `me` instead of 260, bench/results/2026-12-08-ladder.md).
        pool_size=20,
        max_overflow=20,
        pool_pre_ping=True,
        pool_timeout=timeouts.pool,
        connect_args=postgresql_timeouts(timeouts),
    )


def postgresql_timeouts(timeouts: Timeouts) -> dict:
    """libpq's parameters for them (psycopg passes them on)."""
    return {
        "connect_timeout": max(1, round(timeouts.connect)),
        "options": f"-c statement_timeout={int(timeouts.statement * 1000)}",
        "tcp_user_timeout": int(timeouts.network * 1000),
        "keepalives": 1,
        "keepalives_idle": max(1, round(timeouts.network)),
        "keepalives_interval": 1,
        "keepalives_count": 3,
    }


def create_sync_engine_for(url: str) -> sa.Engine:
    engine = sa.create_engine(url)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


class Database:
    """The engine and session factory of one application instance."""

    def __init__(self, settings: Settings, hub=None) -> None:
        self.settings = settings
        self.engine = create_engine_for(settings.async_database_url, Timeouts.of(settings))
        self._sessions = async_sessionmaker(self.engine, class_=AsyncSession, expire_on_commit=False)
        # The event hub services publish to after commit (None: nothing is published, e.g. command line).
        self.hub = hub
        self.outage = _Outage()

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session; a database that does not answer raises Unavailable (code UNAVAILABLE), logged once per
        outage (`_Outage`)."""
        try:
            async with self._sessions() as session:
                session.info["hub"] = self.hub
                session.info["settings"] = self.settings
                yield session
        except UNREACHABLE as error:
            self.outage.failed(error)
            raise Unavailable() from error
        else:
            self.outage.answered()

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(sa.text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
