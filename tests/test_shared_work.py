"""SharedWork: the subscribers one event wakes share an answer instead of each asking the database.

- askers of the same key at the same moment get one computation; other keys are computed apart;
- an exception is everyone's answer for that key (a refusal is shared like an answer);
- one asker cancelled (a client gone) does not cancel the answer the others wait for;
- an answer is forgotten after its time: the same key asked later is computed again.
"""

from __future__ import annotations

import asyncio

import pytest

from backend.errors import NotFound
from backend.sharing import SharedWork


class Clock:
    """The monotonic clock SharedWork reads, moved by the test instead of waited for."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now

    def move(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


async def test_concurrent_askers_of_one_key_share_one_computation(clock):
    shared = SharedWork(clock=clock.monotonic)
    calls = []

    async def compute(name: str):
        calls.append(name)
        await asyncio.sleep(0.01)
        return f"réponse {name}"

    answers = await asyncio.gather(
        *(shared.get(("event", 1), lambda: compute("a")) for _ in range(50)),
        shared.get(("event", 2), lambda: compute("b")),
    )
    assert answers[:50] == ["réponse a"] * 50
    assert answers[50] == "réponse b"
    assert sorted(calls) == ["a", "b"]
    assert shared.computed == 2


async def test_a_refusal_is_shared_like_an_answer(clock):
    shared = SharedWork(clock=clock.monotonic)
    calls = 0

    async def refuse():
        nonlocal calls
        calls += 1
        raise NotFound("Dossier introuvable.")

    results = await asyncio.gather(*(shared.get("k", refuse) for _ in range(5)), return_exceptions=True)
    assert all(isinstance(r, NotFound) for r in results)
    assert calls == 1


async def test_cancelling_one_asker_leaves_the_answer_to_the_others(clock):
    shared = SharedWork(clock=clock.monotonic)
    release = asyncio.Event()

    async def slow():
        await release.wait()
        return 42

    first = asyncio.ensure_future(shared.get("k", slow))
    second = asyncio.ensure_future(shared.get("k", slow))
    await asyncio.sleep(0)
    first.cancel()
    release.set()
    assert await second == 42
    with pytest.raises(asyncio.CancelledError):
        await first


async def test_an_answer_is_forgotten_after_its_time(clock):
    shared = SharedWork(keep_seconds=5, clock=clock.monotonic)
    values = iter([1, 2])

    async def next_value():
        return next(values)

    assert await shared.get("k", next_value) == 1
    clock.move(4.9)
    assert await shared.get("k", next_value) == 1  # kept
    clock.move(0.2)
    assert await shared.get("k", next_value) == 2  # asked again once forgotten
    assert len(shared) == 1


async def test_a_kept_object_is_the_same_for_its_key_until_its_time_is_over(clock):
    shared = SharedWork(keep_seconds=5, clock=clock.monotonic)
    first = shared.keep("loader", object)
    clock.move(4.9)
    assert shared.keep("loader", object) is first
    assert shared.keep("another", object) is not first
    clock.move(0.2)
    assert shared.keep("loader", object) is not first


def test_what_woke_a_subscriber_names_the_work_it_shares():
    from backend.api.dossiers.processing import _wake_key

    assert _wake_key({"type": "event", "event": 42, "dossier": 7}) == ("event", 42)
    assert _wake_key({"type": "resync", "generation": 3}) == ("resync", 3)
    # Not told apart: computed alone, never shared with another subscriber's.
    assert _wake_key({"type": "resync"}) is None
    assert _wake_key({"type": "event"}) is None
