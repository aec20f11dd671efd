"""Work shared by the coroutines of one process that need the same answer at the same moment.

One comment on a dossier wakes every subscriber of that dossier in this process. Each must still be authorised
for that event, but subscribers with the same rights ask the same question: the first one computes the answer and
the others, woken by the same event, await it. An answer is kept a few seconds, then forgotten: its key names the
event, so a later event asks again (a right lost in between is seen then).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class SharedWork:
    def __init__(self, keep_seconds: float = 5.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.keep_seconds = keep_seconds
        self._clock = clock  # injected so tests move time instead of waiting for it
        self._entries: dict[Hashable, tuple[float, asyncio.Future[Any]]] = {}
        self._next_sweep = 0.0
        self.computed = 0  # answers computed (the rest were shared): for tests and benchmarks

    def _sweep(self, now: float) -> None:
        """Forget expired answers, at most a few times per keep period (not at every call: one event asks
        thousands of times)."""
        if now < self._next_sweep:
            return
        self._next_sweep = now + self.keep_seconds / 5
        expired = [key for key, (until, future) in self._entries.items() if until < now and future.done()]
        for key in expired:
            del self._entries[key]

    def _current(self, key: Hashable, now: float) -> asyncio.Future[Any] | None:
        entry = self._entries.get(key)
        if entry is None or entry[0] < now or entry[1].get_loop() is not asyncio.get_running_loop():
            return None
        return entry[1]

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        """`compute()`'s answer for `key`, computed once while kept; its exception, likewise, for every asker."""
        now = self._clock()
        self._sweep(now)
        future = self._current(key, now)
        if future is None:
            # A task, not the first asker's coroutine: cancelling one asker does not cancel the others' answer.
            future = asyncio.ensure_future(compute())
            future.add_done_callback(_consume)
            self._entries[key] = (now + self.keep_seconds, future)
            self.computed += 1
        return await asyncio.shield(future)

    def keep(self, key: Hashable, make: Callable[[], T]) -> T:
        """An object shared under `key` while kept (e.g. a loader that batches the askers of one event)."""
        now = self._clock()
        self._sweep(now)
        holder = self._current(key, now)
        if holder is None:
            holder = asyncio.get_running_loop().create_future()
            holder.set_result(make())
            self._entries[key] = (now + self.keep_seconds, holder)
        return holder.result()

    def __len__(self) -> int:
        return len(self._entries)


def _consume(future: asyncio.Future[Any]) -> None:
    """An answer nobody awaits any more must not log « exception was never retrieved »."""
    if not future.cancelled():
        future.exception()
