"""A frozen Redis (alive, not answering: a Redis of the test's own stopped with SIGSTOP) never holds a committed
request's answer: publishing gives up within PUBLISH_TIMEOUT_SECONDS the first time and skips at once afterwards;
once Redis answers again, every worker's subscribers are told to resynchronise from the history (what was not
broadcast is in the database), then hear the new events."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator

import pytest
import redis

from backend import events
from backend.events import PUBLISH_TIMEOUT_SECONDS, RedisHub
from tests.conftest import free_port, require

pytestmark = pytest.mark.redis


@pytest.fixture
def own_redis() -> Iterator[tuple[str, subprocess.Popen]]:
    binary = shutil.which("redis-server")
    require(binary is not None, "redis-server introuvable")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL
    )
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0", process
    os.kill(process.pid, signal.SIGCONT)
    process.terminate()
    process.wait(10)


async def test_a_frozen_redis_does_not_hold_the_answer_and_subscribers_resync_after(own_redis, monkeypatch):
    url, process = own_redis
    monkeypatch.setattr(events, "PUBLISH_PAUSE_SECONDS", 1.0)
    writer, reader = RedisHub(url, prefix="frozen:"), RedisHub(url, prefix="frozen:")
    await writer.start()
    await reader.start()
    try:
        async with reader.subscribe(["dossier.1"]) as subscriber:
            await writer.publish("dossier.1", {"event_id": 1})
            assert await asyncio.wait_for(subscriber.next(), 5) == {"event_id": 1}

            os.kill(process.pid, signal.SIGSTOP)
            loop = asyncio.get_running_loop()
            started = loop.time()
            await writer.publish("dossier.1", {"event_id": 2})  # Redis does not answer: given up
            first = loop.time() - started
            started = loop.time()
            for event_id in (3, 4, 5):
                await writer.publish("dossier.1", {"event_id": event_id})  # paused: skipped at once
            skipped = loop.time() - started
            assert first < PUBLISH_TIMEOUT_SECONDS + 0.5, first  # was: up to 10 s
            assert skipped < 0.1, skipped

            os.kill(process.pid, signal.SIGCONT)
            await asyncio.sleep(1.2)  # the pause ends
            await writer.publish("dossier.1", {"event_id": 6})
            received = []
            while {"event_id": 6} not in received:
                received.append(await asyncio.wait_for(subscriber.next(), 10))
            # The given-up publish may still arrive (Redis had it in its socket); the skipped ones do not, and a
            # resync comes before the next event: the subscriber reads them from the history.
            assert [m.get("type") for m in received].count("resync") == 1
            assert received.index({"event_id": 6}) > [m.get("type") for m in received].index("resync")
            assert not {3, 4, 5} & {m.get("event_id") for m in received}
    finally:
        await writer.stop()
        await reader.stop()
