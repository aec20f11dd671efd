"""The in-process event hub: fan-out by channel, bounded queues, and what a reader sees after an overflow."""

from __future__ import annotations

import asyncio

import pytest

from backend.events import MemoryHub, SubscriberDropped


async def test_a_subscriber_receives_its_channels_only():
    hub = MemoryHub()
    async with hub.subscribe(["dossier.1"]) as subscriber:
        await hub.publish("dossier.2", {"type": "event", "event": 1})
        await hub.publish("dossier.1", {"type": "event", "event": 2})
        assert await asyncio.wait_for(subscriber.next(), 1) == {"type": "event", "event": 2}
    assert hub.subscriber_count == 0


async def test_an_overflow_is_told_once_then_new_messages_arrive_again():
    hub = MemoryHub(queue_size=2)
    async with hub.subscribe(["operator.7"]) as subscriber:
        for event in range(1, 6):  # more than the queue holds: the reader is too slow
            await hub.publish("operator.7", {"type": "event", "event": event})
        assert (await subscriber.next())["type"] == "event"  # some of what was queued before the overflow
        with pytest.raises(SubscriberDropped):
            await subscriber.next()
        # Told once; what is published afterwards reaches the reader that stays subscribed.
        await hub.publish("operator.7", {"type": "event", "event": 6})
        assert await asyncio.wait_for(subscriber.next(), 1) == {"type": "event", "event": 6}
