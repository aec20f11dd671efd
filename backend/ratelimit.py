"""Rate limits: GraphQL mutations per user (or per API token, or per address for a visitor), and the login per
address, counted in fixed windows (the `limits` library) in Redis when REDIS_URL is set — so every worker and host
shares them — and in memory otherwise. A refusal says when to come back (`Retry-After`). The defaults are far above
what a person does (RATE_LIMIT_MUTATIONS, RATE_LIMIT_LOGIN); a counter store that does not answer lets requests
through (the limits protect the service, they must not stop it).
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import FixedWindowRateLimiter

from backend.config import Settings

logger = logging.getLogger("soprano.ratelimit")
STORE_TIMEOUT_SECONDS = 0.3


@dataclass(frozen=True)
class Refusal:
    retry_after: int  # seconds

    @property
    def message(self) -> str:
        return (
            f"Trop de requêtes : réessayez dans {self.retry_after} seconde{'s' if self.retry_after > 1 else ''}."
        )


class RateLimiter:
    def __init__(self, settings: Settings) -> None:
        storage: Storage
        if settings.redis_url:
            storage = RedisStorage(
                settings.redis_url.replace("redis://", "async+redis://", 1).replace(
                    "rediss://", "async+rediss://", 1
                ),
                implementation="redispy",
                key_prefix=f"{settings.redis_channel_prefix}ratelimit",
                socket_timeout=STORE_TIMEOUT_SECONDS,
                socket_connect_timeout=STORE_TIMEOUT_SECONDS,
            )
        else:
            storage = MemoryStorage()
        self.storage = storage
        self.strategy = FixedWindowRateLimiter(storage)
        self.mutations = parse(settings.rate_limit_mutations)
        self.login = parse(settings.rate_limit_login)
        self._failing_since: float | None = None

    async def hit(self, item: RateLimitItem, key: str, cost: int = 1) -> Refusal | None:
        """Counts `cost` against `key`; a Refusal when the window is full."""
        try:
            allowed = await asyncio.wait_for(self.strategy.hit(item, key, cost=cost), STORE_TIMEOUT_SECONDS)
            if allowed:
                self._answered()
                return None
            stats = await asyncio.wait_for(self.strategy.get_window_stats(item, key), STORE_TIMEOUT_SECONDS)
        except Exception as error:  # the store does not answer: let the request through
            self._failed(error)
            return None
        self._answered()
        return Refusal(retry_after=max(1, math.ceil(stats.reset_time - time.time())))

    def _failed(self, error: BaseException) -> None:
        if self._failing_since is None:
            self._failing_since = time.monotonic()
            logger.warning("rate limits not counted: their store does not answer (%s)", type(error).__name__)

    def _answered(self) -> None:
        if self._failing_since is not None:
            logger.info("rate limits counted again")
            self._failing_since = None


__all__ = ["RateLimiter", "Refusal"]
