"""The event hub: services publish small messages (ids only) after commit; subscriptions and live dashboards listen.

- `MemoryHub` (default): in-process fan-out.
- `RedisHub` (REDIS_URL): the same local fan-out, fed by Redis pub/sub so that every worker and host sees every
  event. It reconnects by itself after a Redis restart and then tells its subscribers to resynchronise from the
  dossier history (messages published while Redis was away are not lost: they are in the database).

Each subscriber has a bounded queue: a client too slow to keep up is dropped (and told so), the server's memory is
not.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from typing import Any

logger = logging.getLogger("soprano.events")

QUEUE_SIZE = 256
# A publish after commit waits at most this long for Redis (seconds); after one that timed out (a frozen Redis, not
# a refused connection), publishing is skipped for PUBLISH_PAUSE_SECONDS (or until the hub reconnects). What was skipped is in the database: once a publish passes,
# every worker's subscribers are told to resynchronise (RESYNC_CHANNEL).
PUBLISH_TIMEOUT_SECONDS = 0.5
PUBLISH_PAUSE_SECONDS = 5.0
RESYNC_CHANNEL = "hub.resync"
RESYNC = {"type": "resync"}  # plus a `generation`: one per reconnection of this process's hub


class SubscriberDropped(Exception):
    """The subscriber's queue overflowed: it must reconnect and catch up from the history."""


class Subscriber:
    def __init__(self, channels: Iterable[str], size: int) -> None:
        self.channels = frozenset(channels)
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=size)
        self.dropped = False

    def offer(self, message: dict[str, Any]) -> None:
        if self.dropped:
            return
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            self.dropped = True
            # Wake the reader so it notices at once; the queue is full, so make room for the marker.
            with contextlib.suppress(asyncio.QueueEmpty):
                self.queue.get_nowait()
            self.queue.put_nowait({"type": "dropped"})

    async def next(self) -> dict[str, Any]:
        """The next message; SubscriberDropped once after an overflow, then the messages published since."""
        message = await self.queue.get()
        if message.get("type") == "dropped":
            # The marker came last (nothing was queued after it): the reader catches up from the history, and a
            # reader that stays (the dashboard) receives what comes next.
            self.dropped = False
            raise SubscriberDropped
        return message


class MemoryHub:
    """In-process fan-out by channel name."""

    def __init__(self, queue_size: int = QUEUE_SIZE) -> None:
        self.queue_size = queue_size
        self._subscribers: dict[str, set[Subscriber]] = defaultdict(set)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    def _dispatch(self, channel: str, message: dict[str, Any]) -> None:
        for subscriber in list(self._subscribers.get(channel, ())):
            subscriber.offer(message)

    def _broadcast(self, message: dict[str, Any]) -> None:
        for subscriber in {s for subs in self._subscribers.values() for s in subs}:
            subscriber.offer(message)

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        self._dispatch(channel, message)

    @contextlib.asynccontextmanager
    async def subscribe(self, channels: Iterable[str]) -> AsyncIterator[Subscriber]:
        subscriber = Subscriber(channels, self.queue_size)
        for channel in subscriber.channels:
            self._subscribers[channel].add(subscriber)
        try:
            yield subscriber
        finally:
            for channel in subscriber.channels:
                self._subscribers[channel].discard(subscriber)
                if not self._subscribers[channel]:
                    del self._subscribers[channel]

    @property
    def subscriber_count(self) -> int:
        return len({s for subs in self._subscribers.values() for s in subs})


class RedisHub(MemoryHub):
    """Local fan-out fed by one Redis pattern subscription per process."""

    def __init__(self, url: str, queue_size: int = QUEUE_SIZE, prefix: str = "soprano:") -> None:
        super().__init__(queue_size)
        self.PREFIX = prefix
        import redis.asyncio as redis

        self._redis = redis.from_url(url, socket_connect_timeout=3, health_check_interval=10)
        self._task: asyncio.Task | None = None
        self._connected = asyncio.Event()
        self._resyncs = 0
        self._paused_until = 0.0  # monotonic time until which publishing is skipped (Redis did not answer)
        self._missed = 0  # events not broadcast since the last publish that passed

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._listen(), name="redis-hub")
            # Wait briefly for the first subscription, so that events published right after start are heard.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._connected.wait(), 5)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None
        await self._redis.aclose()

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        """Broadcast after commit, never holding the answer more than PUBLISH_TIMEOUT_SECONDS: the event is in the
        database, subscribers catch up from it (never fail the request)."""
        loop = asyncio.get_running_loop()
        if loop.time() < self._paused_until:
            self._missed += 1
            return
        try:
            if self._missed:
                await asyncio.wait_for(
                    self._send(RESYNC_CHANNEL, {"missed": self._missed}), PUBLISH_TIMEOUT_SECONDS
                )
                logger.info("Redis answers again: %d events not broadcast, subscribers resync", self._missed)
                self._missed = 0
            await asyncio.wait_for(self._send(channel, message), PUBLISH_TIMEOUT_SECONDS)
        except Exception as error:
            if not self._missed:
                logger.warning(
                    "Redis unavailable (%s): event not broadcast, subscribers will resync", type(error).__name__
                )
            self._missed += 1
            if isinstance(error, TimeoutError):  # frozen, not down: do not wait for it again at once
                self._paused_until = loop.time() + PUBLISH_PAUSE_SECONDS

    async def _send(self, channel: str, message: dict[str, Any]) -> None:
        await self._redis.publish(self.PREFIX + channel, json.dumps(message))

    async def _listen(self) -> None:
        backoff = 0.2
        first = True
        while True:
            try:
                pubsub = self._redis.pubsub()
                await pubsub.psubscribe(self.PREFIX + "*")
                self._connected.set()
                self._paused_until = 0.0  # Redis answers: publish again at once
                if not first:
                    logger.info("Redis hub reconnected: subscribers resync from the history")
                    self._resyncs += 1
                    # Numbered: the subscribers it wakes share their re-reading, like those an event wakes.
                    self._broadcast({**RESYNC, "generation": self._resyncs})
                first = False
                backoff = 0.2
                async for item in pubsub.listen():
                    if item.get("type") != "pmessage":
                        continue
                    channel = item["channel"].decode()[len(self.PREFIX) :]
                    try:
                        message = json.loads(item["data"])
                    except ValueError:
                        continue
                    if channel == RESYNC_CHANNEL:  # a worker could not broadcast some events: read the history
                        self._resyncs += 1
                        self._broadcast({**RESYNC, "generation": self._resyncs})
                        continue
                    self._dispatch(channel, message)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # connection lost: retry with backoff
                self._connected.clear()
                logger.warning("Redis hub disconnected (%s); retrying in %.1fs", type(error).__name__, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)


def create_hub(redis_url: str | None, prefix: str = "soprano:") -> MemoryHub:
    return RedisHub(redis_url, prefix=prefix) if redis_url else MemoryHub()


# --- channels -----------------------------------------------------------------------------------------------


def dossier_channel(dossier_id: int) -> str:
    return f"dossier.{dossier_id}"


def operator_channel(operator_id: int) -> str:
    return f"operator.{operator_id}"


def office_channel(office: str) -> str:
    return f"office.{office}"
