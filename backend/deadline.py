"""Giving up on work that does not finish in time, without waiting for it to clean up.

A coroutine cancelled in the middle of a database call may take long to unwind (psycopg first tries to cancel the
query on the server: over a network split, that waits too). `within` answers at the deadline and lets the abandoned
work end in the background.

Work that has begun to change data (a mutation running) is never abandoned: its client would be told it failed while
it may still commit, and a retry would do it twice. Such work marks its request (`must_finish`) and is awaited to its
end, which the database's own timeouts bound (connect, statement, TCP user timeout and keepalives: backend/db.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, TypeVar

T = TypeVar("T")
logger = logging.getLogger("soprano.deadline")
MUST_FINISH = "soprano.must_finish"


def must_finish(scope: MutableMapping[str, Any]) -> None:
    """The request of this ASGI scope now changes data: past its deadline it is awaited, not abandoned."""
    scope[MUST_FINISH] = True


def is_to_finish(scope: MutableMapping[str, Any]) -> bool:
    return bool(scope.get(MUST_FINISH))


def _forget(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.debug("abandoned work ended with %r", task.exception())


async def within(seconds: float, work: Awaitable[T], *, unless: Callable[[], bool] | None = None) -> T:
    """The result of `work`, or TimeoutError after `seconds` (then `work` is cancelled, not awaited) — unless
    `unless()` is true at the deadline: then `work` is awaited to its end."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if not done and unless is not None and unless():
        logger.warning("work past its deadline of %s s is changing data: awaited to its end", seconds)
        return await task
    if not done:
        task.cancel()
        task.add_done_callback(_forget)
        raise TimeoutError(f"not finished within {seconds} s")
    return task.result()
