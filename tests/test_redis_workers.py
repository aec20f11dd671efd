"""Several portal processes sharing Redis (issue 5): two separate uvicorn processes on two ports (as two workers, or
two hosts, would be), on the suite's database and Redis.

- A comment posted through one process reaches a subscriber connected to the other (Redis pub/sub, not the
  database catch-up: the subscription is shown live first).
- Redis restarted while subscribed: a comment posted while Redis is down still succeeds (it is in the database); once
  Redis is back the subscriber's process reconnects and resynchronises from the history, so it receives the comment
  posted during the outage, then one posted afterwards, each exactly once and in order.

Redis is restarted once (shutdown nosave, then redis-server --daemonize yes on the same port); the test always leaves
it running and stops its own processes.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from backend.config import PROJECT_ROOT
from tests.conftest import free_port, require
from tests.processing_support import (
    CLAIRE,
    COMMENT,
    SOPHIE,
    People,
    WsClient,
    filed,
    get,
    session_cookie,
)

pytestmark = pytest.mark.redis

COMMENT_ADDED = """
subscription($d: ID!, $after: ID) {
  commentAdded(dossierId: $d, afterEventId: $after) { id actorName message }
}"""


class Worker:
    """One portal process (uvicorn, one worker), its log kept for the failure message."""

    def __init__(self, name: str, env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"{name}.log"
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "backend.app:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--ws",
                "websockets-sansio",
                "--log-level",
                "warning",
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as a whole
        )

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")[-4000:]

    async def healthy(self, within: float = 60) -> None:
        deadline = time.monotonic() + within
        async with httpx.AsyncClient(base_url=self.url, timeout=5) as client:
            while True:
                if self.process.poll() is not None:
                    raise AssertionError(f"{self.name} exited ({self.process.returncode}):\n{self.log()}")
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise AssertionError(f"{self.name} did not become healthy:\n{self.log()}")
                await asyncio.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(10)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.process.wait(5)
        self._log.close()


class Redis:
    """The Redis of REDIS_URL, driven through its command-line tools."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 6379

    def ping(self) -> bool:
        result = subprocess.run(
            ["redis-cli", "-h", self.host, "-p", str(self.port), "ping"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
        return result.stdout.strip() == "PONG"

    def shutdown(self) -> None:
        subprocess.run(
            ["redis-cli", "-h", self.host, "-p", str(self.port), "shutdown", "nosave"],
            capture_output=True,
            timeout=10,
            check=False,
        )

    def start(self) -> None:
        subprocess.run(
            ["redis-server", "--daemonize", "yes", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            capture_output=True,
            timeout=10,
            check=True,
        )

    async def wait(self, up: bool, within: float = 20) -> None:
        deadline = time.monotonic() + within
        while self.ping() is not up:
            if time.monotonic() > deadline:
                raise AssertionError(f"Redis did not go {'up' if up else 'down'} within {within}s")
            await asyncio.sleep(0.05)


async def post_comment(client: httpx.AsyncClient, dossier_id: str, text: str) -> dict:
    response = await client.post(
        "/graphql", json={"query": COMMENT, "variables": {"dossierId": dossier_id, "text": text}}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert not body.get("errors"), body
    return body["data"]["addComment"]


async def test_two_processes_share_events_through_redis_and_survive_its_restart(
    live_server, provider, settings, tmp_path
):
    redis_url = os.environ.get("REDIS_URL")
    require(bool(redis_url), "REDIS_URL n'est pas défini")
    require(
        bool(shutil.which("redis-server") and shutil.which("redis-cli")), "redis-server/redis-cli introuvables"
    )
    redis = Redis(redis_url)
    require(redis.ping(), f"Redis ne répond pas sur le port {redis.port}")

    people = People(live_server, provider)
    sophie, claire = people(SOPHIE), people(CLAIRE, accept=False)
    dossier = filed(sophie)
    last = get(sophie, dossier["id"])["history"][-1]["id"]

    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": redis_url,
        "REDIS_CHANNEL_PREFIX": settings.redis_channel_prefix,
        "OIDC_ISSUER": provider.issuer,
        "SECRET_KEY": settings.secret_key,
        "DATA_DIR": str(settings.data_dir),
        "ENV": "dev",
    }
    poster = Worker("poster", env, tmp_path)
    listener = Worker("listener", env, tmp_path)
    ws = None
    officer = httpx.AsyncClient(base_url=poster.url, headers={"Cookie": session_cookie(claire)}, timeout=30)
    redis_stopped = False
    try:
        await asyncio.gather(poster.healthy(), listener.healthy())
        ws = await WsClient.open(listener.url, cookie=session_cookie(sophie))
        await ws.subscribe(COMMENT_ADDED, {"d": dossier["id"], "after": last})

        # Once anything has arrived the subscription is live (its catch-up from the history is done).
        first = await post_comment(officer, dossier["id"], "c0 : avant tout")
        assert (await ws.next_data(15))["commentAdded"]["id"] == first["id"]
        # Posted through the other process: only Redis can carry it to the listener now.
        across = await post_comment(officer, dossier["id"], "c1 : d'un processus à l'autre")
        received = (await ws.next_data(10))["commentAdded"]
        assert received == {
            "id": across["id"],
            "actorName": "Claire Bernard",
            "message": "c1 : d'un processus à l'autre",
        }

        # Redis goes away while subscribed.
        redis_stopped = True
        redis.shutdown()
        await redis.wait(up=False)
        started = time.monotonic()
        during = await post_comment(officer, dossier["id"], "c2 : pendant la panne de Redis")
        assert time.monotonic() - started < 15, "a comment must not hang while Redis is down"
        await ws.silent(0.3)  # nothing can be delivered live meanwhile
        redis.start()
        await redis.wait(up=True)
        redis_stopped = False

        # The listener reconnects by itself and resynchronises from the history: the gap is filled.
        caught_up = (await ws.next_data(30))["commentAdded"]
        assert (caught_up["id"], caught_up["message"]) == (during["id"], "c2 : pendant la panne de Redis")
        # Delivery resumes live, from the other process again.
        after = await post_comment(officer, dossier["id"], "c3 : après le retour de Redis")
        resumed = (await ws.next_data(20))["commentAdded"]
        assert (resumed["id"], resumed["message"]) == (after["id"], "c3 : après le retour de Redis")
        await ws.silent(0.5)  # each exactly once
        ids = [int(c["id"]) for c in (first, across, during, after)]
        assert ids == sorted(ids)
        async with httpx.AsyncClient(base_url=listener.url, timeout=10) as client:
            health = (await client.get("/healthz")).json()
        assert health == {"status": "ok", "database": "ok", "redis": "ok"}, health
    except AssertionError as error:
        raise AssertionError(
            f"{error}\n--- poster log:\n{poster.log()}\n--- listener log:\n{listener.log()}"
        ) from error
    finally:
        if ws is not None:
            try:
                await ws.close()
            except Exception:  # noqa: S110 - the connection may already be gone
                pass
        await officer.aclose()
        people.close()
        poster.stop()
        listener.stop()
        if redis_stopped or not redis.ping():
            redis.start()
            await redis.wait(up=True)
