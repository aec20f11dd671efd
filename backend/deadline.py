"""Giving up on work that does not finish in time, without waiting for it to clean up.

A coroutine cancelled in the middle of a database call may take long to unwind (psycopg first tries to cancel the
query on the server: over a network split, that waits too). `within` answers at the deadline and lets the abandoned
work end in the background.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")
logger = logging.getLogger("soprano.deadline")


def _forget(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.debug("abandoned work ended with %r", task.exception())


async def within(seconds: float, work: Awaitable[T]) -> T:
    """The result of `work`, or TimeoutError after `seconds` (then `work` is cancelled, not awaited)."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if not done:
        task.cancel()
        task.add_done_callback(_forget)
        raise TimeoutError(f"not finished within {seconds} s")
    return task.result()
