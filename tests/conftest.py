"""Shared fixtures: a real database (SQLite, or PostgreSQL through DATABASE_URL), a real OIDC provider over HTTP,
the portal served by uvicorn on loopback, and a login helper that walks the real authorization code flow.

Outside CI, a test whose service or browser is missing (Redis, PostgreSQL, Chromium) is left out of the run, and the
run's last lines say so and how to get it; in CI (CI=true) nothing is left out: such a test fails.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
import sqlalchemy as sa
import uvicorn

from backend.auth.devprovider import RunningProvider, start_dev_provider
from backend.config import Settings, to_sync_url
from backend.db import Database, create_sync_engine_for
from backend.models import metadata

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# Debian's chromium (never a browser downloaded by Playwright); CHROMIUM names another one (`make test` sets it).
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def require(condition: bool, reason: str) -> None:
    """A real part the test needs is missing: the test fails (a skipped test proves nothing)."""
    if not condition:
        pytest.fail(reason)


# Tests marked `redis` / `postgres` need that service named in the environment, browser tests (marked `browser`, or
# using the `browser` fixture) a Chromium. Without it, outside CI, they are left out of the run and its last lines say
# so (`make test` on the embedded default, or on a machine without Chromium); in CI nothing is left out: the embedded
# run deselects redis/postgres itself (-m), the PostgreSQL + Redis run names both services, and a missing part fails.
NEEDS = {
    "redis": (lambda: bool(os.environ.get("REDIS_URL")), "REDIS_URL n'est pas défini (la CI les lance)"),
    "postgres": (
        lambda: os.environ.get("DATABASE_URL", "").startswith("postgresql"),
        "DATABASE_URL ne désigne pas PostgreSQL (la CI les lance)",
    ),
    "browser": (
        lambda: os.access(CHROMIUM, os.X_OK),
        f"Chromium introuvable ({CHROMIUM}) ; pour les lancer : apt-get install chromium (ce que fait « make test » "
        "en root), ou CHROMIUM=/chemin/de/chromium",
    ),
}
_left_out: dict[str, int] = {}


def _needs(item, name: str) -> bool:
    return item.get_closest_marker(name) is not None or (name == "browser" and "browser" in item.fixturenames)


def pytest_collection_modifyitems(config, items):
    if IN_CI:
        return
    present = {name: check() for name, (check, _) in NEEDS.items()}
    kept, left = [], []
    for item in items:
        missing = [name for name in NEEDS if not present[name] and _needs(item, name)]
        if missing:
            left.append(item)
            for name in missing:
                _left_out[name] = _left_out.get(name, 0) + 1
        else:
            kept.append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_sessionfinish(session):
    # After pytest's own closing line, so that what was left out is the last thing read.
    result = yield
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        for name, count in _left_out.items():
            reporter.write_line(f"{count} test(s) « {name} » laissé(s) de côté : {NEEDS[name][1]}.", yellow=True)
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _reset_database(url: str) -> None:
    """Start from an empty schema: drop every table of ours and Alembic's version table."""
    engine = create_sync_engine_for(to_sync_url(url))
    with engine.begin() as conn:
        metadata.drop_all(conn)
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        _reset_database(url)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def provider() -> Iterator[RunningProvider]:
    running = start_dev_provider(port=0)
    yield running
    running.stop()


@pytest.fixture(scope="session")
def settings(database_url, provider, tmp_path_factory) -> Settings:
    return Settings(
        env="dev",
        data_dir=Path(tmp_path_factory.mktemp("var")),
        database_url=database_url,
        redis_url=os.environ.get("REDIS_URL") or None,
        # Pub/sub channels are shared by every database of a Redis: one prefix per test run keeps runs apart.
        redis_channel_prefix=f"soprano-test-{os.getpid()}:",
        secret_key="test-secret-key-not-for-production",
        oidc_issuer=provider.issuer,
        # The suite's demo users make thousands of mutations a minute; tests/api/test_rate_limits.py runs portals of
        # its own with small limits.
        rate_limit_mutations="1000000/minute",
        rate_limit_login="1000000/minute",
    )


@dataclass
class LiveServer:
    url: str
    app: object
    settings: Settings

    @property
    def portal(self):
        return self.app.portal


class _Server(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # runs in a thread
        pass


def run_live_server(app, port: int, *, send_buffer: int | None = None) -> tuple[_Server, threading.Thread]:
    """A uvicorn server in a thread. `send_buffer` (bytes): the kernel send buffer of its connections, fixed instead
    of grown by the kernel (on loopback up to megabytes), so that a client that reads nothing soon blocks its sends."""
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", ws="websockets-sansio")
    server = _Server(config)
    sockets = None
    if send_buffer is not None:
        listening = socket.socket()
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, send_buffer)  # accepted sockets inherit it
        listening.bind(("127.0.0.1", port))
        sockets = [listening]
    thread = threading.Thread(target=server.run, kwargs={"sockets": sockets}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the portal did not start")
        time.sleep(0.05)
    return server, thread


@pytest.fixture(scope="session")
def live_server(settings) -> Iterator[LiveServer]:
    from backend.app import create_app

    app = create_app(settings)
    port = free_port()
    server, thread = run_live_server(app, port)
    _load_demo(app, settings)
    yield LiveServer(url=f"http://127.0.0.1:{port}", app=app, settings=settings)
    server.should_exit = True
    thread.join(10)


def _load_demo(app, settings: Settings) -> None:
    """The demo operators, users, rights and mandates, loaded before any test logs in (their first users are the
    demo administrators)."""
    import asyncio

    from backend.demo import load_demo

    async def run() -> None:
        # Its own engine: the server's pooled connections belong to the server's event loop.
        db = Database(settings)
        async with db.session() as session:
            await load_demo(session, settings, settings.oidc_issuer)
        await db.dispose()

    asyncio.run(run())


@pytest.fixture
async def database(settings) -> AsyncIterator[Database]:
    """A Database of the test's own event loop (never use the live server's: its connections belong to its loop)."""
    db = Database(settings)
    yield db
    await db.dispose()


@pytest.fixture(scope="module")
def people(live_server, provider):
    """Logged-in users of one test module (tests.processing_support.People), their sessions closed at its end."""
    from tests.processing_support import People

    everyone = People(live_server, provider)
    yield everyone
    everyone.close()


@pytest.fixture
async def sockets(live_server):
    """graphql-transport-ws clients of one test (tests.processing_support.Sockets), all closed at its end."""
    from tests.processing_support import Sockets

    opened = Sockets(live_server)
    yield opened
    await opened.close()


def unique_sub(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@test.example"


def set_provider_user(provider: RunningProvider, sub: str, claims: dict) -> None:
    response = httpx.put(f"{provider.issuer}/users/{quote(sub)}", json={"email": sub, **claims})
    assert response.status_code == 204, response.text


def login(
    live_server: LiveServer, provider: RunningProvider, sub: str, claims: dict | None = None
) -> httpx.Client:
    """Walk the real authorization code flow over HTTP; returns a client holding the portal's session cookie."""
    if claims is not None:
        set_provider_user(provider, sub, claims)
    client = httpx.Client(base_url=live_server.url, follow_redirects=False, timeout=20)
    start = client.get("/auth/login")
    assert start.status_code == 302, start.text
    authorize = httpx.post(start.headers["location"], data={"sub": sub}, timeout=20)
    assert authorize.status_code == 302, authorize.text
    back = client.get(authorize.headers["location"])
    assert back.status_code == 303, back.text
    return client


def graphql(client: httpx.Client, query: str, variables: dict | None = None, **kwargs) -> httpx.Response:
    return client.post("/graphql", json={"query": query, "variables": variables or {}}, **kwargs)


__all__ = [
    "CHROMIUM",
    "IN_CI",
    "LiveServer",
    "free_port",
    "graphql",
    "login",
    "replace",
    "require",
    "run_live_server",
    "set_provider_user",
    "unique_sub",
]
